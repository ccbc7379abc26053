"""Explanations as codes with parameters: English text, plurals, JSON."""

from __future__ import annotations

import pytest

from ictmerge.engine.explain import Number, define, english, explain, from_json, to_json

HOSTS = define("test.hosts", "holds %(n)s host of %(room)s", "holds %(n)s hosts of %(room)s",
               count="n")
OUTER = define("test.outer", "because %(inner)s, %(share)s")


def test_it_writes_english_with_the_plural_of_its_count() -> None:
    """GIVEN a counted explanation WHEN written for 1 and 1200 THEN singular, then plural with
    the number grouped."""
    assert english(explain(HOSTS, n=1, room="A")) == "holds 1 host of A"
    assert english(explain(HOSTS, n=1200, room="A")) == "holds 1,200 hosts of A"


def test_it_round_trips_through_json() -> None:
    """GIVEN an explanation holding a number and another explanation WHEN written to JSON and
    read back THEN it is equal and reads the same."""
    reason = explain(OUTER, inner=explain(HOSTS, n=2, room="B"), share=Number(0.5, 2))
    assert from_json(to_json(reason)) == reason
    assert str(reason) == "because holds 2 hosts of B, 0.50"


def test_it_refuses_a_missing_parameter_and_a_second_text() -> None:
    """GIVEN a declared code WHEN explained without a parameter, or declared again with another
    text THEN both are refused."""
    with pytest.raises(ValueError, match="missing"):
        explain(OUTER, inner="x")
    with pytest.raises(ValueError, match="twice"):
        define("test.outer", "another text %(inner)s %(share)s")
