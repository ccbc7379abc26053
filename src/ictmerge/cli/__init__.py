"""The `ictmerge` command line: the front door to every capability.

Each app may add command groups in its own `cli.py` by defining `COMMANDS`, a dict of
group name → `typer.Typer`. Django is set up once, before any command runs.
"""

from __future__ import annotations

import importlib
import os
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

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

_state: dict[str, Any] = {"actor": None}


def setup_django() -> None:
    """Configure Django once (the development settings unless told otherwise)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmerge.settings.dev")
    import django
    from django.apps import apps as django_apps

    if not django_apps.ready:
        django.setup()


def actor() -> Any:
    """The user the command acts as: --as, or the system user (every right, recorded as
    "system") when none is given. Never None, which scoping reads as nobody."""
    from ictmerge.core.scoping import SYSTEM_USER

    return _state["actor"] or SYSTEM_USER


def fail(message: str, code: int = 1) -> None:
    """Print an error and stop with a non-zero exit code."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


#: The county a command works on, and its reform: the same meaning in every command.
CountyOption = Annotated[str, typer.Option("--county", help="Code of the new municipality.")]
ReformOption = Annotated[str | None, typer.Option(
    "--reform", help="Reform code (default: the latest reform with data).")]


def county_from(code: str | None, reform: str | None = None, given_as: str = "--county") -> Any:
    """The county of --county CODE [--reform R] (reforms.counties.resolve_county); a clear
    error and exit 1 when the code names no county."""
    from ictmerge.reforms.counties import CountyError, resolve_county

    if not code:
        fail(f"give {given_as} CODE")
    try:
        return resolve_county(str(code), reform)
    except CountyError as error:
        fail(f"{given_as}: {error}")


def reform_from(code: str | None) -> Any:
    """The reform of --reform R, else the current one (reforms.counties.current_reform)."""
    from ictmerge.reforms.counties import CountyError, reform_named

    try:
        return reform_named(code)
    except CountyError as error:
        fail(str(error))


@app.callback()
def main_callback(
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="User name that writes are recorded under (default: system)."),
    ] = None,
) -> None:
    """Set up Django and the user the writes are recorded under."""
    setup_django()
    from django.contrib.auth import get_user_model

    _state["actor"] = None
    if as_user:
        user = get_user_model().objects.filter(username=as_user).first()
        if user is None:
            fail(f"no user named '{as_user}'")
        _state["actor"] = user
    from ictmerge.core.history import set_actor

    set_actor(_state["actor"])


def _register_command_modules() -> None:
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
