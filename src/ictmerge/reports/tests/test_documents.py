"""Report documents: the national PDF recomputes the audit's figures; XLSX matches the API.

The PDFs are checked by their extracted text (pypdf, else poppler's pdftotext) and by
rendering the first page to PNG (poppler's pdftoppm; skipped with the reason when missing).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.models import Job
from ictmerge.reforms.models import Municipality
from ictmerge.reports.documents import county_document, national_document


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, with spaces normalised."""
    try:
        from pypdf import PdfReader
    except ImportError:
        if shutil.which("pdftotext") is None:
            pytest.skip("neither pypdf nor poppler-utils (pdftotext) is installed")
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode()
    else:
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def first_page_png(data: bytes, tmp_path: Path) -> bytes:
    """The first page rendered to PNG by pdftoppm."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed: cannot render the PDF to PNG")
    source = tmp_path / "document.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile",
                    str(source), str(tmp_path / "page")], check=True)
    return (tmp_path / "page.png").read_bytes()


@pytest.fixture(scope="module")
def latvia(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The Latvian reform with the seed-1 demo, loaded once and rolled back after the module."""
    from ictmerge.inventory.demo import load_demo
    from ictmerge.reforms.services import load_bundled

    with django_db_blocker.unblock(), transaction.atomic():
        reform = load_bundled("lv-2021")
        load_demo("lv-2021", seed=1)
        yield reform
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def national_pdf(latvia: Any, django_db_blocker: Any) -> bytes:
    with django_db_blocker.unblock():
        return national_document(latvia, "pdf", "en")


@pytest.mark.django_db
def test_the_national_pdf_holds_the_published_figures(national_pdf: bytes, tmp_path: Path
                                                      ) -> None:
    assert national_pdf.startswith(b"%PDF")
    text = pdf_text(national_pdf)
    for figure in ("68,448", "630", "164", "16.2 M EUR"):
        assert figure in text, figure
    assert "DEMO" in text
    png = first_page_png(national_pdf, tmp_path)
    assert png.startswith(b"\x89PNG") and len(png) > 5000


@pytest.mark.django_db
def test_the_national_pdf_answers_the_four_questions_for_every_new_municipality(
        latvia: Any, national_pdf: bytes) -> None:
    """Each new municipality has a row with servers, rooms, IS and governance "after":
    a planned figure where a plan provides one, "not yet planned" otherwise."""
    from ictmerge.reports.documents import national_context

    text = pdf_text(national_pdf)
    section = text.split("The four questions answered")[1].split("Phase progress")[0]
    context = national_context(latvia)
    assert len(context["questions"]) == 42
    for question in context["questions"]:
        assert question["name"] in section, question["name"]
        for key in ("servers", "server_rooms", "information_systems", "governance"):
            assert key in question["after"]
    planned = sum(1 for q in context["questions"] for v in q["after"].values() if v is not None)
    pending = sum(1 for q in context["questions"] for v in q["after"].values() if v is None)
    assert section.count("not yet planned") == pending + 1  # + the sentence above the table
    # No action plan is scheduled: governance "after" is the recommended model, said so.
    governed = [q for q in context["questions"] if q["after"]["governance"]]
    assert len(governed) == 40 and section.count("(recommended)") == 40
    assert planned + pending == 42 * len(context["after_columns"])


@pytest.mark.django_db
@pytest.mark.parametrize("lang, heading", [("lv", "Bijušās pašvaldības"), ("en", "Decisions")])
def test_a_county_pdf_renders_in_both_languages_with_charts(latvia: Any, lang: str,
                                                            heading: str, tmp_path: Path) -> None:
    county = Municipality.objects.get(reform=latvia, stage="new", name="Cēsu novads")
    data = county_document(county, "pdf", lang)
    text = pdf_text(data)
    assert "Cēsu novads" in text and heading in text
    assert "Amatas novads" in text  # a predecessor's column
    assert "2,484" in text or "2 484" in text  # the merged computers
    with translation.override(lang):  # the charts' legends are drawn as SVG text
        assert gettext("grey: before · blue: after · ?: not yet planned") in text
    assert first_page_png(data, tmp_path).startswith(b"\x89PNG")


