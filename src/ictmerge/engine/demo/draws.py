"""Reproducible randomness and exact apportioning shared by every demo generator."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence

# Latvia's extent, kept inside so generated points stay on land; the Gulf of Riga is avoided.
_LAT_RANGE = (56.05, 57.75)
_LON_RANGE = (21.3, 27.9)
_GULF = (57.0, 22.6, 24.4)  # north of this latitude and between these longitudes is sea


def apportion(total: int, weights: Sequence[float], maximum: Sequence[int] | None = None,
              minimum: int = 0) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), exactly.

    Each part gets at least `minimum` and at most its `maximum`; ties go to the earlier index.
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
        weight_sum = sum(max(weights[i], 0.0) for i in open_)
        if weight_sum <= 0:
            quotas = {i: left / len(open_) for i in open_}
        else:
            quotas = {i: left * max(weights[i], 0.0) / weight_sum for i in open_}
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


def _rng(seed: int, *key: object) -> random.Random:
    """An independent, reproducible random stream for one purpose."""
    return random.Random(":".join(str(k) for k in (seed, *key)))


def _noise(rng: random.Random, sigma: float) -> float:
    return math.exp(rng.gauss(0.0, sigma))


def _place(key: str) -> tuple[float, float]:
    """A deterministic point inside Latvia for a key (the same for every seed)."""
    rng = random.Random(f"place:{key}")
    while True:
        lat = rng.uniform(*_LAT_RANGE)
        lon = rng.uniform(*_LON_RANGE)
        if not (lat > _GULF[0] and _GULF[1] < lon < _GULF[2]):
            return lat, lon


def _near(rng: random.Random, centre: tuple[float, float], spread: float) -> tuple[float, float]:
    lat = min(max(centre[0] + rng.uniform(-spread, spread) * 0.6, 55.7), 58.0)
    lon = min(max(centre[1] + rng.uniform(-spread, spread), 21.0), 28.2)
    return round(lat, 6), round(lon, 6)



def _pick(rng: random.Random, options: Sequence[str], weights: Sequence[float]) -> str:
    return rng.choices(list(options), weights=list(weights))[0]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))
