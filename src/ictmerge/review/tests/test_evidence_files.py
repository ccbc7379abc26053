"""Checklist evidence files: served by scope-checked views, never from the unserved MEDIA_URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.testing.factories import if_match
from ictmerge.review.models import ChecklistEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _api(world: Any, persona: str) -> APIClient:
    api = APIClient()
    api.force_authenticate(world.users[persona])
    return api


def _ui(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def _entry_with_evidence(world: Any) -> ChecklistEntry:
    answer = _api(world, "steward").post("/api/checklist-entries/", {
        "municipality": world.former_a.pk, "item": "software_register", "status": "done",
        "evidence_file": SimpleUploadedFile("protocol.pdf", PDF)}, format="multipart")
    assert answer.status_code == 201, answer.content
    return ChecklistEntry.objects.get(pk=answer.json()["id"])


def test_it_answers_the_evidence_file_as_the_scope_checked_endpoint(world: Any) -> None:
    """GIVEN an entry of A with an evidence file WHEN N's lead reads it in the API THEN
    `evidence_file` is the absolute URL of the evidence endpoint, which serves the file."""
    entry = _entry_with_evidence(world)
    endpoint = reverse("api_review_checklist_evidence", args=[entry.pk])
    assert endpoint == f"/api/review/checklist-entries/{entry.pk}/evidence/"
    api = _api(world, "lead")
    detail = api.get(f"/api/checklist-entries/{entry.pk}/")
    listed = api.get("/api/checklist-entries/").json()["results"]
    assert detail.json()["evidence_file"] == f"http://testserver{endpoint}"
    assert [e["evidence_file"] for e in listed if e["id"] == entry.pk] == [detail.json()["evidence_file"]]
    assert "/media/" not in detail.content.decode()
    served = api.get(endpoint)
    assert served.status_code == 200 and served.getvalue() == PDF
    assert "attachment" in served["Content-Disposition"]
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("persona", ["steward", "lead", "viewer", "auditor", "admin"])
def test_users_in_scope_and_the_auditor_get_the_file_on_the_page(world: Any, persona: str) -> None:
    entry = _entry_with_evidence(world)
    served = _ui(world, persona).get(reverse("review_checklist_evidence", args=[entry.pk]))
    assert served.status_code == 200 and served.getvalue() == PDF


def test_another_municipality_gets_404_from_page_and_endpoint(world: Any) -> None:
    entry = _entry_with_evidence(world)
    assert _ui(world, "outsider").get(
        reverse("review_checklist_evidence", args=[entry.pk])).status_code == 404
    outsider = _api(world, "outsider")
    assert outsider.get(reverse("api_review_checklist_evidence", args=[entry.pk])).status_code == 404
    assert outsider.get(f"/api/checklist-entries/{entry.pk}/").status_code == 404


def test_anonymous_users_never_get_the_file(world: Any) -> None:
    entry = _entry_with_evidence(world)
    page = Client().get(reverse("review_checklist_evidence", args=[entry.pk]))
    assert page.status_code == 302 and "login" in page["Location"]
    assert APIClient().get(reverse("api_review_checklist_evidence",
                                   args=[entry.pk])).status_code in (401, 403)


def test_an_entry_without_file_answers_null_and_404(world: Any) -> None:
    answer = _api(world, "steward").post("/api/checklist-entries/", {
        "municipality": world.former_a.pk, "item": "software_register", "status": "done",
        "evidence": "Decision 12 of 2021-03-01"}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["evidence_file"] is None
    pk = answer.json()["id"]
    admin = _ui(world, "admin")
    assert admin.get(reverse("review_checklist_evidence", args=[pk])).status_code == 404
    assert admin.get(reverse("review_checklist_evidence", args=[pk + 999])).status_code == 404


def test_the_edit_form_and_detail_page_link_the_scope_checked_page(world: Any) -> None:
    entry = _entry_with_evidence(world)
    url = reverse("review_checklist_evidence", args=[entry.pk])
    client = _ui(world, "steward")
    form = client.get(reverse("checklist-entries_edit", args=[entry.pk])).content.decode()
    assert f'href="{url}"' in form and "/media/" not in form and ">protocol" in form
    detail = client.get(reverse("checklist-entries_detail", args=[entry.pk])).content.decode()
    assert f'href="{url}"' in detail and "/media/" not in detail


def test_an_edit_without_a_new_file_keeps_the_evidence(world: Any) -> None:
    entry = _entry_with_evidence(world)
    answer = _api(world, "steward").patch(f"/api/checklist-entries/{entry.pk}/",
                                          {"note": "checked again"}, format="json",
                                          **if_match(entry))
    assert answer.status_code == 200, answer.content
    entry.refresh_from_db()
    assert entry.note == "checked again" and str(entry.evidence_file.name).endswith(".pdf")
