"""Consolidation commands: `ictmerge plan run --county CODE | --all [--format table|json]` and more."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from ictmerge.consolidation.payloads import CountyRow
from ictmerge.core.commands import console, err_console, fail, require_every_county
from ictmerge.reforms.commands import county_from, reform_from

plan_app = typer.Typer(help="Server and server-room consolidation plans.", no_args_is_help=True)


class Format(StrEnum):
    """Output formats."""

    table = "table"
    json = "json"


def _county(reform: str | None, code: str) -> Any:
    return county_from(code, reform).municipality


@plan_app.command("run")
def plan_run(
    county: Annotated[str | None, typer.Option("--county", help="Code of a new municipality.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every new municipality with an inventory.")] = False,
    format: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    reform: Annotated[str | None, typer.Option(help="Reform code (default: latest).")] = None,
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", min=0.1, max=60,
        help="Solver time limit (s) of the scenarios this run creates.")] = None,
    background: Annotated[bool, typer.Option(
        "--background", help="With --all: queue one job per county for the workers "
                             "(`ictmerge worker`, any number, on any machine sharing the "
                             "database) and print the job's id (`ictmerge job show ID`).")] = False,
) -> None:
    """Plan servers and rooms with each county's chosen scenario (a chosen "Default" one is made)."""
    from ictmerge.consolidation import services

    if bool(county) == all_:
        fail("give either --county CODE or --all")
    if background and not all_:
        fail("--background goes with --all")
    if all_:
        require_every_county()
    if background:
        from ictmerge.consolidation.jobs import start_run_all

        job = start_run_all(None, reform_from(reform), time_limit)
        if format == Format.json:
            typer.echo(json.dumps({"job": job.pk, "parts": job.children.count()}))
        else:
            console.print(f"Queued job {job.pk}: {job.children.count()} counties, one job each "
                          f"(follow it with: ictmerge job show {job.pk})")
        return
    counties = ([_county(reform, county)] if county
                else services.surveyed_counties(reform_from(reform)))
    failures: list[str] = []
    for municipality in counties:
        try:
            services.run(services.scenario_to_run(municipality, time_limit))
        except services.ConsolidationError as error:
            failures.append(str(error))
    planned = services.plans_of_record(counties, figures_only=True)
    rows = [services.county_row(m, planned.get(m.pk)) for m in counties]
    demo = any(s.is_demo for s in planned.values())
    if format == Format.json:
        typer.echo(json.dumps({"counties": rows, "totals": services.totals(rows)},
                              ensure_ascii=False, indent=2))
    else:
        _table(rows, demo)
    for message in failures:
        err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    if failures:
        raise typer.Exit(1)


def _table(rows: list[CountyRow], demo: bool) -> None:
    from rich.table import Table

    from ictmerge.consolidation import services

    if demo:
        console.print("[yellow]DEMO: planned from generated demo data, not real municipal "
                      "records.[/]")
    table = Table("code", "new municipality", "servers before", "hosts after", "lower bound",
                  "proven optimal", "own rooms before", "own rooms after", "hosting services",
                  "level")
    for r in rows:
        values: dict[str, object] = dict(r)
        table.add_row(r["code"], r["name"], *(
            "—" if values[k] is None else
            ("yes" if values[k] is True else "no" if values[k] is False else str(values[k]))
            for k in services.COUNTY_KEYS[2:8]),
            ", ".join(s["name"] for s in r["external_services"]) or "—",
            r["service_level"] or "—")
    total = services.totals(rows)
    table.add_row("", "total", str(total["servers_before"]), str(total["servers_after"]),
                  str(total["lower_bound"]),
                  f"{total['proven_optimal_counties']}/{total['counties']}",
                  str(total["rooms_before"]), str(total["rooms_after"]), "", "")
    console.print(table)


