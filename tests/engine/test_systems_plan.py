"""Rationalisation of a county: choice per function, national systems, overrides, TIME, changes, migration."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ictmerge.engine.systems.changes import ChangeStatus, load_change_templates, reform_changes
from ictmerge.engine.systems.migration import estimate_migration, load_migration_rates
from ictmerge.engine.systems.model import Hosting, InformationSystem, ReformContext
from ictmerge.engine.systems.plan import (
    Override,
    rationalise_county,
    rationalise_function,
    reassess_county,
    room_findings,
)
from ictmerge.engine.systems.scoring import load_criteria
from ictmerge.engine.systems.security import CIA, Level, load_rule_sets
from ictmerge.engine.systems.taxonomy import functions_by_code, load_functions
from ictmerge.engine.systems.time_class import TimeLabel, TimeThresholds, classify

FUNCTIONS = load_functions()
BY_CODE = functions_by_code(FUNCTIONS)
CRITERIA = load_criteria()
RATES = load_migration_rates()
REFORM = dt.date(2021, 7, 1)


def system(
    system_id: str, function: str = "finance", owner: str | None = "A", **changes: object
) -> InformationSystem:
    base = InformationSystem(
        system_id=system_id, name=f"{system_id} system", product=f"{system_id} product",
        vendor="v", function_code=function, owner_code=owner, users=10, records=10_000,
        functional_coverage=0.7, technical_fit=3, support_years_left=3,
        annual_cost_per_user_eur=100, vendor_support=3, hosting=Hosting.ON_PREMISES,
        security_compliance=0.5,
    )  # fmt: skip
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


STRONG = system("a-horizon", users=60, records=300_000, functional_coverage=0.95, technical_fit=4,
                support_years_left=5, vendor_support=4,
                integrated_registers=frozenset(BY_CODE["finance"].national_registers))  # fmt: skip
WEAK = system("b-old", owner="B", users=10, records=40_000, functional_coverage=0.6, technical_fit=1,
              support_years_left=0, annual_cost_per_user_eur=140)  # fmt: skip


def test_the_stronger_predecessor_system_is_chosen_with_reasons() -> None:
    decision = rationalise_function(BY_CODE["finance"], [WEAK, STRONG], CRITERIA, RATES)
    assert decision.chosen_system_id == decision.recommended_system_id == "a-horizon"
    assert decision.scores is not None and decision.scores.sensitivity.stable
    assert str(decision.reasons[0]).startswith("chosen a-horizon (A) by TOPSIS")
    assert any(r.startswith("stable") for r in map(str, decision.reasons))
    labels = {t.system_id: t.label for t in decision.time_labels}
    assert labels == {"a-horizon": TimeLabel.INVEST, "b-old": TimeLabel.ELIMINATE}
    assert [m.source_system_id for m in decision.migrations] == ["b-old"]
    assert decision.eliminated_ids == ("b-old",)


def test_the_choice_does_not_depend_on_input_order() -> None:
    forward = rationalise_function(BY_CODE["finance"], [WEAK, STRONG], CRITERIA, RATES)
    backward = rationalise_function(BY_CODE["finance"], [STRONG, WEAK], CRITERIA, RATES)
    assert forward == backward


def test_identical_candidates_tie_and_say_so() -> None:
    twin_a, twin_b = system("x-one"), system("y-two", owner="B")
    decision = rationalise_function(BY_CODE["finance"], [twin_b, twin_a], CRITERIA, RATES)
    assert decision.scores is not None and decision.scores.tie
    assert decision.chosen_system_id == "x-one"
    assert any("tie with y-two" in r for r in map(str, decision.reasons))


def test_a_single_candidate_is_kept_without_comparison() -> None:
    decision = rationalise_function(BY_CODE["finance"], [WEAK], CRITERIA, RATES)
    assert decision.chosen_system_id == "b-old" and decision.migrations == ()
    assert "the only candidate: kept without comparison" in map(str, decision.reasons)
    # Kept, fine functionally but on a platform whose support has ended.
    assert decision.time_labels[0].label is TimeLabel.MIGRATE


def test_a_mandatory_national_system_wins_over_local_ones() -> None:
    local = system("b-build", function="construction", owner="B", records=2_000, users=3)
    decision = rationalise_function(BY_CODE["construction"], [local], CRITERIA, RATES)
    assert decision.chosen_system_id == "national:construction"
    assert decision.scores is None
    assert str(decision.reasons[0]).startswith("BIS is mandatory")
    labels = {t.system_id: t.label for t in decision.time_labels}
    assert labels == {"b-build": TimeLabel.ELIMINATE, "national:construction": TimeLabel.TOLERATE}
    with pytest.raises(ValueError, match="mandatory and cannot be overridden"):
        rationalise_function(BY_CODE["construction"], [local], CRITERIA, RATES,
                             override=Override("b-build", "we like it"))  # fmt: skip


def test_an_override_needs_a_justification_and_records_it() -> None:
    with pytest.raises(ValueError, match="needs a justification"):
        rationalise_function(BY_CODE["finance"], [WEAK, STRONG], CRITERIA, RATES,
                             override=Override("b-old", "  "))  # fmt: skip
    with pytest.raises(ValueError, match="not a candidate"):
        rationalise_function(BY_CODE["finance"], [WEAK, STRONG], CRITERIA, RATES,
                             override=Override("nope", "because"))  # fmt: skip
    decision = rationalise_function(
        BY_CODE["finance"], [WEAK, STRONG], CRITERIA, RATES,
        override=Override("b-old", "vendor contract runs to 2024", decided_by="ict-lead"),
    )  # fmt: skip
    assert decision.recommended_system_id == "a-horizon"
    assert decision.chosen_system_id == "b-old"
    assert str(decision.reasons[-1]) == (
        "overridden to b-old (recommended a-horizon) by ict-lead: vendor contract runs to 2024"
    )
    assert {t.system_id: t.label for t in decision.time_labels}["a-horizon"] is TimeLabel.ELIMINATE


def test_time_labels_follow_the_stated_quadrants() -> None:
    thresholds = TimeThresholds(functional=0.6, technical=0.5)
    good = system("g", functional_coverage=0.8, technical_fit=4, support_years_left=4)
    weak_fit = system("w", functional_coverage=0.3, technical_fit=4, support_years_left=4)
    assert classify(good, "g", thresholds).label is TimeLabel.INVEST
    assert classify(weak_fit, "w", thresholds).label is TimeLabel.TOLERATE
    assert classify(good, "other", thresholds).label is TimeLabel.ELIMINATE


def test_a_county_plan_counts_systems_and_products_before_and_after() -> None:
    same_product = system("c-horizon", owner="C", product="a-horizon product", records=5_000)
    docs = [system("a-doc", function="documents"), system("b-doc", function="documents", owner="B")]
    plan = rationalise_county("N1", FUNCTIONS, [STRONG, WEAK, same_product, *docs], CRITERIA, RATES)
    assert [d.function_code for d in plan.decisions] == ["finance", "documents"]
    assert (plan.systems_before, plan.systems_after) == (5, 2)
    assert (plan.products_before, plan.products_after) == (4, 2)
    assert "backup" in plan.functions_without_system
    finance = plan.decisions[0]
    same = {m.source_system_id: m.same_product for m in finance.migrations}
    assert same == {"b-old": False, "c-horizon": True}


def test_the_migration_estimate_shows_its_working() -> None:
    estimate = estimate_migration(WEAK, STRONG, RATES, cut_over_date=REFORM)
    # 40 h fixed + 40,000 / 10,000 x 6 h + 10 accounts x 0.25 h = 66.5 h, rounded up to 67 h.
    assert estimate.hours == 67 and estimate.cost_eur == 67 * 35
    assert "40,000 records" in estimate.working and estimate.cut_over_date == REFORM
    same = estimate_migration(dataclasses.replace(WEAK, product=STRONG.product), STRONG, RATES)
    assert same.same_product and same.hours == 55  # 40 + 4 x 6 x 0.5 + 2.5


def test_the_reform_checklist_covers_codes_entity_accounts_migration_users_and_registers() -> None:
    context = ReformContext("N1", "Jaunais novads", REFORM, atvk_code="0001000",
                            predecessor_names=("A novads", "B novads"))  # fmt: skip
    items = reform_changes(STRONG, context, load_change_templates(), eliminated=[WEAK])
    codes = [i.template_code for i in items]
    for expected in ("territory_code", "legal_entity", "bank_accounts", "data_migration",
                     "user_accounts", "register_integration"):  # fmt: skip
        assert expected in codes
    assert "merged_registers" not in codes  # finance keeps no register of residents
    assert codes.count("register_integration") == len(STRONG.integrated_registers)
    migration = next(i for i in items if i.template_code == "data_migration")
    assert migration.subject == "b-old" and "40,000 records of b-old system" in migration.text_en
    legal = next(i for i in items if i.template_code == "legal_entity")
    assert "registration number (not yet known)" in legal.text_en
    assert all(i.status is ChangeStatus.OPEN and i.due_date <= REFORM for i in items)
    assert next(i for i in items if i.template_code == "user_accounts").text_en.count("70") == 1


def test_a_national_system_gets_no_municipal_checklist() -> None:
    context = ReformContext("N1", "Jaunais novads", REFORM)
    national = system(
        "national:construction", function="construction", owner=None, is_national=True
    )
    assert reform_changes(national, context, load_change_templates()) == ()


def test_county_security_reassessment_and_room_flags() -> None:
    rules = load_rule_sets()["fips199"]
    a = dataclasses.replace(STRONG, requirements=CIA(Level.MODERATE, Level.HIGH, Level.MODERATE),
                            declared_class=Level.HIGH, data_subjects=8_000)  # fmt: skip
    b = dataclasses.replace(
        WEAK, requirements=None, declared_class=Level.MODERATE, data_subjects=4_000
    )
    plan = rationalise_county("N1", FUNCTIONS, [a, b], CRITERIA, RATES)
    (finance,) = reassess_county(FUNCTIONS, [a, b], rules)
    assert finance.unified_label == "high" and finance.inconsistent
    assert any("b-old) has no assessed requirements" in r for r in finance.reasons)
    findings = room_findings(plan, [finance], rules, {"a-horizon": "room-1"},
                             {"room-1": frozenset({"access_control", "ups"})})  # fmt: skip
    assert [(f.system_id, f.missing) for f in findings] == [
        ("a-horizon", ("cooling", "fire_suppression", "monitoring"))
    ]
