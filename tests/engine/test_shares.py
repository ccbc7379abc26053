"""Apportioning by a succession's shares: one function for the demo and the national view."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ictmerge.engine.shares import apportion

SHARES = st.lists(st.decimals("0.0001", "1", places=4), min_size=1, max_size=6)


def _largest_remainder(total: int, shares: list[Decimal]) -> list[int]:
    """The national view's former split, in exact decimals, as the reference."""
    share_sum = sum(shares)
    exact = [Decimal(total) * s / share_sum for s in shares]
    parts = [int(x) for x in exact]
    remainders = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return parts


@given(st.integers(0, 100_000), SHARES)
def test_it_splits_decimal_shares_as_the_exact_largest_remainder(
        total: int, shares: list[Decimal]) -> None:
    """GIVEN a count and a succession's decimal shares WHEN apportioned THEN the parts are the
    exact largest-remainder split (ties to the earlier share) and add up to the count."""
    parts = apportion(total, shares)
    assert parts == _largest_remainder(total, shares)
    assert sum(parts) == total


def test_it_gives_a_tie_to_the_earlier_share() -> None:
    """GIVEN three equal shares of 1/3 WHEN 4 is split THEN the first share gets the extra one."""
    assert apportion(4, [Decimal("0.3333")] * 3) == [2, 1, 1]
