"""The `ictmerge` command line: the front door to every capability.

Each app may add command groups in its own `cli.py` by defining `COMMANDS`, a dict of
group name → `typer.Typer`. Django is set up once, before the apps' commands are imported.
What the commands share (consoles, the acting user, `fail`) is in `ictmerge.core.commands`.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from ictmerge.core.commands import actor, console, err_console, fail, setup_django, use_actor

#: Kept importable from here for scripts written against the root.
__all__ = ["COMMAND_MODULES", "actor", "app", "console", "err_console", "fail", "main",
           "setup_django"]

app = typer.Typer(
    name="ictmerge",
    help="ictmerge: the ICT takeover of merging municipalities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Apps whose `cli.py` adds command groups, in help order.
COMMAND_MODULES = (
    "ictmerge.core.cli",
    "ictmerge.reforms.cli",
    "ictmerge.inventory.cli",
    "ictmerge.reports.cli",
    "ictmerge.consolidation.cli",
    "ictmerge.software.cli",
    "ictmerge.systems.cli",
    "ictmerge.planning.cli",
    "ictmerge.imports.cli",
    "ictmerge.review.cli",
)


@app.callback()
def main_callback(
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="User name that writes are recorded under (default: system)."),
    ] = None,
) -> None:
    """Set up Django and the user the writes are recorded under."""
    setup_django()
    use_actor(as_user)


def _register_command_modules() -> None:
    # The apps' commands import their models and services at module level: Django first.
    setup_django()
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue
            raise
        for name, group in getattr(module, "COMMANDS", {}).items():
            app.add_typer(group, name=name)
        for command in getattr(module, "TOP_LEVEL", ()):
            app.command()(command)


_register_command_modules()


def main() -> None:
    """Entry point of the console script."""
    app()
