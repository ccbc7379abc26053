"""Import and export commands: `ictmerge import`, `template`, `export`, `duplicates`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ictmerge.core.commands import actor, console, err_console, fail
from ictmerge.core.exports import csv_lines, xlsx_bytes
from ictmerge.core.providers import DIRECTORY_EXPORTS

#: One command each, with options after the arguments as well (`import TYPE FILE --dry-run`).
_SINGLE = {"invoke_without_command": True,
           "context_settings": {"allow_interspersed_args": True}}
import_app = typer.Typer(help="Import a file (a template type or another tool's format).",
                         **_SINGLE)  # type: ignore[arg-type]
template_app = typer.Typer(help="Write an empty import template.",
                           **_SINGLE)  # type: ignore[arg-type]
export_app = typer.Typer(help="Export records in a template's columns.",
                         **_SINGLE)  # type: ignore[arg-type]
duplicates_app = typer.Typer(help="Devices found in two predecessors' inventories.",
                             no_args_is_help=True)


@import_app.callback()
def import_command(
    import_type: Annotated[str, typer.Argument(
        metavar="TYPE", help="computers, servers, network, devices, sites, rooms, software, "
                             "licences, contracts, systems, spend, glpi, snipeit-assets, "
                             "snipeit-licenses, snipeit-locations, snipeit-users, azure-migrate")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The file.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count, write nothing.")] = False,
    municipality: Annotated[str | None, typer.Option(
        help="Code of the (former) municipality the rows belong to, when no column says.")] = None,
    valid_only: Annotated[bool, typer.Option(
        "--valid-only", help="Import the good rows even if some are bad.")] = False,
    rejected: Annotated[Path | None, typer.Option(
        help="Write the rejected rows with their problems to this CSV.")] = None,
) -> None:
    """Import a file: every problem listed, nothing written unless all rows are good."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ictmerge.imports.services import ImportTypeError, import_file, rejected_rows_csv

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task(f"Import {file.name}", total=100)

        def progress(percent: float, message: str) -> None:
            bar.update(task, completed=percent, description=message)

        try:
            run = import_file(file.read_bytes(), file.name, import_type,
                              user=actor(), municipality=municipality,
                              dry_run=dry_run,
                              valid_only=valid_only, progress=progress)
        except ImportTypeError as error:
            fail(str(error))
            return
    for problem in run.problems:
        err_console.print(f"{problem['file']}, row {problem['row']}, {problem['column']}: "
                          f"{problem['message']}", highlight=False, markup=False)
    if run.problem_count > len(run.problems):
        err_console.print(f"… and {run.problem_count - len(run.problems)} more problems")
    if rejected is not None:
        rejected.write_text(rejected_rows_csv(run), encoding="utf-8")
    counts = ", ".join(f"{v} {k}" for k, v in run.counts.items())
    console.print(f"{run.get_status_display()}: {run.rows} rows; {counts} (import run "
                  f"{run.pk}).", highlight=False)
    if run.status == "rejected":
        raise typer.Exit(1)


@template_app.callback()
def template_command(
    import_type: Annotated[str, typer.Argument(metavar="TYPE", help="A template type.")],
    file_format: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    output: Annotated[Path | None, typer.Option(help="Write here (default: TYPE.FORMAT).")] = None,
    describe: Annotated[bool, typer.Option("--describe", help="Print the columns.")] = False,
) -> None:
    """Write an empty template for a record type, or describe its columns."""
    from ictmerge.imports.services import template_file
    from ictmerge.imports.templates import documentation, template

    try:
        tpl = template(import_type)
    except KeyError as error:
        fail(str(error.args[0]))
        return
    if describe:
        for name, required, kind, meaning in documentation(tpl):
            console.print(f"{name}{' *' if required else ''}\t{kind}\t{meaning}",
                          highlight=False, markup=False)
        return
    if file_format not in ("csv", "xlsx"):
        fail("--format is csv or xlsx")
    target = output or Path(f"{tpl.slug}.{file_format}")
    target.write_bytes(template_file(tpl, file_format))
    console.print(f"Wrote {target}")


@export_app.callback()
def export_command(
    import_type: Annotated[str, typer.Argument(
        metavar="TYPE", help="A template type, or open-data (the national picture as a "
                             "Frictionless Data Package with DCAT-AP metadata).")],
    output: Annotated[Path, typer.Option(help="File to write (.csv or .xlsx); the directory "
                                              "for open-data.")],
    municipality: Annotated[str | None, typer.Option(help="Only this municipality.")] = None,
) -> None:
    """Export the records you may see in a template's columns (imports back unchanged), or
    the national picture as open data (`export open-data --output DIR`)."""
    from ictmerge.imports.services import export_rows
    from ictmerge.imports.templates import template

    if import_type in DIRECTORY_EXPORTS:
        if municipality:
            fail(f"{import_type} is the whole country's: --municipality does not apply")
        for path in DIRECTORY_EXPORTS[import_type](actor(), output):
            console.print(f"Wrote {path}", highlight=False)
        return
    try:
        tpl = template(import_type)
    except KeyError as error:
        fail(str(error.args[0]))
        return
    queryset = tpl.model.objects.all().restrict(actor())  # type: ignore[attr-defined]
    if tpl.kinds:
        queryset = queryset.filter(kind__in=tpl.kinds)
    if municipality:
        queryset = queryset.filter(municipality__code=municipality)
    header, rows = export_rows(tpl, queryset.order_by("pk"))
    if output.suffix.lower() == ".xlsx":
        output.write_bytes(xlsx_bytes(header, rows, tpl.slug))
    else:
        with output.open("w", encoding="utf-8", newline="") as handle:
            for line in csv_lines(header, rows):
                handle.write(line)
    console.print(f"Wrote {output}")


