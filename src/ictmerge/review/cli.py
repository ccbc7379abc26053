"""Review commands: phase progress, checklist items, takeover acts, self-assessments."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from ictmerge.core.commands import actor, console, fail
from ictmerge.reforms.commands import county_from
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.reforms.services import default_reform

review_app = typer.Typer(help="The four phases tracked, takeover acts, self-assessments.",
                         no_args_is_help=True)
act_app = typer.Typer(help="Takeover acts of former municipalities.", no_args_is_help=True)
assess_app = typer.Typer(help="Self-assessments.", no_args_is_help=True)
review_app.add_typer(act_app, name="act")
review_app.add_typer(assess_app, name="assess")

ReformOption = Annotated[str | None, typer.Option(help="Reform code (default: latest).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _reform(code: str | None) -> Any:
    reform = Reform.objects.filter(code=code).first() if code else default_reform()
    if reform is None:
        fail(f"no reform '{code}' is loaded" if code else "no reform is loaded")
    return reform


def _municipality(reform: Any, code: str, stage: str | None = None) -> Any:
    candidates = Municipality.objects.filter(reform=reform, code=code)
    if stage:
        candidates = candidates.filter(stage=stage)
    found = list(candidates[:2])
    if len(found) != 1:
        fail(f"no single {stage or ''} municipality with code '{code}' in {reform.code}".replace(
            "  ", " "))
    return found[0]


@review_app.command("progress")
def progress(code: Annotated[str | None, typer.Argument(help="New municipality code.")] = None,
             reform: ReformOption = None, as_json: JsonOption = False) -> None:
    """Phase progress of every new municipality, or the checklist of one."""
    from rich.table import Table

    from ictmerge.review.services import county_progress, national_progress

    if code:
        county = county_progress(county_from(code, reform, "CODE").municipality)
        if as_json:
            typer.echo(json.dumps(county.as_json(), ensure_ascii=False, indent=2))
            return
        table = Table("phase", "item", "%", "status", "how it is known", title=county.name)
        for item in county.items:
            table.add_row(item.phase, item.label,
                          "—" if item.fraction is None else f"{100 * item.fraction:.1f}",
                          item.status, item.basis)
        console.print(table)
        return
    chosen = _reform(reform)
    data = national_progress(chosen)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table("code", "new municipality", "discovery", "planning", "provision", "review",
                  "overall", "lagging", title=chosen.name)
    for row in data["counties"]:
        table.add_row(row["code"], row["name"],
                      *[f"{row['phases'][p] or 0:.1f}" for p in
                        ("discovery", "planning", "provision", "review")],
                      f"{row['overall_percent'] or 0:.1f}", "yes" if row["laggard"] else "")
    console.print(table)


@review_app.command("set")
def set_item(code: Annotated[str, typer.Argument(help="Municipality code.")],
             item: Annotated[str, typer.Argument(help="Checklist item, e.g. governance_decided.")],
             status: Annotated[str, typer.Argument(help="not_started, in_progress, done, "
                                                        "not_applicable.")],
             evidence: Annotated[str, typer.Option(help="What proves it.")] = "",
             note: Annotated[str, typer.Option(help="A note.")] = "",
             reform: ReformOption = None) -> None:
    """Set a checklist item by hand, with its evidence."""
    from ictmerge.review.services import ReviewError, set_entry

    municipality = _municipality(_reform(reform), code)
    try:
        entry = set_entry(actor(), municipality, item, status, evidence, note)
    except ReviewError as error:
        fail(str(error))
        return
    console.print(f"{entry}: {entry.get_status_display()}")


@act_app.command("show")
def act_show(code: Annotated[str, typer.Argument(help="Former municipality code.")],
             reform: ReformOption = None, as_json: JsonOption = False) -> None:
    """A takeover act: resources handed over and what is missing."""
    from ictmerge.review.models import TakeoverAct
    from ictmerge.review.takeover import act_contents

    former = _municipality(_reform(reform), code, "former")
    act = TakeoverAct.objects.filter(former=former).first() or TakeoverAct(former=former)
    contents = act_contents(act)
    data = {"former": former.code, "status": act.status, "approvals": act.approvals,
            "handed_over_by": act.handed_over_by,
            "approved_at": act.approved_at.isoformat() if act.approved_at else None,
            "resources": {str(r["label"]): r["count"] for r in contents["resources"]},
            "missing": contents["missing"], "data": contents["data"],
            "documents": contents["documents"], "review_list": act.review_list}
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{former.name}[/] · {act.get_status_display()}")
    for name, count in data["resources"].items():
        console.print(f"  {name}: {count:,}")
    for problem in contents["missing"]:
        console.print(f"  [yellow]missing[/] {problem['problem']}: {problem['count']:,}")


@act_app.command("approve")
def act_approve(code: Annotated[str, typer.Argument(help="Former municipality code.")],
                reform: ReformOption = None) -> None:
    """Approve a takeover act as the county lead (--as); the records pass once all approved."""
    from ictmerge.review.services import ReviewError
    from ictmerge.review.takeover import approve, ensure_act

    former = _municipality(_reform(reform), code, "former")
    try:
        act = approve(actor(), ensure_act(former))
    except ReviewError as error:
        fail(str(error))
        return
    console.print(f"{act}: {act.get_status_display()}")
    if act.review_list:
        console.print(f"{len(act.review_list)} record(s) to divide by hand.")


@act_app.command("handover-due")
def act_handover_due(
    date: Annotated[str | None, typer.Option(
        help="The day to hand over for, YYYY-MM-DD (default: today).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List what would pass; change nothing.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Hand over the records of every former municipality whose reform date has come.

    Approved or not (the law passes them on that date); the acts stay to be approved for
    their contents. Running it again does nothing more.
    """
    import datetime as dt

    from django.utils import timezone

    from ictmerge.review.takeover import due_json, handover_due

    user = actor()
    if not user.is_superuser:
        fail("only an administrator hands records over on the reform date")
    try:
        day = dt.date.fromisoformat(date) if date else timezone.localdate()
    except ValueError:
        fail(f"--date: '{date}' is not a date (YYYY-MM-DD)")
        return
    entries = handover_due(day, dry_run=dry_run, user=user)
    if as_json:
        typer.echo(json.dumps({"date": day.isoformat(), "dry_run": dry_run,
                               "handovers": due_json(entries)}, ensure_ascii=False, indent=2))
        return
    if not entries:
        console.print(f"Nothing to hand over on {day.isoformat()}.")
        return
    verb = "would pass" if dry_run else "passed"
    for entry in entries:
        console.print(f"{entry.reform} {entry.former} {entry.name}: "
                      f"{sum(entry.moved.values()):,} record(s) {verb} to "
                      f"{', '.join(entry.successors)}"
                      + (f"; {entry.to_review} to divide by hand" if entry.to_review else ""))
    console.print(f"{len(entries)} former municipality(ies) "
                  + ("due." if dry_run else "handed over; their acts await approval."))


