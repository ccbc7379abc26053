"""The JSON of an import run's problems, typed (the REST schema is generated from it)."""

from __future__ import annotations

from typing import TypedDict


class ProblemRow(TypedDict):
    """A problem of one cell, row or file."""

    file: str
    row: int
    column: str
    message: str
