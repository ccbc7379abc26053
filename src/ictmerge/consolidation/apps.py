"""The consolidation app."""

from django.apps import AppConfig


class ConsolidationConfig(AppConfig):
    """Server and server-room consolidation plans of the new municipalities."""

    name = "ictmerge.consolidation"
    label = "consolidation"
    verbose_name = "Consolidation"

    def ready(self) -> None:
        from ictmerge.consolidation import documents, services

        services.register_provider()
        documents.register_sections()
