"""What both import paths share: our templates (`services`) and other tools' files (`sources`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ictmerge.engine.imports.rows import Problem
from ictmerge.reforms.models import Municipality

#: Problems and rejected rows kept on the run (all are counted).
KEEP = 10_000


@dataclass
class Outcome:
    """What an import did or would do."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rows: int = 0
    extra: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    rejected_rows: list[dict[str, Any]] = field(default_factory=list)
    #: The devices written or found (an inventory's; not stored on the run).
    devices: list[int] = field(default_factory=list)

    def add_problems(self, problems: list[Problem]) -> None:
        """Keep the problems (up to KEEP) and count them all."""
        self.problem_count += len(problems)
        room = KEEP - len(self.problems)
        if room > 0:
            self.problems.extend(problems[:room])

    def counts(self) -> dict[str, int]:
        """The counts as stored on the run."""
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, **self.extra}


class Rollback(Exception):
    """Undo the whole import (dry run, or a bad row without --valid-only)."""


def table_problem(message: str, source: str) -> Problem:
    """A TableError's message (`source, row N, column: text` or `source: text`) as a Problem."""
    prefix = f"{source}, "
    text = message[len(prefix):] if message.startswith(prefix) else message
    row = 0
    if text.startswith("row "):
        head, _, text = text.partition(": ")
        parts = head.split(", ", 1)
        row = int(parts[0][4:]) if parts[0][4:].isdigit() else 0
        return Problem(source, row, parts[1] if len(parts) > 1 else "", text)
    if message.startswith(source + ": "):
        text = message[len(source) + 2:]
    return Problem(source, row, "", text)


def municipality_codes() -> dict[str, int]:
    """Municipality code → id; a former municipality wins over a new one with the same code."""
    codes: dict[str, int] = {}
    rows = Municipality.objects.order_by("reform__effective_date", "reform_id")
    for code, stage, pk in rows.values_list("code", "stage", "pk"):
        if code not in codes or stage == "former":
            codes[code] = pk
    return codes
