"""The JSON of an import run's problems, typed (the REST schema is generated from it)."""

from __future__ import annotations

from typing import TypedDict


class ProblemRow(TypedDict):
    """A problem of one cell, row or file."""

    file: str
    row: int
    column: str
    message: str


class CoverageRow(TypedDict):
    """One municipality's devices in the register and those its agents report."""

    municipality: str
    name: str
    devices: int
    reporting: int
    not_seen: int
    tokens: int
    share: float


class DevicesMerged(TypedDict):
    """How many pairs were merged, and the kept device of each."""

    merged: int
    kept: list[int]
