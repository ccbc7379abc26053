"""Synthetic reforms: N former into M new municipalities, valid, skewed like real ones, with
splits, the same for the same seed."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictmerge.engine.reform import validate
from ictmerge.engine.synthetic_reform import SyntheticSpec, generate_rows


def test_it_makes_a_ukraine_sized_reform_with_a_realistic_size_distribution() -> None:
    """GIVEN 11,000 former and 1,469 new municipalities WHEN generated THEN every former has a
    successor, every new one merges at least one, populations are skewed (median near the
    assumed 1,200, a few towns far above) and so are the mergers (most a few, some dozens)."""
    spec = SyntheticSpec(formers=11_000, news=1_469, seed=1)
    rows = generate_rows(spec)
    assert validate(rows, spec.effective_date) == []
    populations = {r.former.code: r.former.population or 0 for r in rows}
    assert len(populations) == 11_000 and len({r.new.code for r in rows if r.new}) == 1_469
    assert 1_100 <= statistics.median(populations.values()) <= 1_300
    assert max(populations.values()) > 20 * statistics.median(populations.values())
    assert statistics.mean(populations.values()) > statistics.median(populations.values())
    merged = Counter(r.new.code for r in rows if r.new)
    assert min(merged.values()) >= 1 and max(merged.values()) >= 4 * statistics.median(merged.values())


def test_it_splits_the_assumed_share_of_former_municipalities_with_shares_summing_to_one() -> None:
    """GIVEN a split rate of 5 % of 2,000 former municipalities THEN 100 are split between two
    different new ones, with shares in (0, 1) that sum to 1."""
    rows = generate_rows(SyntheticSpec(formers=2_000, news=300, seed=3, split_rate=0.05))
    parts: defaultdict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for row in rows:
        assert row.new is not None
        parts[row.former.code].append((row.new.code, row.share))
    split = {code: p for code, p in parts.items() if len(p) > 1}
    assert len(split) == 100
    for pieces in split.values():
        assert len(pieces) == 2 and pieces[0][0] != pieces[1][0]
        assert sum(share for _, share in pieces) == 1 and all(0 < s < 1 for _, s in pieces)
    whole = [p for p in parts.values() if len(p) == 1]
    assert all(p[0][1] == 1 for p in whole)


def test_it_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    """GIVEN one spec WHEN generated twice THEN the rows are equal; another seed gives others."""
    spec = SyntheticSpec(formers=500, news=60, seed=7)
    assert generate_rows(spec) == generate_rows(spec)
    assert generate_rows(spec) != generate_rows(SyntheticSpec(formers=500, news=60, seed=8))


@settings(max_examples=40)
@given(news=st.integers(1, 40), extra=st.integers(0, 200), seed=st.integers(0, 10_000),
       rate=st.floats(0, 0.5))
def test_it_is_valid_for_any_size(news: int, extra: int, seed: int, rate: float) -> None:
    """GIVEN any N >= M >= 1 and split rate WHEN generated THEN the table validates, with N
    former and M new municipalities, and the new populations add up to the former ones."""
    spec = SyntheticSpec(formers=news + extra, news=news, seed=seed, split_rate=rate)
    rows = generate_rows(spec)
    assert validate(rows, spec.effective_date) == []
    assert len({r.former.code for r in rows}) == news + extra
    new_populations = {r.new.code: r.new.population or 0 for r in rows if r.new}
    assert len(new_populations) == news
    total = sum({r.former.code: r.former.population or 0 for r in rows}.values())
    assert abs(sum(new_populations.values()) - total) <= len(rows)  # rounding of split shares


def test_it_refuses_fewer_former_than_new_municipalities() -> None:
    """GIVEN 3 former and 5 new municipalities THEN the generator refuses."""
    with pytest.raises(ValueError, match="at least as many"):
        generate_rows(SyntheticSpec(formers=3, news=5))
