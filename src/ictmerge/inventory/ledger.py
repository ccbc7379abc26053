"""Reading the handover ledger: the records a municipality held before the takeover.

The takeover (review) moves records to the new municipality and logs each move here; the
figures "before" of every app read the records by the municipality that held them then.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ictmerge.inventory.models import Handover


def label(model: type[models.Model]) -> str:
    """app.model, as the handover log names record types."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def owners_before(model: type[models.Model], ids: list[int]) -> dict[int, int]:
    """For records handed over, the municipality that owned them before: {record id: owner}."""
    rows = Handover.objects.filter(model=label(model), object_id__in=ids).order_by(
        "time", "pk").values_list("object_id", "from_municipality_id")
    owners: dict[int, int] = {}
    for object_id, owner in rows:
        owners.setdefault(object_id, owner)
    return owners


def handed_over_any(owner_ids: list[int], model: type[models.Model] | None = None) -> bool:
    """Whether any record (of the model) was handed over from or to the municipalities."""
    handovers = Handover.objects.filter(Q(from_municipality_id__in=owner_ids)
                                        | Q(to_municipality_id__in=owner_ids))
    return bool(handovers.filter(model=label(model)).exists() if model is not None
                else handovers.exists())


def held_before(model: type[models.Model], owner_ids: list[int],
                handed: bool | None = None) -> QuerySet[Any]:
    """Records the municipalities held before any handover, each annotated with `held_by`.

    A record handed over counts for the municipality it came from (its first handover);
    one never handed over for its owner. So figures per former municipality read the same
    before and after the takeover. `handed` (from handed_over_any) spares the query that
    checks whether anything was handed over at all, for a caller reading many models.
    """
    name = label(model)
    if not (handed_over_any(owner_ids, model) if handed is None else handed):
        # Nothing handed over from or to them: each record is its owner's (no subquery a row).
        return (model._default_manager
                .filter(municipality_id__in=owner_ids)
                .annotate(held_by=F("municipality_id")))
    first_owner = Handover.objects.filter(model=name, object_id=OuterRef("pk")).order_by(
        "time", "pk").values("from_municipality_id")[:1]
    handed_ids = Handover.objects.filter(model=name, from_municipality_id__in=owner_ids).values(
        "object_id")
    return (model._default_manager
            .filter(Q(municipality_id__in=owner_ids) | Q(pk__in=handed_ids))
            .annotate(held_by=Coalesce(Subquery(first_owner), F("municipality_id"),
                                       output_field=models.BigIntegerField()))
            .filter(held_by__in=owner_ids))
