"""The review's arithmetic, without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ictmerge.review import scoring


def test_it_interpolates_quantiles_like_numpy() -> None:
    assert scoring.median([1, 2, 3, 4]) == 2.5
    assert scoring.quantile([0, 10, 20, 30, 40], 0.25) == 10
    assert scoring.quantile([], 0.5) is None


def test_the_best_quartile_depends_on_the_direction() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert scoring.best_quartile(values, higher_is_better=True) == 4.0
    assert scoring.best_quartile(values, higher_is_better=False) == 2.0


def test_it_scores_areas_as_mean_level_over_the_maximum() -> None:
    scores = scoring.area_scores({"a1": 4, "a2": 2, "b1": 0},
                                 {"a1": "alpha", "a2": "alpha", "b1": "beta"})
    assert scores == {"alpha": 75.0, "beta": 0.0}


def test_computed_items_are_done_only_at_one_hundred_percent() -> None:
    assert scoring.status_of(1.0) == "done"
    assert scoring.status_of(0.999) == "in_progress"
    assert scoring.status_of(0.0) == "not_started"


@given(st.dictionaries(st.integers(0, 100), st.floats(0, 1), min_size=1, max_size=40))
def test_laggards_are_below_the_first_quartile_and_never_everyone(progress: dict[int, float]
                                                                  ) -> None:
    lagging = scoring.laggards(progress)
    threshold = scoring.quantile(list(progress.values()), 0.25)
    assert threshold is not None
    assert all(progress[k] < threshold for k in lagging)
    assert len(lagging) < len(progress)
