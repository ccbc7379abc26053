"""On the Latvian demo: one system per function for every merged county, and the national
view's information systems before and after for all 40 surveyed new municipalities."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count

from ictmerge.reforms.models import Succession
from ictmerge.reports.services import national_report
from ictmerge.systems import services
from ictmerge.systems.security import security_for


@pytest.fixture(scope="module")
def latvia(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """lv-2021 with the seed-1 demo and every county planned, loaded once per module."""
    from ictmerge.inventory.demo import load_demo
    from ictmerge.reforms.services import load_bundled

    with django_db_blocker.unblock(), transaction.atomic():
        reform = load_bundled("lv-2021")
        load_demo("lv-2021", seed=1)
        results = services.plan_counties(services.counties_of(reform))
        yield reform, results
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_merged_county_has_one_system_per_function_with_its_reasoning(latvia: Any) -> None:
    """GIVEN the demo WHEN every county is planned THEN each county with more than one
    predecessor keeps exactly one candidate per function its predecessors run, with a score
    table (unless a national system is mandatory), a TIME label per candidate, a sensitivity
    verdict and a cost."""
    reform, results = latvia
    merged = [r for r in results if len(r.inputs.predecessors) > 1]
    expected = {row["new"] for row in Succession.objects.filter(reform=reform).values("new")
                .annotate(n=Count("former")) if row["n"] > 1}
    assert {r.county.pk for r in merged} == expected and len(expected) > 20
    for result in merged:
        run = {c.system.function_code for c in result.inputs.candidates.values()}
        assert {f.function.code for f in result.functions} == run
        for item in result.functions:
            decision = item.decision
            assert decision.chosen_system_id in decision.candidate_ids
            assert {t.system_id for t in decision.time_labels} == set(decision.candidate_ids)
            kept = [t for t in decision.time_labels if t.label.value != "eliminate"]
            assert [t.system_id for t in kept] == [decision.chosen_system_id]
            if item.function.mandatory_national_system:
                assert decision.scores is None
            else:
                assert decision.scores is not None
                assert decision.scores.sensitivity.verdict().startswith(("stable", "sensitive"))
            assert item.cost.one_off_eur >= 0
        assert result.plan.systems_after <= result.plan.systems_before


@pytest.mark.django_db
def test_the_national_view_has_information_systems_before_and_after_for_all_40(
        latvia: Any) -> None:
    """GIVEN the demo WHEN the national report runs THEN the 40 surveyed new municipalities
    have IS before and after, after no more than before; Rīga and Jūrmala have no figure."""
    reform, _results = latvia
    report = national_report(reform)
    with_after = [c for c in report["new"] if "information_systems_after" in c["after"]]
    assert len(with_after) == 40
    assert all(0 < c["after"]["information_systems_after"] <= c["information_systems"]
               for c in with_after)
    assert {c["name"] for c in report["new"] if c not in with_after} == {"Rīga", "Jūrmala"}


@pytest.mark.django_db
def test_the_demo_has_security_inconsistencies_to_show(latvia: Any) -> None:
    """GIVEN predecessors that classified alike systems differently WHEN re-assessed THEN some
    county lists inconsistencies, and no unified class is below a predecessor's derived class."""
    _reform, results = latvia
    found = 0
    for result in results[:10]:
        security = security_for(result.county, "lv", result)
        for reassessment in security.reassessments:
            found += reassessment.inconsistent
            assert all(reassessment.unified_class >= p.derived_class
                       for p in reassessment.predecessors)
    assert found > 0
