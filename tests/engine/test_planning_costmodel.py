"""One cost model: a baseline from recorded spend, alternatives on its lines, the budget's
annual change by source, the waterfall and the tornado."""

from __future__ import annotations

import pytest

from ictmerge.engine.planning.budget import (
    ConsolidationMoney,
    CostKind,
    build_budget,
    catalogue_tornado,
    governance_lines,
    load_catalogue,
)
from ictmerge.engine.planning.costmodel import (
    CURRENT,
    ChangeSource,
    CostLine,
    RecordedSpend,
    TornadoBar,
    baseline_from,
    price_alternatives,
    tornado,
)
from ictmerge.engine.planning.governance import (
    GovernanceInventory,
    GovernanceModel,
    GovernanceParameters,
    Site,
    recommend_governance,
)
from ictmerge.engine.planning.reference import read_reference, reference
from ictmerge.engine.planning.tasks import ContractNotice, RoomDecision, TakeoverDecisions

SPEND = RecordedSpend(ict_spend_eur=300_000, staff_eur=90_000, hardware_eur=60_000,
                      software_eur=50_000, services_eur=70_000, communications_eur=30_000,
                      rooms_eur=12_000, contracts_eur=20_000, support_fte=3.0)
INVENTORY = GovernanceInventory(
    [Site("Town", 56.5, 21.0, 400, 420, 6), Site("Village", 56.6, 21.3, 80, 90, 1)],
    information_systems=12, current_model=GovernanceModel.DECENTRALISED,
    current_support_fte=3.0)


def test_it_splits_the_recorded_spend_into_lines_that_sum_to_it() -> None:
    """GIVEN recorded spend by category WHEN the baseline is made THEN its lines sum to the
    spend, rooms and contracts come out of services, and unsplit spend is kept."""
    baseline = baseline_from(SPEND)
    assert baseline.total_eur == pytest.approx(300_000)
    assert baseline.amount(CostLine.HOSTING_ROOMS) == 12_000
    assert baseline.amount(CostLine.CONTRACTS) == 20_000
    assert baseline.amount(CostLine.EXTERNAL_SERVICES) == 70_000 - 12_000 - 20_000
    unsplit = baseline_from(RecordedSpend(ict_spend_eur=100_000, staff_eur=40_000))
    assert unsplit.total_eur == pytest.approx(100_000)
    assert "not split" in next(a.basis for a in unsplit.lines
                               if a.line is CostLine.EXTERNAL_SERVICES)


def test_it_prices_every_alternative_and_todays_model_on_the_same_lines() -> None:
    """GIVEN a baseline WHEN the alternatives are priced THEN "current" comes first, every one
    has the seven lines, and only staff and external services differ from the baseline."""
    p = GovernanceParameters()
    rec = recommend_governance(INVENTORY, p)
    priced = price_alternatives(baseline_from(SPEND), rec.alternatives, p)
    assert priced[0].model == CURRENT
    assert priced[0].amount(CostLine.STAFF) == pytest.approx(3.0 * p.annual_cost_per_fte_eur)
    baseline = baseline_from(SPEND)
    for alternative in priced:
        assert [a.line for a in alternative.lines] == list(CostLine)
        for line in (CostLine.HARDWARE, CostLine.LICENCES, CostLine.CONNECTIVITY,
                     CostLine.HOSTING_ROOMS, CostLine.CONTRACTS):
            assert alternative.amount(line) == baseline.amount(line)
    outsourced = next(a for a in priced if a.model == GovernanceModel.OUTSOURCED.value)
    fees = next(a for a in rec.alternatives if a.model is GovernanceModel.OUTSOURCED)
    assert outsourced.amount(CostLine.EXTERNAL_SERVICES) == pytest.approx(
        baseline.amount(CostLine.EXTERNAL_SERVICES) + fees.external_fees_eur
        + fees.travel_cost_eur)


def test_it_carries_an_outsourcing_models_fees_into_the_budget() -> None:
    """GIVEN outsourcing as the model WHEN budgeted THEN its external fees and its staff change
    are annual governance lines, summing to the change against today's model."""
    p = GovernanceParameters()
    rec = recommend_governance(INVENTORY, p)
    outsourced = next(a for a in rec.alternatives if a.model is GovernanceModel.OUTSOURCED)
    lines = governance_lines(INVENTORY, p, GovernanceModel.OUTSOURCED)
    budget = build_budget([], TakeoverDecisions(), governance=lines)
    fees = [line for line in budget.lines if line.description.startswith("External support")]
    assert fees and fees[0].amount.expected == pytest.approx(outsourced.external_fees_eur)
    priced = {a.model: a for a in price_alternatives(baseline_from(SPEND), rec.alternatives, p)}
    change = priced["outsourced"].total_eur - priced[CURRENT].total_eur
    assert budget.by_source[ChangeSource.GOVERNANCE].expected == pytest.approx(change, abs=0.05)
    staff = next(line for line in budget.lines if line.category.value == "staff")
    assert staff.amount.low < staff.amount.expected < staff.amount.high


