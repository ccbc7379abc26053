"""The imports app."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Imports and exports: templates, other tools' files, duplicates across predecessors."""

    name = "ictmerge.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from ictmerge.imports.services import register_exporters

        register_exporters()
