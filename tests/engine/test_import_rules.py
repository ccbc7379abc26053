"""The shared record rules: they read only the fields they declare, and speak any language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ictmerge.engine.imports import rules

#: Every field any rule reads, each with a few values that make the rules disagree.
VALUES: dict[str, list[Any]] = {name: [None, Decimal(0), Decimal(10), Decimal(50)]
                                for name in ("ict_spend_eur", "total_expenditure_eur",
                                             *rules.SPEND_CATEGORIES, "latitude", "longitude")}
VALUES |= {name: [None, dt.date(2020, 1, 1), dt.date(2021, 1, 1)]
           for name in ("purchase_date", "warranty_until", "start_date", "end_date")}
VALUES |= {"is_virtual": [False, True], "surveyed": [False, True],
           "kind": ["server", "desktop", None], "quantity": [None, 0, 1, 5],
           "device": [None, 7], "count": [None, 1, 2]}


class Watched(Mapping[str, Any]):
    """A row that remembers which fields were read."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def test_every_rule_declares_what_it_reads() -> None:
    """GIVEN the rules per model WHEN listed THEN each has its READS entry."""
    assert {rule for found in rules.RULES.values() for rule in found} == set(rules.READS)


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({name: st.sampled_from(values) for name, values in VALUES.items()}))
def test_a_rule_reads_only_its_declared_fields(row: dict[str, Any]) -> None:
    """GIVEN any row WHEN each rule judges it THEN it reads no field outside READS, and
    judges the row cut down to those fields alike (the importer judges that cut once)."""
    for rule, reads in rules.READS.items():
        watched = Watched(row)
        verdict = rule(watched)
        assert watched.read <= set(reads), rule.__name__
        assert rule({name: row[name] for name in reads}) == verdict


def test_a_message_is_rendered_with_its_parameters_in_any_language() -> None:
    """GIVEN a message with a parameter WHEN rendered plainly and through a translation
    THEN both fill the parameter in."""
    message = rules.finance({"ict_spend_eur": Decimal(100), "surveyed": True,
                             **dict.fromkeys(rules.SPEND_CATEGORIES, Decimal("10.00"))})
    summed = message["ict_spend_eur"]
    assert str(summed) == "The categories sum to 50.00, not to the ICT spend."
    latvian = {rules.CATEGORIES_SUM: "Kategoriju summa ir %(sum)s."}
    assert summed.render(lambda text: latvian.get(text, text)) == "Kategoriju summa ir 50.00."
