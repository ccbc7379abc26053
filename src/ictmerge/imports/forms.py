"""Forms of the imports app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmerge.engine.imports import text
from ictmerge.imports.duplicates import MAX_ID


def import_type_choices() -> list[tuple[str, Any]]:
    """Template types, then other tools' formats."""
    from ictmerge.imports.sources import SOURCES
    from ictmerge.imports.templates import templates

    labels = {"glpi": _("GLPI Agent inventory (JSON) or FusionInventory/OCS XML"),
              "snipeit-assets": _("Snipe-IT assets CSV"),
              "snipeit-licenses": _("Snipe-IT licences CSV"),
              "snipeit-locations": _("Snipe-IT locations CSV"),
              "snipeit-users": _("Snipe-IT users CSV"),
              "azure-migrate": _("Azure Migrate server import CSV")}
    return [(t.slug, t.title) for t in templates().values()] + \
        [(slug, labels.get(slug, slug)) for slug in SOURCES]


def upload_refusal(upload: Any) -> str | None:
    """Why an uploaded file is refused before it is read (too large), or None."""
    # Read at each call: the setting (and a test) may change the limit after start-up.
    if upload.size > text.MAX_FILE_BYTES:
        return str(_("The file is %(size).1f MB; an import takes at most %(limit)d MB "
                     "(split it).") % {"size": upload.size / 2**20,
                                        "limit": text.MAX_FILE_BYTES // 2**20})
    return None


class ImportForm(forms.Form):
    """A file to import and how."""

    import_type = forms.ChoiceField(label=_("Type"), choices=import_type_choices)
    file = forms.FileField(label=_("File (CSV, XLSX, JSON or XML)"))
    municipality = forms.CharField(
        label=_("Municipality code"), max_length=20, required=False,
        help_text=_("The former municipality the rows belong to, when no column says."))
    dry_run = forms.BooleanField(label=_("Dry run (count, write nothing)"), required=False)
    valid_only = forms.BooleanField(
        label=_("Import the valid rows even if some rows are bad"), required=False)

    def clean_file(self) -> Any:
        """The upload, unless it is too large to import."""
        upload = self.cleaned_data["file"]
        refusal = upload_refusal(upload)
        if refusal:
            raise forms.ValidationError(refusal)
        return upload


class MergeForm(forms.Form):
    """Two devices to merge."""

    keep = forms.IntegerField(label=_("Keep device"), min_value=1, max_value=MAX_ID)
    remove = forms.IntegerField(label=_("Merge device"), min_value=1, max_value=MAX_ID)
