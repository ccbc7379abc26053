"""What the apps' commands share about the county: --county and --reform, read one way.

The commands of every app above reforms take these from here (what they share beyond the
county, the consoles, the acting user and `fail`, is in `core.commands`).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ictmerge.core.commands import fail
from ictmerge.reforms import counties
from ictmerge.reforms.counties import CountyError

#: The county a command works on, and its reform: the same meaning in every command.
CountyOption = Annotated[str, typer.Option("--county", help="Code of the new municipality.")]
ReformOption = Annotated[str | None, typer.Option(
    "--reform", help="Reform code (default: the latest reform with data).")]


def county_from(code: str | None, reform: str | None = None, given_as: str = "--county") -> Any:
    """The county of --county CODE [--reform R] (reforms.counties.resolve_county); a clear
    error and exit 1 when the code names no county."""
    if not code:
        fail(f"give {given_as} CODE")
    try:
        return counties.resolve_county(str(code), reform)
    except CountyError as error:
        fail(f"{given_as}: {error}")


def reform_from(code: str | None) -> Any:
    """The reform of --reform R, else the current one (reforms.counties.current_reform)."""
    try:
        return counties.reform_named(code)
    except CountyError as error:
        fail(str(error))
