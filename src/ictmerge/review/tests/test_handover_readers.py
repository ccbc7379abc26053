"""Progress measures and plan inputs read records by who held them before the takeover."""

from __future__ import annotations

from typing import Any

import pytest

from ictmerge.consolidation.services import has_inventory
from ictmerge.inventory.models import Device
from ictmerge.review.models import TakeoverAct
from ictmerge.review.services import county_progress
from ictmerge.review.takeover import assign_reviewed, handover_due
from ictmerge.review.tests.test_handover import REFORM_DAY, _inventory, _split_c


@pytest.mark.django_db
def test_the_checklist_measures_read_the_same_after_a_split_handover(world: Any) -> None:
    """GIVEN A (into N) and C (split between S and N) WHEN the records pass and the leads
    assign what could not be divided to N THEN N's and S's checklist measures are unchanged
    (C counts whole in each, before and after) and both still have servers to plan."""
    _split_c(world)
    _inventory(world)
    before = {c.code: county_progress(c).as_json() for c in (world.north, world.south)}
    assert has_inventory(world.south)
    handover_due(REFORM_DAY)
    act = TakeoverAct.objects.get(former=world.former_c)
    for entry in list(act.review_list):
        assign_reviewed(world.users["admin"], act, entry["model"], entry["id"], world.north)
    assert not Device.objects.filter(municipality=world.former_c).exists()
    after = {c.code: county_progress(c).as_json() for c in (world.north, world.south)}
    assert after == before
    assert has_inventory(world.north) and has_inventory(world.south)
