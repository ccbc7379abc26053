"""Planning operations: the action plan, its schedule, the budget and the national figures.

Views, the API, the CLI and the jobs all call these functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmerge.consolidation.services import plan_of_record
from ictmerge.core import scoping
from ictmerge.core.choices import ChangeAction
from ictmerge.core.history import acting_as, record_bulk, record_bulk_updates, snapshot
from ictmerge.core.payloads import AfterFigures
from ictmerge.core.providers import AFTER_PROVIDERS
from ictmerge.engine.explain import explain, from_json, to_json
from ictmerge.engine.planning.budget import (
    Budget,
    BudgetLine,
    CostKind,
    Driver,
    build_budget,
    catalogue_tornado,
    governance_lines,
    governance_tornado,
)
from ictmerge.engine.planning.costmodel import (
    ChangeSource,
    TornadoBar,
    replaces_support_contracts,
    tornado,
)
from ictmerge.engine.planning.governance import parameter_basis
from ictmerge.engine.planning.scheduling import (
    Objective,
    Schedule,
    SchedulingError,
    SolverSettings,
    solve_schedule,
)
from ictmerge.engine.planning.tasks import (
    TASK_PART,
    CostUse,
    Phase,
    PlannedTask,
    Role,
    TakeoverDecisions,
    calendar_dates,
    generate_tasks,
    to_scheduling_problem,
    working_days_between,
)
from ictmerge.inventory.choices import ContractKind
from ictmerge.inventory.models import IctFinance, ServerRoom
from ictmerge.inventory.models import Site as SiteRecord
from ictmerge.planning.calendar import holidays_between
from ictmerge.planning.choices import TaskRole, TaskStatus
from ictmerge.planning.costs import baseline_of, consolidation_money, shares_of
from ictmerge.planning.decisions import DerivedDecisions, derive_decisions, email_domain_for
from ictmerge.planning.governance import (
    GovernanceError,
    GovernanceResult,
    assess_county,
    catalogue_for,
    choose_governance,
    current_support,
    governance_after,
)
from ictmerge.planning.labels import driver_label, line_text
from ictmerge.planning.models import ActionPlan, GovernanceChoice, RoleCapacity, Task
from ictmerge.planning.payloads import (
    ActionPlanSchedule,
    BudgetDriver,
    BudgetDrivers,
    BudgetPayload,
    ChangeBySource,
    PlanMoney,
    PlanSummary,
    Range,
)
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import County
from ictmerge.reforms.models import Municipality, Reform

Progress = Callable[[float, str], None]

#: System migrations one vendor team carries in the plan period (assumption).
MIGRATIONS_PER_SUPPLIER_TEAM = 5

#: Weeks before the reform date that a new plan starts (assumption; editable per plan).
DEFAULT_LEAD_WEEKS = 26


class PlanningError(ValueError):
    """A county that is not there, or a plan that cannot be made; the message says why."""


# --- counties --------------------------------------------------------------------------


def may_plan(user: Any, county: Municipality) -> bool:
    """Whether the user may change the county's plan."""
    return scoping.may_change_municipality(user, county.pk)


# --- the plan and its capacities --------------------------------------------------------


def default_project_start(reform_date: dt.date) -> dt.date:
    """The Monday DEFAULT_LEAD_WEEKS weeks before the reform date."""
    start = reform_date - dt.timedelta(weeks=DEFAULT_LEAD_WEEKS)
    return start - dt.timedelta(days=start.weekday())


def action_plan_for(county: Municipality, user: Any = None) -> ActionPlan:
    """The county's action plan, created with the default calendar if it has none."""
    plan = ActionPlan.of(county)
    if plan is not None:
        return plan
    with acting_as(user):
        plan = ActionPlan(municipality=county,
                          project_start=default_project_start(county.reform.effective_date),
                          deadline=county.reform.effective_date,
                          email_domain=email_domain_for(county))
        plan.full_clean()
        plan.save()
    return plan


@dataclass(frozen=True)
class Capacity:
    """People of a role available to the plan, and where the number comes from."""

    role: TaskRole
    people: int
    basis: str
    record: RoleCapacity | None = None


