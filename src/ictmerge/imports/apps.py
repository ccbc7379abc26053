"""The imports app."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """The imports app."""

    name = "ictmerge.imports"
    label = "imports"
    verbose_name = "Imports"
