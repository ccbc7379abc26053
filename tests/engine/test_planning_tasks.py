"""Action-plan generation from decisions, scheduling to the reform date, and the budget."""

from __future__ import annotations

from datetime import date

import pytest

from ictmerge.engine.planning.budget import (
    CostCategory,
    CostKind,
    build_budget,
    governance_lines,
    load_catalogue,
)
from ictmerge.engine.planning.governance import (
    GovernanceInventory,
    GovernanceModel,
    GovernanceParameters,
    Site,
    assess_alternative,
)
from ictmerge.engine.planning.scheduling import solve_schedule
from ictmerge.engine.planning.tasks import (
    ContractNotice,
    HostAction,
    HostDecision,
    LicenceShortfall,
    Phase,
    Provisioning,
    Role,
    RoomDecision,
    SystemMigration,
    TakeoverDecisions,
    add_working_days,
    calendar_dates,
    generate_tasks,
    load_templates,
    to_scheduling_problem,
    working_days_between,
)

DECISIONS = TakeoverDecisions(
    rooms=[
        RoomDecision("Preiļi", keep=True),
        RoomDecision("Aglona", keep=False, annual_running_cost_eur=4000),
    ],
    hosts=[
        HostDecision("srv-ag-1", HostAction.MOVE, "Preiļi", source_room="Aglona"),
        HostDecision("new-1", HostAction.BUY, "Preiļi"),
        HostDecision("new-2", HostAction.BUY, "Preiļi"),
    ],
    systems=[SystemMigration("Finance", training_sessions=2)],
    licence_shortfalls=[LicenceShortfall("Office", 40, "licence.office_suite")],
    contracts=[ContractNotice("Hosting Aglona", notice_days=20, annual_value_eur=3000)],
    provisioning=Provisioning(
        employees=800,
        email_domain="preili.lv",
        sites=5,
        network_links=(("Preiļi", "Aglona"),),
        devices_to_reenrol=700,
        help_desk=True,
        training_sessions=6,
    ),
)
CAPACITY = {role: 1 for role in Role if role is not Role.NONE}


def by_key() -> dict[str, object]:
    """Generated tasks by key."""
    return {task.key: task for task in generate_tasks(DECISIONS)}


def test_it_generates_one_task_per_decision_with_dependencies() -> None:
    """GIVEN decisions WHEN tasks are generated THEN each decision yields its task in the right phase."""
    tasks = {t.key: t for t in generate_tasks(DECISIONS)}
    assert tasks["provision.room_close:Aglona"].depends_on == (
        "provision.host_move:srv-ag-1 to Preiļi",
    )
    move = tasks["provision.host_move:srv-ag-1 to Preiļi"]
    assert "provision.room_upgrade:Preiļi" in move.depends_on
    assert tasks["provision.host_procurement:Preiļi"].title == "Procure 2 servers for Preiļi"
    assert tasks["planning.notice_period:Hosting Aglona"].duration_days == 20
    assert tasks["planning.notice_period:Hosting Aglona"].staff == 0
    assert tasks["provision.training"].title == "Train staff: 8 sessions"
    assert "provision.system_migration:Finance" in tasks["provision.training"].depends_on
    assert tasks["review.self_assessment"].phase is Phase.REVIEW
    assert not tasks["review.self_assessment"].deadline_applies
    # Review waits for every provisioning task.
    provision = {k for k, t in tasks.items() if t.phase is Phase.PROVISION}
    assert provision <= set(tasks["review.indicators"].depends_on)


def test_it_skips_work_no_decision_asks_for() -> None:
    """GIVEN no decisions WHEN tasks are generated THEN only the always-present phase tasks appear."""
    tasks = generate_tasks(TakeoverDecisions())
    assert {t.template for t in tasks} == {
        "discovery.software_register",
        "discovery.resource_inventory",
        "discovery.contracts_and_evidence",
        "planning.target_architecture",
        "planning.governance",
        "review.indicators",
        "review.self_assessment",
    }


def test_it_follows_edited_templates() -> None:
    """GIVEN a template edited to take longer WHEN generated THEN the task takes longer."""
    templates = load_templates()
    from dataclasses import replace

    templates["provision.directory"] = replace(templates["provision.directory"], base_days=30)
    tasks = {t.key: t for t in generate_tasks(DECISIONS, templates)}
    assert tasks["provision.directory"].duration_days == 38  # 30 + 0.01 × 800


def test_it_schedules_the_plan_before_the_reform_date() -> None:
    """GIVEN a plan from 1 March WHEN scheduled to 1 July 2021 THEN nothing deadline-bound is late."""
    deadline = working_days_between(date(2021, 3, 1), date(2021, 7, 1))
    problem = to_scheduling_problem(generate_tasks(DECISIONS), CAPACITY, deadline)
    schedule = solve_schedule(problem)
    assert schedule.late_tasks == ()
    assert schedule.proven_optimal
    assert schedule.critical_path[0].startswith("discovery.")


