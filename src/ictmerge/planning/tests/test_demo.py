"""On the Latvian demo: every new municipality gets a governance model and a budget."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from ictmerge.planning import services
from ictmerge.planning.governance import GovernanceError, assess_county
from ictmerge.planning.models import Task
from ictmerge.planning.tests.conftest import FAST


@pytest.fixture(scope="module")
def latvia(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The Latvian reform with the seed-1 demo, loaded once and rolled back after the module."""
    from ictmerge.inventory.demo import load_demo
    from ictmerge.reforms.services import load_bundled

    with django_db_blocker.unblock(), transaction.atomic():
        reform = load_bundled("lv-2021")
        load_demo("lv-2021", seed=1)
        yield reform
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_new_municipality_has_a_recommended_model_with_its_calculation(latvia: Any) -> None:
    counties = services.counties_of(latvia)
    assert len(counties) == 42
    assessed, unsurveyed = 0, []
    for county in counties:
        try:
            result = assess_county(county)
        except GovernanceError:
            unsurveyed.append(county.name)  # Rīga and Jūrmala were not surveyed: no inventory
            continue
        rec = result.recommendation
        assert rec.recommended != rec.runner_up and rec.reasons
        assert all(a.calculation for a in rec.alternatives)
        assessed += 1
    assert assessed == 40 and sorted(unsurveyed) == ["Jūrmala", "Rīga"]


@pytest.mark.django_db
def test_every_surveyed_county_has_a_governance_after_without_scheduling(latvia: Any) -> None:
    """GIVEN the demo with no action plan scheduled WHEN the national figures are read THEN
    each of the 40 surveyed new municipalities has its governance "after", the recommended
    model marked as recommended, in the national document too."""
    from ictmerge.planning.models import ActionPlan
    from ictmerge.reports.documents import national_context

    assert not ActionPlan.objects.filter(municipality__reform=latvia).exclude(
        summary={}).exists()
    figures = services.after_figures(latvia)
    governed = {pk: f for pk, f in figures.items() if f.get("governance_after")}
    assert len(governed) == 40
    assert not any(f["governance_after_chosen"] for f in governed.values())
    sample = next(c for c in services.counties_of(latvia) if c.pk in governed)
    assert governed[sample.pk]["governance_after"] == \
        assess_county(sample).recommendation.recommended.value
    questions = national_context(latvia)["questions"]
    answered = [q for q in questions if q["after"]["governance"]]
    assert len(answered) == 40
    assert all(q["after"]["governance"].endswith("(recommended)") for q in answered)
    assert sorted(q["name"] for q in questions if not q["after"]["governance"]) == \
        ["Jūrmala", "Rīga"]


@pytest.mark.django_db
def test_a_demo_county_is_scheduled_to_the_reform_date_and_budgeted(latvia: Any) -> None:
    county = min(services.counties_of(latvia), key=lambda c: c.population or 0)
    outcome = services.plan_county(county, settings=FAST)
    plan = outcome.plan
    assert plan.deadline.isoformat() == "2021-07-01"
    assert plan.makespan_days is not None and plan.lower_bound_days is not None
    assert plan.makespan_days >= plan.lower_bound_days
    late = Task.objects.filter(municipality=county, late_days__gt=0).count()
    assert plan.late_tasks == late  # met, or the shortfall stated task by task
    summary = plan.summary
    assert summary["governance_after"] == assess_county(county).model_after.value
    low, expected, high = (summary["one_off_cost_eur"][k] for k in ("low", "expected", "high"))
    assert 0 < low <= expected <= high


@pytest.mark.django_db
def test_every_demo_county_has_an_account_plan_that_resolves_its_collisions(latvia: Any) -> None:
    """GIVEN the demo WHEN the account plans are made THEN the generated lists are labelled,
    names collide as in life, every account name is unique and the LDIF holds each one."""
    from ictmerge.engine.planning.staff import AccountAction, accounts_ldif
    from ictmerge.planning.accounts import county_accounts

    collisions = planned = 0
    for county in services.counties_of(latvia):
        result = county_accounts(county)
        if not any(s.employees for s in result.lists):
            continue  # no inventory, no generated list (Rīga, Jūrmala)
        assert {s.basis for s in result.lists} == {"generated"} and result.is_demo
        active = [a for a in result.plan.accounts if a.action is not AccountAction.DISABLE]
        assert len({a.username for a in active}) == len(active) == result.employees
        assert accounts_ldif(result.plan).count("\ndn: uid=") == len(active)
        collisions += len(result.plan.collisions)
        planned += 1
    assert planned == 40 and collisions > 0


@pytest.mark.django_db
def test_it_sums_the_change_by_source_and_prices_todays_model_on_the_demo(latvia: Any) -> None:
    """GIVEN the 40 surveyed demo counties WHEN budgeted and their governance priced THEN the
    annual change by source sums to the annual change to the euro, "keep today's model" is
    within 1 % of the recorded ICT spend, and the model of record's fees are in the budget."""
    from ictmerge.planning.costs import baseline_of
    from ictmerge.planning.governance import assess_counties, governance_json
    from ictmerge.reforms.counties import County

    counties = services.counties_of(latvia)
    results = assess_counties(counties)
    assert len(results) == 40
    for county in counties:
        result = results.get(county.pk)
        if result is None:
            continue
        data = services.budget_json(services.budget_for(county))
        by_source = data["annual_change_by_source"]
        assert set(by_source) == {"governance", "consolidation", "licences", "contracts",
                                  "other"}
        total = (by_source["governance"] + by_source["consolidation"] + by_source["licences"]
                 + by_source["contracts"] + by_source["other"])
        assert abs(total - data["annual_cost_change_eur"]["expected"]) < 1
        governance = governance_json(result)
        current = next(a for a in governance["alternatives"] if a["model"] == "current")
        spend = data["ict_spend_eur"]
        assert spend and current["annual_total_eur"] is not None
        assert abs(current["annual_total_eur"] - spend) <= 0.01 * spend, county.name
        after = result.assessment_after
        fees = [line for line in data["lines"] if line["description"].startswith(
            "External support fees")]
        assert round(sum(line["expected"] for line in fees), 2) == after.external_fees_eur
        # Today's support contracts are replaced by the fees, not paid beside them.
        replaced = [line for line in data["lines"] if line["description"].startswith(
            "Support contracts replaced")]
        baseline = baseline_of(County.of(county))
        assert baseline is not None
        if after.external_fees_eur > 0 and baseline.support_contracts_eur > 0:
            assert -sum(line["expected"] for line in replaced) == pytest.approx(
                baseline.support_contracts_eur, abs=0.01)
            assert not [line for line in data["lines"] if line["description"].startswith(
                "Contract ended") and "ICT support and maintenance" in line["description"]]
        else:
            assert not replaced
        chosen = next(a for a in governance["alternatives"]
                      if a["model"] == governance["governance_after"])
        assert chosen["annual_total_eur"] is not None
        assert by_source["governance"] == pytest.approx(
            chosen["annual_total_eur"] - current["annual_total_eur"], abs=1)
