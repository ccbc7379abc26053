"""The imports app."""

from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _

from ictmerge.core.navigation import MenuItem, add_menu_item
from ictmerge.engine.imports import text


class ImportsConfig(AppConfig):
    """Imports and exports: templates, other tools' files, duplicates across predecessors."""

    name = "ictmerge.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from ictmerge.imports.services import register_exporters  # needs the models

        apply_upload_limit()
        setting_changed.connect(_upload_limit_changed)
        register_exporters()
        add_menu_item(MenuItem(group=_("Discovery"), label=_("Import"), url_name="import",
                               order=10))
        add_menu_item(MenuItem(group=_("Discovery"), label=_("Duplicates"),
                               url_name="import_duplicates", order=11))
        add_menu_item(MenuItem(group=_("Discovery"), label=_("Inventory agents"),
                               url_name="agents", order=12))


def apply_upload_limit() -> None:
    """Every reader (CSV, XLSX, JSON, XML; page, API, CLI, job) refuses a file above the
    IMPORT_MAX_UPLOAD_MB setting."""
    text.MAX_FILE_BYTES = int(settings.IMPORT_MAX_UPLOAD_MB) * 2**20


def _upload_limit_changed(setting: str, **_kwargs: object) -> None:
    if setting == "IMPORT_MAX_UPLOAD_MB":
        apply_upload_limit()
