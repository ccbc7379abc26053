"""The planning app."""

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """The planning app."""

    name = "ictmerge.planning"
    label = "planning"
    verbose_name = "Planning"
