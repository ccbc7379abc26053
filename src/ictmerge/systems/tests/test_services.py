"""The rationalisation services on a small made-up county: ties, single and national
candidates, overrides, weights, security re-assessment, checklist and the national provider."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ictmerge.core.choices import ChangeAction
from ictmerge.core.history import history_for
from ictmerge.engine.systems.security import Level
from ictmerge.engine.systems.time_class import TimeLabel
from ictmerge.inventory.models import Device, ServerRoom, Workload
from ictmerge.reports.services import national_report
from ictmerge.systems import services
from ictmerge.systems.checklist import generate_checklist
from ictmerge.systems.models import (
    ChangeTask,
    CriterionWeight,
    ExternalCandidate,
    MigrationPlan,
    SystemAssessment,
    SystemDecision,
)
from ictmerge.systems.security import security_for
from ictmerge.systems.tests.conftest import function, system

pytestmark = pytest.mark.django_db


def decision(result: services.CountyResult, code: str) -> services.FunctionResult:
    return next(f for f in result.functions if f.function.code == code)


def test_it_keeps_the_stronger_system_and_explains_why(county: Any) -> None:
    """GIVEN A's current Horizon and B's end-of-life Visvaris WHEN planned THEN Horizon is kept,
    Visvaris eliminated with its migration and cost, and the reasons name the scores."""
    result = services.plan_county(county.north)
    item = decision(result, "finance")
    assert item.chosen == services.system_key(county.horizon.pk)
    assert item.basis == "recommended"
    labels = {t.system_id: t.label for t in item.decision.time_labels}
    assert labels[services.system_key(county.visvaris.pk)] is TimeLabel.ELIMINATE
    assert labels[services.system_key(county.horizon.pk)] is TimeLabel.INVEST
    assert item.decision.scores is not None and item.decision.scores.sensitivity.checks > 0
    assert item.cost.migration_eur > 0
    # 30 users move to another product: 30 x 4 h x 35 EUR/h.
    assert item.cost.training_eur == 30 * 4 * 35
    assert item.cost.retirement_savings_eur == 1500
    assert any("TOPSIS" in reason for reason in map(str, item.decision.reasons))
    assert result.plan.systems_before == 2 and result.plan.systems_after == 1


def test_it_breaks_a_tie_by_id_and_says_so(world: Any) -> None:
    """GIVEN two identical systems WHEN planned THEN the tie is flagged and the lower id wins."""
    docs = function("documents")
    first = system(world.former_a, docs, "Lietvaris")
    system(world.former_b, docs, "Lietvaris")
    item = decision(services.plan_county(world.north), "documents")
    assert item.decision.scores is not None and item.decision.scores.tie
    assert item.chosen == services.system_key(first.pk)
    assert any("tie" in reason for reason in map(str, item.decision.reasons))


def test_it_keeps_a_single_candidate_without_comparison(world: Any) -> None:
    """GIVEN only A runs a GIS WHEN planned THEN it is kept, stable, with nothing to migrate."""
    gis = function("gis_planning")
    only = system(world.former_a, gis, "Topo GIS")
    item = decision(services.plan_county(world.north), "gis_planning")
    assert item.chosen == services.system_key(only.pk)
    assert "the only candidate: kept without comparison" in map(str, item.decision.reasons)
    assert item.decision.migrations == () and item.cost.one_off_eur == 0


def test_a_mandatory_national_system_wins_and_cannot_be_overridden(world: Any) -> None:
    """GIVEN education must run in VIIS and B keeps a local register WHEN planned THEN VIIS is
    kept (no score decides), and choosing the local system is refused even with a reason."""
    education = function("education", national="VIIS")
    viis = system(world.former_a, education, "VIIS", hosting="state", annual_cost_eur=0)
    local = system(world.former_b, education, "Skolu reģistrs")
    item = decision(services.plan_county(world.north), "education")
    assert item.chosen == services.system_key(viis.pk)
    assert item.decision.scores is None
    with pytest.raises(ValidationError) as error:
        services.record_decision(world.north, "education", world.users["lead"],
                                 system=services.system_key(local.pk), justification="habit")
    assert "mandatory" in str(error.value)
    assert not SystemDecision.objects.exists()


def test_an_override_needs_a_justification_and_is_recorded_with_history(county: Any) -> None:
    """GIVEN the lead prefers Visvaris WHEN recorded without a reason THEN refused, nothing saved;
    WHEN with a reason THEN saved, shown as decided, reasons quote it, history names the lead."""
    lead = county.users["lead"]
    visvaris = services.system_key(county.visvaris.pk)
    with pytest.raises(ValidationError) as error:
        services.record_decision(county.north, "finance", lead, system=visvaris)
    assert "justification" in error.value.message_dict
    assert not SystemDecision.objects.exists()
    record = services.record_decision(county.north, "finance", lead, system=visvaris,
                                      justification="Vendor contract runs to 2024")
    assert record.overrides_recommendation and record.recommended.startswith("Horizon")
    item = decision(services.plan_county(county.north), "finance")
    assert item.chosen == visvaris and item.basis == "decided"
    assert any("Vendor contract runs to 2024" in r for r in map(str, item.decision.reasons))
    change = history_for(record).get()
    assert change.action == ChangeAction.CREATE and change.user_name == "lead"


def test_accepting_the_recommendation_needs_no_justification(county: Any) -> None:
    """GIVEN no system named WHEN the lead records THEN the recommendation is the decision."""
    record = services.record_decision(county.north, "finance", county.users["lead"])
    assert record.chosen_system == county.horizon and not record.overrides_recommendation


def test_only_the_county_may_decide(county: Any) -> None:
    """GIVEN A's steward and the viewer WHEN they record THEN refused (the lead's decision)."""
    for persona in ("steward", "viewer", "outsider"):
        with pytest.raises(PermissionDenied):
            services.record_decision(county.north, "finance", county.users[persona])
    assert not SystemDecision.objects.exists()


def test_weights_change_the_winner_and_keep_their_history(county: Any) -> None:
    """GIVEN Visvaris is cheaper per user (10 EUR against Horizon's 25) but weaker on all else
    WHEN only the cost per user counts THEN Visvaris wins; every stored weight has a history."""
    county.visvaris.annual_cost_eur = Decimal(300)
    county.visvaris.save()
    horizon, visvaris = (services.system_key(s.pk) for s in (county.horizon, county.visvaris))
    assert decision(services.plan_county(county.north), "finance").chosen == horizon
    only_cost = {code: 0.0 for code in services.criterion_codes()} | {"cost_per_user": 1.0}
    services.set_weights(county.north, only_cost, county.users["lead"])
    assert decision(services.plan_county(county.north), "finance").chosen == visvaris
    services.set_weights(county.north, {"cost_per_user": 0.0, "installed_base": 1.0},
                         county.users["lead"])
    assert decision(services.plan_county(county.north), "finance").chosen == horizon
    assert CriterionWeight.objects.filter(municipality=county.north).count() == \
        len(services.criterion_codes())
    weight = CriterionWeight.objects.get(municipality=county.north, criterion="cost_per_user")
    changes = list(history_for(weight).order_by("id"))
    assert [c.action for c in changes] == ["create", "update"]
    assert changes[1].user_name == "lead" and changes[1].after["weight"] == "0.000"


def test_bad_weights_are_refused_and_change_nothing(county: Any) -> None:
    """GIVEN an unknown criterion, a negative weight, or all zero WHEN set THEN nothing is saved."""
    lead = county.users["lead"]
    for weights in ({"colour": 1.0}, {"hosting": -1.0},
                    {code: 0.0 for code in services.criterion_codes()}):
        with pytest.raises(services.PlanError):
            services.set_weights(county.north, weights, lead)
    assert not CriterionWeight.objects.exists()


def test_an_external_candidate_competes_and_can_be_chosen(county: Any) -> None:
    """GIVEN an external SaaS better on every expert score WHEN planned THEN it is a candidate;
    choosing it migrates both predecessors' data into it."""
    external = ExternalCandidate.objects.create(
        municipality=county.north, function=county.finance, name="Cloud ERP",
        functional_coverage=Decimal("0.95"), technical_fit=Decimal(5), vendor_support=Decimal(5),
        security_compliance=Decimal(1), annual_cost_per_user_eur=Decimal(10))
    key = services.external_key(external.pk)
    assert key in decision(services.plan_county(county.north), "finance").decision.candidate_ids
    services.record_decision(county.north, "finance", county.users["lead"], system=key,
                             justification="One platform for the county")
    item = decision(services.plan_county(county.north), "finance")
    assert item.chosen == key and len(item.decision.migrations) == 2


def test_inventory_medium_reads_as_moderate() -> None:
    """The inventory's medium is the engine's moderate; a blank objective takes the highest given."""
    from ictmerge.inventory.models import InformationSystem

    record = InformationSystem(confidentiality="medium", integrity="low", availability="")
    requirements = services.inventory_requirements(record)
    assert requirements is not None
    assert (requirements.confidentiality, requirements.integrity, requirements.availability) == \
        (Level.MODERATE, Level.LOW, Level.MODERATE)
    assert services.parse_declared_class("1. klase") is Level.HIGH
    assert services.parse_declared_class("secret") is None


def test_it_reads_reg_442_class_names_and_not_letters() -> None:
    """GIVEN classes as written WHEN parsed THEN Reg. 442's names read as their class's lowest
    level, and A, B, C (critical-infrastructure categories, not classes) are not read."""
    assert services.parse_declared_class("Pamata drošības sistēma") is Level.LOW
    assert services.parse_declared_class("paaugstinātas drošības sistēma") is Level.MODERATE
    assert services.parse_declared_class("increased-security system") is Level.MODERATE
    assert [services.parse_declared_class(x) for x in ("A", "B", "C", "B class")] == [None] * 4


def test_the_class_is_the_high_water_mark(world: Any) -> None:
    """GIVEN C low, I high, A low WHEN assessed THEN the class is high (FIPS 199/200)."""
    hr = function("hr_payroll")
    system(world.former_a, hr, "Kadri", confidentiality="low", integrity="high",
           availability="low", users=10, records=100)
    found = security_for(world.north, "fips199")
    reassessment = next(r for r in found.reassessments if r.function_code == "hr_payroll")
    assert reassessment.unified_class is Level.HIGH


def test_the_merged_scale_raises_the_class_above_every_predecessor(world: Any) -> None:
    """GIVEN two low/low/low systems holding 6,000 persons each WHEN merged (12,000 >= 10,000)
    THEN confidentiality is raised to moderate and the class (under Reg. 442: basic to
    increased security) is above both predecessors'."""
    social = function("social_assistance")
    for former, name in ((world.former_a, "SOPA"), (world.former_b, "SOPA")):
        record = system(former, social, name, confidentiality="low", integrity="low",
                        availability="low", users=20, security_class="3. klase")
        SystemAssessment.objects.create(
            information_system=record, functional_coverage=Decimal("0.8"),
            technical_fit=Decimal(3), support_years_left=Decimal(3), vendor_support=Decimal(3),
            security_compliance=Decimal("0.5"), data_subjects=6000)
    found = security_for(world.north, "lv")
    reassessment = next(r for r in found.reassessments if r.function_code == "social_assistance")
    assert reassessment.unified_class is Level.MODERATE
    assert reassessment.unified_label == "increased-security system"  # Reg. 442 on 2021-07-01
    assert reassessment.raised_above_predecessors
    assert any("12,000" in reason for reason in reassessment.reasons)
    assert not reassessment.inconsistent


def test_inconsistent_classes_are_listed_side_by_side(county: Any) -> None:
    """GIVEN A declared its finance system class 1 and B class 3 WHEN re-assessed THEN the
    inconsistency names both, and the unified class is at least A's."""
    for record, declared in ((county.horizon, "1. klase"), (county.visvaris, "3. klase")):
        record.security_class = declared
        record.save()
    found = security_for(county.north)
    reassessment = next(r for r in found.reassessments if r.function_code == "finance")
    assert reassessment.inconsistent
    assert any("A: high" in line and "B: low" in line for line in reassessment.inconsistencies)
    assert reassessment.unified_class is Level.HIGH


def test_a_kept_system_in_a_room_below_its_class_is_flagged(county: Any) -> None:
    """GIVEN Horizon (class high) runs on a server in a room with access control only
    WHEN re-assessed THEN the room is flagged with what it lacks."""
    county.horizon.integrity = "high"
    county.horizon.save()
    room = ServerRoom.objects.create(municipality=county.former_a, name="Basement",
                                     has_access_control=True)
    server = Device.objects.create(municipality=county.former_a, kind="server", name="srv1",
                                   room=room)
    Workload.objects.create(municipality=county.former_a, server=server, name="horizon-vm",
                            cpu_cores=2, ram_gb=8, storage_gb=100,
                            information_system=county.horizon)
    found = security_for(county.north)
    assert [(f.system_id, f.class_label) for f in found.findings] == \
        [(services.system_key(county.horizon.pk), "high")]
    assert "ups" in found.findings[0].missing and "access_control" not in found.findings[0].missing


def test_the_checklist_and_migration_plan_follow_the_decisions(county: Any) -> None:
    """GIVEN the plan WHEN generated THEN the kept system gets its checklist and the retired one
    a migration; regenerating changes nothing; progress survives a changed decision."""
    lead = county.users["lead"]
    first = generate_checklist(county.north, lead)
    assert first.created > 0 and first.migrations_created == 1
    tasks = ChangeTask.objects.filter(municipality=county.north)
    assert {t.information_system_id for t in tasks} == {county.horizon.pk}
    assert any("New North" in t.text for t in tasks)
    migration = MigrationPlan.objects.get(municipality=county.north)
    assert migration.source == county.visvaris and migration.target_system == county.horizon
    assert migration.records == 15_000
    again = generate_checklist(county.north, lead)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    started = tasks.first()
    assert started is not None
    started.status = "in_progress"
    started.save()
    services.record_decision(county.north, "finance", lead,
                             system=services.system_key(county.visvaris.pk),
                             justification="Cheaper hosting")
    changed = generate_checklist(county.north, lead)
    assert changed.deleted == first.created - 1  # the open ones go, the started one stays
    assert ChangeTask.objects.filter(pk=started.pk).exists()
    assert MigrationPlan.objects.get(municipality=county.north).source == county.horizon
    with pytest.raises(PermissionDenied):
        generate_checklist(county.north, county.users["viewer"])


def test_the_fast_winners_equal_the_full_plan(county: Any) -> None:
    """The national report's quick path chooses what the full plan chooses."""
    docs = function("documents")
    system(county.former_a, docs, "Lietvaris", users=10)
    system(county.former_b, docs, "DocLogix", users=40, lifecycle="ageing")
    services.record_decision(county.north, "finance", county.users["lead"],
                             system=services.system_key(county.visvaris.pk), justification="x")
    inputs = services.load_inputs([county.north])[county.north.pk]
    full = services.plan_from_inputs(inputs)
    assert services.kept_systems(inputs) == {f.function.code: f.chosen for f in full.functions}


def test_the_national_view_gets_information_systems_after(county: Any) -> None:
    """GIVEN North's two finance systems WHEN the national report runs THEN North has 2 before
    and 1 after (recommended), and South (no systems) has no after figure."""
    report = national_report(county.reform)
    rows = {row["code"]: row for row in report["new"]}
    assert rows["N"]["information_systems"] == 2
    assert rows["N"]["after"]["information_systems_after"] == 1
    assert rows["N"]["after"]["information_systems_after_basis"] == "recommended"
    assert "information_systems_after" not in rows["S"]["after"]


def test_the_budget_lines_add_up_to_the_costs(county: Any) -> None:
    """The budget lines of a plan sum to its one-off cost and its change in annual cost."""
    result = services.plan_county(county.north)
    lines = services.budget_lines(result)
    one_off = sum(line["amount_eur"] for line in lines if line["kind"] == "one_off")
    annual = sum(line["amount_eur"] for line in lines if line["kind"] == "annual")
    assert one_off > 0
    assert one_off == pytest.approx(sum(f.cost.one_off_eur for f in result.functions))
    assert annual == pytest.approx(sum(f.cost.annual_change_eur for f in result.functions))
