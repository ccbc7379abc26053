"""Duplicates across predecessors: one device in two inventories, found by serial, UUID or MAC."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ictmerge.core.history import acting_as, caused_by, record_bulk_updates, snapshot
from ictmerge.engine.imports.identifiers import normalise
from ictmerge.inventory.models import Device, Installation, Workload


@dataclass
class DuplicateGroup:
    """Devices of different municipalities that share an identifier."""

    kind: str
    value: str
    devices: list[Any]


#: The largest record id a database stores (a signed 64-bit integer); larger ids are refused
#: as input before they reach a query (SQLite cannot even bind them).
MAX_ID = 2**63 - 1


class MergeError(ValueError):
    """A merge that cannot be done (the message says why)."""


def find_duplicates(user: Any) -> list[DuplicateGroup]:
    """Groups of visible devices in two or more municipalities with the same serial, UUID or MAC."""
    from ictmerge.imports.models import DeviceIdentifier

    visible = Device.objects.restrict(user)
    groups: dict[tuple[str, str], set[int]] = defaultdict(set)
    owner: dict[int, int] = {}
    for pk, municipality_id, serial in visible.exclude(serial="").values_list(
            "pk", "municipality_id", "serial").iterator(chunk_size=5000):
        value = normalise("serial", serial)
        if value:
            groups[("serial", value)].add(pk)
            owner[pk] = municipality_id
    identifiers = DeviceIdentifier.objects.filter(device__in=visible)
    for pk, municipality_id, kind, value in identifiers.values_list(
            "device_id", "device__municipality_id", "kind", "value"):
        if normalise(kind, value):
            groups[(kind, value)].add(pk)
            owner[pk] = municipality_id
    found = [(key, pks) for key, pks in groups.items() if len({owner[p] for p in pks}) > 1]
    devices = Device.objects.select_related("municipality").in_bulk(
        [p for _, pks in found for p in pks])
    return [DuplicateGroup(kind, value, sorted((devices[p] for p in pks), key=lambda d: d.pk))
            for (kind, value), pks in sorted(found)]


def merge_devices(keep_id: int, remove_id: int, user: Any) -> Any:
    """Keep one device, move the other's software, workloads and identifiers to it, delete it.

    Both histories stay: the removed device's changes (with its last values in the delete
    record) and the kept one's, which notes the merge.
    """
    from ictmerge.imports.models import DeviceIdentifier

    if keep_id == remove_id:
        raise MergeError("a device cannot be merged with itself")
    writable = Device.objects.restrict(user, "change")
    found = writable.in_bulk([keep_id, remove_id])
    if keep_id not in found or remove_id not in found:
        raise MergeError("no such device among those you may change")
    keep, remove = found[keep_id], found[remove_id]
    with acting_as(user), caused_by(merged_from=remove_id), transaction.atomic():
        moved = []
        for installation in Installation.objects.filter(device=remove):
            before = snapshot(installation)
            installation.device = keep
            installation.municipality_id = keep.municipality_id
            moved.append((installation, before))
        Installation.objects.bulk_update([i for i, _ in moved], ["device", "municipality"])
        record_bulk_updates(moved)
        for workload in Workload.objects.filter(server=remove):
            workload.server = keep
            workload.municipality_id = keep.municipality_id
            workload.save()
        for identifier in DeviceIdentifier.objects.filter(device=remove):
            DeviceIdentifier.objects.get_or_create(device=keep, kind=identifier.kind,
                                                   value=identifier.value)
        for name in ("asset_tag", "manufacturer", "model", "os", "purchase_date",
                     "purchase_cost_eur", "warranty_until", "cores", "ram_gb", "storage_gb"):
            if getattr(keep, name) in (None, "") and getattr(remove, name) not in (None, ""):
                setattr(keep, name, getattr(remove, name))
        serial = remove.serial
        remove.delete()
        if not keep.serial and serial:
            keep.serial = serial
        note = (f"Merged with device #{remove_id} {remove.name!r} of "
                f"{remove.municipality.code} (serial {serial or '-'}).")
        keep.notes = f"{keep.notes}\n{note}".strip()
        keep.save()
    return keep


def merge_selected(pairs: list[tuple[int, int]], user: Any) -> list[Any]:
    """Merge many pairs (device to keep, device to merge into it) at once, all or nothing;
    MergeError names the first pair that cannot be merged, and nothing is changed then."""
    kept = []
    with transaction.atomic():
        for keep_id, remove_id in pairs:
            try:
                kept.append(merge_devices(keep_id, remove_id, user))
            except MergeError as error:
                raise MergeError(f"#{remove_id} into #{keep_id}: {error}") from error
    return kept
