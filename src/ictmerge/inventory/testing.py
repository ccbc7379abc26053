"""Test makers for inventory records that a field-by-field guess cannot make valid."""

from __future__ import annotations

from typing import Any

from ictmerge.core.testing.factories import build_record, custom_maker, make_record
from ictmerge.inventory.choices import DeviceKind
from ictmerge.inventory.models import Device, Workload


@custom_maker(Workload)
def make_workload(municipality: Any, **overrides: Any) -> Workload:
    """A workload on a physical server of the same municipality."""
    values = {"server": make_record(Device, municipality, kind=DeviceKind.SERVER), **overrides}
    return build_record(Workload, municipality, custom=False, **values)
