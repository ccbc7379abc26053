"""The imports app."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Imports and exports: templates, other tools' files, duplicates across predecessors."""

    name = "ictmerge.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from ictmerge.core.navigation import MenuItem, add_menu_item
        from ictmerge.imports.services import register_exporters

        register_exporters()
        add_menu_item(MenuItem(group=_("Discovery"), label=_("Import"), url_name="import",
                               order=10))
        add_menu_item(MenuItem(group=_("Discovery"), label=_("Duplicates"),
                               url_name="import_duplicates", order=11))
