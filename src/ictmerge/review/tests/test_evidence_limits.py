"""Checklist evidence uploads: refused by type (ending and content) and size, in the form and
the API, with the field named and nothing stored — the same check as a licence proof's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.models import ChangeRecord
from ictmerge.review.models import ChecklistEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

REFUSED = [
    ("tool.exe", b"MZ\x90\x00", "an evidence file must be a PDF"),
    ("protocol.pdf", b"<html><script>alert(1)</script></html>", "not a PDF file"),
    ("scan.png", PDF, "not a PNG file"),
]


@pytest.fixture(autouse=True)
def media(tmp_path: Any, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def _ui(world: Any) -> Client:
    client = Client()
    client.force_login(world.users["steward"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages below are English
    return client


def _api(world: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(world.users["steward"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return api


def _fields(world: Any, name: str, content: bytes) -> dict[str, Any]:
    return {"municipality": world.former_a.pk, "item": "software_register", "status": "done",
            "evidence": "Protocol 4", "evidence_file": SimpleUploadedFile(name, content)}


def _field_block(page: str) -> str:
    """The form's evidence_file field (label, input and its error), as rendered."""
    start = page.rfind('<p class="field', 0, page.index('id="id_evidence_file"'))
    return page[start:page.index("</p>", start)]


@pytest.mark.parametrize(("name", "content", "problem"), REFUSED)
def test_the_form_refuses_a_file_of_another_type_and_stores_nothing(
        world: Any, media: Path, name: str, content: bytes, problem: str) -> None:
    """GIVEN A's steward WHEN they add an entry with a program, an HTML page renamed .pdf or a
    PDF renamed .png THEN the form answers 400 naming the file and nothing is stored."""
    response = _ui(world).post(reverse("checklist-entries_add"), _fields(world, name, content))
    page = response.content.decode()
    assert response.status_code == 400
    block = _field_block(page)
    assert "invalid" in block and problem in block and name in block
    assert not ChecklistEntry.objects.exists()
    assert _stored_files(media) == []


@pytest.mark.parametrize(("name", "content", "problem"), REFUSED)
def test_the_api_refuses_a_file_of_another_type_naming_the_field(
        world: Any, media: Path, name: str, content: bytes, problem: str) -> None:
    answer = _api(world).post("/api/checklist-entries/", _fields(world, name, content),
                              format="multipart")
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert list(body) == ["evidence_file"]
    assert problem in " ".join(body["evidence_file"]) and name in " ".join(body["evidence_file"])
    assert not ChecklistEntry.objects.exists()
    assert _stored_files(media) == []


def test_an_oversized_file_is_refused_in_the_form_and_the_api(
        world: Any, media: Path, settings: Any) -> None:
    """GIVEN a limit of 100 bytes WHEN a 250-byte PDF is uploaded THEN the form and the API refuse
    it naming the field and the limit; no entry, no file, no history."""
    settings.ICTMERGE_EVIDENCE_MAX_BYTES = 100
    big = PDF + b"0" * 200
    history = ChangeRecord.objects.count()
    response = _ui(world).post(reverse("checklist-entries_add"), _fields(world, "big.pdf", big))
    assert response.status_code == 400
    assert "more than the limit of 100 bytes" in _field_block(response.content.decode())
    answer = _api(world).post("/api/checklist-entries/", _fields(world, "big.pdf", big),
                              format="multipart")
    assert answer.status_code == 400, answer.content
    assert "more than the limit of 100 bytes" in " ".join(answer.json()["evidence_file"])
    assert not ChecklistEntry.objects.exists()
    assert _stored_files(media) == []
    assert ChangeRecord.objects.count() == history


def test_the_limit_is_the_evidence_setting_not_the_proof_setting(
        world: Any, settings: Any) -> None:
    """GIVEN a tiny limit for licence proofs only WHEN a 250-byte PDF evidence file is uploaded
    THEN it is accepted: each kind of document has its own limit."""
    settings.ICTMERGE_PROOF_MAX_BYTES = 100
    answer = _api(world).post("/api/checklist-entries/", _fields(world, "ok.pdf", PDF + b"0" * 200),
                              format="multipart")
    assert answer.status_code == 201, answer.content


def test_an_edit_with_a_bad_file_keeps_the_stored_one(world: Any, media: Path) -> None:
    """GIVEN an entry with a PDF evidence WHEN its steward replaces it with an HTML page renamed
    .pdf, in the form and the API THEN both refuse; the entry and its stored file are unchanged."""
    created = _api(world).post("/api/checklist-entries/", _fields(world, "protocol.pdf", PDF),
                               format="multipart")
    assert created.status_code == 201, created.content
    entry = ChecklistEntry.objects.get(pk=created.json()["id"])
    stored = _stored_files(media)
    assert len(stored) == 1
    fields = _fields(world, "protocol.pdf", b"<html>x</html>") | {"note": "replaced"}
    response = _ui(world).post(reverse("checklist-entries_edit", args=[entry.pk]), fields)
    assert response.status_code == 400
    assert "not a PDF file" in _field_block(response.content.decode())
    answer = _api(world).patch(f"/api/checklist-entries/{entry.pk}/", {
        "note": "replaced", "evidence_file": SimpleUploadedFile("x.html", b"<html>x</html>")},
        format="multipart")
    assert answer.status_code == 400 and "evidence_file" in answer.json()
    after = ChecklistEntry.objects.get(pk=entry.pk)
    assert after.note == "" and after.evidence_file.name == entry.evidence_file.name
    assert _stored_files(media) == stored and stored[0].read_bytes() == PDF


def test_an_allowed_file_is_accepted_by_the_form(world: Any, media: Path) -> None:
    response = _ui(world).post(reverse("checklist-entries_add"),
                               _fields(world, "protocol.pdf", PDF))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ChecklistEntry.objects.get()
    assert entry.evidence_file.read() == PDF
