"""Information systems: one system per function for each new municipality."""

from django.apps import AppConfig


class SystemsConfig(AppConfig):
    """IS rationalisation, reform checklists, data migration and security classes."""

    name = "ictmerge.systems"
    label = "systems"
    verbose_name = "Systems"

    def ready(self) -> None:
        from ictmerge.systems import documents, services

        services.register_provider()
        documents.register_sections()