@plan_app.command("show")
def plan_show(
    county: Annotated[str, typer.Option("--county", help="Code of a new municipality.")],
    reform: Annotated[str | None, typer.Option(help="Reform code (default: latest).")] = None,
    format: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """A county's plan of record (its chosen, else latest computed, scenario): hosts, rooms."""
    from ictmerge.consolidation import services
    from ictmerge.consolidation.explain import bound_in_words, room_bound_in_words

    municipality = _county(reform, county)
    scenario = services.plan_of_record(municipality)
    result = services.stored_result(scenario) if scenario is not None else None
    if scenario is None or result is None:
        fail(f"{municipality.name} has no computed plan; run `ictmerge plan run --county {county}`")
        return
    if format == Format.json:
        typer.echo(json.dumps({"scenario": scenario.name, "is_chosen": scenario.is_chosen,
                               **result}, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    if result["is_demo"]:
        console.print("[yellow]DEMO: planned from generated demo data.[/]")
    console.print(f"[bold]{municipality.name}[/] — {scenario.name}"
                  f"{' (chosen)' if scenario.is_chosen else ''}", highlight=False)
    console.print(bound_in_words(result), highlight=False)
    console.print(room_bound_in_words(result, scenario.horizon_years), highlight=False)
    from ictmerge.consolidation.reasons import reason_texts

    for note in result["relaxations"]:
        console.print(f"[yellow]relaxed:[/] {note}", highlight=False)
    if "levels" in result:  # results stored before the two levels have none
        console.print(f"level of record: {result['service_level']}", highlight=False)
        for name, level in (("today", result["levels"]["today"]), ("policy", result["levels"]["policy"])):
            console.print(f"  {name}: servers {level['servers_before']} → {level['servers_after']}, "
                          f"own rooms {level['own_rooms_before']} → {level['own_rooms_after']}, "
                          f"annual {level['money']['annual_after_eur']:,.0f} EUR, one-off "
                          f"{level['money']['one_off_eur']:,.0f} EUR", highlight=False)
        console.print(f"  uplift to the policy: {result['uplift']['annual_eur']:+,.0f} EUR a year, "
                      f"{result['uplift']['one_off_eur']:+,.0f} EUR one-off", highlight=False)
    for text in reason_texts(result.get("reasons", [])):
        console.print(f"[bold]more servers or rooms:[/] {text}", highlight=False)
    for service in result.get("external_services", []):
        console.print(f"hosting service {service['name']}: {service['workloads']} workload(s), "
                      f"{service['vcpus']} vCPU, {service['ram_gb']:g} GB RAM, "
                      f"{service['storage_tb']:g} TB, {service['annual_eur']:,.0f} EUR a year",
                      highlight=False)
    hosts = Table("host", "model", "room", "workloads", "CPU %", "RAM %", "disk %")
    for h in result["hosts"]:
        hosts.add_row(h["id"] + (" (failover)" if h["is_failover"] else ""),
                      h["model"] + (f": {h['reused_server']}" if h["reused_server"] else ""),
                      h["room_name"], str(h["workloads"]), f"{h['cpu_pct']:.0f}",
                      f"{h['ram_pct']:.0f}", f"{h['storage_pct']:.0f}")
    console.print(hosts)
    rooms = Table("room", "decision", "reason")
    for r in result["rooms"]:
        if r["kept"] or not r["is_external"]:
            rooms.add_row(r["name"], "kept" if r["kept"] else "closed", r["reason"])
    console.print(rooms)


@plan_app.command("choose")
def plan_choose(
    county: Annotated[str, typer.Option("--county", help="Code of a new municipality.")],
    scenario: Annotated[str, typer.Option("--scenario", help="Name of one of its scenarios.")],
    reform: Annotated[str | None, typer.Option(help="Reform code (default: latest).")] = None,
) -> None:
    """Make a scenario the chosen one of its county (it feeds the national view)."""
    from ictmerge.consolidation import services
    from ictmerge.consolidation.models import Scenario

    municipality = _county(reform, county)
    found = Scenario.objects.filter(municipality=municipality, name=scenario).first()
    if found is None:
        names = ", ".join(s.name for s in services.scenarios_of(municipality)) or "none"
        fail(f"--scenario: {municipality.name} has no scenario '{scenario}' (it has: {names})")
        return
    services.choose(found)
    console.print(f"{municipality.name}: '{found.name}' is the chosen scenario.", highlight=False)


@plan_app.command("seed-catalogue")
def plan_seed_catalogue() -> None:
    """Add the shipped host models and external room options that are not in the database yet."""
    from ictmerge.consolidation import services

    result = services.seed_catalogues()
    console.print(f"Host models: {result.host_models} added; hosting services: "
                  f"{result.external_rooms} added.")


@plan_app.command("national")
def plan_national(
    scenario: Annotated[str | None, typer.Option(
        "--scenario", help="own_rooms, hosting_services, state_dc_high or regional_hubs (default: every one).")] = None,
    format: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    reform: Annotated[str | None, typer.Option(help="Reform code (default: latest).")] = None,
    time_limit: Annotated[float, typer.Option(
        "--time-limit", min=1, max=240, help="Solver time limit (s) of each national scenario.")] = 90.0,
) -> None:
    """Place every county's hosts across county borders and compare with the separate county plans."""
    from ictmerge.consolidation import national

    require_every_county()
    names = [scenario] if scenario else list(national.SCENARIOS)
    try:
        results = national.compute_national(
            reform_from(reform), names, lambda pct, msg: err_console.print(f"{pct:3.0f} % {msg}", highlight=False),
            time_limit_s=time_limit)
    except national.NationalError as error:
        fail(str(error))
        return
    summaries = [{k: r[k] for k in _NATIONAL_KEYS} for r in results]  # type: ignore[literal-required]
    if format == Format.json:
        typer.echo(json.dumps(summaries[0] if scenario else summaries, ensure_ascii=False, indent=2))
        return
    from rich.table import Column, Table

    if any(r["is_demo"] for r in results):
        console.print("[yellow]DEMO: planned from generated demo data, not real municipal records.[/]")
    table = Table(Column("scenario", no_wrap=True), "rooms: before → separate → national",
                  "hosts: separate → national", "EUR a year: separate → national (saving)", "lower bound EUR",
                  "gap", "time s")
    for r in results:
        table.add_row(r["scenario"], f"{r['rooms_before']} → {r['rooms_separate']} → {r['rooms_after']}",
                      f"{r['hosts_separate']} → {r['hosts_after']}",
                      f"{r['separate_plans_annual_cost_eur']:,.0f} → {r['annual_cost_eur']:,.0f} "
                      f"({r['saving_eur']:,.0f})", f"{r['lower_bound_eur']:,.0f}", f"{r['gap']:.2%}",
                      f"{r['elapsed_s']:.0f}")
    console.print(table)
    console.print("Annual cost: running cost a year plus the one-off spread over the horizon; the same room, "
                  "host and service prices as the county plans.", highlight=False)


#: The keys of `plan national --format json`, in order.
_NATIONAL_KEYS = ("scenario", "rooms_after", "hosts_after", "annual_cost_eur", "separate_plans_annual_cost_eur",
                  "saving_eur", "lower_bound_eur", "gap", "counties")


COMMANDS = {"plan": plan_app}
