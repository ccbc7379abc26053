"""Inventory commands: `ictmerge demo load` and `ictmerge taxonomy load`."""

from __future__ import annotations

from typing import Annotated

import typer

from ictmerge.core.commands import console, fail
from ictmerge.engine.systems._data import DataFileError

demo_app = typer.Typer(help="Generated demo data.", no_args_is_help=True)
taxonomy_app = typer.Typer(help="The function taxonomy.", no_args_is_help=True)


@demo_app.command("load")
def demo_load(
    reform: Annotated[str, typer.Option(help="Code of a loaded reform, e.g. lv-2021.")] = "lv-2021",
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 1,
    scale: Annotated[int, typer.Option(min=1, help="Multiply every municipality's contents.")] = 1,
) -> None:
    """Generate a plausible inventory for a reform, replacing its previous demo data."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ictmerge.inventory.demo import DemoError, load_demo

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("Demo", total=100)

        def progress(percent: float, message: str) -> None:
            bar.update(task, completed=percent, description=message)

        try:
            result = load_demo(reform, seed=seed, scale=scale, progress=progress)
        except DemoError as error:
            fail(str(error))
            return
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items())
    console.print(f"Loaded demo data for [bold]{result.reform}[/] (seed {result.seed}, scale "
                  f"{result.scale}): {result.municipalities} municipalities; {counts}; "
                  f"replaced {result.deleted} demo records; {result.seconds:.1f} s.",
                  highlight=False)


@taxonomy_app.command("load")
def taxonomy_load() -> None:
    """Create or update the business functions from the shipped taxonomy."""
    from ictmerge.inventory.services import load_functions

    try:
        result = load_functions()
    except DataFileError as error:
        fail(str(error))
        return
    console.print(f"Business functions: {result.created} created, {result.updated} updated, "
                  f"{result.unchanged} unchanged.")


COMMANDS = {"demo": demo_app, "taxonomy": taxonomy_app}