def capacities_for(county: Municipality) -> list[Capacity]:
    """Every role's capacity: the county's own figure, else a stated default."""
    own = {r.role: r for r in RoleCapacity.objects.filter(municipality=county)}
    ids = County.of(county).ids
    staff = current_support(ids).support_fte
    formers = len(ids) - 1
    half = max(1, math.floor(staff / 2))
    migrations = Task.objects.filter(municipality=county,
                                     template="provision.system_migration").count()
    teams = max(3, math.ceil(migrations / MIGRATIONS_PER_SUPPLIER_TEAM))
    defaults = {
        TaskRole.ICT_LEAD: (1, "assumption: one ICT lead runs the takeover"),
        TaskRole.SYSADMIN: (half, f"assumption: half of today's {staff:g} ICT FTE, at least 1"),
        TaskRole.NETWORK_ENGINEER: (1, "assumption: one network engineer or contractor"),
        TaskRole.SUPPORT_TECHNICIAN: (half, f"assumption: half of today's {staff:g} ICT FTE, "
                                            f"at least 1"),
        TaskRole.DATA_STEWARD: (max(1, formers), "assumption: one data steward per former "
                                                 "municipality"),
        TaskRole.PROCUREMENT_LEGAL: (1, "assumption: one procurement or legal specialist"),
        TaskRole.SUPPLIER: (teams, f"assumption: one vendor team per "
                                   f"{MIGRATIONS_PER_SUPPLIER_TEAM} of the {migrations} system "
                                   f"migrations (vendors migrate their own customers in "
                                   f"parallel), at least 3"),
        TaskRole.TRAINER: (2, "assumption: two trainers"),
    }
    result = []
    for role, (people, basis) in defaults.items():
        record = own.get(role)
        if record is not None:
            result.append(Capacity(role, record.people,
                                   record.source or _("set by the municipality"), record))
        else:
            result.append(Capacity(role, people, basis))
    return result


# --- tasks --------------------------------------------------------------------------------


def _db_role(role: Role) -> str:
    return TaskRole.WAITING.value if role is Role.NONE else role.value


def _engine_role(role: str) -> Role:
    return Role.NONE if role == TaskRole.WAITING else Role(role)


def _cost_text(uses: Sequence[CostUse]) -> str:
    return "\n".join(f"{u.item} {u.quantity:g}" for u in uses)


def _task_values(planned: PlannedTask) -> dict[str, Any]:
    """The fields of a Task record that generation sets."""
    return {
        "title": planned.title[:300], "phase": planned.phase.value,
        "title_explained": to_json(planned.title_explanation)
        if planned.title_explanation else None,
        "role": _db_role(planned.role), "staff": planned.staff,
        "duration_days": planned.duration_days,
        "depends_on": "\n".join(planned.depends_on),
        "cost_items": _cost_text(planned.cost_uses),
        "deadline_applies": planned.deadline_applies, "origin": planned.origin[:100],
        "template": planned.template, "generated": True,
    }


def planned_from_records(tasks: Sequence[Task]) -> list[PlannedTask]:
    """The engine's view of stored tasks; dependencies on missing tasks are dropped."""
    keys = {t.key for t in tasks}
    return [
        PlannedTask(
            key=t.key, template=t.template, phase=Phase(t.phase), title=t.title,
            role=_engine_role(t.role), staff=t.staff, duration_days=t.duration_days,
            depends_on=tuple(k for k in t.dependency_keys if k in keys),
            cost_uses=tuple(CostUse(item, qty) for item, qty in t.parsed_cost_items()),
            deadline_applies=t.deadline_applies, origin=t.origin,
            title_explanation=from_json(t.title_explained) if t.title_explained else None,
        )
        for t in tasks
    ]


#: Templates whose long tasks are split into parts that different people can do at once.
SPLITTABLE_TEMPLATES = ("provision.training", "provision.device_reenrolment")
#: Longest part of a split task, in working days (assumption).
MAX_PART_DAYS = 10


def split_long_tasks(tasks: Sequence[PlannedTask]) -> list[PlannedTask]:
    """Split long training and re-enrolment tasks into parts of at most MAX_PART_DAYS.

    The engine makes one task of all training sessions; one trainer would then hold it for
    months. Parts with the same dependencies let every trainer (technician) take one.
    """
    parts_of: dict[str, list[str]] = {}
    result: list[PlannedTask] = []
    for task in tasks:
        if task.template not in SPLITTABLE_TEMPLATES or task.duration_days <= MAX_PART_DAYS:
            result.append(task)
            continue
        count = math.ceil(task.duration_days / MAX_PART_DAYS)
        base, extra = divmod(task.duration_days, count)
        keys = []
        for i in range(count):
            days = base + (1 if i < extra else 0)
            share = days / task.duration_days
            key = f"{task.key}:part {i + 1}"
            keys.append(key)
            result.append(dataclasses.replace(
                task, key=key, duration_days=days,
                title=f"{task.title} ({i + 1}/{count})",
                title_explanation=explain(TASK_PART, title=task.title_explanation, part=i + 1,
                                          parts=count) if task.title_explanation else None,
                cost_uses=tuple(CostUse(u.item, round(u.quantity * share, 4))
                                for u in task.cost_uses)))
        parts_of[task.key] = keys
    if not parts_of:
        return result
    return [dataclasses.replace(t, depends_on=tuple(
        k for dep in t.depends_on for k in parts_of.get(dep, [dep]))) for t in result]


