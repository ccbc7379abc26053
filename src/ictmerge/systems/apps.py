"""The systems app."""

from django.apps import AppConfig


class SystemsConfig(AppConfig):
    """The systems app."""

    name = "ictmerge.systems"
    label = "systems"
    verbose_name = "Systems"
