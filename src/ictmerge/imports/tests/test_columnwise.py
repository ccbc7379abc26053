"""The column-at-a-time validation gives exactly what the row-at-a-time one gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ictmerge.engine.imports.rows import RowValidator
from ictmerge.imports.templates import template

#: Cells that exercise each kind's paths: empty, blank, bad, quoted, too long, commas, dates.
CELLS = ["", " ", "A", "B", "desktop", "Laptop", "server", "x" * 300, "'=1", "'+x", "12",
         " 7 ", "-3", "1,5", "1.234,50", "12,345", "nan", "Infinity", "1e3", "01.07.2021",
         "2021-07-01", "31.02.2021", "7/1/2021", "in_use", "yes", "jā", "0", "99999999999",
         "SN1", "T1", "Dell", "٣", "2021-7-1", "10.000,001"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(CELLS), min_size=0, max_size=20), max_size=30),
       st.integers(min_value=1, max_value=3))
def test_it_matches_the_row_by_row_check(rows: list[list[str]], chunks: int) -> None:
    """GIVEN rows of tricky cells (short, long, bad) WHEN checked a column at a time, in one
    or several chunks, THEN every row's values and problems equal the row-by-row check's."""
    tpl = template("computers")
    header = [c.name for c in tpl.columns]
    numbered = [(i + 2, row) for i, row in enumerate(rows)]
    expected = [RowValidator(tpl.columns, header, "f.csv").convert(n, r) for n, r in numbered]
    validator = RowValidator(tpl.columns, header, "f.csv")
    size = max(1, len(numbered) // chunks)
    got_values: list[object] = []
    got_problems: list[object] = []
    for start in range(0, len(numbered), size):
        values, problems = validator.convert_many(numbered[start:start + size])
        got_values.extend(values)
        got_problems.extend(problems)
    assert repr(got_values) == repr([v for v, _ in expected])  # 1.50 is not 1.5
    assert got_problems == [p for _, p in expected]