@dataclass(frozen=True)
class GenerateResult:
    """What generation did to the stored tasks."""

    created: int
    updated: int
    deleted: int
    kept: int
    basis: dict[str, str]


def generate_action_plan(county: Municipality, user: Any = None) -> GenerateResult:
    """Generate the tasks from the decisions and store them.

    Generated tasks keep their tracking (status, progress, assignee, due date, notes) when
    generated again; generated tasks no longer needed are deleted unless work has started;
    tasks added by hand are never touched.
    """
    plan = action_plan_for(county, user)
    derived = derive_decisions(county, plan.email_domain or None)
    planned = split_long_tasks(generate_tasks(derived.decisions))
    with acting_as(user), transaction.atomic():
        existing = {t.key: t for t in Task.objects.filter(municipality=county)}
        new, changed = [], []
        for item in planned:
            values = _task_values(item)
            record = existing.get(item.key)
            if record is None:
                new.append(Task(municipality=county, key=item.key, **values))
                continue
            if all(getattr(record, k) == v for k, v in values.items()):
                continue
            before = snapshot(record)
            for name, value in values.items():
                setattr(record, name, value)
            changed.append((record, before))
        Task.objects.bulk_create(new, batch_size=500)
        record_bulk(new, ChangeAction.CREATE)
        if changed:
            Task.objects.bulk_update([r for r, _b in changed], list(_task_values(planned[0])),
                                     batch_size=500)
            record_bulk_updates(changed)
        wanted = {p.key for p in planned}
        stale = [t for k, t in existing.items() if t.generated and k not in wanted]
        removable = [t for t in stale if t.status == "todo" and t.percent_done == 0]
        if removable:
            record_bulk(removable, ChangeAction.DELETE)
            Task.objects.filter(pk__in=[t.pk for t in removable]).delete()
    return GenerateResult(len(new), len(changed), len(removable),
                          len(existing) - len(changed) - len(removable), derived.basis)


# --- schedule ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleOutcome:
    """The schedule of a county's plan with its calendar."""

    plan: ActionPlan
    schedule: Schedule
    deadline_days: int
    tasks: int


def schedule_action_plan(county: Municipality, user: Any = None,
                         progress: Progress | None = None,
                         settings: SolverSettings | None = None) -> ScheduleOutcome:
    """Schedule the stored tasks under the role capacities, the reform date as deadline."""
    report = progress or (lambda pct, msg: None)
    plan = action_plan_for(county, user)
    tasks = list(Task.objects.filter(municipality=county).order_by("pk"))
    if not tasks:
        report(5, _("No tasks yet: generating them from the decisions."))
        generate_action_plan(county, user)
        tasks = list(Task.objects.filter(municipality=county).order_by("pk"))
    capacities = {_engine_role(c.role): c.people for c in capacities_for(county)}
    holidays = holidays_between(county.reform.country, plan.project_start, plan.deadline)
    deadline_days = working_days_between(plan.project_start, plan.deadline, holidays)
    problem = to_scheduling_problem(planned_from_records(tasks), capacities, deadline_days)
    report(20, _("Scheduling %(n)d tasks with CP-SAT.") % {"n": len(tasks)})
    try:
        schedule = solve_schedule(problem, settings or SolverSettings(
            objective=Objective.LATENESS, time_limit_s=10.0, deterministic_time_limit=2.0))
    except SchedulingError as error:
        raise PlanningError(str(error)) from error
    report(80, _("Storing start and end dates."))
    dates = calendar_dates(schedule.starts, schedule.ends, plan.project_start, holidays)
    late = {t.task_id: t.lateness for t in schedule.late_tasks}
    critical = set(schedule.critical_path)
    fields = ["start_day", "end_day", "planned_start", "planned_end", "critical", "late_days"]
    with acting_as(user), transaction.atomic():
        changed = []
        for task in tasks:
            values = {"start_day": schedule.starts[task.key], "end_day": schedule.ends[task.key],
                      "planned_start": dates[task.key][0], "planned_end": dates[task.key][1],
                      "critical": task.key in critical, "late_days": late.get(task.key, 0)}
            if all(getattr(task, k) == v for k, v in values.items()):
                continue
            before = snapshot(task)
            for name, value in values.items():
                setattr(task, name, value)
            changed.append((task, before))
        Task.objects.bulk_update([t for t, _b in changed], fields, batch_size=500)
        record_bulk_updates(changed)
        plan.scheduled_at = timezone.now()
        plan.makespan_days = schedule.makespan
        plan.lower_bound_days = schedule.lower_bound
        plan.deadline_days = deadline_days
        plan.proven_optimal = schedule.proven_optimal
        plan.method = schedule.method.value
        plan.solve_seconds = round(schedule.solve_seconds, 3)
        plan.late_tasks = len(schedule.late_tasks)
        plan.max_lateness_days = max(late.values(), default=0)
        plan.save()
    report(90, _("Updating the budget and governance summary."))
    refresh_summary(county, user)
    plan.refresh_from_db()
    return ScheduleOutcome(plan, schedule, deadline_days, len(tasks))


