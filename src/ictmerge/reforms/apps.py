"""The reform register: reforms, municipalities and who went into whom."""

from django.apps import AppConfig


class ReformsConfig(AppConfig):
    """Reforms, municipalities, successions."""

    name = "ictmerge.reforms"
    label = "reforms"
    verbose_name = "Reforms"
