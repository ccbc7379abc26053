"""The county cockpit: the four answers before → after, the money, phase progress, the next
actions due, the jobs running for the county and what is still missing.

Every figure is read from the function the glossary names for it (`core.glossary`): the
answers and the money from `county_report`, progress from the review checklist, tasks
from the action plan, titles to review from the software review queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ictmerge.core import scoping
from ictmerge.core.jobs import running_jobs
from ictmerge.inventory.choices import GovernanceModel
from ictmerge.planning.choices import TaskStatus
from ictmerge.planning.models import Task
from ictmerge.planning.services import overdue_filter
from ictmerge.reforms.counties import County, county_url
from ictmerge.reports.choices import AnswerState
from ictmerge.reports.payloads import CountyReport
from ictmerge.reports.services import county_report
from ictmerge.review.choices import Phase
from ictmerge.review.services import county_progress
from ictmerge.software.services import review_queue

#: How many open tasks the cockpit lists.
NEXT_ACTIONS = 5


@dataclass(frozen=True)
class Answer:
    """One of the four answers: a figure before and after, its state and its page."""

    question: str | Promise
    before_key: str
    after_key: str
    before: Any
    after: Any
    state: AnswerState
    url: str | None
    #: The figures as the county report's JSON gives them (governance: the model's code).
    before_value: Any = None
    after_value: Any = None


def _url(name: str, county: County, user: Any) -> str | None:
    """A county page's address when the user may open it (a steward sees only the sums)."""
    visible = scoping.visible_ids(user)
    if visible is not None and county.pk not in visible:
        return None
    try:
        return county_url(name, county)
    except NoReverseMatch:
        return None


def _governance(code: str | None) -> str | None:
    return str(GovernanceModel(code).label) if code in GovernanceModel.values else code


def answers(report: CountyReport, county: County, user: Any) -> list[Answer]:
    """The four answers (the third, systems and programs, in two rows) in the audit's order."""
    rows: tuple[tuple[str | Promise, str, str, str], ...] = (
        (_("Servers"), "servers", "servers_state", "consolidation_county"),
        (_("Server rooms"), "server_rooms", "server_rooms_state", "consolidation_county"),
        (_("Information systems"), "information_systems", "information_systems_state",
         "systems_county"),
        (_("Programs"), "software_products", "software_products_state", "software_portfolio"),
    )
    figures: dict[str, Any] = dict(report)
    found = [Answer(question, f"{key}_before", f"{key}_after", figures[f"{key}_before"],
                    figures[f"{key}_after"], AnswerState(figures[state]),
                    _url(page, county, user), figures[f"{key}_before"],
                    figures[f"{key}_after"])
             for question, key, state, page in rows]
    found.append(Answer(_("Governance"), "governance_before", "governance_after",
                        _governance(report["governance_before"]),
                        _governance(report["governance_after"]),
                        AnswerState(report["governance_state"]),
                        _url("planning_governance", county, user),
                        report["governance_before"], report["governance_after"]))
    return found


def next_actions(county: County, limit: int = NEXT_ACTIONS) -> list[Task]:
    """The county's action-plan tasks not done, those due first (a date set by hand, else
    the scheduled end), undated ones last."""
    return list(Task.objects.filter(municipality=county.municipality)
                .exclude(status=TaskStatus.DONE)
                .annotate(due=Coalesce("due_date", "planned_end"))
                .order_by(F("due").asc(nulls_last=True), "start_day", "pk")[:limit])


def missing(report: CountyReport, county: County, user: Any) -> list[dict[str, Any]]:
    """What the county still lacks: answers not planned, titles to review, overdue tasks."""
    items: list[dict[str, Any]] = []
    unplanned = [a for a in answers(report, county, user) if a.state == AnswerState.NOT_PLANNED]
    for answer in unplanned:
        items.append({"text": _("%(question)s: not planned yet") % {
            "question": answer.question}, "url": answer.url})
    visible = scoping.visible_ids(user)
    ids = {i for i in county.ids if visible is None or i in visible}
    titles = len(review_queue(ids)) if ids else 0
    if titles:
        items.append({"text": ngettext("%(count)d software title to review",
                                       "%(count)d software titles to review", titles)
                      % {"count": titles},
                      "url": _review_url(), "figure": "titles_to_review", "count": titles})
    overdue = Task.objects.filter(municipality=county.municipality).filter(
        overdue_filter()).count()
    if overdue:
        items.append({"text": ngettext("%(count)d overdue task", "%(count)d overdue tasks",
                                       overdue) % {"count": overdue},
                      "url": _url("planning_action_plan", county, user), "count": overdue})
    return items


def _review_url() -> str:
    return reverse("software_review")


def phase_progress(county: County) -> list[dict[str, Any]]:
    """Per phase of the takeover, the share of its checklist done (percent, None: no item)."""
    progress = county_progress(county.municipality)
    return [{"phase": value, "label": label,
             "percent": None if progress.phases.get(value) is None
             else round(100 * (progress.phases[value] or 0.0))}
            for value, label in Phase.choices]


def cockpit(county: County, user: Any) -> dict[str, Any]:
    """Everything the cockpit shows, for the user (links only to pages the user may open)."""
    report = county_report(county)
    return {
        "report": report,
        "answers": answers(report, county, user),
        "phases": phase_progress(county),
        "next_actions": next_actions(county),
        "jobs": running_jobs(county.ids, (county.reform.pk, county.reform.code)),
        "missing": missing(report, county, user),
        "links": {name: _url(name, county, user) for name in (
            "county", "planning_budget", "planning_action_plan", "review_county")},
    }
