"""Planning commands.

`ictmerge governance --county CODE`, `ictmerge actions schedule --county CODE` and
`ictmerge budget --county CODE`, as the issue names them (the `plan` group belongs to the
server consolidation), plus `ictmerge actions generate` and `ictmerge actions plan-all`.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

import typer

from ictmerge.core.commands import actor, console, fail, require_every_county
from ictmerge.engine.planning.scheduling import Objective, SolverSettings
from ictmerge.engine.planning.staff import (
    UserListError,
    accounts_csv,
    accounts_ldif,
    read_user_list,
)
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Device
from ictmerge.reforms.commands import CountyOption, ReformOption, county_from
from ictmerge.reforms.counties import County
from ictmerge.reforms.models import Reform
from ictmerge.reforms.services import default_reform


class Format(StrEnum):
    """Output formats."""

    table = "table"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="table or json.")]


def _county(code: str, reform: str | None) -> Any:
    return county_from(code, reform).municipality


def _demo_banner(county: Any) -> None:
    if held_before(Device, County.of(county).ids).filter(is_demo=True).exists():
        console.print("[yellow]DEMO: generated demo data, not real municipal figures.[/]")


def governance(
    county: CountyOption,
    reform: ReformOption = None,
    format: FormatOption = Format.table,
    set_values: Annotated[list[str] | None, typer.Option(
        "--set", help="NAME=VALUE: store the county's value of a parameter (repeatable).")] = None,
    source: Annotated[str, typer.Option(help="Source or assumption of the --set values.")] = "",
    reset: Annotated[list[str] | None, typer.Option(
        "--reset", help="NAME: go back to the default value (repeatable).")] = None,
    choose: Annotated[str | None, typer.Option(
        "--choose", help="Record the county's choice of model.")] = None,
    reason: Annotated[str, typer.Option(help="Why the model is chosen.")] = "",
) -> None:
    """Governance alternatives of a new municipality: calculation, recommendation, choice."""
    from ictmerge.planning import services
    from ictmerge.planning.governance import (
        GovernanceError,
        assess_county,
        governance_json,
        reset_parameter,
        set_parameter,
    )

    target = _county(county, reform)
    try:
        for item in set_values or []:
            name, _sep, raw = item.partition("=")
            try:
                value = Decimal(raw.strip())
            except InvalidOperation:
                fail(f"--set {item}: the value must be a number")
                return
            set_parameter(target, name.strip(), value, source, actor())
        for name in reset or []:
            reset_parameter(target, name.strip(), actor())
        if choose:
            services.record_choice(target, choose, reason, actor())
        data = governance_json(assess_county(target))
    except GovernanceError as error:
        fail(str(error))
        return
    if format == Format.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    _demo_banner(target)
    table = Table("model", "support FTE", "annual EUR", "one-off EUR", "response risk",
                  "users > target", "SPOF", "comparison EUR/yr", "annual ICT cost EUR",
                  title=f"{target.name}: governance alternatives")

    def number(value: float | None) -> str:
        return "—" if value is None else f"{value:,.0f}"

    # Today's model first (it has no comparison cost), then the models by comparison cost.
    for a in sorted(data["alternatives"], key=lambda a: (
            a["comparison_cost_eur"] is not None, a["comparison_cost_eur"] or 0.0)):
        mark = " ★" if a["model"] == data["recommended"] else ""
        table.add_row(a["model"] + mark, f"{a['support_fte']:.1f}",
                      f"{a['annual_cost_eur']:,.0f}", f"{a['one_off_cost_eur']:,.0f}",
                      a["response_risk"] or "—",
                      "—" if a["users_beyond_target"] is None else str(a["users_beyond_target"]),
                      str(len(a["single_points_of_failure"])), number(a["comparison_cost_eur"]),
                      number(a["annual_total_eur"]))
    console.print(table)
    console.print(f"recommended: [bold]{data['recommended']}[/], runner-up: {data['runner_up']}")
    for line in data["reasons"]:
        console.print(f"  · {line}", highlight=False)
    console.print(f"chosen: {data['chosen'] or '— (not yet chosen)'}")


actions_app = typer.Typer(help="The action plan: generate tasks, schedule them to the reform "
                               "date.", no_args_is_help=True)


@actions_app.command("generate")
def actions_generate(county: CountyOption, reform: ReformOption = None) -> None:
    """Generate the tasks of the action plan from the decisions."""
    from ictmerge.planning.services import generate_action_plan

    target = _county(county, reform)
    result = generate_action_plan(target, actor())
    console.print(f"{target.name}: {result.created} created, {result.updated} updated, "
                  f"{result.deleted} deleted, {result.kept} kept")


@actions_app.command("schedule")
def actions_schedule(
    county: CountyOption,
    reform: ReformOption = None,
    format: FormatOption = Format.table,
    generate: Annotated[bool, typer.Option(help="Generate the tasks again first.")] = False,
    time_limit: Annotated[float, typer.Option(help="Solver wall-clock limit (s).")] = 10.0,
) -> None:
    """Schedule the action plan to the reform date under the role capacities."""
    from ictmerge.planning import services

    target = _county(county, reform)
    settings = SolverSettings(objective=Objective.LATENESS, time_limit_s=time_limit,
                              deterministic_time_limit=max(0.5, time_limit / 5))
    try:
        if generate:
            services.generate_action_plan(target, actor())
        services.schedule_action_plan(target, actor(), settings=settings)
    except services.PlanningError as error:
        fail(str(error))
        return
    data = services.schedule_json(target)
    if format == Format.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    _demo_banner(target)
    table = Table("start", "end", "task", "role", "days", "status", "", title=target.name)
    for task in data["tasks"]:
        flags = ("critical " if task["critical"] else "") + (
            f"late {task['late_days']}" if task["late_days"] else "")
        table.add_row(task["planned_start"] or "", task["planned_end"] or "", task["title"],
                      task["role"], str(task["duration_days"]), task["status"], flags)
    console.print(table)
    verdict = ("meets the deadline" if data["meets_deadline"] else
               f"{data['late_tasks']} tasks late, worst by {data['max_lateness_days']} "
               f"working days")
    console.print(f"makespan {data['makespan_days']} working days (lower bound "
                  f"{data['lower_bound_days']}, gap {data['gap']:.1%}, "
                  f"{'proven optimal' if data['proven_optimal'] else 'not proven optimal'}); "
                  f"deadline {data['deadline']} = day {data['deadline_days']}: {verdict}",
                  highlight=False)


@actions_app.command("set-status")
def actions_set_status(
    county: CountyOption,
    status: Annotated[str, typer.Option(help="todo, in_progress, blocked or done.")],
    tasks: Annotated[list[str], typer.Argument(
        help="The tasks: ids or keys (as `actions schedule --format json` lists them).")],
    reform: ReformOption = None,
) -> None:
    """Set the status of the selected tasks of the county's action plan at once."""
    from ictmerge.planning import services
    from ictmerge.planning.models import Task

    target = _county(county, reform)
    ids = [int(t) for t in tasks if t.isdigit() and len(t) < 19]
    keys = [t for t in tasks if not t.isdigit()]
    found = set(Task.objects.filter(municipality=target, pk__in=ids).values_list("pk", flat=True))
    found |= set(Task.objects.filter(municipality=target, key__in=keys)
                 .values_list("pk", flat=True))
    if len(found) < len(set(tasks)):
        fail(f"{len(set(tasks)) - len(found)} of the tasks given are not tasks of {target.name}")
        return
    try:
        changed = services.set_task_status(target, sorted(found), status, actor())
    except services.PlanningError as error:
        fail(str(error))
        return
    console.print(f"{target.name}: {changed} of {len(found)} tasks set to {status}",
                  highlight=False)


