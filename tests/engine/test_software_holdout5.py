"""Holdout 5 of issue 17: its shape and its separation from every earlier labelled set.

Holdout 5 is the set the next rule round of issue 17 is judged on, once holdout 4 was opened to
the rule writers (tests/engine/data/software_titles_holdout5_SOURCES.md). These tests read the CSV
files only: they never run the normaliser on a holdout 5 row, so that nobody sees its output
on the set before the one measurement."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

DATA = Path(__file__).parent / "data"
HOLDOUT_5 = DATA / "software_titles_holdout5.csv"
EARLIER = (
    "software_titles_labelled.csv",
    "software_titles_test.csv",
    "software_titles_holdout.csv",
    "software_titles_holdout2.csv",
    "software_titles_holdout3.csv",
    "software_titles_holdout4.csv",
)
COLUMNS = [
    "origin",
    "name",
    "publisher",
    "version",
    "expected_vendor",
    "expected_product",
    "expected_category",
]


def _rows(path: Path) -> list[dict[str, str]]:
    """The rows of a labelled CSV, as the csv module reads them."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_it_has_the_columns_and_size_of_a_judged_set() -> None:
    """GIVEN holdout 5 WHEN its header and rows are read THEN it has the holdout columns,
    at least 850 rows, a product on every row and only the three categories."""
    with HOLDOUT_5.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    rows = _rows(HOLDOUT_5)
    assert header == COLUMNS
    assert len(rows) >= 850
    assert {row["expected_category"] for row in rows} <= {"component", "free", "licensable"}
    assert all(row["name"] and row["expected_product"] for row in rows)


def test_it_spreads_its_rows_over_origins() -> None:
    """GIVEN holdout 5 WHEN rows are counted per origin and category THEN there are at least
    six origins, none above 30 % of the rows, and every category is expected somewhere
    (licensable rows are fewer than the 60 aimed at: see the SOURCES file)."""
    rows = _rows(HOLDOUT_5)
    origins = Counter(row["origin"] for row in rows)
    categories = Counter(row["expected_category"] for row in rows)
    assert len(origins) >= 6
    assert max(origins.values()) <= 0.30 * len(rows)
    assert set(categories) == {"component", "free", "licensable"}


def test_it_keeps_each_title_once_per_origin() -> None:
    """GIVEN holdout 5 WHEN (origin, name, publisher) is counted THEN no triple repeats."""
    keys = Counter((row["origin"], row["name"], row["publisher"]) for row in _rows(HOLDOUT_5))
    assert [key for key, count in keys.items() if count > 1] == []


def test_it_shares_no_name_with_an_earlier_set() -> None:
    """GIVEN the development, retired, holdout 1, 2, 3 and 4 sets WHEN their names are
    compared with holdout 5's THEN no name is in both."""
    earlier = {row["name"] for file in EARLIER for row in _rows(DATA / file)}
    shared = sorted({row["name"] for row in _rows(HOLDOUT_5)} & earlier)
    assert shared == []
