"""core.bulk.bulk_insert: many new records at once (PostgreSQL's COPY, else bulk_create)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ictmerge.core.bulk import bulk_insert
from ictmerge.core.choices import ChangeAction
from ictmerge.core.history import history_for, record_bulk, snapshot
from ictmerge.core.models import ChangeRecord
from ictmerge.inventory.models import Device


def _devices(owner: Any, count: int) -> list[Device]:
    return [Device(municipality=owner, kind="server", name=f"SRV-{k}", serial=f"S{k}",
                   purchase_date=dt.date(2019, 1, 1 + k), purchase_cost_eur=Decimal("1234.50"),
                   cores=8 + k, ram_utilisation_pct=Decimal("12.25") if k else None,
                   is_demo=True, notes="bulk")
            for k in range(count)]


@pytest.mark.django_db
def test_it_inserts_new_records_with_their_keys_and_values(world: Any) -> None:
    """GIVEN devices built in memory WHEN inserted in bulk THEN each has its own key and reads
    back with the values it was built with."""
    built = _devices(world.former_a, 3)
    expected = [snapshot(d) for d in built]
    created = bulk_insert(Device, built)
    keys = [d.pk for d in created]
    assert None not in keys and len(set(keys)) == 3
    stored = Device.objects.in_bulk(keys)
    assert [snapshot(stored[k]) for k in keys] == expected


@pytest.mark.django_db
def test_it_writes_the_history_of_bulk_inserted_records(world: Any) -> None:
    """GIVEN devices inserted in bulk WHEN their history is recorded in bulk THEN each has one
    creation whose values are its own, stamped with a time."""
    created = bulk_insert(Device, _devices(world.former_a, 2))
    assert record_bulk(created) == 2
    for device in created:
        history = list(history_for(device))
        assert [h.action for h in history] == [ChangeAction.CREATE]
        assert history[0].after == snapshot(device)
        assert history[0].time is not None
        assert history[0].municipality_id == world.former_a.pk


@pytest.mark.django_db
def test_it_inserts_nothing_for_no_rows() -> None:
    """GIVEN no rows WHEN inserted in bulk THEN nothing is written."""
    before = ChangeRecord.objects.count()
    assert bulk_insert(ChangeRecord, []) == []
    assert ChangeRecord.objects.count() == before
