"""Where the API and the edit form point for a licence's proof: the scope-checked views."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.testing.factories import if_match
from ictmerge.inventory.models import Licence

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
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _licence_with_proof(world: Any) -> Licence:
    answer = _api(world, "steward").post("/api/licences/", {
        "municipality": world.former_a.pk, "product_name": "Office 2016", "metric": "device",
        "quantity": 2, "transferable": True,
        "proof": SimpleUploadedFile("invoice.pdf", PDF)}, format="multipart")
    assert answer.status_code == 201, answer.content
    return Licence.objects.get(pk=answer.json()["id"])


def test_it_answers_the_proof_as_the_scope_checked_endpoint(world: Any) -> None:
    """GIVEN a licence of A with a proof WHEN N's lead reads it in the API THEN `proof` is the
    absolute URL of /api/software/licences/<id>/proof/, which serves the file."""
    licence = _licence_with_proof(world)
    endpoint = reverse("api_software_licence_proof", args=[licence.pk])
    assert endpoint == f"/api/software/licences/{licence.pk}/proof/"
    api = _api(world, "lead")
    for answer in (api.get(f"/api/licences/{licence.pk}/").json(),
                   api.get("/api/licences/").json()["results"][0]):
        assert answer["proof"] == f"http://testserver{endpoint}"
    served = api.get(answer["proof"])
    assert served.status_code == 200 and served.getvalue() == PDF
    assert "/media/" not in api.get(f"/api/licences/{licence.pk}/").content.decode()


def test_another_municipality_gets_404_from_the_proof_endpoint(world: Any) -> None:
    licence = _licence_with_proof(world)
    url = _api(world, "steward").get(f"/api/licences/{licence.pk}/").json()["proof"]
    outsider = _api(world, "outsider")
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"/api/licences/{licence.pk}/").status_code == 404


def test_a_licence_without_proof_answers_null(world: Any) -> None:
    answer = _api(world, "steward").post("/api/licences/", {
        "municipality": world.former_a.pk, "product_name": "Visio", "metric": "device",
        "quantity": 1}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["proof"] is None
    assert _api(world, "lead").get(f"/api/licences/{answer.json()['id']}/").json()["proof"] is None


def test_the_edit_form_links_the_current_proof_to_the_scope_checked_page(world: Any) -> None:
    licence = _licence_with_proof(world)
    page = _ui(world, "steward").get(reverse("licences_edit", args=[licence.pk])).content.decode()
    assert f'href="{reverse("software_licence_proof", args=[licence.pk])}"' in page
    assert "/media/" not in page and ">invoice" in page


def test_an_edit_without_a_new_file_keeps_the_proof(world: Any) -> None:
    """GIVEN a licence with a proof WHEN the steward changes its quantity through the API
    THEN the proof stays."""
    licence = _licence_with_proof(world)
    api = _api(world, "steward")
    answer = api.patch(f"/api/licences/{licence.pk}/", {"quantity": 5}, format="json",
                       **if_match(licence))
    assert answer.status_code == 200, answer.content
    licence.refresh_from_db()
    assert licence.quantity == 5 and str(licence.proof.name).endswith(".pdf")
    assert answer.json()["proof"].endswith(f"/api/software/licences/{licence.pk}/proof/")