@assess_app.command("start")
def assess_start(code: Annotated[str, typer.Argument(help="Municipality code.")],
                 reform: ReformOption = None) -> None:
    """Start a new self-assessment (answered as the last submitted one)."""
    from ictmerge.review.assessment import start_assessment
    from ictmerge.review.services import ReviewError

    try:
        assessment = start_assessment(actor(), _municipality(_reform(reform), code))
    except ReviewError as error:
        fail(str(error))
        return
    console.print(f"Self-assessment {assessment.pk} started.")
    typer.echo(assessment.pk)


@assess_app.command("answer")
def assess_answer(assessment_id: Annotated[int, typer.Argument(help="Self-assessment id.")],
                  answers: Annotated[list[str], typer.Argument(
                      help="QUESTION=LEVEL pairs, e.g. gov_owner=3.")],
                  evidence: Annotated[str, typer.Option(help="Evidence for these answers.")] = "",
                  submit: Annotated[bool, typer.Option(help="Submit afterwards.")] = False
                  ) -> None:
    """Answer questions with maturity levels (0-4); --submit freezes the assessment."""
    from ictmerge.review.assessment import save_answers, submit_assessment
    from ictmerge.review.models import SelfAssessment
    from ictmerge.review.services import ReviewError

    assessment = SelfAssessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        fail(f"no self-assessment {assessment_id}")
        return
    parsed = {}
    for pair in answers:
        question, _, level = pair.partition("=")
        parsed[question] = (level, evidence)
    try:
        problems = save_answers(actor(), assessment, parsed)
        if problems:
            fail("; ".join(problems))
        if submit:
            submit_assessment(actor(), assessment)
    except ReviewError as error:
        fail(str(error))
        return
    console.print(f"Saved {len(parsed)} answer(s)" + (" and submitted." if submit else "."))


@assess_app.command("show")
def assess_show(assessment_id: Annotated[int, typer.Argument(help="Self-assessment id.")],
                as_json: JsonOption = False) -> None:
    """Scores per area beside the national median and best quartile."""
    from rich.table import Table

    from ictmerge.review.assessment import assessment_json
    from ictmerge.review.models import SelfAssessment

    assessment = SelfAssessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        fail(f"no self-assessment {assessment_id}")
        return
    data = assessment_json(assessment)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table("area", "score", "national median", "best quartile from",
                  title=f"{assessment} ({assessment.get_status_display()})")
    for row in data["areas"]:
        table.add_row(row["label"], *[str(row[k]) if row[k] is not None else "—"
                                      for k in ("score", "national_median", "best_quartile")])
    console.print(table)


#: `ictmerge takeover …` is the same group as `ictmerge review act …`.
COMMANDS = {"review": review_app, "takeover": act_app}
