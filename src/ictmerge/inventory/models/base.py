"""The abstract base of every municipality-owned inventory record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmerge.core.models import TrackedModel
from ictmerge.engine.imports import rules


class InventoryRecord(TrackedModel):
    """A record owned by one municipality, possibly generated as demo data."""

    municipality = models.ForeignKey(
        "reforms.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT,
    )
    is_demo = models.BooleanField(
        _("demo data"), default=False, db_index=True, help_text=_("generated demo data"),
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_field = "municipality"

    class Meta:
        abstract = True


def rule_errors(record: models.Model) -> dict[str, ValidationError]:
    """The shared rules of the record's model (`engine.imports.rules`, which the importer
    runs too) on its values, as `clean()` raises them: field → translatable error."""
    errors: dict[str, ValidationError] = {}
    meta = record._meta
    for rule in rules.RULES.get(meta.label, ()):
        values = {name: record.serializable_value(name) for name in rules.READS[rule]}
        for name, message in rule(values).items():
            errors[name] = ValidationError(_(message.text), params=dict(message.params))
    return errors