def schedule_json(county: Municipality) -> ActionPlanSchedule:
    """The stored plan and its tasks as JSON (API and CLI)."""
    plan = ActionPlan.of(county)
    tasks = Task.objects.filter(municipality=county).select_related("assignee").order_by(
        "start_day", "pk")
    return {
        "county": {"id": county.pk, "code": county.code, "name": county.name},
        "project_start": plan.project_start.isoformat() if plan else None,
        "deadline": plan.deadline.isoformat() if plan else None,
        "deadline_days": plan.deadline_days if plan else None,
        "scheduled_at": plan.scheduled_at.isoformat() if plan and plan.scheduled_at else None,
        "makespan_days": plan.makespan_days if plan else None,
        "lower_bound_days": plan.lower_bound_days if plan else None,
        "gap": round(plan.gap, 4) if plan and plan.gap is not None else None,
        "proven_optimal": plan.proven_optimal if plan else False,
        "method": plan.method if plan else None,
        "solve_seconds": plan.solve_seconds if plan else None,
        "meets_deadline": (plan.late_tasks == 0) if plan and plan.scheduled_at else None,
        "late_tasks": plan.late_tasks if plan else 0,
        "max_lateness_days": plan.max_lateness_days if plan else 0,
        "critical_path": [t.key for t in tasks if t.critical],
        "tasks": [
            {"id": t.pk, "key": t.key, "title": t.title, "phase": t.phase, "role": t.role,
             "staff": t.staff, "duration_days": t.duration_days,
             "depends_on": t.dependency_keys, "start_day": t.start_day, "end_day": t.end_day,
             "planned_start": t.planned_start.isoformat() if t.planned_start else None,
             "planned_end": t.planned_end.isoformat() if t.planned_end else None,
             "critical": t.critical, "late_days": t.late_days, "status": t.status,
             "percent_done": t.percent_done, "overdue": t.is_overdue,
             "assignee": t.assignee.get_username() if t.assignee else None,
             "origin": t.origin, "generated": t.generated}
            for t in tasks
        ],
    }


# --- budget -----------------------------------------------------------------------------


@dataclass
class BudgetResult:
    """The budget with what it rests on."""

    county: Municipality
    budget: Budget
    decisions: TakeoverDecisions
    basis: dict[str, str]
    from_stored_tasks: bool
    governance: GovernanceResult | None
    support_fte_change: float
    ict_spend_eur: float | None
    total_expenditure_eur: float | None
    notes: list[str] = field(default_factory=list)
    #: The parameters that move the annual change most (±20 % each), largest first.
    tornado: tuple[TornadoBar, ...] = ()


