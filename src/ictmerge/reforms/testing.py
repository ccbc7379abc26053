"""Test makers for reform records that a field-by-field guess cannot make valid."""

from __future__ import annotations

from typing import Any

from ictmerge.core.testing.factories import _counter, custom_maker
from ictmerge.reforms.models import Municipality, Succession


@custom_maker(Succession)
def make_succession(municipality: Any, **overrides: Any) -> Succession:
    """A succession from a fresh former unit into a fresh new unit of the same reform."""
    n = next(_counter)
    reform = municipality.reform
    former = Municipality.objects.create(reform=reform, code=f"F{n}", name=f"Former {n}",
                                         stage="former")
    new = Municipality.objects.create(reform=reform, code=f"N{n}", name=f"New {n}", stage="new")
    values = {"reform": reform, "former": former, "new": new, **overrides}
    return Succession(**values)