@actions_app.command("plan-all")
def actions_plan_all(
    reform: ReformOption = None,
    time_limit: Annotated[float, typer.Option(help="Solver limit per county (s).")] = 5.0,
    background: Annotated[bool, typer.Option(help="Queue it for the worker and return.")] = False,
) -> None:
    """Generate, schedule and sum up the plan of every new municipality of a reform."""
    from ictmerge.planning import services

    require_every_county()
    chosen = Reform.objects.filter(code=reform).first() if reform else default_reform()
    if chosen is None:
        fail(f"no reform '{reform}' is loaded" if reform else "no reform is loaded")
        return
    if background:
        from ictmerge.planning.jobs import start_plan_all

        job = start_plan_all(chosen, f"Action plans: {chosen.name}", user=actor())
        console.print(f"Queued job {job.pk}: the workers plan every county, one job each "
                      f"(see /jobs/{job.pk}/).")
        return
    settings = SolverSettings(objective=Objective.LATENESS, time_limit_s=time_limit,
                              deterministic_time_limit=max(0.5, time_limit / 5))
    for county in services.counties_of(chosen):
        outcome = services.plan_county(county, actor(), settings=settings)
        summary = outcome.plan.summary
        console.print(
            f"{county.code} {county.name}: {outcome.tasks} tasks, makespan "
            f"{outcome.schedule.makespan}/{outcome.deadline_days} days, "
            f"{len(outcome.schedule.late_tasks)} late; governance "
            f"{summary.get('governance_after')}; one-off "
            f"{(summary.get('one_off_cost_eur') or {}).get('expected', 0):,.0f} EUR",
            highlight=False)