def _spend(county: Municipality, ids: list[int], shares: dict[int, float] | None = None
           ) -> tuple[float | None, float | None]:
    """Predecessors' ICT spend and total expenditure of their latest year, each by its share
    in the county (a split municipality's part)."""
    latest = {r["municipality_id"]: r["year"] for r in IctFinance.objects.filter(
        municipality_id__in=ids).values("municipality_id").annotate(year=Max("year"))}
    spend: Decimal | None = None
    total: Decimal | None = None
    for finance in IctFinance.objects.filter(municipality_id__in=ids):
        if latest.get(finance.municipality_id) != finance.year:
            continue
        share = Decimal(str((shares or {}).get(finance.municipality_id, 1.0)))
        if finance.ict_spend_eur is not None:
            spend = (spend or Decimal(0)) + finance.ict_spend_eur * share
        if finance.total_expenditure_eur is not None:
            total = (total or Decimal(0)) + finance.total_expenditure_eur * share
    if county.total_expenditure_eur is not None:
        total = county.total_expenditure_eur
    return (float(spend) if spend is not None else None,
            float(total) if total is not None else None)


def budget_for(county: Municipality) -> BudgetResult:
    """One-off and annual lines from every decision, priced from the cost catalogue; the
    governance of record against today's model, the consolidation plan's running costs, and
    today's recorded cost lines as the baseline."""
    plan = ActionPlan.of(county)
    derived: DerivedDecisions = derive_decisions(county, plan.email_domain if plan else None)
    stored = list(Task.objects.filter(municipality=county).order_by("pk"))
    tasks = (planned_from_records(stored) if stored
             else split_long_tasks(generate_tasks(derived.decisions)))
    notes = []
    governance: GovernanceResult | None
    try:
        governance = assess_county(county)
        fte_change = round(governance.assessment_after.support_fte
                           - governance.inventory.current_support_fte, 2)
    except GovernanceError as error:
        governance, fte_change = None, 0.0
        notes.append(str(error))
    whole = County.of(county)
    ids = whole.ids
    spend, total = _spend(county, ids, shares_of(whole))
    catalogue = catalogue_for(county)
    baseline = baseline_of(whole)
    support_contracts = baseline.support_contracts_eur if baseline is not None else 0.0
    governance_part = (governance_lines(governance.inventory, governance.recommendation.parameters,
                                        governance.model_after, support_contracts)
                       if governance else [])
    decisions = derived.decisions
    if (governance is not None and support_contracts > 0
            and replaces_support_contracts(governance.assessment_after)):
        # The model's fees replace today's support contracts (a governance line): the ended
        # ones among them are not saved a second time as contracts.
        decisions = dataclasses.replace(decisions, contracts=tuple(
            c for c in decisions.contracts if c.kind != ContractKind.OUTSOURCING))
    budget = build_budget(tasks, decisions, catalogue, governance=governance_part,
                          annual_ict_spend_eur=spend, total_expenditure_eur=total,
                          consolidation=consolidation_money(county), baseline=baseline)
    bars = catalogue_tornado(budget, catalogue)
    if governance is not None:
        bars += governance_tornado(governance.inventory, governance.recommendation.parameters,
                                   governance.model_after, budget.annual_change.expected,
                                   parameter_basis())
    return BudgetResult(county, budget, derived.decisions, derived.basis, bool(stored),
                        governance, fte_change, spend, total, notes, tornado(bars))


def _amount(amount: Any) -> Range:
    return {"low": round(amount.low, 2), "expected": round(amount.expected, 2),
            "high": round(amount.high, 2)}


def _drivers(budget: Budget, shown: tuple[BudgetLine, ...] = ()) -> BudgetDrivers:
    """The five largest drivers of each kind, when the plan needs explaining; labelled in the
    active language from the `shown` lines (else in the engine's English, as stored)."""
    def rows(found: tuple[Driver, ...]) -> list[BudgetDriver]:
        return [{"label": driver_label(d.label, shown), "source": d.source.value,
                 "expected": d.expected, "lines": d.lines, "basis": d.basis} for d in found]
    if not budget.needs_explanation:
        return {"one_off": [], "annual": []}
    return {"one_off": rows(budget.drivers(CostKind.ONE_OFF)),
            "annual": rows(budget.drivers(CostKind.ANNUAL))}


def _by_source(budget: Budget) -> ChangeBySource:
    """The annual change by source, expected values in EUR."""
    values = {source: round(budget.by_source[source].expected, 2) if source in budget.by_source
              else 0.0 for source in ChangeSource}
    return {"governance": values[ChangeSource.GOVERNANCE],
            "consolidation": values[ChangeSource.CONSOLIDATION],
            "licences": values[ChangeSource.LICENCES],
            "contracts": values[ChangeSource.CONTRACTS], "other": values[ChangeSource.OTHER]}


