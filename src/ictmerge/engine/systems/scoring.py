"""Multi-criteria scoring of candidate systems: weighted sum, TOPSIS and a weight sensitivity check.

TOPSIS is implemented here in plain Python (Hwang and Yoon 1981: vector normalisation, weighted
distances to the ideal and anti-ideal, closeness = D- / (D+ + D-)). pymcdm was tried and agrees
(see the cross-check test) but pulls SciPy and Matplotlib, warns on dominant alternatives and
returns NaN for a single candidate or identical ones, all of which the reform has.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ictmerge.engine.explain import Explanation, define, explain
from ictmerge.engine.systems._data import (
    DataFileError,
    entries,
    number_field,
    read_json,
    text_field,
)

# Scores are rounded before ranking so that floating-point noise (e.g. from scaling every weight)
# never reorders candidates whose exact scores are equal.
RANK_DIGITS = 9
SENSITIVITY_FACTORS = (0.8, 1.2)


class Direction(StrEnum):
    """Whether more of a criterion is better (benefit) or worse (cost)."""

    BENEFIT = "benefit"
    COST = "cost"


class Method(StrEnum):
    """Aggregation method that decides the winner."""

    WEIGHTED_SUM = "weighted_sum"
    TOPSIS = "topsis"


@dataclass(frozen=True)
class Criterion:
    """One editable, weighted criterion."""

    code: str
    name_en: str
    name_lv: str
    direction: Direction
    weight: float
    unit: str = ""


@dataclass(frozen=True)
class CriteriaSet:
    """Criteria with the hosting scores used to turn hosting kinds into numbers."""

    criteria: tuple[Criterion, ...]
    hosting_scores: Mapping[str, float]


def load_criteria(path: Path | None = None) -> CriteriaSet:
    """Load criteria and hosting scores from `path` or the shipped data/criteria.json."""
    where, document = read_json(path, "criteria.json")
    criteria: list[Criterion] = []
    for index, item in enumerate(entries(where, document, "criteria")):
        here = f"{where}: criteria[{index}]"
        direction = text_field(here, item, "direction")
        if direction not in {d.value for d in Direction}:
            raise DataFileError(f"{here}: direction: expected benefit or cost, got {direction!r}")
        criteria.append(
            Criterion(
                code=text_field(here, item, "code"),
                name_en=text_field(here, item, "name_en"),
                name_lv=text_field(here, item, "name_lv"),
                direction=Direction(direction),
                weight=number_field(here, item, "weight"),
                unit=text_field(here, item, "unit", optional=True),
            )
        )
    check_criteria(criteria)
    raw_hosting = document.get("hosting_scores", {})
    hosting = {
        key: number_field(f"{where}: hosting_scores", raw_hosting, key)
        for key in raw_hosting
        if key != "about"
    }
    return CriteriaSet(tuple(criteria), hosting)


def check_criteria(criteria: Sequence[Criterion]) -> None:
    """Raise ValueError unless codes are unique, weights non-negative and some weight positive."""
    codes = [c.code for c in criteria]
    if len(set(codes)) != len(codes):
        raise ValueError(f"criteria: duplicate code in {codes}")
    if any(not (c.weight >= 0 and math.isfinite(c.weight)) for c in criteria):
        raise ValueError("criteria: every weight must be a finite number >= 0")
    if not any(c.weight > 0 for c in criteria):
        raise ValueError("criteria: at least one weight must be positive")


def with_weight(criteria: Sequence[Criterion], code: str, weight: float) -> tuple[Criterion, ...]:
    """Return the criteria with one weight replaced."""
    return tuple(
        Criterion(c.code, c.name_en, c.name_lv, c.direction, weight, c.unit)
        if c.code == code
        else c
        for c in criteria
    )


def _columns(matrix: Sequence[Sequence[float]], width: int) -> list[list[float]]:
    if any(len(row) != width for row in matrix):
        raise ValueError(f"every candidate needs exactly {width} criterion values")
    if any(not math.isfinite(v) for row in matrix for v in row):
        raise ValueError("criterion values must be finite numbers")
    return [[row[j] for row in matrix] for j in range(width)]


def _unit_weights(criteria: Sequence[Criterion]) -> list[float]:
    check_criteria(criteria)
    total = math.fsum(c.weight for c in criteria)
    return [c.weight / total for c in criteria]


def minmax_normalise(values: Sequence[float], direction: Direction) -> list[float]:
    """Map raw values to [0, 1], 1 being best; a criterion where all are equal gives 1 to all."""
    low, high = min(values), max(values)
    if high == low:
        return [1.0 for _ in values]
    if direction is Direction.BENEFIT:
        return [(v - low) / (high - low) for v in values]
    return [(high - v) / (high - low) for v in values]


def weighted_sum(matrix: Sequence[Sequence[float]], criteria: Sequence[Criterion]) -> list[float]:
    """Return each candidate's weighted sum of min-max normalised values, in [0, 1]."""
    weights = _unit_weights(criteria)
    columns = _columns(matrix, len(criteria))
    normalised = [
        minmax_normalise(col, c.direction) for col, c in zip(columns, criteria, strict=True)
    ]
    return [
        min(1.0, math.fsum(w * normalised[j][i] for j, w in enumerate(weights)))
        for i in range(len(matrix))
    ]


