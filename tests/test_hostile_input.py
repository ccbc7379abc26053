"""Hostile input: every form, every API create, every importer and every export.

Generated like the permission tests: each registered resource's edit form and API create
receive arbitrary text (control characters, NUL, very long strings, markup), huge and
negative numbers and impossible dates. The answer is never a server error, and a refused
request writes nothing (no record, no changed field, no history entry). Markup typed into
any text field is shown escaped on the record and list pages; cells that a spreadsheet
would run as formulas are neutralised in every export; importers refuse oversized files,
files of the wrong kind, XLSX zip bombs and deeply nested JSON with a message.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from ictmerge.core.history import snapshot, version_of
from ictmerge.core.jobs import autodiscover
from ictmerge.core.models import ChangeRecord
from ictmerge.core.resources import REGISTRY, Resource
from ictmerge.core.testing.factories import api_data, build_record, form_data, make_record
from ictmerge.core.testing.personas import World

autodiscover("testing")

RESOURCES = sorted(REGISTRY)
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "8"))
HYPOTHESIS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow])

#: Values people and programs send that a careless parser turns into a server error.
NASTY = ["\x00", "a\x00b", "x" * 100_000, "<script>alert(1)</script>", "=1+2", "-1", "0",
         "99999999999999999999999999", "-99999999999999999999999999", "1e400", "NaN",
         "Infinity", "-0", "0x1f", "2021-02-30", "0000-00-00", "9999-99-99", "31.12.2021",
         "-2021-01-01", " ", "\u202e", "\ufeff", "%s%n", "' OR 1=1 --", "../../etc/passwd"]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
)
JSON_VALUE = st.one_of(
    TEXT, st.integers(min_value=-2**70, max_value=2**70), st.none(), st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=2),
)


def _changes() -> int:
    return ChangeRecord.objects.count()


def _writable_fields(resource: Resource) -> list[str]:
    return [name for name in resource.fields
            if not isinstance(resource.model._meta.get_field(name),
                              models.FileField | models.ManyToManyField)]


def _assert_valid_if_stored(record: Any) -> None:
    """What the application accepted must pass the model's own validation."""
    record.refresh_from_db()
    record.full_clean(validate_unique=False, validate_constraints=False)


@pytest.fixture(params=RESOURCES)
def resource(request: Any) -> Resource:
    return REGISTRY[request.param]


@pytest.fixture
def admin_ui(world: World) -> Client:
    client = Client()
    client.force_login(world.users["admin"])
    return client


@pytest.fixture
def admin_api(world: World) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users["admin"])
    return client


@pytest.mark.django_db
def test_it_never_fails_nor_half_writes_on_a_hostile_edit_form(
        world: World, resource: Resource, admin_ui: Client) -> None:
    """GIVEN a record WHEN its edit form is posted with hostile values in some fields
    THEN the answer is a page or a redirect, and a refused form changed nothing."""
    record = make_record(resource.model, world.former_a)
    fields = _writable_fields(resource)
    url = reverse(resource.url_name("edit"), args=[record.pk])

    @HYPOTHESIS
    @given(st.dictionaries(st.sampled_from(fields), TEXT, min_size=1))
    def run(hostile: dict[str, str]) -> None:
        before, changes = snapshot(resource.model.objects.get(pk=record.pk)), _changes()
        stored = resource.model.objects.get(pk=record.pk)
        data = form_data(stored, resource.fields) | hostile | {"_version": version_of(stored)}
        response = admin_ui.post(url, data)
        assert response.status_code in (200, 302, 400, 409), response.status_code
        if response.status_code == 302:
            _assert_valid_if_stored(record)
        else:
            assert snapshot(resource.model.objects.get(pk=record.pk)) == before
            assert _changes() == changes

    run()


@pytest.mark.django_db
def test_it_never_fails_nor_half_writes_on_a_hostile_api_create(
        world: World, resource: Resource, admin_api: APIClient) -> None:
    """GIVEN a valid record's data WHEN it is posted to the API with hostile values in some
    fields THEN the answer is 201 or 400, and a refused create wrote nothing."""
    fields = _writable_fields(resource)
    url = reverse(f"{resource.slug}-list")

    @HYPOTHESIS
    @given(st.dictionaries(st.sampled_from(fields), JSON_VALUE, min_size=1))
    def run(hostile: dict[str, Any]) -> None:
        candidate = build_record(resource.model, world.former_a)
        count, changes = resource.model.objects.count(), _changes()
        response = admin_api.post(url, api_data(candidate, resource.fields) | hostile,
                                  format="json")
        assert response.status_code in (201, 400), (response.status_code, response.content)
        if response.status_code == 201:
            _assert_valid_if_stored(resource.model.objects.get(pk=response.json()["id"]))
        else:
            assert resource.model.objects.count() == count
            assert _changes() == changes

    run()