def budget_json(result: BudgetResult) -> BudgetPayload:
    """The budget as JSON (API and CLI)."""
    b = result.budget
    return {
        "county": {"id": result.county.pk, "code": result.county.code,
                   "name": result.county.name},
        "one_off_cost_eur": _amount(b.one_off),
        "annual_cost_change_eur": _amount(b.annual_change),
        "annual_savings_eur": _amount(b.annual_savings),
        "payback_years": b.payback_years,
        "internal_person_days": round(b.internal_person_days, 1),
        "one_off_share_of_ict_spend": (round(b.one_off_share_of_ict_spend, 4)
                                       if b.one_off_share_of_ict_spend is not None else None),
        "one_off_share_of_total_expenditure": (
            round(b.one_off_share_of_total_expenditure, 6)
            if b.one_off_share_of_total_expenditure is not None else None),
        "ict_spend_eur": result.ict_spend_eur,
        "total_expenditure_eur": result.total_expenditure_eur,
        "support_fte_change": result.support_fte_change,
        "governance_after": result.governance.model_after.value if result.governance else None,
        "from_stored_tasks": result.from_stored_tasks,
        "by_category": [
            {"category": cat.value, "kind": kind.value, **_amount(amount)}
            for (cat, kind), amount in sorted(b.by_category.items(),
                                              key=lambda kv: (kv[0][1].value, kv[0][0].value))
        ],
        "lines": [
            {"category": line.category.value, "kind": line.kind.value,
             "description": line_text(line), "item": line.item, "quantity": line.quantity,
             "unit": line.unit, **_amount(line.amount), "basis": line.basis,
             "task": line.task_key}
            for line in b.lines
        ],
        "basis": result.basis,
        "notes": result.notes,
        "annual_change_by_source": _by_source(b),
        "baseline_eur": round(b.baseline_eur, 2) if b.baseline_eur is not None else None,
        "annual_change_share_of_ict_spend": (
            round(b.annual_change_share_of_ict_spend, 4)
            if b.annual_change_share_of_ict_spend is not None else None),
        "cost_lines": [{"line": c.line.value, "baseline_eur": round(c.baseline_eur, 2),
                        "change_eur": c.change_eur, "plan_eur": round(c.plan_eur, 2),
                        "basis": c.basis} for c in b.cost_lines],
        "waterfall": [{"label": w.label, "start_eur": round(w.start_eur, 2),
                       "end_eur": round(w.end_eur, 2), "total": w.total} for w in b.waterfall],
        "needs_explanation": b.needs_explanation,
        "drivers": _drivers(b, b.lines),
        "tornado": [{"parameter": t.parameter, "basis": t.basis,
                     "at_minus_eur": t.at_minus_eur, "at_plus_eur": t.at_plus_eur}
                    for t in result.tornado],
    }


# --- summary for the national view ------------------------------------------------------


def refresh_summary(county: Municipality, user: Any = None) -> PlanSummary:
    """Store the county's budget totals on its plan (read by budget_summaries), and the
    governance of record at the time (a record of the run; figures read assess_counties)."""
    plan = action_plan_for(county, user)
    result = budget_for(county)
    governance = result.governance
    summary: PlanSummary = {
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "governance_after": governance.model_after.value if governance else None,
        "governance_after_chosen": bool(governance and governance.choice),
        "governance_recommended": (governance.recommendation.recommended.value
                                   if governance else None),
        "one_off_cost_eur": _amount(result.budget.one_off),
        "annual_cost_change_eur": _amount(result.budget.annual_change),
        "payback_years": result.budget.payback_years,
        "annual_change_by_source": _by_source(result.budget),
        "baseline_eur": (round(result.budget.baseline_eur, 2)
                         if result.budget.baseline_eur is not None else None),
        "drivers": _drivers(result.budget),
    }
    with acting_as(user):
        plan.summary = summary
        plan.save(update_fields=["summary"])
    return summary