def budget(
    county: CountyOption,
    reform: ReformOption = None,
    format: FormatOption = Format.table,
) -> None:
    """The budget of a new municipality: one-off and annual, low / expected / high."""
    from ictmerge.planning.services import budget_for, budget_json

    target = _county(county, reform)
    data = budget_json(budget_for(target))
    if format == Format.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    _demo_banner(target)
    table = Table("kind", "category", "low EUR", "expected EUR", "high EUR",
                  title=f"{target.name}: budget")
    for row in data["by_category"]:
        table.add_row(row["kind"], row["category"], f"{row['low']:,.0f}",
                      f"{row['expected']:,.0f}", f"{row['high']:,.0f}")
    for label, amount in (("one-off total", data["one_off_cost_eur"]),
                          ("annual change", data["annual_cost_change_eur"])):
        table.add_row(label, "", f"{amount['low']:,.0f}", f"{amount['expected']:,.0f}",
                      f"{amount['high']:,.0f}", style="bold")
    console.print(table)
    if data["payback_years"] is not None:
        console.print(f"payback {data['payback_years']} years")
    console.print("annual change by source: " + ", ".join(
        f"{k} {v:,.0f}" for k, v in data["annual_change_by_source"].items()), highlight=False)
    for kind, drivers in (("one-off", data["drivers"]["one_off"]),
                          ("annual", data["drivers"]["annual"])):
        for driver in drivers:
            console.print(f"  driver ({kind}): {driver['label']} {driver['expected']:,.0f} EUR",
                          highlight=False)


class AccountsFormat(StrEnum):
    """Output formats of the account plan."""

    table = "table"
    json = "json"
    csv = "csv"
    ldif = "ldif"


def accounts(
    county: CountyOption,
    reform: ReformOption = None,
    format: Annotated[AccountsFormat, typer.Option(
        "--format", help="table, json, csv or ldif (for the directory).")] = AccountsFormat.table,
    users: Annotated[list[str] | None, typer.Option(
        "--users", help="CODE=FILE: a predecessor's user list (our template, a directory "
                        "export or Snipe-IT users as CSV); repeat per predecessor.")] = None,
) -> None:
    """The account plan and network plan of a new municipality."""
    from pathlib import Path

    from ictmerge.planning.accounts import accounts_json, county_accounts

    chosen = county_from(county, reform)
    target = chosen.municipality
    formers = {m.code for m in chosen.formers}
    imported = {}
    for item in users or []:
        code, sep, filename = item.partition("=")
        if not sep or not filename:
            fail(f"--users {item!r}: give CODE=FILE")
        if code not in formers:
            fail(f"--users {item!r}: {code} is not a predecessor of {target.code} "
                 f"({', '.join(sorted(formers))})")
        try:
            text = Path(filename).read_text(encoding="utf-8-sig")
            imported[code] = read_user_list(text, code, filename)
        except (OSError, UnicodeDecodeError) as error:
            fail(f"{filename}: {error}")
        except UserListError as error:
            fail(str(error))
    result = county_accounts(target, imported)
    if format == AccountsFormat.csv:
        typer.echo(accounts_csv(result.plan), nl=False)
        return
    if format == AccountsFormat.ldif:
        typer.echo(accounts_ldif(result.plan), nl=False)
        return
    data = accounts_json(result)
    if format == AccountsFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if data["is_demo"]:
        console.print("[yellow]DEMO: generated demo employee lists, not real staff.[/]")
    for row in data["lists"]:
        console.print(f"{row['code']} {row['name']}: {row['employees']} employees ({row['basis']})",
                      highlight=False)
    totals = data["totals"]
    console.print(f"{target.name} @{data['email_domain']}: {totals['create']} to create, "
                  f"{totals['merge']} merged, {totals['disable']} to disable, "
                  f"{totals['collisions']} collisions resolved", highlight=False)
    console.print(data["rule"], highlight=False)
    for c in data["collisions"]:
        console.print(f"  {c['base']}: " + ", ".join(f"{h['source']} → {h['username']}"
                                                    for h in c["holders"]), highlight=False)
    net = data["network"]
    console.print(f"network: {len(net['links'])} links, {len(net['overlaps'])} overlapping "
                  "ranges", highlight=False)
    for o in net["overlaps"]:
        console.print(f"  {o['site']} {o['range']} overlaps {o['other_site']} "
                      f"{o['other_range']}: renumber {o['renumber']}", highlight=False)


def parameters(
    county: Annotated[str | None, typer.Option(
        "--county", help="Code of a new municipality: its own values applied.")] = None,
    reform: ReformOption = None,
    to_confirm: Annotated[bool, typer.Option(
        "--to-confirm", help="Only the assumptions still to confirm.")] = False,
    format: FormatOption = Format.table,
) -> None:
    """The cost model's parameters: value, range, source and date, or the stated assumption."""
    from ictmerge.planning.costs import register_json
    from ictmerge.planning.governance import parameters_for

    target = _county(county, reform) if county else None
    data = register_json(target, parameters_for(target) if target is not None else None)
    if to_confirm:
        data["parameters"] = [e for e in data["parameters"] if e["confirm"]]
    if format == Format.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table("parameter", "group", "value", "unit", "source or assumption",
                  title="Cost model parameters" + (f": {target.name}" if target else ""))
    for e in data["parameters"]:
        table.add_row(e["name"] + (" (to confirm)" if e["confirm"] else ""), e["group"],
                      f"{e['value']:g}", e["unit"], e["basis"])
    console.print(table)
    console.print(f"{len(data['to_confirm'])} assumptions to confirm", highlight=False)


COMMANDS = {"actions": actions_app}
TOP_LEVEL = (governance, budget, accounts, parameters)
