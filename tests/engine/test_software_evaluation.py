"""Precision/recall of the normaliser on the project's labelled set of raw titles."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ictmerge.engine.software import (
    Category,
    EvaluationReport,
    Normaliser,
    evaluate,
    read_labelled_titles,
)
from ictmerge.engine.software.evaluation import pairwise_scores

LABELLED = Path(__file__).parent / "data" / "software_titles_labelled.csv"


@pytest.fixture(scope="module")
def report() -> EvaluationReport:
    with LABELLED.open(encoding="utf-8", newline="") as stream:
        rows = read_labelled_titles(stream)
    result = evaluate(Normaliser(), rows)
    print("\n" + result.table())
    return result


def test_the_labelled_set_is_large_and_varied() -> None:
    with LABELLED.open(encoding="utf-8", newline="") as stream:
        rows = read_labelled_titles(stream)
    categories = Counter(row.category for row in rows)
    assert len(rows) >= 500
    assert min(categories.values()) >= 100
    assert len({row.raw.name for row in rows}) >= 0.95 * len(rows)


def test_it_reaches_the_precision_and_recall_floors(report: EvaluationReport) -> None:
    scores = {score.category: score for score in report.per_category}
    for category in (Category.LICENSABLE, Category.COMPONENT):
        assert scores[category].precision >= 0.95, category
        assert scores[category].recall >= 0.95, category
    assert scores[Category.FREE].precision >= 0.95
    assert scores[Category.FREE].recall >= 0.93


def test_it_reaches_the_issue_targets(report: EvaluationReport) -> None:
    """Issue 6: pairwise F1 >= 0.95 and category accuracy >= 0.95."""
    assert report.pairwise_f1 >= 0.95
    assert report.category_accuracy >= 0.95


def test_no_trap_pair_is_confused(report: EvaluationReport) -> None:
    assert report.trap_confusions == ()


def test_pairwise_scores_count_pairs_not_rows() -> None:
    expected = [("a", "x"), ("a", "x"), ("a", "y")]
    assert pairwise_scores(expected, expected) == (1.0, 1.0, 1.0)
    merged = [("a", "x"), ("a", "x"), ("a", "x")]
    precision, recall, _ = pairwise_scores(expected, merged)
    assert (precision, recall) == (pytest.approx(1 / 3), 1.0)
