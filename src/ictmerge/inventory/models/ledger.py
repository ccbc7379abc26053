"""The handover ledger: which municipality held a record before the takeover moved it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Handover(models.Model):
    """Who owned a record when: one row per record passed from one municipality to another.

    An append-only log like the change history; the before/after views count a record
    for the municipality that owned it before the reform. The review app's takeover act
    writes it (and names the act); every app reads it through `inventory.ledger`.
    """

    act = models.ForeignKey("review.TakeoverAct", on_delete=models.PROTECT,
                            related_name="handovers")
    model = models.CharField(_("record type"), max_length=60)
    object_id = models.BigIntegerField()
    from_municipality = models.ForeignKey("reforms.Municipality", on_delete=models.PROTECT,
                                          related_name="+")
    to_municipality = models.ForeignKey("reforms.Municipality", on_delete=models.PROTECT,
                                        related_name="+")
    time = models.DateTimeField(_("time"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True)

    class Meta:
        # The table the review app created: the ledger moved here without moving its rows.
        db_table = "review_handover"
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}: {self.from_municipality_id} → {self.to_municipality_id}"
