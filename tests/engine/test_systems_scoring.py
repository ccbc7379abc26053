"""Scoring: weighted sum and TOPSIS on worked examples, ties, sensitivity and Hypothesis properties."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictmerge.engine.systems.scoring import (
    Criterion,
    Direction,
    Method,
    load_criteria,
    minmax_normalise,
    score_table,
    sensitivity,
    topsis,
    weighted_sum,
)


def crit(code: str, weight: float, direction: Direction = Direction.BENEFIT) -> Criterion:
    return Criterion(code, code, code, direction, weight)


PRICE_AND_QUALITY = (crit("quality", 0.5), crit("price", 0.5, Direction.COST))
# A is best on both, B worst on both, C in the middle on both.
ABC = {"A": [4.0, 2.0], "B": [2.0, 4.0], "C": [3.0, 3.0]}


def test_it_normalises_benefit_and_cost_in_opposite_directions() -> None:
    assert minmax_normalise([2, 4, 3], Direction.BENEFIT) == [0.0, 1.0, 0.5]
    assert minmax_normalise([2, 4, 3], Direction.COST) == [1.0, 0.0, 0.5]
    assert minmax_normalise([7, 7], Direction.COST) == [1.0, 1.0]


def test_topsis_gives_the_textbook_closeness() -> None:
    # Vector-normalised weighted columns are mirror images, so C sits halfway between
    # the ideal (A) and the anti-ideal (B).
    scores = topsis(list(ABC.values()), PRICE_AND_QUALITY)
    assert scores == pytest.approx([1.0, 0.0, 0.5])


def test_weighted_sum_uses_minmax_values_and_unit_weights() -> None:
    scores = weighted_sum(
        list(ABC.values()), (crit("quality", 3), crit("price", 1, Direction.COST))
    )
    assert scores == pytest.approx([1.0, 0.0, 0.5])
    scores = weighted_sum([[4, 4], [2, 2]], (crit("quality", 3), crit("price", 1, Direction.COST)))
    assert scores == pytest.approx([0.75, 0.25])


def test_a_tie_is_flagged_and_broken_by_id_whatever_the_input_order() -> None:
    criteria = (crit("a", 1), crit("b", 1))
    forward = score_table(["x", "y"], [[1, 0], [0, 1]], criteria)
    backward = score_table(["y", "x"], [[0, 1], [1, 0]], criteria)
    assert forward.tie and backward.tie
    assert forward.winner == backward.winner == "x"
    assert forward == score_table(["x", "y"], [[1, 0], [0, 1]], criteria)


def test_a_single_candidate_wins_with_full_scores_and_no_sensitivity() -> None:
    table = score_table(["only"], [[3, 5]], PRICE_AND_QUALITY)
    assert table.winner == "only"
    assert (table.rows[0].weighted_sum, table.rows[0].topsis) == (1.0, 1.0)
    assert table.sensitivity.stable and not table.tie


def test_sensitivity_reports_exactly_the_weights_that_flip_the_winner() -> None:
    criteria = (crit("coverage", 0.52), crit("base", 0.48))
    result = sensitivity(["A", "B"], [[1, 0], [0, 1]], criteria, Method.WEIGHTED_SUM)
    assert result.checks == 4
    assert {(f.criterion_code, f.factor, f.new_winner) for f in result.flips} == {
        ("coverage", 0.8, "B"),
        ("base", 1.2, "B"),
    }
    assert "coverage -20 % -> B" in result.verdict()


def test_a_clear_winner_is_stable() -> None:
    table = score_table(list(ABC), list(ABC.values()), PRICE_AND_QUALITY)
    assert table.winner == "A" and table.sensitivity.stable
    assert table.ranking_topsis == table.ranking_weighted_sum == ("A", "C", "B")


@pytest.mark.parametrize(
    ("matrix", "criteria", "message"),
    [
        ([[1.0]], (crit("a", 0),), "positive"),
        ([[math.nan]], (crit("a", 1),), "finite"),
        ([[1.0, 2.0]], (crit("a", 1),), "exactly 1"),
        ([[1.0, 1.0]], (crit("a", 1), crit("a", 1)), "duplicate"),
    ],
)
def test_it_rejects_bad_input(
    matrix: list[list[float]], criteria: tuple[Criterion, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        score_table(["x"], matrix, criteria)


def test_the_shipped_criteria_cover_the_issue_and_point_the_right_way() -> None:
    shipped = load_criteria()
    directions = {c.code: c.direction for c in shipped.criteria}
    assert len(directions) == 8
    assert directions["cost_per_user"] is Direction.COST
    assert all(d is Direction.BENEFIT for code, d in directions.items() if code != "cost_per_user")
    assert math.isclose(sum(c.weight for c in shipped.criteria), 1.0)
    assert shipped.hosting_scores["state_data_centre"] > shipped.hosting_scores["on_premises"]


@pytest.mark.slow  # importing pymcdm loads Matplotlib: about 5 s
def test_it_agrees_with_pymcdm_topsis() -> None:
    np = pytest.importorskip("numpy")
    pymcdm = pytest.importorskip("pymcdm")
    from pymcdm.normalizations import vector_normalization  # type: ignore[import-untyped]

    matrix: list[list[float]] = [
        [250.0, 16, 12, 5],
        [200, 16, 8, 3],
        [300, 32, 16, 4],
        [275, 32, 8, 4],
        [225, 16, 16, 2],
    ]
    criteria = (
        crit("price", 1, Direction.COST),
        crit("ram", 2),
        crit("disk", 3),
        crit("support", 4),
    )
    types = np.array([-1, 1, 1, 1])
    weights = np.array([c.weight for c in criteria]) / 10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = pymcdm.methods.TOPSIS(normalization_function=vector_normalization)(
            np.array(matrix), weights, types
        )
    assert topsis(matrix, criteria) == pytest.approx(list(expected))


# --- properties -------------------------------------------------------------------------------

values = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_subnormal=False)


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[str], list[list[float]], list[Criterion]]:
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 5))
    weights = draw(st.lists(st.floats(0.01, 10), min_size=m, max_size=m))
    directions = draw(st.lists(st.sampled_from(list(Direction)), min_size=m, max_size=m))
    criteria = [
        crit(f"c{j}", w, d) for j, (w, d) in enumerate(zip(weights, directions, strict=True))
    ]
    matrix = draw(st.lists(st.lists(values, min_size=m, max_size=m), min_size=n, max_size=n))
    return [f"s{i}" for i in range(n)], matrix, criteria


@settings(max_examples=200, deadline=None)
@given(problems())
def test_scores_are_in_the_unit_interval(
    problem: tuple[list[str], list[list[float]], list[Criterion]],
) -> None:
    _, matrix, criteria = problem
    for scores in (weighted_sum(matrix, criteria), topsis(matrix, criteria)):
        assert all(0.0 <= s <= 1.0 for s in scores)


@settings(max_examples=200, deadline=None)
@given(problems(), st.floats(0.01, 100))
def test_scaling_every_weight_keeps_the_ranking(
    problem: tuple[list[str], list[list[float]], list[Criterion]], factor: float
) -> None:
    ids, matrix, criteria = problem
    scaled = [crit(c.code, c.weight * factor, c.direction) for c in criteria]
    for method in Method:
        before = score_table(ids, matrix, criteria, method)
        after = score_table(ids, matrix, scaled, method)
        assert [r.candidate_id for r in after.rows] == [r.candidate_id for r in before.rows]
        assert after.sensitivity.flips == before.sensitivity.flips


@settings(max_examples=200, deadline=None)
@given(problems(), st.data())
def test_a_candidate_dominating_on_every_criterion_wins(
    problem: tuple[list[str], list[list[float]], list[Criterion]], data: st.DataObject
) -> None:
    ids, matrix, criteria = problem
    margin = data.draw(st.floats(1, 1000))
    best: list[float] = [
        (max(col) + margin) if c.direction is Direction.BENEFIT else (min(col) - margin)
        for c, col in zip(criteria, zip(*matrix, strict=True), strict=True)
    ]
    position = data.draw(st.integers(0, len(matrix)))
    matrix = [*matrix[:position], best, *matrix[position:]]
    ids = [*ids[:position], "dominant", *ids[position:]]
    for method in Method:
        table = score_table(ids, matrix, criteria, method)
        assert table.winner == "dominant"
        assert not table.tie