# --- markup is shown, not run -----------------------------------------------------------------

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _text_fields(resource: Resource) -> list[str]:
    names = []
    for name in resource.fields:
        field = resource.model._meta.get_field(name)
        if isinstance(field, models.CharField | models.TextField) and not field.choices \
                and not isinstance(field, models.SlugField | models.EmailField) \
                and not getattr(field, "unique", False):
            names.append(name)
    return names


@pytest.mark.django_db
def test_it_shows_markup_in_every_text_field_escaped(world: World, resource: Resource,
                                                     admin_ui: Client) -> None:
    """GIVEN markup in every free-text field of a record WHEN its record and list pages
    are shown THEN the markup appears escaped and never as a live element."""
    names = _text_fields(resource)
    if not names:
        pytest.skip("no free-text field")
    record = build_record(resource.model, world.former_a)
    for name in names:
        size = resource.model._meta.get_field(name).max_length or 1000
        setattr(record, name, MARKUP[:size])
    record.save()
    pages = [reverse(resource.url_name("detail"), args=[record.pk]),
             reverse(resource.url_name("list"))]
    for page in pages:
        html = admin_ui.get(page).content.decode()
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html, page
    detail = admin_ui.get(pages[0]).content.decode()
    assert "&lt;script&gt;" in detail or "&lt;img" in detail or "&lt;" in detail


# --- exports: formula injection -----------------------------------------------------------

FORMULA = "=HYPERLINK(\"http://x.example\",\"y\")"


@pytest.mark.django_db
def test_it_neutralises_formulas_in_every_export(world: World, resource: Resource,
                                                 admin_ui: Client) -> None:
    """GIVEN a formula in every free-text field WHEN the list is exported as CSV and XLSX
    THEN no cell of either file starts with a formula character."""
    import csv

    import openpyxl

    names = _text_fields(resource)
    if not names:
        pytest.skip("no free-text field")
    record = build_record(resource.model, world.former_a)
    for name in names:
        size = resource.model._meta.get_field(name).max_length or 1000
        setattr(record, name, ("=" + "1+2" * 10)[:size] if size < len(FORMULA) else FORMULA)
    record.save()
    url = reverse(resource.url_name("export"))
    text = admin_ui.get(url).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert cells, "the export is empty"
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    workbook = openpyxl.load_workbook(io.BytesIO(admin_ui.get(url, {"format": "xlsx"}).content))
    values = [c for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row]
    assert not [v for v in values if isinstance(v, str) and v[:1] in ("=", "+", "@")]


# --- uploads: size, kind, zip bombs, nesting bombs ------------------------------------------


def _import(client: APIClient, content: bytes, name: str, import_type: str,
            municipality: str = "") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("api_imports"),
                       {"type": import_type, "file": SimpleUploadedFile(name, content),
                        "municipality": municipality}, format="multipart")


def _refused(response: Any, words: str) -> str:
    """The refusal's text, after checking it is a 400 naming the problem."""
    assert response.status_code == 400, (response.status_code, response.content[:300])
    text = json.dumps(response.json(), ensure_ascii=False)
    assert words in text, text[:500]
    return text


