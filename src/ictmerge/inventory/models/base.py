"""The abstract base of every municipality-owned inventory record."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmerge.core.models import TrackedModel


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
