"""Holdouts 3 to 6 of issue 17: each one's shape and its separation from every earlier set.

Each holdout was built blind and judged the rule round after the one before it was opened to
the rule writers (tests/engine/data/software_titles_holdoutN_SOURCES.md). These tests read the
CSV files only: they never run the normaliser, so that nobody sees its output on a holdout
before its one measurement."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
#: Every labelled set in the order it was made; a holdout shares no name with those before it.
SETS = (
    "software_titles_labelled.csv",
    "software_titles_test.csv",
    "software_titles_holdout.csv",
    "software_titles_holdout2.csv",
    "software_titles_holdout3.csv",
    "software_titles_holdout4.csv",
    "software_titles_holdout5.csv",
    "software_titles_holdout6.csv",
)
COLUMNS = ["origin", "name", "publisher", "version", "expected_vendor", "expected_product",
           "expected_category"]
CATEGORIES = {"component", "free", "licensable"}
#: The shape a judged set must have (issue 17): at least 850 rows from at least six origins,
#: none above 30 % of the rows, every category expected somewhere. Holdout 3 also holds 80
#: licensable rows; the later ones fell short of that aim (see their SOURCES files).
MIN_ROWS, MIN_ORIGINS, MAX_SHARE = 850, 6, 0.30
MIN_LICENSABLE = {"software_titles_holdout3.csv": 80}
HOLDOUTS = SETS[4:]


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of a labelled CSV, as the csv module reads them."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("holdout", HOLDOUTS)
def test_it_has_the_columns_and_size_of_a_judged_set(holdout: str) -> None:
    """GIVEN a holdout WHEN its header and rows are read THEN it has the holdout columns, at
    least MIN_ROWS rows, a product on every row and only the three categories."""
    with (DATA / holdout).open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    rows = _rows(holdout)
    assert header == COLUMNS
    assert len(rows) >= MIN_ROWS
    assert {row["expected_category"] for row in rows} <= CATEGORIES
    assert all(row["name"] and row["expected_product"] for row in rows)


@pytest.mark.parametrize("holdout", HOLDOUTS)
def test_it_spreads_its_rows_over_origins(holdout: str) -> None:
    """GIVEN a holdout WHEN rows are counted per origin and category THEN there are at least
    MIN_ORIGINS origins, none above MAX_SHARE of the rows, and every category occurs."""
    rows = _rows(holdout)
    origins = Counter(row["origin"] for row in rows)
    categories = Counter(row["expected_category"] for row in rows)
    assert len(origins) >= MIN_ORIGINS
    assert max(origins.values()) <= MAX_SHARE * len(rows)
    assert set(categories) == CATEGORIES
    assert categories["licensable"] >= MIN_LICENSABLE.get(holdout, 1)


@pytest.mark.parametrize("holdout", HOLDOUTS)
def test_it_keeps_each_title_once_per_origin(holdout: str) -> None:
    """GIVEN a holdout WHEN (origin, name, publisher) is counted THEN no triple repeats."""
    keys = Counter((row["origin"], row["name"], row["publisher"]) for row in _rows(holdout))
    assert [key for key, count in keys.items() if count > 1] == []


@pytest.mark.parametrize("holdout", HOLDOUTS)
def test_it_shares_no_name_with_an_earlier_set(holdout: str) -> None:
    """GIVEN every set made before a holdout WHEN their names are compared with the
    holdout's THEN no name is in both."""
    earlier = {row["name"] for name in SETS[:SETS.index(holdout)] for row in _rows(name)}
    assert sorted({row["name"] for row in _rows(holdout)} & earlier) == []