def _zip_bomb(unpacked_mb: int) -> bytes:
    """A workbook-shaped zip whose sheet unpacks from a few kB to `unpacked_mb` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(unpacked_mb):
                sheet.write(block)
    return out.getvalue()


@pytest.mark.django_db
def test_it_refuses_an_oversized_upload_before_reading_it(
        world: World, admin_api: APIClient, monkeypatch: Any) -> None:
    """GIVEN an import limit WHEN a larger file is uploaded THEN 400 names both sizes and
    no import run is recorded."""
    from ictmerge.engine.imports import text
    from ictmerge.imports.models import ImportRun

    monkeypatch.setattr(text, "MAX_FILE_BYTES", 1024)
    runs = ImportRun.objects.count()
    response = _import(admin_api, b"name,kind\n" + b"x,desktop\n" * 200, "big.csv", "devices",
                       world.former_a.code)
    _refused(response, " 0 MB")  # the limit, in whichever language the client reads
    assert ImportRun.objects.count() == runs


@pytest.mark.django_db
def test_it_refuses_an_oversized_upload_on_the_import_page(
        world: World, admin_ui: Client, monkeypatch: Any) -> None:
    """GIVEN an import limit WHEN a larger file is uploaded on the page THEN the form shows
    the refusal with both sizes and no import run is recorded."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ictmerge.engine.imports import text
    from ictmerge.imports.models import ImportRun

    monkeypatch.setattr(text, "MAX_FILE_BYTES", 1024)
    runs = ImportRun.objects.count()
    response = admin_ui.post(reverse("import"), {
        "import_type": "devices", "municipality": world.former_a.code,
        "file": SimpleUploadedFile("big.csv", b"name,kind\n" + b"x,desktop\n" * 200)})
    assert response.status_code == 400
    assert " 0 MB" in response.content.decode()  # the limit, in the page's language
    assert ImportRun.objects.count() == runs


@pytest.mark.django_db
def test_it_refuses_an_oversized_file_on_every_path(monkeypatch: Any) -> None:
    """GIVEN an import limit WHEN the CLI or a job reads a larger table or inventory THEN
    the reader refuses it with the sizes (every importer reads through these)."""
    from ictmerge.engine.imports import text
    from ictmerge.imports.sources import parse_glpi

    monkeypatch.setattr(text, "MAX_FILE_BYTES", 1024)
    with pytest.raises(text.TableError, match="at most 0 MB"):
        text.read_table(b"name\n" + b"x\n" * 1000, "big.csv")
    _inventory, problems = parse_glpi(b"{}" + b" " * 2000, "big.json")
    assert "at most 0 MB" in problems[0].message


@pytest.mark.django_db
@pytest.mark.parametrize("import_type", ["devices", "glpi", "snipeit-assets"])
def test_it_refuses_a_file_of_the_wrong_kind(world: World, admin_api: APIClient,
                                             import_type: str) -> None:
    """GIVEN a PNG image WHEN it is imported as a table or an inventory THEN 400 says the
    file is not what the type reads, and nothing is written."""
    from ictmerge.inventory.models import Device

    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    devices = Device.objects.count()
    text = _refused(_import(admin_api, png, "photo.png", import_type, world.former_a.code),
                    "photo.png")
    assert "binary" in text or "not a" in text, text[:400]
    assert Device.objects.count() == devices


@pytest.mark.django_db
def test_it_refuses_an_xlsx_zip_bomb(world: World, admin_api: APIClient) -> None:
    """GIVEN a 30 kB workbook whose sheet unpacks to 30 MB WHEN it is imported THEN 400 says
    it expands too much, before the workbook is opened."""
    bomb = _zip_bomb(30)
    assert len(bomb) < 100_000
    _refused(_import(admin_api, bomb, "bomb.xlsx", "devices", world.former_a.code),
             "zip bomb")


def test_it_refuses_a_workbook_unpacking_beyond_the_limit(monkeypatch: Any) -> None:
    """GIVEN a workbook that unpacks to more than the limit (each part expanding modestly)
    WHEN it is read THEN the reader refuses it with the unpacked size."""
    from ictmerge.engine.imports import text

    monkeypatch.setattr(text, "MAX_XLSX_UNPACKED_BYTES", 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(2 * 1024 * 1024))
    with pytest.raises(text.TableError, match="unpacks to 2 MB"):
        text.read_xlsx(out.getvalue(), "big.xlsx")


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [40, 200_000])
def test_it_refuses_a_json_nesting_bomb(world: World, admin_api: APIClient,
                                        depth: int) -> None:
    """GIVEN JSON nested `depth` levels WHEN it is imported as a GLPI inventory THEN 400
    says it is nested too deeply (no recursion error, no server error)."""
    from ictmerge.inventory.models import Device

    devices = Device.objects.count()
    bomb = b'{"content": ' + b"[" * depth + b"]" * depth + b"}"
    _refused(_import(admin_api, bomb, "deep.json", "glpi", world.former_a.code),
             "nested more than")
    assert Device.objects.count() == devices
