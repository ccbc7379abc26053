"""Inventory operations: load the function taxonomy (the demo loader is in demo.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ictmerge.core.history import record_bulk
from ictmerge.engine.systems.taxonomy import load_functions as read_taxonomy
from ictmerge.inventory.models import BusinessFunction


@dataclass(frozen=True)
class TaxonomyLoadResult:
    """What loading the function taxonomy changed."""

    created: int
    updated: int
    unchanged: int


@transaction.atomic
def load_functions(path: Path | None = None) -> TaxonomyLoadResult:
    """Create or update the business functions from the shipped taxonomy (or `path`)."""
    existing = {f.code: f for f in BusinessFunction.objects.all()}
    new: list[BusinessFunction] = []
    changed: list[BusinessFunction] = []
    unchanged = 0
    for item in read_taxonomy(path):
        values = {
            "name_en": item.name_en[:200],
            "name_lv": item.name_lv[:200],
            "national_system_mandatory": item.national_system_mandatory,
            "national_system": (item.mandatory_national_system or "")[:200],
            "source": item.source,
        }
        function = existing.get(item.code)
        if function is None:
            new.append(BusinessFunction(code=item.code, **values))
            continue
        before = {name: getattr(function, name) for name in values}
        if before == values:
            unchanged += 1
            continue
        for name, value in values.items():
            setattr(function, name, value)
        changed.append(function)
    if new:
        record_bulk(BusinessFunction.objects.bulk_create(new))
    for function in changed:
        function.save()  # few rows: the signals record before and after
    return TaxonomyLoadResult(created=len(new), updated=len(changed), unchanged=unchanged)
