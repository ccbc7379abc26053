"""Reform import through the web UI and the API: all or nothing, every problem named."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.reforms.models import Municipality, Reform

BAD = (
    "former_code,former_name,new_code,new_name,share\n"
    "A1,Alpha,N1,North,1\n"
    "B1,Beta,,,1\n"
    "C1,Gamma,N1,North,0.5\n"
    "C1,Gamma,N2,South,0.4\n"
    "A1,Another,N2,South,1\n"
)
GOOD = "former_code,former_name,new_code,new_name\nA1,Alpha,N1,North\nB1,Beta,N1,North\n"
META = {"code": "x-2030", "name": "X reform", "country": "xx", "effective_date": "2030-01-01"}


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("reform.csv", text.encode(), content_type="text/csv")


@pytest.mark.django_db
def test_the_api_rejects_a_bad_file_naming_every_problem(world: Any) -> None:
    client = APIClient()
    client.force_authenticate(world.users["admin"])
    count = Municipality.objects.count()
    response = client.post(reverse("api_reform_import"), {**META, "file": _upload(BAD)},
                           format="multipart")
    assert response.status_code == 400
    problems = " ".join(response.json()["problems"])
    assert "row 3, new_code" in problems and "sum to 0.9" in problems and "code A1" in problems
    assert Municipality.objects.count() == count


@pytest.mark.django_db
def test_the_api_imports_a_good_file_for_administrators_only(world: Any) -> None:
    client = APIClient()
    client.force_authenticate(world.users["lead"])
    url = reverse("api_reform_import")
    assert client.post(url, {**META, "file": _upload(GOOD)}, format="multipart").status_code == 403
    client.force_authenticate(world.users["admin"])
    response = client.post(url, {**META, "file": _upload(GOOD)}, format="multipart")
    assert response.status_code == 201, response.content
    assert Reform.objects.get(code="x-2030").successions.count() == 2


@pytest.mark.django_db
def test_the_web_page_lists_the_problems_and_writes_nothing(world: Any) -> None:
    client = Client()
    client.force_login(world.users["admin"])
    response = client.post(reverse("reform_import"), {**META, "file": _upload(BAD)})
    assert response.status_code == 400
    assert len(response.context["problems"]) == 4
    assert not Reform.objects.filter(code="x-2030").exists()
    response = client.post(reverse("reform_import"), {**META, "file": _upload(GOOD)})
    assert response.status_code == 302
