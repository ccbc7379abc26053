"""Software views read records by who held them before the takeover (the handover log)."""

from __future__ import annotations

from typing import Any

import pytest

from ictmerge.inventory.models import Contract, Installation
from ictmerge.review.models import TakeoverAct
from ictmerge.review.takeover import assign_reviewed, handover_due
from ictmerge.review.tests.test_handover import REFORM_DAY, _inventory, _split_c
from ictmerge.software.portfolio import portfolio, portfolio_json
from ictmerge.software.services import (
    contracts_json,
    contracts_to_act_on,
    licence_position,
    position_json,
)


def _shown(world: Any) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for m in (world.north, world.south, world.former_a, world.former_c):
        shown[m.code] = {
            "portfolio": portfolio_json(portfolio(m)),
            "position": position_json(licence_position(m)),
            "contracts": contracts_json(m, contracts_to_act_on(m)),
        }
    return shown


@pytest.mark.django_db
def test_the_register_licence_position_and_contracts_read_the_same_after_the_handover(
        world: Any) -> None:
    """GIVEN A (into N) and C (split between S and N) with installations, licences and
    contracts WHEN the records pass on the reform date THEN the portfolio (with each
    predecessor's register), the licence position and the contracts to act on of N, S, A and
    C are unchanged."""
    _split_c(world)
    _inventory(world)
    Contract.objects.update(assignable=False)
    before = _shown(world)
    registers = {r["code"]: r for r in before["N"]["portfolio"]["predecessors"]}
    assert registers["A"]["installs"] == 1 and registers["A"]["devices"] == 1
    assert before["A"]["contracts"]["count"] == 1
    handover_due(REFORM_DAY)
    act = TakeoverAct.objects.get(former=world.former_c)
    for entry in list(act.review_list):
        assign_reviewed(world.users["admin"], act, entry["model"], entry["id"], world.north)
    assert not Installation.objects.filter(municipality__in=[world.former_a,
                                                             world.former_c]).exists()
    assert not Contract.objects.filter(municipality=world.former_a).exists()
    assert _shown(world) == before