def budget_summaries(counties: Sequence[Municipality]) -> dict[int, AfterFigures]:
    """Per county with a computed plan, the expected one-off cost and change in annual cost
    that its action plan stored when it was last planned (refresh_summary)."""
    figures: dict[int, AfterFigures] = {}
    for county_id, summary in ActionPlan.objects.filter(municipality__in=counties).exclude(
            summary={}).values_list("municipality_id", "summary"):
        figures[county_id] = {
            "one_off_cost_eur": (summary.get("one_off_cost_eur") or {}).get("expected"),
            "annual_cost_change_eur": (summary.get("annual_cost_change_eur") or {}).get(
                "expected")}
        if "one_off_cost_eur" in summary and "annual_cost_change_eur" in summary:
            figures[county_id].update({
                "one_off_range_eur": summary["one_off_cost_eur"],
                "annual_change_range_eur": summary["annual_cost_change_eur"],
                "annual_change_by_source": summary.get("annual_change_by_source") or {},
                "baseline_eur": summary.get("baseline_eur"),
                "drivers": summary.get("drivers") or {}})
    return figures


def budget_of_record(county: Municipality) -> PlanSummary | None:
    """The budget totals the county's plan stored when it was last planned (refresh_summary):
    one-off cost and change in annual cost with their low / expected / high range, and the
    payback; None before the first plan. budget_summaries reads the same expected values."""
    stored = ActionPlan.objects.filter(municipality=county).exclude(summary={}).values_list(
        "summary", flat=True).first()
    if not stored:
        return None
    summary: PlanSummary = stored
    return summary


#: Tasks whose subject (the key after its template) is a server room of the consolidation plan.
ROOM_TEMPLATES = frozenset({"provision.room_upgrade", "provision.room_close",
                            "provision.host_procurement", "provision.host_install"})


def task_predecessors(county: Municipality, tasks: Sequence[Task]) -> dict[int, Municipality]:
    """The former municipality each task is about, by task id (tasks about the whole county are
    left out): a contract, system, moved server or network link named with one predecessor
    ("… (Name)", "… (CODE)"), a
    server room of the consolidation plan by the room's record, a site to renumber by its
    record."""
    from ictmerge.planning.decisions import unique_names

    formers = {p.municipality.pk: p.municipality for p in County.of(county).predecessors}
    rooms: dict[str, Municipality] = {}
    scenario = plan_of_record(county) if any(t.template in ROOM_TEMPLATES for t in tasks) else None
    result = scenario.result if scenario is not None else None
    if isinstance(result, dict) and result.get("rooms"):
        owners = dict(ServerRoom.objects.filter(
            pk__in=[r["pk"] for r in result["rooms"] if r.get("pk")])
            .values_list("pk", "municipality_id"))
        labels = unique_names([str(r.get("name", r.get("id", "?"))) for r in result["rooms"]])
        for room, label in zip(result["rooms"], labels, strict=True):
            owner = formers.get(owners.get(room.get("pk"), 0))
            if owner is not None:
                rooms[label] = owner
    sites = {name: formers[owner] for name, owner in SiteRecord.objects.filter(
        municipality_id__in=list(formers)).values_list("name", "municipality_id")}
    found: dict[int, Municipality] = {}
    for task in tasks:
        subject = task.key.partition(":")[2]
        if not subject:
            continue
        named = [m for m in formers.values()
                 if f"({m.name})" in subject or f"({m.code})" in subject]
        if task.template in ROOM_TEMPLATES and subject in rooms:
            found[task.pk] = rooms[subject]
        elif task.template == "provision.renumber" and subject in sites:
            found[task.pk] = sites[subject]
        elif len(named) == 1:
            found[task.pk] = named[0]
    return found


def set_task_status(county: Municipality, task_ids: Sequence[int], status: str,
                    user: Any) -> int:
    """Set the status of many of the county's tasks at once (each change in the history);
    PlanningError for a status that does not exist or a user who may not plan the county.
    Returns how many tasks changed."""
    if status not in TaskStatus.values:
        raise PlanningError(_("Unknown status: %(status)s") % {"status": status})
    if not may_plan(user, county):
        raise PlanningError(_("You may not change %(county)s.") % {"county": county.name})
    changed = 0
    with acting_as(user), transaction.atomic():
        for task in Task.objects.filter(municipality=county, pk__in=list(task_ids)):
            if task.status == status:
                continue
            task.status = status
            if status == TaskStatus.DONE:
                task.percent_done = 100
            task.save()
            changed += 1
    return changed


def record_choice(county: Municipality, model: str, reason: str, user: Any) -> GovernanceChoice:
    """Record the governance choice and update the national summary."""
    choice = choose_governance(county, model, reason, user)
    refresh_summary(county, user)
    return choice


