"""Reproducible randomness shared by every demo generator (apportioning is `engine.shares`)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence

# Latvia's extent, kept inside so generated points stay on land; the Gulf of Riga is avoided.
_LAT_RANGE = (56.05, 57.75)
_LON_RANGE = (21.3, 27.9)
_GULF = (57.0, 22.6, 24.4)  # north of this latitude and between these longitudes is sea


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
