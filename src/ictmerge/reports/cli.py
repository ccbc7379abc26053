"""Report commands: `ictmerge report national [--format table|json|pdf|xlsx]`, `report county`,
and `ictmerge export open-data --output DIR` (registered with the export command)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ictmerge.core import scoping
from ictmerge.core.commands import actor, console, fail
from ictmerge.core.providers import DIRECTORY_EXPORTS
from ictmerge.reforms.commands import county_from
from ictmerge.reforms.models import Reform
from ictmerge.reforms.services import default_reform
from ictmerge.reports.opendata import DESCRIPTOR, write_package

report_app = typer.Typer(help="Reports computed from the records.", no_args_is_help=True)


class Format(StrEnum):
    """Output formats."""

    table = "table"
    json = "json"
    pdf = "pdf"
    xlsx = "xlsx"


class CountyFormat(StrEnum):
    """Formats of `report county`: the document, or its figures as JSON."""

    pdf = "pdf"
    xlsx = "xlsx"
    json = "json"


class Language(StrEnum):
    """Languages a document is written in."""

    lv = "lv"
    en = "en"


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        fail("--output FILE is needed for pdf and xlsx")
        return
    output.write_bytes(data)
    console.print(f"Wrote {output} ({len(data):,} bytes).")


@report_app.command("national")
def report_national(
    format: Annotated[Format, typer.Option("--format",
                                           help="table, json, pdf or xlsx.")] = Format.table,
    reform: Annotated[str | None, typer.Option(help="Reform code (default: latest).")] = None,
    output: Annotated[Path | None, typer.Option(help="File to write (pdf and xlsx).")] = None,
    lang: Annotated[Language, typer.Option(help="Language of a pdf or xlsx.")] = Language.lv,
) -> None:
    """The national figures: the published audit figures recomputed, per new municipality."""
    from ictmerge.reports.services import national_report

    chosen = Reform.objects.filter(code=reform).first() if reform else default_reform()
    if chosen is None:
        fail(f"no reform '{reform}' is loaded" if reform else "no reform is loaded")
        return
    if format in (Format.pdf, Format.xlsx):
        from ictmerge.reports.documents import national_document

        if output is None:
            fail("--output FILE is needed for pdf and xlsx")
        _write(national_document(chosen, format.value, lang.value), output)
        return
    report = national_report(chosen)
    if format == Format.json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    if report["demo_data"]:
        console.print("[yellow]DEMO: generated demo data, not real municipal figures.[/]")
    summary = Table("figure", "value", title=chosen.name)
    for key in ("former_municipalities", "former_municipalities_surveyed", "new_municipalities",
                "new_municipalities_surveyed", "computers", "servers", "server_rooms",
                "ict_spend_eur", "municipalities_reporting_spend",
                "municipalities_at_or_below_0_75_pct"):
        summary.add_row(key, f"{report[key]:,}")
    console.print(summary)
    counties = Table("code", "new municipality", "predecessors", "computers", "servers",
                     "rooms", "IS", "spend EUR", "share %", "servers after", "rooms after")
    for county in report["new"]:
        counties.add_row(
            county["code"], county["name"], str(len(county["predecessors"])),
            f"{county['computers']:,}", str(county["servers"]), str(county["server_rooms"]),
            str(county["information_systems"]),
            f"{county['ict_spend_eur']:,}" if county["ict_spend_eur"] is not None else "—",
            f"{county['share_pct']:.2f}" if county["share_pct"] is not None else "—",
            str(county["servers_after"]) if county["servers_after"] is not None else "?",
            str(county["server_rooms_after"]) if county["server_rooms_after"] is not None
            else "?",
        )
    console.print(counties)


@report_app.command("county")
def report_county(
    code: Annotated[str, typer.Argument(help="Code of the new municipality.")],
    format: Annotated[CountyFormat, typer.Option("--format", help="pdf, xlsx or json.")]
    = CountyFormat.pdf,
    lang: Annotated[Language, typer.Option(help="Language of the document.")] = Language.lv,
    output: Annotated[Path | None, typer.Option(help="File to write.")] = None,
    reform: Annotated[str | None, typer.Option(help="Reform code (default: latest).")] = None,
) -> None:
    """A new municipality's ICT takeover plan for its council, as PDF or XLSX; or its figures
    before and after (the cockpit's) as JSON."""
    from ictmerge.reports.documents import county_document

    found = county_from(code, reform, "CODE")
    if format == CountyFormat.json:
        from ictmerge.reports.services import county_report

        typer.echo(json.dumps(county_report(found), ensure_ascii=False, indent=2))
        return
    county = found.municipality
    if output is None:
        fail("--output FILE is needed")
    _write(county_document(county, format.value, lang.value), output)


def search(
    text: Annotated[str, typer.Argument(help="Text to find (at least two characters).")],
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Find devices (by name, serial number, asset tag or MAC address), information systems,
    contracts and software titles in the scope of the acting user (--as NAME)."""
    from ictmerge.reports.search import search as find

    if format not in ("table", "json"):
        fail("--format is table or json")
    groups = find(actor(), text)
    if format == "json":
        typer.echo(json.dumps(groups, ensure_ascii=False, indent=2))
        return
    for group in groups:
        console.print(f"[bold]{group['title']}[/] ({len(group['hits'])})")
        for hit in group["hits"]:
            console.print(f"  {hit['label']}  {hit['detail']}  {hit['url']}", highlight=False)


def export_open_data(user: Any, directory: Path) -> list[Path]:
    """The national picture of the latest reform as a Frictionless Data Package with DCAT-AP
    metadata in DIRECTORY, validated by frictionless before it is reported written."""
    from frictionless import validate

    if scoping.visible_ids(user) is not None:
        fail("open data is the whole country's: run it as a user who sees every municipality")
    chosen = default_reform()
    if chosen is None:
        fail("no reform is loaded")
        return []
    written = write_package(chosen, directory)
    report = validate(directory / DESCRIPTOR)
    if not report.valid:
        for error in report.flatten(["rowNumber", "fieldName", "message"]):
            console.print(f"invalid: {error}", highlight=False, markup=False)
        fail(f"{directory / DESCRIPTOR} is not a valid data package")
    return written


DIRECTORY_EXPORTS["open-data"] = export_open_data

COMMANDS = {"report": report_app}
TOP_LEVEL = (search,)
