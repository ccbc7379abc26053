"""The consolidation app."""

from django.apps import AppConfig


class ConsolidationConfig(AppConfig):
    """The consolidation app."""

    name = "ictmerge.consolidation"
    label = "consolidation"
    verbose_name = "Consolidation"
