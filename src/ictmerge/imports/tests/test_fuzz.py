"""Hypothesis: arbitrary bytes and rows never raise and never leave a partial write."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ictmerge.core.exports import xlsx_bytes
from ictmerge.imports.services import import_file
from ictmerge.imports.tests.helpers import database_state

COLUMNS = ["municipality", "name", "serial", "kind", "purchase_date", "purchase_cost_eur",
           "cores", "is_virtual", "site", "nonsense"]
cell = st.one_of(st.sampled_from(["A", "B", "C", "", "PC-1", "S1", "laptop", "server",
                                  "01.02.2020", "31.02.2020", "12,50", "-1", "yes", "=1+1",
                                  "Town hall"]),
                 st.text(max_size=12))
rows = st.lists(st.lists(cell, min_size=0, max_size=len(COLUMNS) + 1), max_size=6)
header = st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6, unique=True)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(world: Any, data: bytes, name: str) -> None:
    before = database_state()
    run = import_file(data, name, "computers", user=world.users["steward"])
    if run.status == "rejected":
        assert run.problem_count > 0 and database_state() == before
    else:
        assert run.status == "imported" and run.problem_count == 0


@pytest.mark.django_db
@SETTINGS
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_as_csv(world: Any, data: bytes) -> None:
    _check(world, data, "any.csv")


@pytest.mark.django_db
@SETTINGS
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_as_xlsx(world: Any, data: bytes) -> None:
    _check(world, b"PK\x03\x04" + data, "any.xlsx")


@pytest.mark.django_db
@SETTINGS
@given(columns=header, body=rows, delimiter=st.sampled_from([",", ";"]))
def test_arbitrary_rows_as_csv(world: Any, columns: list[str], body: list[list[str]],
                               delimiter: str) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows(body)
    _check(world, out.getvalue().encode(), "rows.csv")


@pytest.mark.django_db
@SETTINGS
@given(columns=header, body=rows)
def test_arbitrary_rows_as_xlsx(world: Any, columns: list[str], body: list[list[str]]) -> None:
    _check(world, xlsx_bytes(columns, body), "rows.xlsx")