@pytest.mark.django_db
def test_the_xlsx_tables_match_the_api(latvia: Any) -> None:
    client = APIClient()
    from django.contrib.auth import get_user_model

    client.force_authenticate(get_user_model().objects.create_superuser("xlsx-admin"))
    api = client.get(reverse("api_national"), {"reform": "lv-2021"}).json()
    workbook = load_workbook(io.BytesIO(national_document(latvia, "xlsx", "en")))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2,
                                                                      values_only=True)}
    for key in ("computers", "servers", "server_rooms", "ict_spend_eur"):
        assert summary[key] == api[key], key
    sheet = workbook["New municipalities"]
    header = [c.value for c in sheet[1]]
    rows = {row[0]: dict(zip(header, row, strict=True))
            for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == len(api["new"]) == 42
    for county in api["new"]:
        row = rows[county["code"]]
        for key in ("computers", "servers", "server_rooms", "information_systems",
                    "ict_spend_eur"):
            assert row[key] == county[key], (county["code"], key)
    progress = client.get(reverse("api_review_progress"), {"reform": "lv-2021"}).json()
    sheet = workbook["Phase progress"]
    header = [c.value for c in sheet[1]]
    by_code = {row[0]: dict(zip(header, row, strict=True))
               for row in sheet.iter_rows(min_row=2, values_only=True)}
    for county in progress["counties"]:
        assert by_code[county["code"]]["overall_pct"] == county["overall_percent"]
    cesis = Municipality.objects.get(reform=latvia, stage="new", name="Cēsu novads")
    county_book = load_workbook(io.BytesIO(county_document(cesis, "xlsx", "en")))
    before = {row[0]: row[2] for row in county_book["Before and after"].iter_rows(
        min_row=2, values_only=True)}
    api_cesis = next(c for c in api["new"] if c["code"] == cesis.code)
    assert before["servers"] == api_cesis["servers"]
    assert before["server_rooms"] == api_cesis["server_rooms"]


@pytest.mark.django_db
def test_normalising_the_remaining_titles_moves_the_national_progress(latvia: Any) -> None:
    from ictmerge.inventory.models import Installation, SoftwareProduct
    from ictmerge.review.services import national_progress

    def register(county: Mapping[str, Any]) -> float:
        percent = next(i["percent"] for i in county["items"] if i["item"] == "software_register")
        assert percent is not None
        return float(percent)

    def discovery(county: Mapping[str, Any]) -> float:
        percent = county["phases"]["discovery"]
        assert percent is not None
        return float(percent)

    cesis = Municipality.objects.get(reform=latvia, stage="new", name="Cēsu novads")
    product = SoftwareProduct.objects.create(vendor="Test", name="Everything")
    ids = list(Municipality.objects.filter(successors__new=cesis).values_list("pk", flat=True))
    # The demo load normalises what the catalogue knows: take Cēsis's titles back to raw.
    Installation.objects.filter(municipality_id__in=ids).update(product=None)
    before = {c["code"]: c for c in national_progress(latvia)["counties"]}
    Installation.objects.filter(municipality_id__in=ids).update(product=product)
    after = {c["code"]: c for c in national_progress(latvia)["counties"]}
    assert register(before[cesis.code]) < 100 and register(after[cesis.code]) == 100
    assert discovery(after[cesis.code]) > discovery(before[cesis.code])
    other = next(code for code in after if code != cesis.code)
    assert register(after[other]) == register(before[other])


# --- Small world: the CLI, the job and the download --------------------------------------


@pytest.mark.django_db
def test_the_cli_writes_county_and_national_documents(world: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    pdf = tmp_path / "north.pdf"
    result = runner.invoke(app, ["report", "county", "N", "--format", "pdf", "--lang", "en",
                                 "--output", str(pdf), "--reform", "test-reform"])
    assert result.exit_code == 0, result.output
    assert "New North" in pdf_text(pdf.read_bytes())
    xlsx = tmp_path / "national.xlsx"
    result = runner.invoke(app, ["report", "national", "--format", "xlsx", "--output",
                                 str(xlsx), "--reform", "test-reform"])
    assert result.exit_code == 0, result.output
    assert "New municipalities" in load_workbook(xlsx).sheetnames
    missing = runner.invoke(app, ["report", "national", "--format", "pdf",
                                  "--reform", "test-reform"])
    assert missing.exit_code != 0 and "--output" in missing.output
    unknown = runner.invoke(app, ["report", "county", "XX", "--output", str(pdf),
                                  "--reform", "test-reform"])
    assert unknown.exit_code != 0 and "XX" in unknown.output


@pytest.mark.django_db
def test_the_api_queues_a_job_whose_file_can_be_downloaded(
        world: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = APIClient()
    client.force_authenticate(world.users["lead"])
    url = reverse("api_report_document")
    refused = client.post(url, {"kind": "county", "reform": "test-reform", "code": "S",
                                "format": "pdf"}, format="json")
    assert refused.status_code == 400 and "code" in refused.json()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"kind": "county", "reform": "test-reform", "code": "N",
                                    "format": "xlsx", "lang": "en"}, format="json")
    assert started.status_code == 202, started.content
    job = Job.objects.get(pk=started.json()["job_id"])
    assert job.status == "succeeded", job.error
    response = client.get(started.json()["download_url"])
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert "Checklist" in workbook.sheetnames
    client.force_authenticate(world.users["outsider"])
    assert client.get(started.json()["download_url"]).status_code == 404


@pytest.mark.django_db
def test_the_page_button_starts_a_job(world: Any, django_capture_on_commit_callbacks: Any,
                                      settings: Any, tmp_path: Path) -> None:
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(world.users["auditor"])
    page = client.get(reverse("national") + "?reform=test-reform").content.decode()
    assert reverse("report_document_start") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_document_start"),
                               {"kind": "national", "reform": "test-reform", "format": "pdf",
                                "lang": "en"})
    job = Job.objects.latest("pk")
    assert response["Location"] == job.get_absolute_url()
    assert job.status == "succeeded", job.error
    detail = client.get(job.get_absolute_url()).content.decode()
    assert reverse("report_document_download", args=[job.pk]) in detail
    download = client.get(reverse("report_document_download", args=[job.pk]))
    assert "New North" in pdf_text(download.getvalue())