def topsis(matrix: Sequence[Sequence[float]], criteria: Sequence[Criterion]) -> list[float]:
    """Return each candidate's TOPSIS closeness to the ideal, in [0, 1]."""
    weights = _unit_weights(criteria)
    columns = _columns(matrix, len(criteria))
    weighted: list[list[float]] = []
    for col, weight in zip(columns, weights, strict=True):
        norm = math.sqrt(math.fsum(v * v for v in col))
        weighted.append([weight * v / norm if norm > 0 else 0.0 for v in col])
    ideal = [
        max(col) if c.direction is Direction.BENEFIT else min(col)
        for col, c in zip(weighted, criteria, strict=True)
    ]
    anti = [
        min(col) if c.direction is Direction.BENEFIT else max(col)
        for col, c in zip(weighted, criteria, strict=True)
    ]
    scores = []
    for i in range(len(matrix)):
        to_ideal = math.sqrt(
            math.fsum((weighted[j][i] - ideal[j]) ** 2 for j in range(len(criteria)))
        )
        to_anti = math.sqrt(
            math.fsum((weighted[j][i] - anti[j]) ** 2 for j in range(len(criteria)))
        )
        # Identical candidates sit on both the ideal and anti-ideal: none is worse than another.
        scores.append(1.0 if to_ideal + to_anti == 0 else to_anti / (to_ideal + to_anti))
    return scores


def score(
    matrix: Sequence[Sequence[float]], criteria: Sequence[Criterion], method: Method
) -> list[float]:
    """Return scores by `method`."""
    if method is Method.TOPSIS:
        return topsis(matrix, criteria)
    return weighted_sum(matrix, criteria)


def ranking(candidate_ids: Sequence[str], scores: Sequence[float]) -> list[str]:
    """Return ids best first; equal scores (to RANK_DIGITS) keep the ids' alphabetical order."""
    order = sorted(
        range(len(candidate_ids)),
        key=lambda i: (-round(scores[i], RANK_DIGITS), candidate_ids[i]),
    )
    return [candidate_ids[i] for i in order]


@dataclass(frozen=True)
class CandidateScore:
    """One candidate's normalised values and scores."""

    candidate_id: str
    raw: tuple[float, ...]
    normalised: tuple[float, ...]
    weighted_sum: float
    topsis: float


@dataclass(frozen=True)
class WeightFlip:
    """A single weight change that makes another candidate win."""

    criterion_code: str
    factor: float
    new_winner: str


@dataclass(frozen=True)
class Sensitivity:
    """Whether the winner survives each single weight moved by each factor."""

    method: Method
    factors: tuple[float, ...]
    checks: int
    flips: tuple[WeightFlip, ...]

    @property
    def stable(self) -> bool:
        """True when no single weight change flips the winner."""
        return not self.flips

    def explanation(self) -> Explanation:
        """The result as an explanation (stable, or which weight moves flip the winner)."""
        spread = "/".join(f"{(f - 1) * 100:+.0f} %" for f in self.factors)
        if self.stable:
            return explain(STABLE, spread=spread)
        moves = "; ".join(
            f"{flip.criterion_code} {(flip.factor - 1) * 100:+.0f} % -> {flip.new_winner}"
            for flip in self.flips
        )
        return explain(SENSITIVE, moves=moves)

    def verdict(self) -> str:
        """The result in English words."""
        return str(self.explanation())


