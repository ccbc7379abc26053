"""IS commands: `ictmerge systems plan|security|rules|decide|weights|checklist`."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from ictmerge.core.commands import actor, console, fail, require_every_county
from ictmerge.core.jobs import start_job
from ictmerge.engine.systems.scoring import Method
from ictmerge.reforms.commands import county_from
from ictmerge.reforms.models import Reform
from ictmerge.reforms.services import default_reform

systems_app = typer.Typer(help="Information systems: one system per function.",
                          no_args_is_help=True)


class Format(StrEnum):
    """Output formats."""

    table = "table"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="table or json.")]
CountyOption = Annotated[str | None, typer.Option("--county", help="Code of a new municipality.")]
ReformOption = Annotated[str | None, typer.Option(help="Reform code (default: latest).")]


def _county(code: str | None, reform: str | None) -> Any:
    return county_from(code, reform).municipality


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@systems_app.command("plan")
def plan(
    county: CountyOption = None,
    all_counties: Annotated[bool, typer.Option("--all", help="Every new municipality.")] = False,
    format: FormatOption = Format.table,
    reform: ReformOption = None,
    method: Annotated[str, typer.Option(help="topsis or weighted_sum.")] = "topsis",
    background: Annotated[bool, typer.Option(
        "--background", help="With --all: queue a background job and print its id.")] = False,
) -> None:
    """One chosen system per function, with scores, TIME labels, sensitivity and cost."""
    from ictmerge.systems import services

    if bool(county) == all_counties:
        fail("give either --county CODE or --all")
    try:
        chosen_method = Method(method)
    except ValueError:
        fail(f"--method: expected topsis or weighted_sum, got {method!r}")
        return
    if county:
        result = services.plan_county(_county(county, reform), chosen_method)
        if format == Format.json:
            _echo_json(services.county_json(result))
        else:
            _print_county(result)
        return
    require_every_county()
    _plan_all(reform, chosen_method, format, background)


def _plan_all(reform: str | None, method: Any, format: Format, background: bool) -> None:
    from rich.progress import BarColumn, Progress, TextColumn

    from ictmerge.systems import services
    from ictmerge.systems.jobs import summary

    chosen = Reform.objects.filter(code=reform).first() if reform else default_reform()
    if chosen is None:
        fail(f"no reform '{reform}' is loaded" if reform else "no reform is loaded")
        return
    if background:
        job = start_job("systems.plan_all", "IS rationalisation of every new municipality",
                        {"reform": chosen.code, "method": method.value}, user=actor())
        console.print(f"Queued job {job.pk}: {job.get_absolute_url()}", highlight=False)
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task("Planning", total=100)
        results = services.plan_counties(
            services.counties_of(chosen), method,
            progress=lambda pct, name: bar.update(task, completed=pct, description=name))
    plans = [services.county_json(r) for r in results]
    if format == Format.json:
        _echo_json({"reform": chosen.code, "method": method.value,
                    "counties": [summary(p) for p in plans]})
        return
    from rich.table import Table

    if any(p["demo_data"] for p in plans):
        console.print("[yellow]DEMO: generated demo data, not real municipal figures.[/]")
    table = Table("code", "new municipality", "systems", "after", "products", "after",
                  "basis", "one-off EUR", "annual change EUR", title=chosen.name)
    for p in plans:
        table.add_row(p["county"]["code"], p["county"]["name"], str(p["systems_before"]),
                      str(p["information_systems_after"]), str(p["products_before"]),
                      str(p["information_system_products_after"]), p["basis"],
                      f"{p['one_off_eur']:,.0f}", f"{p['annual_change_eur']:,.0f}")
    console.print(table)


def _print_county(result: Any) -> None:
    from rich.table import Table

    from ictmerge.systems import services

    data = services.county_json(result)
    if data["demo_data"]:
        console.print("[yellow]DEMO: generated demo data, not real municipal records.[/]")
    console.print(f"{data['county']['name']}: own systems {data['systems_before']} -> "
                  f"{data['systems_after']}, products {data['products_before']} -> "
                  f"{data['products_after']}; one-off {data['one_off_eur']:,.0f} EUR, annual "
                  f"change {data['annual_change_eur']:,.0f} EUR", highlight=False)
    table = Table("function", "kept", "basis", "TIME", "score", "sensitivity", "one-off EUR",
                  "annual EUR")
    for item in data["functions"]:
        time = next((t["label"] for t in item["time"] if t["system"] == item["chosen"]), "")
        rows = item["scores"]["rows"] if item["scores"] else []
        score = next((r["topsis"] if data["method"] == "topsis" else r["weighted_sum"]
                      for r in rows if r["system"] == item["chosen"]), None)
        table.add_row(item["function"], item["chosen_name"], item["basis"], time,
                      f"{score:.3f}" if score is not None else "—",
                      (item["sensitivity"] or "national system").split(":")[0],
                      f"{item['cost']['one_off_eur']:,.0f}",
                      f"{item['cost']['annual_change_eur']:,.0f}")
    console.print(table)
    for note in data["notes"]:
        console.print(f"[yellow]{note}[/]")


@systems_app.command("security")
def security(
    county: CountyOption = None,
    rules: Annotated[str | None, typer.Option(
        help="Rule set: fips199, lv-442, lv-nkdl, or lv (the Latvian one of the reform date); "
             "default: the county's choice, else the one in force on the reform date.")] = None,
    choose: Annotated[str | None, typer.Option(
        help="Record the county's rule set (written under --as); 'date' returns to the one "
             "in force on the reform date.")] = None,
    reason: Annotated[str, typer.Option(help="Why, with --choose.")] = "",
    format: FormatOption = Format.table,
    reform: ReformOption = None,
) -> None:
    """The unified security class per function under the law of the date, with each class's
    documents and their sources, inconsistencies, rooms below the class."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from ictmerge.systems import services
    from ictmerge.systems.security import choose_rule_set, security_for, security_json

    municipality = _county(county, reform)
    if choose:
        try:
            choose_rule_set(municipality, None if choose == "date" else choose, reason, actor())
        except ValidationError as error:
            fail("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()))
        except PermissionDenied as error:
            fail(str(error))
    try:
        result = security_for(municipality, rules)
    except services.PlanError as error:
        fail(f"--rules: {error}")
        return
    data = security_json(result)
    if format == Format.json:
        _echo_json(data)
        return
    from rich.table import Table

    if data["demo_data"]:
        console.print("[yellow]DEMO: generated demo data, not real municipal records.[/]")
    rule_set = data["rule_set"]
    console.print(f"{rule_set['name']} ({rule_set['code']}): {rule_set['why']}",
                  highlight=False)
    source = rule_set["source"]
    console.print(f"  {source['act']} · {source['url']} · {source['status']}", highlight=False)
    table = Table("function", "predecessors' declared / derived", "unified", "class",
                  "documents", "inconsistent",
                  title=f"{municipality.name} · {rule_set['name']}")
    for f in data["functions"]:
        sides = ", ".join(f"{p['municipality']}: {p['declared_class'] or '-'}/{p['derived_class']}"
                          for p in f["predecessors"])
        table.add_row(f["function"], sides, f["unified_requirements"],
                      f["unified_class"] + (" (raised)" if f["raised_above_predecessors"] else ""),
                      "; ".join(d["name"] for d in f["documents"]),
                      "yes" if f["inconsistent"] else "")
    console.print(table)
    for finding in data["room_findings"]:
        console.print(f"room {finding['room']} lacks {', '.join(finding['missing'])} for "
                      f"{finding['name']} (class {finding['class']}; "
                      f"{'; '.join(finding['sources'])})", highlight=False)


rules_app = typer.Typer(help="Security rules and their sources: what a lawyer must confirm.",
                        no_args_is_help=True)
systems_app.add_typer(rules_app, name="rules")


@rules_app.command("unconfirmed")
def unconfirmed(format: FormatOption = Format.table) -> None:
    """Every security rule without a confirmed source (act, point, address, what is missing)."""
    from ictmerge.systems.security import unconfirmed_json

    data = unconfirmed_json()
    if format == Format.json:
        _echo_json(data)
        return
    from rich.table import Table

    table = Table("rule", "what", "status", "source", "missing",
                  title=f"{len(data['rules'])} rules without a confirmed source")
    for rule in data["rules"]:
        source = rule["source"]
        table.add_row(rule["rule_id"], rule["name"], source["status"],
                      ", ".join(p for p in (source["act"], source["point"], source["url"]) if p),
                      source["note"])
    console.print(table)


@rules_app.command("confirm")
def confirm(
    rule_id: Annotated[str, typer.Argument(help="The rule's id (see 'rules unconfirmed').")],
    by: Annotated[str, typer.Option("--by", help="Who read the act and confirms it.")],
    on: Annotated[str, typer.Option("--on", help="When, YYYY-MM-DD.")],
    text: Annotated[str, typer.Option("--text", help="The act, point and wording that "
                                                      "confirm it.")],
) -> None:
    """Record a confirmation of a rule (written under --as); it leaves the unconfirmed list."""
    import datetime as dt

    from django.core.exceptions import PermissionDenied, ValidationError

    from ictmerge.systems.security import record_confirmation

    try:
        when = dt.date.fromisoformat(on)
    except ValueError:
        fail(f"--on: expected YYYY-MM-DD, got {on!r}")
        return
    try:
        item = record_confirmation(rule_id, by, when, text, actor())
    except ValidationError as error:
        fail("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()))
        return
    except PermissionDenied as error:
        fail(str(error))
        return
    console.print(f"{item.rule_id}: confirmed by {item.confirmed_by} on "
                  f"{item.confirmed_on.isoformat()}", highlight=False)


@systems_app.command("decide")
def decide(
    county: CountyOption = None,
    function: Annotated[str, typer.Option("--function", help="Function code.")] = "",
    system: Annotated[str | None, typer.Option(
        "--system", help="Candidate id (is-N, ext-N); omit to accept the recommendation.")] = None,
    justification: Annotated[str, typer.Option(help="Why, when not the recommendation.")] = "",
    reform: ReformOption = None,
) -> None:
    """Record the decision for one function (written under --as)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from ictmerge.systems import services

    municipality = _county(county, reform)
    if not function:
        fail("give --function CODE")
    try:
        record = services.record_decision(municipality, function, actor(), system=system,
                                          justification=justification)
    except services.PlanError as error:
        fail(str(error))
        return
    except ValidationError as error:
        fail("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
             if hasattr(error, "error_dict") else " ".join(error.messages))
        return
    except PermissionDenied as error:
        fail(str(error))
        return
    kind = "override" if record.overrides_recommendation else "recommendation accepted"
    console.print(f"{municipality.name} · {function}: {record.chosen_label()} ({kind})",
                  highlight=False)


@systems_app.command("weights")
def weights(
    county: CountyOption = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="criterion=weight, repeatable; without it, print the weights.")] = None,
    reform: ReformOption = None,
) -> None:
    """Show or change a county's criterion weights."""
    from django.core.exceptions import PermissionDenied

    from ictmerge.systems import services

    municipality = _county(county, reform)
    if set_:
        values: dict[str, float] = {}
        for item in set_:
            code, _sep, raw = item.partition("=")
            try:
                values[code.strip()] = float(raw)
            except ValueError:
                fail(f"--set {item}: expected criterion=number")
        try:
            services.set_weights(municipality, values, actor())
        except (services.PlanError, PermissionDenied) as error:
            fail(str(error))
    for criterion in services.plan_county(municipality).inputs.criteria.criteria:
        console.print(f"{criterion.code} = {criterion.weight:g} ({criterion.direction.value})",
                      highlight=False)


@systems_app.command("checklist")
def checklist(county: CountyOption = None, reform: ReformOption = None) -> None:
    """Generate or update the reform checklist and the data-migration plan from the decisions."""
    from django.core.exceptions import PermissionDenied

    from ictmerge.systems.checklist import generate_checklist

    municipality = _county(county, reform)
    try:
        outcome = generate_checklist(municipality, actor())
    except PermissionDenied as error:
        fail(str(error))
        return
    console.print(f"{municipality.name}: checklist {outcome.created} created, {outcome.updated} "
                  f"updated, {outcome.deleted} removed; migrations {outcome.migrations_created} "
                  f"created, {outcome.migrations_updated} updated, "
                  f"{outcome.migrations_deleted} removed.", highlight=False)


COMMANDS = {"systems": systems_app}
