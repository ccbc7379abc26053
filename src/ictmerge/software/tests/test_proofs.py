"""Licence proof documents: upload limits by type and size, served only in scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.inventory.models import Licence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _ui(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages below are English
    return client


def _upload(world: Any, persona: str, name: str, content: bytes) -> Any:
    return _ui(world, persona).post(reverse("licences_add"), {
        "municipality": world.former_a.pk, "product_name": "Office 2016", "metric": "device",
        "quantity": 3, "transferable": "on", "proof": SimpleUploadedFile(name, content)})


def test_a_pdf_proof_is_stored_and_served_to_users_in_scope(world: Any) -> None:
    """GIVEN a steward of A uploads a PDF proof WHEN users ask for it THEN A's steward, N's lead
    and the auditor get the file; the outsider (C) gets 404, in the UI and the API."""
    response = _upload(world, "steward", "invoice.pdf", PDF)
    assert response.status_code == 302, response.content.decode()[:2000]
    licence = Licence.objects.get(product_name="Office 2016")
    url = reverse("software_licence_proof", args=[licence.pk])
    for persona in ("steward", "lead", "auditor"):
        served = _ui(world, persona).get(url)
        assert served.status_code == 200
        assert served.getvalue() == PDF
        assert "attachment" in served["Content-Disposition"]
    assert _ui(world, "outsider").get(url).status_code == 404
    api = APIClient()
    api.force_authenticate(world.users["outsider"])
    assert api.get(reverse("api_software_licence_proof", args=[licence.pk])).status_code == 404
    api.force_authenticate(world.users["viewer"])
    answer = api.get(reverse("api_software_licence_proof", args=[licence.pk]))
    assert answer.status_code == 200 and answer.getvalue() == PDF
    detail = _ui(world, "lead").get(reverse("licences_detail", args=[licence.pk])).content.decode()
    assert url in detail


def test_a_licence_without_proof_or_unknown_id_answers_404(world: Any) -> None:
    licence = Licence.objects.create(municipality=world.former_a, product_name="X", quantity=1)
    client = _ui(world, "admin")
    assert client.get(reverse("software_licence_proof", args=[licence.pk])).status_code == 404
    assert client.get(reverse("software_licence_proof", args=[licence.pk + 999])).status_code == 404


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("tool.exe", b"MZ\x90\x00", "must be a PDF"),
    ("invoice.pdf", b"<html>not a pdf</html>", "not a PDF file"),
    ("scan.png", PDF, "not a PNG file"),
])
def test_a_proof_of_another_type_is_refused_and_nothing_stored(world: Any, name: str, content: bytes,
                                                               problem: str) -> None:
    response = _upload(world, "steward", name, content)
    assert response.status_code == 400 and problem in response.content.decode()
    assert not Licence.objects.filter(product_name="Office 2016").exists()


@override_settings(ICTMERGE_PROOF_MAX_BYTES=100)
def test_a_proof_over_the_size_setting_is_refused(world: Any) -> None:
    response = _upload(world, "steward", "big.pdf", PDF + b"0" * 200)
    assert response.status_code == 400 and "more than the limit of 100 bytes" in response.content.decode()
    assert not Licence.objects.exists()
    api = APIClient()
    api.force_authenticate(world.users["steward"])
    answer = api.post("/api/licences/", {
        "municipality": world.former_a.pk, "product_name": "Office 2016", "metric": "device",
        "quantity": 3, "proof": SimpleUploadedFile("big.pdf", PDF + b"0" * 200)}, format="multipart")
    assert answer.status_code == 400 and "proof" in answer.json()
    assert not Licence.objects.exists()