def test_it_does_not_pay_todays_support_contracts_beside_the_models_fees() -> None:
    """GIVEN predecessors that already outsource (12,000 EUR of support contracts) WHEN an
    outsourced or shared-service model is priced and budgeted THEN its fees replace those
    contracts (once, in the contracts line and as a governance line), while an in-house
    model keeps them, and the budget's governance change is still the priced change."""
    spend = RecordedSpend(**{**SPEND.__dict__, "support_contracts_eur": 12_000})
    baseline = baseline_from(spend)
    assert baseline.support_contracts_eur == 12_000
    p = GovernanceParameters()
    rec = recommend_governance(INVENTORY, p)
    priced = {a.model: a for a in price_alternatives(baseline, rec.alternatives, p)}
    for model in (GovernanceModel.OUTSOURCED, GovernanceModel.SHARED_SERVICE):
        assert priced[model.value].amount(CostLine.CONTRACTS) == 20_000 - 12_000
        lines = governance_lines(INVENTORY, p, model, baseline.support_contracts_eur)
        budget = build_budget([], TakeoverDecisions(), governance=lines, baseline=baseline)
        assert [line.amount.expected for line in budget.lines
                if line.description.startswith("Support contracts replaced")] == [-12_000]
        change = priced[model.value].total_eur - priced[CURRENT].total_eur
        assert budget.by_source[ChangeSource.GOVERNANCE].expected == pytest.approx(change,
                                                                                    abs=0.05)
    assert priced[GovernanceModel.CENTRALISED.value].amount(CostLine.CONTRACTS) == 20_000
    assert not [line for line in governance_lines(INVENTORY, p, GovernanceModel.CENTRALISED,
                                                  12_000)
                if line.description.startswith("Support contracts replaced")]


def test_it_sums_the_annual_change_by_source_and_draws_the_waterfall() -> None:
    """GIVEN governance, consolidation money, a closed contract WHEN budgeted with a baseline
    THEN the sources sum to the annual change and the waterfall ends at baseline + change."""
    decisions = TakeoverDecisions(rooms=(RoomDecision("old", keep=False,
                                                      annual_running_cost_eur=4000),),
                                  contracts=(ContractNotice("support", 30, 9000.0),))
    money = ConsolidationMoney("Default", {"power": 5000.0, "rooms": 8000.0},
                               {"power": 3000.0, "rooms": 2000.0, "external hosting": 1500.0})
    budget = build_budget([], decisions, governance=governance_lines(
        INVENTORY, GovernanceParameters(), GovernanceModel.CENTRALISED),
        consolidation=money, baseline=baseline_from(SPEND))
    total = sum(amount.expected for amount in budget.by_source.values())
    assert total == pytest.approx(budget.annual_change.expected)
    assert budget.by_source[ChangeSource.CONSOLIDATION].expected == pytest.approx(-6500)
    assert budget.by_source[ChangeSource.CONTRACTS].expected == -9000
    # The consolidation plan prices the rooms: the closed room is not saved twice.
    assert not [line for line in budget.lines if "Running cost saved" in line.description]
    steps = budget.waterfall
    assert steps[0].end_eur == pytest.approx(300_000)
    assert steps[-1].end_eur == pytest.approx(300_000 + budget.annual_change.expected)
    assert sum(c.change_eur for c in budget.cost_lines) == pytest.approx(
        budget.annual_change.expected, abs=0.05)


def test_it_lists_the_largest_drivers_when_the_annual_cost_rises() -> None:
    """GIVEN a plan whose annual cost rises WHEN budgeted THEN it needs explaining and its
    largest annual driver is the largest line."""
    lines = governance_lines(INVENTORY, GovernanceParameters(), GovernanceModel.OUTSOURCED)
    budget = build_budget([], TakeoverDecisions(), governance=lines,
                          annual_ict_spend_eur=300_000)
    assert budget.annual_change.expected > 0
    assert budget.needs_explanation
    drivers = budget.drivers(CostKind.ANNUAL)
    assert drivers[0].expected == max(line.amount.expected for line in budget.lines)
    assert len(drivers) <= 5


def test_it_ranks_parameters_by_how_far_they_move_the_annual_change() -> None:
    """GIVEN annual catalogue lines WHEN the tornado is drawn THEN each price moves its lines by
    ±20 % and the widest swing comes first."""
    decisions = TakeoverDecisions(rooms=(RoomDecision("a", keep=False),))
    budget = build_budget([], decisions)
    catalogue = load_catalogue()
    bars = catalogue_tornado(budget, catalogue)
    room = next(b for b in bars if b.parameter == "room.running")
    assert room.swing_eur == pytest.approx(0.4 * catalogue["room.running"].expected)
    ranked = tornado([TornadoBar("small", "", -1, 1), TornadoBar("big", "", -10, 10),
                      TornadoBar("none", "", 0, 0)])
    assert [b.parameter for b in ranked] == ["big", "small"]


def test_it_ships_sourced_wages_and_refuses_a_value_without_basis() -> None:
    """GIVEN the shipped reference values WHEN read THEN the wage is CSB's with its date, the
    governance default uses it, and a row with neither source nor assumption is refused."""
    wage = reference("ict_gross_wage_eur_month")
    assert wage.basis.startswith("source: CSB") and wage.date
    assert GovernanceParameters().monthly_gross_salary_eur == wage.value
    with pytest.raises(ValueError, match="neither a source nor an assumption"):
        read_reference("name,value,low,high,unit,date,source,url,assumption\n"
                       "x,1,1,1,EUR,2020,,,\n")
