"""The council's takeover plan carries each app's decisions: servers, systems, governance,
action plan and budget, with reasoning and alternatives, in the PDF and the XLSX."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from ictmerge.core.documents import PENDING_HINTS
from ictmerge.planning.models import Task
from ictmerge.reports.documents import county_document, county_document_context
from ictmerge.reports.tests.test_documents import pdf_text

#: A command of the command line (`ictmerge` and a subcommand), as a council must never read.
COMMAND = re.compile(r"\bictmerge\s+[a-z][a-z-]*")

OVERRIDE_REASON = "Ozols staff already trained on the merged ledger"
#: A reform change typed by a user that a spreadsheet would run as a formula.
FORMULA_OWNER = '=HYPERLINK("http://example.com","owner")'
GOVERNANCE_REASON = "Council prefers one central team"


@dataclass
class Planned:
    """New North with every plan stored, and the figures the documents must show."""

    county: Any
    kept: str
    alternative: str
    gantt_task: str
    budget_expected: str
    tasks: int


def _plan_everything(world: Any) -> Planned:
    from ictmerge.consolidation import services as consolidation
    from ictmerge.consolidation.models import Scenario
    from ictmerge.consolidation.tests.conftest import build_county
    from ictmerge.planning import services as planning
    from ictmerge.planning.models import Task
    from ictmerge.planning.tests.conftest import FAST, build_inventory
    from ictmerge.systems import services as systems
    from ictmerge.systems.checklist import generate_checklist

    build_county(world)
    build_inventory(world)
    north, lead = world.north, world.users["lead"]
    consolidation.run(consolidation.scenario_to_run(north, time_limit_s=0.5))
    alternative = Scenario(municipality=north, name="No spare host", failover_hosts=0,
                           time_limit_s=Decimal("0.5"))
    alternative.full_clean()
    alternative.save()
    consolidation.run(alternative)
    finance = next(f for f in systems.plan_county(north).functions
                   if f.function.code == "finance")
    other = next(k for k in finance.decision.candidate_ids
                 if k != finance.decision.recommended_system_id)
    result = systems.plan_county(north)
    kept, recommended = result.label(other), result.label(finance.decision.recommended_system_id)
    systems.record_decision(north, "finance", lead, system=other, justification=OVERRIDE_REASON)
    generate_checklist(north, lead)
    from ictmerge.systems.models import ChangeTask

    ChangeTask.objects.filter(municipality=north).update(owner=FORMULA_OWNER)
    planning.record_choice(north, "centralised", GOVERNANCE_REASON, lead)
    planning.plan_county(north, lead, settings=FAST)
    critical = Task.objects.filter(municipality=north, critical=True).order_by(
        "planned_start", "pk").first()
    assert critical is not None
    expected = planning.budget_for(north).budget.one_off.expected
    return Planned(north, kept, recommended, critical.title, f"{expected:,.0f}",
                   Task.objects.filter(municipality=north).count())



def _number(value: object) -> float:
    """A cell's number (a sheet's cell may hold any value)."""
    assert isinstance(value, int | float), value
    return float(value)

@pytest.fixture
def planned(world: Any) -> Planned:
    return _plan_everything(world)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "lv"])
def test_it_prints_each_decision_with_its_alternatives_gantt_and_budget(planned: Planned,
                                                                       lang: str) -> None:
    text = pdf_text(county_document(planned.county, "pdf", lang))
    assert planned.kept in text and OVERRIDE_REASON in text  # the decision and its override
    assert planned.alternative in text  # the recommended system, now the alternative
    assert "No spare host" in text and "Default" in text  # the scenarios considered
    assert GOVERNANCE_REASON in text
    with translation.override(lang):  # a generated title is shown in the reader's language
        task = Task.objects.filter(municipality=planned.county, title=planned.gantt_task).first()
        assert task is not None
        assert task.display_title[:30] in text
    grouped = planned.budget_expected.replace(",", "\xa0" if lang == "lv" else ",")
    assert grouped in text or grouped.replace("\xa0", " ") in text  # "104 252" in Latvian
    with translation.override(lang):
        assert gettext("Budget by category") in text
        assert gettext("not yet planned") not in text.split(gettext("Decisions"))[1].split(
            gettext("Risks read from the records"))[0]


@pytest.mark.django_db
def test_the_gantt_draws_the_phases_and_the_critical_tasks(planned: Planned) -> None:
    with translation.override("en"):
        context = county_document_context(planned.county)
    section = next(s for s in context["sections"] if s.key == "action_plan")
    names = [bar["name"] for bar in section.chart["bars"]]
    assert names[0].startswith("Discovery") and planned.gantt_task in names
    assert all(bar["start"] <= bar["end"] for bar in section.chart["bars"])
    governance = next(s for s in context["sections"] if s.key == "governance")
    outcome = {row[0]: row[1] for row in governance.tables[0].rows}
    assert "chosen" in outcome["Centralised"]
    indicator = next(i for i in context["indicators"] if i["key"] == "governance")
    assert indicator["after"] == "Centralised (chosen)"


@pytest.mark.django_db
def test_the_workbook_holds_every_section_table(planned: Planned) -> None:
    from ictmerge.planning.models import Task

    workbook = load_workbook(io.BytesIO(county_document(planned.county, "xlsx", "en")))
    for sheet in ("Scenarios considered", "System per function", "Governance alternatives",
                  "Milestones before the reform da", "All tasks", "Budget by category"):
        assert sheet in workbook.sheetnames, sheet
    scenarios = [row[0] for row in workbook["Scenarios considered"].iter_rows(
        min_row=2, values_only=True)]
    assert sorted(str(s) for s in scenarios) == ["Default", "No spare host"]
    assert workbook["All tasks"].max_row - 1 == planned.tasks == Task.objects.filter(
        municipality=planned.county).count()
    systems = {row[0]: row for row in workbook["System per function"].iter_rows(
        min_row=2, values_only=True)}
    assert systems["Finance"][1] == planned.kept and OVERRIDE_REASON in str(systems["Finance"][8])
    owners = {row[2] for row in workbook["Reform changes to make"].iter_rows(
        min_row=2, values_only=True)}
    assert owners == {"'" + FORMULA_OWNER}  # kept as text, never a formula
    one_off = sum(_number(row[3]) for row in workbook["Budget by category"].iter_rows(
        min_row=2, values_only=True) if row[1] == "one-off")
    assert f"{one_off:,.0f}" == planned.budget_expected or abs(
        one_off - float(planned.budget_expected.replace(",", ""))) <= 8  # rounded per row


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "lv"])
def test_a_county_without_plans_says_not_yet_planned_and_how(world: Any, lang: str) -> None:
    from ictmerge.consolidation import services as consolidation

    south = world.south
    with pytest.raises(consolidation.ConsolidationError):  # no server, no room: stored failed
        consolidation.run(consolidation.scenario_to_run(south))
    text = pdf_text(county_document(south, "pdf", lang))
    with translation.override(lang):
        assert gettext("The last run failed: %(error)s").split("%")[0] in text
    with translation.override(lang):
        pending = gettext("not yet planned: %(hint)s") % {"hint": PENDING_HINTS["servers"]}
        schedule = str(PENDING_HINTS["action_plan"])
    assert " ".join(pending.split()) in " ".join(text.split())
    assert " ".join(schedule.split()) in " ".join(text.split())
    assert COMMAND.findall(text) == []  # a council reads no command
    workbook = load_workbook(io.BytesIO(county_document(south, "xlsx", lang)))
    cells = [c for ws in workbook for row in ws.iter_rows(values_only=True) for c in row]
    assert pending in cells


@pytest.mark.django_db
def test_the_national_governance_after_is_recommended_until_chosen(world: Any) -> None:
    """GIVEN New North with an inventory and no action plan WHEN the national figures are
    read THEN its governance "after" is the recommended model, marked so; after the choice
    it is the chosen one."""
    from ictmerge.planning import services as planning
    from ictmerge.planning.governance import assess_county, choose_governance
    from ictmerge.planning.tests.conftest import build_inventory
    from ictmerge.reports.documents import national_context

    build_inventory(world)
    north = world.north
    figures = planning.after_figures(world.reform)
    recommended = assess_county(north).recommendation.recommended.value
    assert figures[north.pk]["governance_after"] == recommended
    assert figures[north.pk]["governance_after_chosen"] is False
    with translation.override("en"):
        row = next(q for q in national_context(world.reform)["questions"]
                   if q["code"] == north.code)
    assert row["after"]["governance"].endswith("(recommended)")
    other = next(m for m in ("centralised", "outsourced") if m != recommended)
    choose_governance(north, other, "the council decided", world.users["lead"])
    figures = planning.after_figures(world.reform)
    assert figures[north.pk] == {**figures[north.pk], "governance_after": other,
                                 "governance_after_chosen": True}