#: Whether the winner holds when the weights move (the web layer translates these codes).
STABLE = define("systems.stable", "stable: the winner holds when any single weight moves "
                "%(spread)s")
SENSITIVE = define("systems.sensitive", "sensitive: %(moves)s")


@dataclass(frozen=True)
class ScoreTable:
    """The full scoring of one function's candidates."""

    criteria: tuple[Criterion, ...]
    method: Method
    rows: tuple[CandidateScore, ...]  # best first by `method`
    ranking_weighted_sum: tuple[str, ...]
    ranking_topsis: tuple[str, ...]
    sensitivity: Sensitivity

    @property
    def winner(self) -> str:
        """The best candidate by the deciding method."""
        return self.rows[0].candidate_id

    @property
    def tie(self) -> bool:
        """True when the best two are equal by the deciding method (broken alphabetically)."""
        if len(self.rows) < 2:
            return False
        first, second = (self._score(r) for r in self.rows[:2])
        return round(first, RANK_DIGITS) == round(second, RANK_DIGITS)

    @property
    def methods_agree(self) -> bool:
        """True when the weighted sum and TOPSIS pick the same winner."""
        return self.ranking_weighted_sum[0] == self.ranking_topsis[0]

    def _score(self, row: CandidateScore) -> float:
        return row.topsis if self.method is Method.TOPSIS else row.weighted_sum


def sensitivity(
    candidate_ids: Sequence[str],
    matrix: Sequence[Sequence[float]],
    criteria: Sequence[Criterion],
    method: Method,
    factors: Sequence[float] = SENSITIVITY_FACTORS,
) -> Sensitivity:
    """Move each weight alone by each factor and report every change of winner."""
    winner = ranking(candidate_ids, score(matrix, criteria, method))[0]
    flips: list[WeightFlip] = []
    checks = 0
    for criterion in criteria:
        if criterion.weight == 0:
            continue  # a zero weight stays zero under any factor
        for factor in factors:
            changed = with_weight(criteria, criterion.code, criterion.weight * factor)
            checks += 1
            new_winner = ranking(candidate_ids, score(matrix, changed, method))[0]
            if new_winner != winner:
                flips.append(WeightFlip(criterion.code, factor, new_winner))
    return Sensitivity(method, tuple(factors), checks, tuple(flips))


def score_table(
    candidate_ids: Sequence[str],
    matrix: Sequence[Sequence[float]],
    criteria: Sequence[Criterion],
    method: Method = Method.TOPSIS,
    factors: Sequence[float] = SENSITIVITY_FACTORS,
) -> ScoreTable:
    """Score candidates by both methods, rank them and check the winner's sensitivity."""
    if not candidate_ids:
        raise ValueError("no candidates to score")
    if len(set(candidate_ids)) != len(candidate_ids):
        raise ValueError(f"duplicate candidate id in {list(candidate_ids)}")
    if len(matrix) != len(candidate_ids):
        raise ValueError("one row of criterion values is needed per candidate")
    check_criteria(criteria)
    columns = _columns(matrix, len(criteria))
    normalised = [
        minmax_normalise(col, c.direction) for col, c in zip(columns, criteria, strict=True)
    ]
    sums = weighted_sum(matrix, criteria)
    closeness = topsis(matrix, criteria)
    by_id = {
        cid: CandidateScore(
            cid,
            tuple(matrix[i]),
            tuple(normalised[j][i] for j in range(len(criteria))),
            sums[i],
            closeness[i],
        )
        for i, cid in enumerate(candidate_ids)
    }
    by_sum = ranking(candidate_ids, sums)
    by_topsis = ranking(candidate_ids, closeness)
    decisive = by_topsis if method is Method.TOPSIS else by_sum
    return ScoreTable(
        criteria=tuple(criteria),
        method=method,
        rows=tuple(by_id[cid] for cid in decisive),
        ranking_weighted_sum=tuple(by_sum),
        ranking_topsis=tuple(by_topsis),
        sensitivity=sensitivity(candidate_ids, matrix, criteria, method, factors),
    )