def test_it_states_the_shortfall_when_the_deadline_is_too_close() -> None:
    """GIVEN only 20 working days WHEN scheduled THEN late tasks are listed with their lateness."""
    schedule = solve_schedule(to_scheduling_problem(generate_tasks(DECISIONS), CAPACITY, 20))
    assert schedule.late_tasks
    assert (
        max(t.lateness for t in schedule.late_tasks)
        == max(e for k, e in schedule.ends.items() if not k.startswith("review.")) - 20
    )


def test_it_stretches_a_two_person_task_for_one_technician() -> None:
    """GIVEN re-enrolment for 2 technicians and only 1 WHEN converted THEN it takes twice as long."""
    tasks = generate_tasks(DECISIONS)
    enrol = next(t for t in tasks if t.template == "provision.device_reenrolment")
    problem = to_scheduling_problem(tasks, CAPACITY, None)
    converted = next(t for t in problem.tasks if t.task_id == enrol.key)
    assert converted.demands == {"support_technician": 1}
    assert converted.duration == 2 * enrol.duration_days


def test_it_counts_working_days() -> None:
    """GIVEN a Friday WHEN adding one working day THEN it is the Monday."""
    assert add_working_days(date(2021, 6, 25), 1) == date(2021, 6, 28)
    assert working_days_between(date(2021, 6, 21), date(2021, 6, 28)) == 5
    holiday = frozenset({date(2021, 6, 23), date(2021, 6, 24)})  # Līgo and Jāņi
    assert add_working_days(date(2021, 6, 22), 1, holiday) == date(2021, 6, 25)


def test_it_places_scheduled_days_on_the_calendar() -> None:
    """GIVEN a 3-day task starting on day 4 WHEN dated from Monday THEN it runs Friday to Tuesday."""
    dates = calendar_dates({"t": 4}, {"t": 7}, date(2021, 6, 7))
    assert dates["t"] == (date(2021, 6, 11), date(2021, 6, 15))


def test_it_prices_the_budget_from_the_catalogue() -> None:
    """GIVEN the plan WHEN budgeted THEN lines are priced, savings give a payback."""
    catalogue = load_catalogue()
    tasks = generate_tasks(DECISIONS)
    budget = build_budget(
        tasks, DECISIONS, annual_ict_spend_eur=150_000, total_expenditure_eur=20_000_000
    )
    server = catalogue["hardware.server"]
    hw = budget.by_category[(CostCategory.HARDWARE, CostKind.ONE_OFF)]
    assert hw.expected == 2 * server.expected
    licences = [line for line in budget.lines if line.item == "licence.office_suite"]
    assert licences[0].amount.expected == 40 * catalogue["licence.office_suite"].expected
    assert budget.one_off.low <= budget.one_off.expected <= budget.one_off.high
    assert budget.annual_savings.expected >= 4000 + 3000
    assert budget.internal_person_days > 0
    assert budget.one_off_share_of_ict_spend == pytest.approx(budget.one_off.expected / 150_000)
    if budget.annual_change.expected < 0:
        assert budget.payback_years == pytest.approx(
            budget.one_off.expected / -budget.annual_change.expected, rel=0.01
        )


def test_it_adds_staff_cost_from_the_governance_change() -> None:
    """GIVEN a model with more support FTE than today WHEN budgeted THEN annual staff cost
    rises by the extra FTE at the sourced cost per FTE."""
    sites = [Site("Town", 56.5, 21.0, 400, 420, 6)]
    inventory = GovernanceInventory(sites, information_systems=10, current_support_fte=1.0)
    parameters = GovernanceParameters()
    model = GovernanceModel.CENTRALISED
    fte = assess_alternative(model, inventory, parameters).support_fte
    budget = build_budget([], TakeoverDecisions(),
                          governance=governance_lines(inventory, parameters, model))
    staff = budget.by_category[(CostCategory.STAFF, CostKind.ANNUAL)]
    assert staff.expected == pytest.approx((fte - 1.0) * parameters.annual_cost_per_fte_eur,
                                           abs=0.01)


def test_it_requires_a_basis_for_every_catalogue_price() -> None:
    """GIVEN the shipped catalogue WHEN loaded THEN every price states its source or assumption."""
    catalogue = load_catalogue()
    assert all(item.basis.startswith(("source: ", "assumption: ")) for item in catalogue.values())
    with pytest.raises(ValueError, match="neither a source nor an assumption"):
        load_catalogue(
            {
                "items": {
                    "x": {
                        "label": "x",
                        "category": "hardware",
                        "kind": "one_off",
                        "unit": "u",
                        "low": 1,
                        "expected": 1,
                        "high": 1,
                    }
                }
            }
        )


def test_it_names_an_unknown_cost_item() -> None:
    """GIVEN a licence priced by a missing item WHEN budgeted THEN the error names task and item."""
    decisions = TakeoverDecisions(licence_shortfalls=[LicenceShortfall("CAD", 3, "licence.cad")])
    with pytest.raises(ValueError, match=r"'licence\.cad'"):
        build_budget(generate_tasks(decisions), decisions)