def plan_county(county: Municipality, user: Any = None, progress: Progress | None = None,
                settings: SolverSettings | None = None) -> ScheduleOutcome:
    """Generate, schedule and sum up one county's plan."""
    report = progress or (lambda pct, msg: None)
    report(2, _("Generating tasks of %(county)s.") % {"county": county.name})
    generate_action_plan(county, user)
    return schedule_action_plan(county, user, progress, settings)


def counties_of(reform: Reform) -> list[Municipality]:
    """The new municipalities of a reform."""
    return list(Municipality.objects.filter(reform=reform, stage=Stage.NEW).select_related(
        "reform").order_by("name"))


def after_figures(reform: Reform, only: Collection[int] | None = None
                  ) -> dict[int, AfterFigures]:
    """The national view's "after" figures (of the counties `only` names): each county's
    governance of record (its latest recorded choice, else the recommended model; assessed
    here in a fixed number of queries and a small calculation per county, no scheduling)
    and its budget of record."""
    counties = [c for c in counties_of(reform) if only is None or c.pk in only]
    figures: dict[int, AfterFigures] = {
        county_id: {"governance_after": model.value, "governance_after_chosen": chosen}
        for county_id, (model, chosen) in governance_after(counties).items()}
    for county_id, budget in budget_summaries(counties).items():
        figures.setdefault(county_id, {}).update(budget)
    return figures


def register_provider() -> None:
    """Add the planning figures to the national report (called once at start-up)."""
    if after_figures not in AFTER_PROVIDERS:
        AFTER_PROVIDERS.append(after_figures)


def overdue_filter() -> Q:
    """Tasks not done whose due date (or scheduled end) has passed."""
    today = timezone.localdate()
    return ~Q(status="done") & (Q(due_date__lt=today) | Q(due_date__isnull=True,
                                                           planned_end__lt=today))



def money_totals(figures: Sequence[AfterFigures]) -> PlanMoney:
    """The counties' plans of record summed: one-off and annual change (low / expected /
    high), today's recorded cost of the counties planned, the change by source and the
    largest drivers over the counties' own (the after figures of budget_summaries)."""
    one_off = {"low": 0.0, "expected": 0.0, "high": 0.0}
    annual = {"low": 0.0, "expected": 0.0, "high": 0.0}
    by_source = dict.fromkeys(("governance", "consolidation", "licences", "contracts",
                               "other"), 0.0)
    drivers: dict[str, dict[str, dict[str, Any]]] = {"one_off": {}, "annual": {}}
    planned = 0
    baseline = 0.0
    for after in figures:
        if "one_off_range_eur" not in after or "annual_change_range_eur" not in after:
            continue
        planned += 1
        for total, found in ((one_off, after["one_off_range_eur"]),
                             (annual, after["annual_change_range_eur"])):
            total["low"] += float(found["low"])
            total["expected"] += float(found["expected"])
            total["high"] += float(found["high"])
        for source, value in (after.get("annual_change_by_source") or {}).items():
            by_source[source] = by_source.get(source, 0.0) + float(value)
        baseline += float(after.get("baseline_eur") or 0.0)
        for kind, rows in (after.get("drivers") or {}).items():
            for row in rows:
                found_row = drivers.setdefault(kind, {}).setdefault(row["label"], {
                    "label": row["label"], "source": row["source"], "expected": 0.0,
                    "lines": 0, "basis": row["basis"]})
                found_row["expected"] += float(row["expected"])
                found_row["lines"] += int(row["lines"])

    def top(kind: str) -> list[BudgetDriver]:
        rows = sorted(drivers[kind].values(), key=lambda d: (-d["expected"], d["label"]))[:5]
        return [{"label": r["label"], "source": r["source"], "expected": round(r["expected"], 2),
                 "lines": r["lines"], "basis": r["basis"]} for r in rows]

    def rounded(values: dict[str, float]) -> Range:
        return {"low": round(values["low"], 2), "expected": round(values["expected"], 2),
                "high": round(values["high"], 2)}

    return {
        "counties_planned": planned,
        "one_off_eur": rounded(one_off),
        "annual_change_eur": rounded(annual),
        "baseline_eur": round(baseline, 2),
        "one_off_share_of_ict_spend": (round(one_off["expected"] / baseline, 4)
                                       if baseline else None),
        "annual_change_share_of_ict_spend": (round(annual["expected"] / baseline, 4)
                                             if baseline else None),
        "annual_change_by_source": {  # type: ignore[typeddict-item]
            k: round(v, 2) for k, v in by_source.items()},
        "drivers": {"one_off": top("one_off"), "annual": top("annual")},
    }
