"""Precision/recall of the normaliser on the project's labelled sets of raw titles.

The development set is what rules are written from; the retired test set was measured three
times and is open to rules since; holdout 1 was measured once at issue 17's close and opened to
rules in session 6; holdout 2 was measured in session 6 and opened to rules in session 7, and
holdouts 3 to 5 were each measured once in session 7 and opened for the next round; holdout 6's
origins were never used for rules, so its figures are the ones issue 17's targets are judged on
(docs/software-normalisation.md)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ictmerge.engine.software import (
    Category,
    EvaluationReport,
    LabelledTitle,
    Normaliser,
    evaluate,
    read_labelled_titles,
)
from ictmerge.engine.software.evaluation import pairwise_scores

LABELLED = Path(__file__).parent / "data" / "software_titles_labelled.csv"
TEST_SET = Path(__file__).parent / "data" / "software_titles_test.csv"
HOLDOUT_1 = Path(__file__).parent / "data" / "software_titles_holdout.csv"
HOLDOUT_2 = Path(__file__).parent / "data" / "software_titles_holdout2.csv"
HOLDOUT_3 = Path(__file__).parent / "data" / "software_titles_holdout3.csv"
HOLDOUT_4 = Path(__file__).parent / "data" / "software_titles_holdout4.csv"
HOLDOUT_5 = Path(__file__).parent / "data" / "software_titles_holdout5.csv"
HOLDOUT_6 = Path(__file__).parent / "data" / "software_titles_holdout6.csv"
#: The holdouts opened to rules after their measurement: reported, not judged.
OPENED_HOLDOUTS = {"holdout 1 (opened in session 6)": HOLDOUT_1,
                   "holdout 2 (opened in session 7)": HOLDOUT_2,
                   "holdout 3 (opened in session 7)": HOLDOUT_3,
                   "holdout 4 (opened in session 7)": HOLDOUT_4,
                   "holdout 5 (opened in session 7)": HOLDOUT_5}

#: Issue 17's targets holdout 6 did not reach at its one measurement (session 7, on main after the
#: fourth round, written from the development side with holdout 5 open), with the figure then.
#: Each is reported, not asserted: its test is an xfail that records the figure; the targets met
#: are plain assertions. Strict: a target that starts to hold fails its xfail, so the entry must
#: leave this list. (Earlier one-time measurements: holdout 3 F1 0.868, category 0.709, empty
#: vendor 29.9 %; holdout 4 F1 0.515, category 0.875, components licensable 2.5 %, empty vendor
#: 5.5 %; holdout 5 F1 0.517, category 0.883, empty vendor 9.8 %, conf>=0.9 right 86.7 %; see
#: the docs.)
NOT_MET_ON_THE_HOLDOUT: dict[str, str] = {
    "pairwise F1": "0.480 (precision 0.613, recall 0.395) at its one measurement (session 7)",
    "category accuracy": "0.776 at its one measurement (session 7)",
    "empty vendor": "4.4 % at its one measurement (session 7)",
}


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
    """GIVEN the development set WHEN evaluated THEN each category stays above its floor.

    Licensable precision has the lower floor: unknown titles are licensable until a steward
    says otherwise, and the set holds real free programs nobody catalogued."""
    scores = {score.category: score for score in report.per_category}
    assert scores[Category.LICENSABLE].precision >= 0.94
    assert scores[Category.LICENSABLE].recall >= 0.95
    for category in (Category.COMPONENT,):
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


def test_it_reports_confusion_calibration_and_the_honesty_figures(report: EvaluationReport) -> None:
    """GIVEN the development set WHEN evaluated THEN the confusion matrix, calibration and honesty figures add up."""
    assert sum(sum(row) for row in report.confusion) == report.rows
    diagonal = sum(report.confusion[i][i] for i in range(len(report.confusion)))
    assert diagonal / report.rows == pytest.approx(report.category_accuracy)
    assert sum(b.rows for b in report.calibration) == report.rows
    assert report.high_confidence_accuracy >= 0.9
    assert report.generic_products == 0
    assert report.components_called_licensable <= 0.02 and report.empty_vendor <= 0.02


def test_it_keeps_the_test_set_apart_from_the_development_set() -> None:
    """GIVEN the development and retired test sets WHEN read THEN the retired set is large, says its origins, and few titles recur.

    Origins are disjoint; popular titles (Office, Visual C++, adduser) recur in any two inventories."""
    with LABELLED.open(encoding="utf-8", newline="") as stream:
        development = {row.raw.name for row in read_labelled_titles(stream)}
    with TEST_SET.open(encoding="utf-8", newline="") as stream:
        test = read_labelled_titles(stream)
    assert len(test) >= 800
    assert all(row.origin for row in test)
    assert len({row.origin for row in test}) >= 4
    shared = development & {row.raw.name for row in test}
    assert len(shared) <= 0.1 * len(test)


def _read(path: Path) -> list[LabelledTitle]:
    with path.open(encoding="utf-8", newline="") as stream:
        return read_labelled_titles(stream)


@pytest.fixture(scope="module")
def holdout_report() -> EvaluationReport:
    result = evaluate(Normaliser(), _read(HOLDOUT_6))
    print("\n== holdout 6 (judged)\n" + result.table())
    return result


@pytest.mark.parametrize("heading", list(OPENED_HOLDOUTS))
def test_it_reports_an_opened_holdout_as_a_development_side_set(heading: str) -> None:
    """GIVEN a holdout opened to rules after its one measurement WHEN evaluated THEN its figures and targets are reported, not judged."""
    opened = evaluate(Normaliser(), _read(OPENED_HOLDOUTS[heading]))
    print(f"\n== {heading}\n" + opened.table())
    assert sum(sum(row) for row in opened.confusion) == opened.rows
    assert sum(b.rows for b in opened.calibration) == opened.rows
    assert {target.name for target in opened.targets()} == set(TARGET_NAMES)


def test_it_keeps_holdout_1_apart_from_the_earlier_sets() -> None:
    """GIVEN the development, retired and holdout 1 sets WHEN read THEN holdout 1 is large, says its origins, and shares no origin and no title with the earlier two."""
    holdout = _read(HOLDOUT_1)
    earlier = _read(LABELLED) + _read(TEST_SET)
    assert len(holdout) >= 800
    assert all(row.origin for row in holdout)
    assert len({row.origin for row in holdout}) >= 5
    assert not {row.origin for row in holdout} & {row.origin for row in earlier if row.origin}
    assert not {row.raw.name for row in holdout} & {row.raw.name for row in earlier}


def test_it_keeps_holdout_2_apart_from_every_earlier_set() -> None:
    """GIVEN the four labelled sets WHEN read THEN holdout 2 is large, mixed, says its origins, and shares no origin and no title with any earlier set."""
    holdout = _read(HOLDOUT_2)
    earlier = _read(LABELLED) + _read(TEST_SET) + _read(HOLDOUT_1)
    assert len(holdout) >= 850
    assert all(row.origin for row in holdout)
    origins = Counter(row.origin for row in holdout)
    assert len(origins) >= 5
    assert max(origins.values()) <= 0.4 * len(holdout), origins
    assert not set(origins) & {row.origin for row in earlier if row.origin}
    assert not {row.raw.name for row in holdout} & {row.raw.name for row in earlier}
    assert len({(row.origin, row.raw.name, row.raw.publisher) for row in holdout}) == len(holdout)
    categories = Counter(row.category for row in holdout)
    assert min(categories.values()) >= 30, categories


def test_it_reports_the_holdout_figures_with_the_targets(holdout_report: EvaluationReport) -> None:
    """GIVEN holdout 6 WHEN evaluated THEN the confusion matrix and calibration add up and every issue 17 target is reported met or not."""
    assert sum(sum(row) for row in holdout_report.confusion) == holdout_report.rows
    assert sum(b.rows for b in holdout_report.calibration) == holdout_report.rows
    targets = {target.name: target for target in holdout_report.targets()}
    assert targets["pairwise F1"].value == holdout_report.pairwise_f1
    assert targets["empty vendor"].met == (holdout_report.empty_vendor <= 0.02)
    assert "issue 17 targets" in holdout_report.table()
    assert set(NOT_MET_ON_THE_HOLDOUT) <= set(targets)


TARGET_NAMES = ("pairwise F1", "category accuracy", "components called licensable", "empty vendor",
                "confidence >= 0.9 right", "generic products")


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(reason=f"issue 17 target not met on holdout 6: {NOT_MET_ON_THE_HOLDOUT[name]}",
                                                strict=True))
    if name in NOT_MET_ON_THE_HOLDOUT else name
    for name in TARGET_NAMES
])
def test_it_reaches_the_issue_17_target_on_the_holdout(holdout_report: EvaluationReport, name: str) -> None:
    """GIVEN holdout 6 (origins never used for rules) WHEN evaluated THEN the issue 17 target holds (xfail, with the figure, where it did not)."""
    target = {target.name: target for target in holdout_report.targets()}[name]
    assert target.met, target.line()
