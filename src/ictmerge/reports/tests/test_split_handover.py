"""A split predecessor counts the same before and after the handover in the county documents."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from ictmerge.core.testing.factories import make_record
from ictmerge.inventory.models import InformationSystem, Installation, Licence, SoftwareProduct
from ictmerge.reports.documents import county_risks, system_products_before
from ictmerge.review.models import TakeoverAct
from ictmerge.review.takeover import assign_reviewed, handover_due
from ictmerge.review.tests.test_handover import REFORM_DAY, _inventory, _split_c
from ictmerge.software.portfolio import after_figures


def _shown(world: Any) -> dict[str, Any]:
    risks = {}
    for county in (world.north, world.south):
        ids = list(county.predecessors.values_list("former_id", flat=True))
        with translation.override("en"):
            risks[county.code] = {r["risk"]: r["count"] for r in county_risks(county, ids)}
    return {"risks": risks, "systems": system_products_before(world.reform),
            "software_after": after_figures(world.reform)}


@pytest.mark.django_db
def test_a_split_predecessor_counts_whole_in_each_successor_before_and_after(world: Any) -> None:
    """GIVEN C split between S (Hill parish) and N (Lake town), with records in both parts and
    products only C runs WHEN the records pass on the reform date THEN the county risks, the
    IS products and the software "after" figures of N and S are unchanged: C counts whole in
    each successor before, and so after, although N received only part of C's records."""
    _split_c(world)
    _inventory(world)
    lake = make_record(InformationSystem, world.former_c, name="Lake ledger", product="Lakes",
                       vendor="Shore")
    assert lake.pk
    product = make_record(SoftwareProduct, None, name="Hill GIS")
    hill = Installation.objects.filter(municipality=world.former_c).first()
    assert hill is not None
    make_record(Installation, world.former_c, device=hill.device, raw_name="Hill GIS",
                count=1, product=product)
    make_record(Licence, world.former_c, product_name="Lake tool", quantity=1,
                transferable=False)
    before = _shown(world)
    not_passing = "Licences that may not pass to the new municipality"
    assert before["risks"]["N"][not_passing] == 3  # A's one and all of C's two
    assert before["risks"]["S"][not_passing] == 2
    assert before["systems"][world.north.pk] == before["systems"][world.south.pk] + 1
    handover_due(REFORM_DAY)
    act = TakeoverAct.objects.get(former=world.former_c)
    for entry in list(act.review_list):  # the leads give what could not be divided to N
        if entry["model"] == "inventory.licence":
            assign_reviewed(world.users["admin"], act, entry["model"], entry["id"], world.north)
    assert not Installation.objects.filter(municipality=world.former_c).exists()
    assert not Licence.objects.filter(municipality=world.former_c).exists()
    assert _shown(world) == before