@duplicates_app.command("list")
def duplicates_list() -> None:
    """Devices of different municipalities sharing a serial, UUID or MAC (junk ignored)."""
    from ictmerge.imports.duplicates import find_duplicates

    groups = find_duplicates(actor())
    for group in groups:
        devices = "; ".join(f"#{d.pk} {d.name} ({d.municipality.code})" for d in group.devices)
        console.print(f"{group.kind} {group.value}: {devices}", highlight=False, markup=False)
    console.print(f"{len(groups)} duplicate groups.")


@duplicates_app.command("merge")
def duplicates_merge(
    keep: Annotated[int, typer.Argument(help="Id of the device to keep.")],
    remove: Annotated[int, typer.Argument(help="Id of the device merged into it.")],
) -> None:
    """Merge two devices: references move to the kept one, both histories stay."""
    from ictmerge.imports.duplicates import MergeError, merge_devices

    try:
        kept = merge_devices(keep, remove, actor())
    except MergeError as error:
        fail(str(error))
        return
    console.print(f"Merged #{remove} into #{kept.pk} {kept.name}.", highlight=False)


@duplicates_app.command("merge-selected")
def duplicates_merge_selected(
    pairs: Annotated[list[str], typer.Argument(
        help="KEEP:REMOVE pairs of device ids, as `duplicates list` shows them.")],
) -> None:
    """Merge the selected pairs at once, all or nothing."""
    from ictmerge.imports.duplicates import MAX_ID, MergeError, merge_selected

    chosen: list[tuple[int, int]] = []
    for pair in pairs:
        keep, _sep, remove = pair.partition(":")
        if not (keep.isdigit() and remove.isdigit()) or max(int(keep), int(remove)) > MAX_ID:
            fail(f"'{pair}' is not KEEP:REMOVE (two device ids)")
            return
        chosen.append((int(keep), int(remove)))
    try:
        kept = merge_selected(chosen, actor())
    except MergeError as error:
        fail(f"nothing merged: {error}")
        return
    console.print(f"Merged {len(kept)} pairs: kept " + ", ".join(f"#{d.pk} {d.name}" for d in kept),
                  highlight=False, markup=False)


agents_app = typer.Typer(help="Inventory agents: enrolment tokens and coverage.",
                         no_args_is_help=True)
token_app = typer.Typer(help="Enrolment tokens of a former municipality's agents.",
                        no_args_is_help=True)
agents_app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    municipality: Annotated[str, typer.Option(help="Code of the former municipality.")],
    note: Annotated[str, typer.Option(help="What the token is for.")] = "",
    base_url: Annotated[str | None, typer.Option(
        help="The address agents reach this server at (default: ICTMERGE_BASE_URL).")] = None,
) -> None:
    """Enrol a former municipality's agents; the last line is the agents' URL (shown once)."""
    from django.conf import settings

    from ictmerge.imports.agents import TokenError, agent_path, create_token

    user = actor()
    try:
        token, secret = create_token(municipality, note=note, created_by=user.get_username(),
                                     user=user)
    except TokenError as error:
        fail(str(error))
        return
    base = (base_url or settings.ICTMERGE_BASE_URL).rstrip("/")
    console.print(f"Token {token.prefix}… (id {token.pk}) for {token.municipality.code}; "
                  f"give the agents this server URL:", highlight=False, markup=False)
    print(f"{base}{agent_path(secret)}")


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token's id, prefix or whole secret.")],
) -> None:
    """Revoke a token: its agents are refused from now on."""
    from ictmerge.imports.agents import TokenError, revoke_token

    try:
        revoked = revoke_token(token, user=actor())
    except TokenError as error:
        fail(str(error))
        return
    console.print(f"Token {revoked.prefix}… of {revoked.municipality.code} revoked.",
                  highlight=False, markup=False)


@token_app.command("list")
def token_list() -> None:
    """Tokens of the municipalities you may see."""
    from ictmerge.imports.agent_views import visible_tokens

    for token in visible_tokens(actor()):
        state = f"revoked {token.revoked:%Y-%m-%d %H:%M}" if token.revoked else "active"
        console.print(f"{token.pk}\t{token.prefix}…\t{token.municipality.code}\t{state}\t"
                      f"{token.note}", highlight=False, markup=False)


@agents_app.command("coverage")
def agents_coverage() -> None:
    """Per municipality: devices in the register, reporting, not seen recently."""
    from ictmerge.imports.agents import coverage

    console.print("municipality\tdevices\treporting\tnot seen\ttokens", highlight=False)
    for row in coverage(actor()):
        console.print(f"{row['municipality']}\t{row['devices']}\t{row['reporting']}\t"
                      f"{row['not_seen']}\t{row['tokens']}", highlight=False, markup=False)


COMMANDS = {"import": import_app, "template": template_app, "export": export_app,
            "duplicates": duplicates_app, "agents": agents_app}
