"""Pure helpers of the review: fractions to statuses, medians, quartiles, maturity scores.

No Django here, so that the arithmetic is tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

#: Manual statuses as fractions of done; "not applicable" is left out of the mean.
STATUS_FRACTION = {"not_started": 0.0, "in_progress": 0.5, "done": 1.0}
MAX_LEVEL = 4


def status_of(fraction: float) -> str:
    """The status a computed fraction stands for (done only at 100 %)."""
    if fraction >= 1.0 - 1e-9:
        return "done"
    if fraction > 0:
        return "in_progress"
    return "not_started"


def mean(values: Iterable[float]) -> float | None:
    """The arithmetic mean, or None for no values."""
    items = list(values)
    return sum(items) / len(items) if items else None


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile with linear interpolation between closest ranks (numpy's default)."""
    items = sorted(values)
    if not items:
        return None
    position = (len(items) - 1) * q
    low = int(position)
    high = min(low + 1, len(items) - 1)
    return items[low] + (items[high] - items[low]) * (position - low)


def median(values: Sequence[float]) -> float | None:
    """The median."""
    return quantile(values, 0.5)


def best_quartile(values: Sequence[float], higher_is_better: bool = True) -> float | None:
    """The threshold of the best quarter: the 75th percentile, or the 25th when lower is better."""
    return quantile(values, 0.75 if higher_is_better else 0.25)


def area_scores(levels: Mapping[str, int], areas: Mapping[str, str]) -> dict[str, float]:
    """Score per area (0-100): the mean maturity level of its answered questions over the maximum.

    `levels` maps question code → level; `areas` maps question code → area.
    """
    grouped: dict[str, list[int]] = {}
    for code, level in levels.items():
        grouped.setdefault(areas[code], []).append(level)
    return {area: round(100 * sum(v) / (MAX_LEVEL * len(v)), 1) for area, v in grouped.items()}


def laggards(progress: Mapping[int, float]) -> set[int]:
    """Keys whose progress is below the first quartile of all (none when all are equal)."""
    values = list(progress.values())
    threshold = quantile(values, 0.25)
    if threshold is None:
        return set()
    return {key for key, value in progress.items() if value < threshold}
