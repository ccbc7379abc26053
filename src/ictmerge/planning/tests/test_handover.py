"""Plans made after the takeover acts read the records of who held them before (handover log)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ictmerge.inventory.models import Contract, Device, Site
from ictmerge.planning.accounts import accounts_json, county_accounts
from ictmerge.planning.decisions import contract_notices, derive_decisions
from ictmerge.planning.governance import governance_inventory
from ictmerge.reforms.counties import County
from ictmerge.review.takeover import handover_due
from ictmerge.review.tests.test_handover import REFORM_DAY, _inventory, _split_c


def _demo_inventory(world: Any) -> None:
    """A (into N) and C (split between S and N), as generated demo data with located sites."""
    _split_c(world)
    _inventory(world)
    Device.objects.update(is_demo=True)
    for n, site in enumerate(Site.objects.order_by("pk")):
        Site.objects.filter(pk=site.pk).update(latitude=Decimal("56.9") + n,
                                               longitude=Decimal("24.1") + n)
    Contract.objects.update(assignable=False, notice_days=90, end_date=None)


def _plans(world: Any) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for county in (world.north, world.south):
        shown[county.code] = {
            "accounts": accounts_json(county_accounts(county)),
            "notices": contract_notices(County.of(county).ids, REFORM_DAY),
            "governance": governance_inventory(county),
            "decisions": derive_decisions(county),
        }
    return shown


@pytest.mark.django_db
def test_the_account_and_network_plans_are_the_same_after_the_handover(world: Any) -> None:
    """GIVEN demo computers and located sites in A and in C (split between S and N) WHEN the
    records pass on the reform date THEN the account plan, network plan, contract notices,
    governance inventory and derived decisions of N and S are unchanged."""
    _demo_inventory(world)
    before = _plans(world)
    north = before["N"]["accounts"]
    assert {s["code"]: s["basis"] for s in north["lists"]}["A"] == "generated"
    assert north["totals"]["create"] > 0 and north["network"]["sites"]
    assert {s["former"] for s in north["network"]["sites"]} == {"A", "C"}
    assert {s["former"] for s in before["S"]["accounts"]["network"]["sites"]} == {"C"}
    assert {n.contract for n in before["N"]["notices"]} >= {"Internet A (Former A)"}
    handover_due(REFORM_DAY)
    assert not Device.objects.filter(municipality=world.former_a).exists()
    assert not Site.objects.filter(municipality=world.former_c).exists()
    after = _plans(world)
    for county, plans in before.items():
        for key, value in plans.items():
            assert after[county][key] == value, (county, key)
