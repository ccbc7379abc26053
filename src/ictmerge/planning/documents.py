"""The governance, action-plan and budget sections of a county's ICT takeover plan.

Governance is assessed as the governance page does (a few queries and a small model);
the action plan is read from the stored schedule; the budget is priced from the stored
tasks as the budget page does. Nothing here schedules: an unscheduled plan says which
command schedules it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from ictmerge.core.documents import (
    Section,
    SectionTable,
    local_number,
    not_yet_planned,
    section_title,
)
from ictmerge.core.providers import SECTION_PROVIDERS
from ictmerge.inventory.choices import GovernanceModel
from ictmerge.planning.choices import Phase
from ictmerge.planning.governance import GovernanceError, assess_county
from ictmerge.planning.models import ActionPlan, Task
from ictmerge.planning.services import budget_for
from ictmerge.reforms.models import Municipality

#: Critical and late tasks drawn in the PDF's Gantt chart besides the four phase bars.
GANTT_TASKS = 24


def _model(code: Any) -> str:
    value = getattr(code, "value", code)
    return str(GovernanceModel(value).label) if value in GovernanceModel.values else str(value)


def _eur(value: float) -> str:
    return local_number(value)


# --- governance ---------------------------------------------------------------------------


def governance_section(county: Municipality) -> Section:
    """The five models with their calculation, the recommendation and the recorded choice."""
    try:
        result = assess_county(county)
    except GovernanceError as error:
        section = not_yet_planned("governance")
        section.paragraphs.append(str(error))
        return section
    rec = result.recommendation
    inventory = result.inventory
    paragraphs = [
        _("Today: %(fte)s ICT support FTE; the largest predecessor team works "
          "%(model)s. Assessed over %(sites)d sites and %(systems)d information systems.") % {
            "fte": f"{inventory.current_support_fte:g}",
            "model": _model(inventory.current_model) if inventory.current_model else "—",
            "sites": len(inventory.sites), "systems": inventory.information_systems},
        _("Recommended: %(recommended)s (runner-up: %(runner_up)s).") % {
            "recommended": _model(rec.recommended), "runner_up": _model(rec.runner_up)},
        *rec.reasons,
    ]
    if result.choice is not None:
        paragraphs.append(_("Chosen: %(model)s on %(date)s (recommended at the time: "
                            "%(recommended)s). Reason: %(reason)s") % {
            "model": _model(result.choice.model),
            "date": result.choice.chosen_at.strftime("%Y-%m-%d"),
            "recommended": _model(result.choice.recommended) if result.choice.recommended
            else "—",
            "reason": result.choice.reason or "—"})
    else:
        paragraphs.append(_("No choice recorded yet: the plan assumes the recommended model "
                            "until the county records the council's choice on its governance "
                            "page."))
    after = result.model_after
    rows = []
    for a in rec.alternatives:
        marks = [str(_("recommended")) if a.model == rec.recommended else "",
                 str(_("chosen")) if result.choice and a.model.value == result.choice.model
                 else ""]
        rows.append([_model(a.model), " ".join(m for m in marks if m) or "",
                     round(a.support_fte, 2), round(a.annual_cost_eur), round(a.one_off_cost_eur),
                     round(a.travel_km_per_year), round(a.mean_response_hours, 1),
                     round(a.worst_response_hours, 1), a.users_beyond_target,
                     a.response_risk.value, len(a.single_points_of_failure),
                     round(a.comparison_cost_eur)])
    alternatives = SectionTable(
        title=_("Governance alternatives"),
        headers=[_("Model"), _("Outcome"), _("Support FTE"), _("Annual cost (EUR)"),
                 _("One-off (EUR)"), _("Travel km a year"), _("Mean response (h)"),
                 _("Worst response (h)"), _("Users beyond target"), _("Response risk"),
                 _("Single points of failure"), _("Comparison cost (EUR a year)")],
        rows=rows)
    calculation = SectionTable(
        title=_("Governance calculation"),
        headers=[_("Model"), _("Step")],
        rows=[[_model(a.model), line] for a in rec.alternatives
              if a.model in (after, rec.recommended, rec.runner_up) for line in a.calculation],
        limit=30)
    return Section(key="governance", title=section_title("governance"), paragraphs=paragraphs,
                   tables=[alternatives, calculation])


# --- action plan ----------------------------------------------------------------------------


def _phase_bars(tasks: list[Task]) -> list[dict[str, Any]]:
    bars = []
    for value, label in Phase.choices:
        dated = [t for t in tasks if t.phase == value and t.planned_start and t.planned_end]
        if dated:
            bars.append({"name": f"{label} ({len(dated)})",
                         "start": min(d for t in dated if (d := t.planned_start)),
                         "end": max(d for t in dated if (d := t.planned_end)),
                         "late": any(t.late_days for t in dated)})
    return bars


def gantt_tasks(tasks: list[Task]) -> list[dict[str, Any]]:
    """The phases, then the late and the critical tasks (at most GANTT_TASKS), by start."""
    chosen = [t for t in tasks if t.late_days and t.planned_start]
    chosen += [t for t in tasks if t.critical and not t.late_days and t.planned_start]
    chosen = sorted(chosen[:GANTT_TASKS], key=lambda t: (t.planned_start, t.pk))
    return _phase_bars(tasks) + [
        {"name": t.display_title, "start": t.planned_start, "end": t.planned_end,
         "late": bool(t.late_days)} for t in chosen]


def milestone_rows(tasks: list[Task], deadline: dt.date) -> list[list[Any]]:
    """Per phase: when it starts and ends, and whether it ends before the reform date."""
    rows = []
    for value, label in Phase.choices:
        dated = [t for t in tasks if t.phase == value and t.planned_end]
        if not dated:
            continue
        end = max(d for t in dated if (d := t.planned_end))
        due = [t for t in dated if t.deadline_applies]
        rows.append([str(label), min(t.planned_start for t in dated if t.planned_start), end,
                     len(dated), sum(1 for t in dated if t.late_days),
                     (_("yes") if end <= deadline else _("no")) if due
                     else _("after the reform date by design")])
    return rows


def action_plan_section(county: Municipality) -> Section:
    """The stored schedule: figures, Gantt, milestones, critical path and late tasks."""
    plan = ActionPlan.of(county)
    if plan is None or plan.scheduled_at is None:
        return not_yet_planned("action_plan")
    tasks = list(Task.objects.filter(municipality=county).order_by("planned_start", "pk"))
    gap = plan.gap
    verdict = (_("the plan meets the reform date") if not plan.late_tasks else
               _("%(late)d tasks end after the reform date, the worst by %(days)d working "
                 "days: add people or start earlier") % {"late": plan.late_tasks,
                                                         "days": plan.max_lateness_days})
    paragraphs = [
        _("%(tasks)d tasks from %(start)s to the reform date %(deadline)s (%(days)s working "
          "days), scheduled %(when)s under the staff capacity of each role.") % {
            "tasks": len(tasks), "start": plan.project_start.isoformat(),
            "deadline": plan.deadline.isoformat(), "days": plan.deadline_days,
            "when": plan.scheduled_at.strftime("%Y-%m-%d")},
        _("Makespan %(makespan)s working days; no schedule can be shorter than %(bound)s "
          "(%(quality)s). Verdict: %(verdict)s.") % {
            "makespan": plan.makespan_days, "bound": plan.lower_bound_days,
            "quality": _("proven optimal") if plan.proven_optimal
            else _("gap %(gap)s") % {"gap": f"{local_number(100 * (gap or 0), 1)} %"},
            "verdict": verdict},
        _("The chart shows the four phases and the critical or late tasks (red: late); the "
          "XLSX holds every task."),
    ]
    headers = [_("Task"), _("Phase"), _("Role"), _("Days"), _("Start"), _("End"),
               _("Critical"), _("Late by (working days)"), _("Status")]

    def row(t: Task) -> list[Any]:
        return [t.display_title, str(t.get_phase_display()), str(t.get_role_display()),
                t.duration_days, t.planned_start, t.planned_end,
                _("yes") if t.critical else "", t.late_days or "", str(t.get_status_display())]

    key_tasks = [t for t in tasks if t.late_days] + [t for t in tasks
                                                     if t.critical and not t.late_days]
    return Section(
        key="action_plan", title=section_title("action_plan"), paragraphs=paragraphs,
        gantt=gantt_tasks(tasks), gantt_marker=county.reform.effective_date,
        tables=[
            SectionTable(title=_("Milestones before the reform date"),
                         headers=[_("Phase"), _("Starts"), _("Ends"), _("Tasks"),
                                  _("Late tasks"), _("Ends before the reform date")],
                         rows=milestone_rows(tasks, plan.deadline)),
            SectionTable(title=_("Late and critical tasks"), headers=headers,
                         rows=[row(t) for t in key_tasks]),
            SectionTable(title=_("All tasks"), headers=headers, rows=[row(t) for t in tasks],
                         limit=10),
        ])


# --- budget --------------------------------------------------------------------------------


def budget_section(county: Municipality) -> Section:
    """Low / expected / high one-off and annual figures by category, from the stored tasks."""
    if not Task.objects.filter(municipality=county).exists():
        return not_yet_planned("budget")
    result = budget_for(county)
    b = result.budget
    paragraphs = [
        _("One-off cost: %(low)s / %(expected)s / %(high)s EUR (low / expected / high).") % {
            "low": _eur(b.one_off.low), "expected": _eur(b.one_off.expected),
            "high": _eur(b.one_off.high)},
        _("Change in annual cost: %(low)s / %(expected)s / %(high)s EUR (low / expected / "
          "high); annual savings %(savings)s EUR expected.") % {
            "low": _eur(b.annual_change.low), "expected": _eur(b.annual_change.expected),
            "high": _eur(b.annual_change.high), "savings": _eur(b.annual_savings.expected)},
        _("Payback: %(payback)s; internal work %(days)s person-days.") % {
            "payback": (_("%(years)s years") % {"years": local_number(b.payback_years, 1)}
                        if b.payback_years is not None else _("never")),
            "days": local_number(b.internal_person_days)},
        *result.notes,
    ]
    if b.one_off_share_of_ict_spend is not None:
        paragraphs.append(_("The one-off cost is %(share)s of the predecessors' annual ICT "
                            "spend.") % {"share": f"{local_number(100 * b.one_off_share_of_ict_spend, 1)} %"})
    by_category = SectionTable(
        title=_("Budget by category"),
        headers=[_("Category"), _("Kind"), _("Low (EUR)"), _("Expected (EUR)"),
                 _("High (EUR)")],
        rows=[[cat.value, _("one-off") if kind.value == "one_off" else _("annual"),
               round(amount.low), round(amount.expected), round(amount.high)]
              for (cat, kind), amount in sorted(b.by_category.items(),
                                                key=lambda kv: (kv[0][1].value,
                                                                kv[0][0].value))])
    lines = SectionTable(
        title=_("Budget lines"),
        headers=[_("Line"), _("Category"), _("Kind"), _("Quantity"), _("Unit"),
                 _("Low (EUR)"), _("Expected (EUR)"), _("High (EUR)"), _("Basis")],
        rows=[[line.description, line.category.value,
               _("one-off") if line.kind.value == "one_off" else _("annual"),
               round(line.quantity, 2), line.unit, round(line.amount.low),
               round(line.amount.expected), round(line.amount.high), line.basis]
              for line in sorted(b.lines, key=lambda x: -x.amount.expected)],
        limit=10)
    return Section(key="budget", title=section_title("budget"), paragraphs=paragraphs,
                   tables=[by_category, lines])


def planning_sections(county: Municipality) -> list[Section]:
    """Governance, action plan and budget of the county."""
    return [governance_section(county), action_plan_section(county), budget_section(county)]


def register_sections() -> None:
    """Add the planning sections to the county document (called once at start-up)."""
    if planning_sections not in SECTION_PROVIDERS:
        SECTION_PROVIDERS.append(planning_sections)
