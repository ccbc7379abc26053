"""Splitting a whole number by weights or shares so that the parts add up to it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

Weight = TypeVar("Weight", float, Decimal)


def _positive(weight: Weight) -> Weight:
    """The weight, or zero of its own type when it is not positive."""
    return weight if weight > 0 else weight - weight


def apportion(total: int, weights: Sequence[Weight], maximum: Sequence[int] | None = None,
              minimum: int = 0) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), exactly.

    Each part gets at least `minimum` and at most its `maximum`; ties go to the earlier index.
    Decimal weights (a succession's shares) are divided exactly, float weights as floats.
    """
    count = len(weights)
    if count == 0:
        if total:
            raise ValueError("cannot apportion a non-zero total over nothing")
        return []
    caps = list(maximum) if maximum is not None else [total] * count
    if minimum * count > total or sum(caps) < total or any(c < minimum for c in caps):
        raise ValueError(f"cannot apportion {total} within the bounds given")
    parts = [minimum] * count
    left = total - minimum * count
    while left > 0:
        open_ = [i for i in range(count) if parts[i] < caps[i]]
        weight_sum = sum(_positive(weights[i]) for i in open_)
        quotas: dict[int, float | Decimal]
        if weight_sum <= 0:
            quotas = {i: left / len(open_) for i in open_}
        else:
            quotas = {i: left * _positive(weights[i]) / weight_sum for i in open_}
        given = 0
        for i in open_:
            add = min(math.floor(quotas[i]), caps[i] - parts[i])
            parts[i] += add
            given += add
        rest = left - given
        order = sorted((i for i in open_ if parts[i] < caps[i]),
                       key=lambda i: (-(quotas[i] - math.floor(quotas[i])), i))
        for i in order[:rest]:
            parts[i] += 1
            given += 1
        left -= given
    return parts
