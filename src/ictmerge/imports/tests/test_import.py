"""Template imports: every problem at once, all or nothing, dry run, re-import, history, export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import translation

from ictmerge.core.exports import csv_lines, xlsx_bytes
from ictmerge.core.models import ChangeRecord
from ictmerge.imports.services import export_rows, import_file, rejected_rows_csv
from ictmerge.imports.templates import template, templates
from ictmerge.imports.tests.helpers import ORDER, SAMPLES, database_state, load_samples
from ictmerge.inventory.models import BusinessFunction, Device, IctFinance, Licence


@pytest.fixture
def loaded(world: Any) -> Any:
    BusinessFunction.objects.create(code="finance", name_en="Finance", name_lv="Finanses")
    load_samples(world.users["steward"])
    return world


@pytest.mark.django_db
def test_it_imports_every_template_type_with_natural_keys(loaded: Any) -> None:
    pc = Device.objects.get(serial="SN-1")
    assert pc.site is not None and pc.site.name == "Town hall" and pc.kind == "laptop"
    assert str(pc.purchase_cost_eur) == "899.90"
    room = Device.objects.get(name="SRV-1").room
    assert room is not None and room.name == "Room 1"
    contract = Licence.objects.get(proof_reference="INV-1").contract
    assert contract is not None and contract.title == "Hosting 2020"
    assert IctFinance.objects.get(year=2020).governance_model == "centralised"


@pytest.mark.django_db
def test_it_reimports_the_same_file_as_a_no_op(loaded: Any) -> None:
    before = database_state()
    for slug in ORDER:
        run = import_file(SAMPLES[slug].encode(), f"{slug}.csv", slug,
                          user=loaded.users["steward"])
        assert run.counts["created"] == run.counts["updated"] == 0, slug
        assert run.counts["unchanged"] == SAMPLES[slug].count("\n") - 1, slug
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [s for s in templates() if s != "devices"])
def test_it_round_trips_export_then_import_for_every_type(loaded: Any, slug: str) -> None:
    tpl = template(slug)
    queryset = tpl.model.objects.all()  # type: ignore[attr-defined]
    if tpl.kinds:
        queryset = queryset.filter(kind__in=tpl.kinds)
    assert queryset.exists()
    before = database_state()
    header, exported = export_rows(tpl, queryset)
    rows = list(exported)
    as_csv = "".join(csv_lines(header, rows)).encode()
    as_xlsx = xlsx_bytes(header, rows)
    for name, data in ((f"{slug}.csv", as_csv), (f"{slug}.xlsx", as_xlsx)):
        run = import_file(data, name, slug, user=loaded.users["steward"])
        assert run.status == "imported", run.problems
        assert run.counts["unchanged"] == len(rows) and run.counts["created"] == 0, run.counts
        assert run.counts["updated"] == 0
    assert database_state() == before


@pytest.mark.django_db
def test_it_neutralises_formula_cells_in_exports(loaded: Any) -> None:
    tpl = template("sites")
    header, rows = export_rows(tpl, tpl.model.objects.all())  # type: ignore[attr-defined]
    text = "".join(csv_lines(header, rows))
    assert "'=cmd" in text and ",=cmd" not in text


@pytest.mark.django_db
def test_it_reports_every_bad_row_and_writes_nothing(world: Any) -> None:
    """GIVEN a file with good rows and three bad ones WHEN imported THEN all three are
    named as `file, row, column: message` and the database is unchanged."""
    data = (b"municipality;name;serial;purchase_date;warranty_until;cores;kind\n"
            b"A;PC-1;S1;;;4;desktop\n"
            b"A;PC-2;S2;31.02.2020;;4;desktop\n"
            b"ZZ;PC-3;S3;;;4;desktop\n"
            b"A;PC-4;S1;2020-01-01;2019-01-01;x;desktop\n")
    before = database_state()
    run = import_file(data, "pcs.csv", "computers", user=world.users["steward"])
    assert run.status == "rejected"
    lines = {f"{p['file']}, row {p['row']}, {p['column']}: {p['message']}" for p in run.problems}
    assert "pcs.csv, row 3, purchase_date: '31.02.2020' is not a real date" in lines
    assert "pcs.csv, row 4, municipality: no municipality with the code 'ZZ'" in lines
    assert "pcs.csv, row 5, cores: 'x' is not a number" in lines
    assert run.counts["rejected"] == 3
    assert database_state() == before
    rejected = rejected_rows_csv(run)
    assert rejected.splitlines()[0].startswith("row,problems,municipality,name")
    assert "PC-3" in rejected and "PC-1" not in rejected


@pytest.mark.django_db
def test_it_imports_valid_rows_only_when_asked(world: Any) -> None:
    data = b"municipality,name,serial\nA,PC-1,S1\nA,,S2\n"
    run = import_file(data, "pcs.csv", "computers", user=world.users["steward"],
                      valid_only=True)
    assert run.status == "partial" and run.counts["created"] == 1 and run.problem_count == 1
    assert list(Device.objects.values_list("name", flat=True)) == ["PC-1"]


@pytest.mark.django_db
def test_it_previews_a_dry_run_without_writing(world: Any) -> None:
    import_file(b"municipality,name,serial\nA,PC-1,S1\n", "a.csv", "computers",
                user=world.users["steward"])
    before = database_state()
    run = import_file(b"municipality,name,serial,ram_gb\nA,PC-1,S1,8\nA,PC-2,S2,\nA,PC-1b,,\n",
                      "b.csv", "computers", user=world.users["steward"], dry_run=True)
    assert run.status == "preview"
    assert run.counts == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 0}
    assert database_state() == before


@pytest.mark.django_db
def test_it_records_the_import_run_as_the_cause_in_the_history(world: Any) -> None:
    run = import_file(b"municipality,name,serial\nA,PC-1,S1\n", "a.csv", "computers",
                      user=world.users["steward"])
    devices = ChangeRecord.objects.filter(content_type__model="device")
    change = devices.get(object_id=Device.objects.get().pk, action="create")
    assert change.after is not None
    assert change.after["import_run"] == run.pk and change.user_name == "steward"
    assert change.after["serial"] == "S1" and change.municipality_id == world.former_a.pk
    second = import_file(b"municipality,name,serial,ram_gb\nA,PC-1,S1,8\n", "b.csv",
                         "computers", user=world.users["steward"])
    update = devices.get(action="update")
    assert update.after is not None and update.before is not None
    assert update.after["import_run"] == second.pk and update.after["ram_gb"] == 8
    assert update.before["ram_gb"] is None


@pytest.mark.django_db
def test_it_refuses_rows_of_municipalities_the_user_may_not_write(world: Any) -> None:
    run = import_file(b"municipality,name\nC,PC-1\n", "a.csv", "computers",
                      user=world.users["steward"])
    assert run.status == "rejected"
    assert run.problems[0]["message"] == "you may not write records of municipality C"
    assert not Device.objects.exists()


@pytest.mark.django_db
def test_it_takes_the_municipality_from_the_option(world: Any) -> None:
    run = import_file(b"name,serial\nPC-1,S1\n", "a.csv", "computers",
                      user=world.users["lead"], municipality="B")
    assert run.status == "imported"
    assert Device.objects.get().municipality == world.former_b


@pytest.mark.django_db
def test_it_checks_the_model_invariants(world: Any) -> None:
    """GIVEN a virtual desktop WHEN imported in English and in Latvian THEN the model's rule
    refuses it in the language of the import."""
    data = b"municipality,name,kind,is_virtual\nA,PC-1,desktop,yes\n"
    with translation.override("en"):
        run = import_file(data, "a.csv", "devices", user=world.users["steward"])
    assert {(p["column"], p["message"]) for p in run.problems} == {
        ("is_virtual", "Only a server can be virtual.")}
    with translation.override("lv"):
        run = import_file(data, "a.csv", "devices", user=world.users["steward"])
    assert {(p["column"], p["message"]) for p in run.problems} == {
        ("is_virtual", "Virtuāls var būt tikai serveris.")}


@pytest.mark.django_db
def test_it_reads_xlsx(world: Any) -> None:
    data = xlsx_bytes(["municipality", "name", "purchase_date", "ram_gb"],
                      [["A", "PC-1", "01.02.2020", 8]])
    run = import_file(data, "pcs.xlsx", "computers", user=world.users["steward"])
    assert run.status == "imported", run.problems
    assert Device.objects.get().ram_gb == 8


@pytest.mark.django_db
def test_the_template_file_has_the_documented_columns() -> None:
    from openpyxl import load_workbook

    from ictmerge.imports.services import template_file

    tpl = template("computers")
    assert template_file(tpl).decode("utf-8-sig").strip() == ",".join(
        c.name for c in tpl.columns)
    workbook = load_workbook(io.BytesIO(template_file(tpl, "xlsx")))
    assert [c.value for c in workbook["columns"]["A"]][1:] == [c.name for c in tpl.columns]


@pytest.mark.django_db
def test_it_imports_decimals_with_the_query_log_on(world: Any) -> None:
    """GIVEN the query log of DEBUG (Django formats each statement with its parameters)
    WHEN a file with decimal columns is imported
    THEN the history statement's own `%` (printf) does not take a parameter: no crash."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    BusinessFunction.objects.create(code="finance", name_en="Finance", name_lv="Finanses")
    with CaptureQueriesContext(connection) as queries:
        load_samples(world.users["steward"])
    assert str(Device.objects.get(serial="SN-1").purchase_cost_eur) == "899.90"
    assert any("INSERT INTO" in q["sql"] and "core_changerecord" in q["sql"]
               for q in queries.captured_queries)
