"""Reform register commands: `ictmerge reform load|import|generate|list`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ictmerge.core.commands import console, err_console, fail
from ictmerge.engine.synthetic_reform import SyntheticSpec

reform_app = typer.Typer(help="The reform register.", no_args_is_help=True)


@reform_app.command("load")
def reform_load(
    code: Annotated[str, typer.Argument(help="A shipped reform, e.g. lv-2021.")],
    if_missing: Annotated[bool, typer.Option(help="Do nothing when it is loaded already.")] = False,
) -> None:
    """Load a reform shipped with the package."""
    from ictmerge.reforms.models import Reform
    from ictmerge.reforms.services import ReformImportError, load_bundled

    if if_missing and Reform.objects.filter(code=code).exists():
        console.print(f"Reform {code} is loaded already.")
        return
    try:
        reform = load_bundled(code)
    except ReformImportError as error:
        for problem in error.problems:
            err_console.print(f"{error.source}: {problem}", highlight=False)
        fail(f"reform {code} not loaded")
        return
    console.print(f"Loaded [bold]{reform.name}[/]: {reform.municipalities.filter(stage='former').count()} "
                  f"former → {reform.municipalities.filter(stage='new').count()} new municipalities.")


@reform_app.command("import")
def reform_import(
    file: Annotated[Path, typer.Argument(help="CSV of successions.", exists=True, dir_okay=False)],
    code: Annotated[str, typer.Option(help="Short code of the reform, e.g. ee-2017.")],
    name: Annotated[str, typer.Option(help="Name of the reform.")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 country code.")],
    effective_date: Annotated[str, typer.Option(help="Date the new units start (YYYY-MM-DD).")],
) -> None:
    """Import a reform from a CSV of successions; every problem is listed, nothing is written."""
    from ictmerge.reforms.services import ReformImportError, ReformInfo, import_csv

    try:
        date = dt.date.fromisoformat(effective_date)
    except ValueError:
        fail(f"--effective-date: '{effective_date}' is not a date (YYYY-MM-DD)")
        return
    info = ReformInfo(code=code, name=name, country=country.upper(), effective_date=date)
    try:
        with file.open(encoding="utf-8-sig", newline="") as stream:
            reform = import_csv(stream, info, source=str(file))
    except UnicodeDecodeError:
        fail(f"{file}: the file is not UTF-8 text")
        return
    except ReformImportError as error:
        for problem in error.problems:
            err_console.print(f"{file}: {problem}", highlight=False)
        fail(f"{len(error.problems)} problem(s); nothing was imported")
        return
    console.print(f"Imported [bold]{reform.name}[/] with {reform.successions.count()} successions.")


@reform_app.command("generate")
def reform_generate(
    code: Annotated[str, typer.Argument(help="Code of the new reform, e.g. synth-ua.")],
    formers: Annotated[int, typer.Option(min=1, help="Former municipalities (Ukraine 2020: 11000).")],
    new: Annotated[int, typer.Option(min=1, help="New municipalities (Ukraine 2020: 1469).")],
    seed: Annotated[int, typer.Option(help="Seed: the same seed, the same reform.")] = 1,
    split_rate: Annotated[float | None, typer.Option(
        min=0, max=1, help="Share of former municipalities split between two new ones "
                           "(default: Latvia's 2021 rate, 2 of 119).")] = None,
) -> None:
    """Generate a synthetic reform of any size (N former into M new municipalities, with
    splits and log-normal sizes); then `ictmerge demo load --reform CODE` fills it."""
    from ictmerge.reforms.services import ReformImportError, generate_synthetic

    spec = SyntheticSpec(formers=formers, news=new, seed=seed)
    if split_rate is not None:
        spec = SyntheticSpec(formers=formers, news=new, seed=seed, split_rate=split_rate)
    try:
        reform = generate_synthetic(code, spec)
    except (ValueError, ReformImportError) as error:
        fail(str(error))
        return
    console.print(f"Generated [bold]{reform.name}[/] as {reform.code}: "
                  f"{reform.successions.count()} successions.")


@reform_app.command("list")
def reform_list() -> None:
    """List loaded reforms and the shipped ones."""
    from rich.table import Table

    from ictmerge.reforms.models import Reform
    from ictmerge.reforms.services import bundled_reforms

    table = Table("code", "name", "country", "effective", "former", "new")
    for reform in Reform.objects.all():
        table.add_row(reform.code, reform.name, reform.country, str(reform.effective_date),
                      str(reform.municipalities.filter(stage="former").count()),
                      str(reform.municipalities.filter(stage="new").count()))
    console.print(table)
    console.print("Shipped: " + ", ".join(bundled_reforms()))


COMMANDS = {"reform": reform_app}
