"""Large bodies, long texts and huge pages are refused or cut (issue 19, finding 5)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework import parsers
from rest_framework.test import APIClient

from ictmerge.core.testing.factories import api_data, build_record, form_data, make_record
from ictmerge.core.testing.personas import World
from ictmerge.inventory.models import Device
from ictmerge.inventory.resources import devices

MB = 2**20


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records every JSON body DRF parses (its length as the client declared it)."""
    seen: list[int] = []
    parse = parsers.JSONParser.parse

    def recording(self: Any, stream: Any, media_type: Any = None,
                  parser_context: Any = None) -> Any:
        seen.append(int(parser_context["request"].META.get("CONTENT_LENGTH") or 0))
        return parse(self, stream, media_type, parser_context)

    monkeypatch.setattr(parsers.JSONParser, "parse", recording)
    return seen


def _titles(size: int) -> bytes:
    title = {"name": "Adobe Acrobat Reader DC " + "x" * 200, "publisher": "Adobe",
             "version": "1"}
    count = size // len(json.dumps(title)) + 1
    return json.dumps({"titles": [title] * count}).encode()


@pytest.mark.django_db
def test_it_refuses_a_large_body_with_413_before_parsing_it(world: World,
                                                              parsed: list[int]) -> None:
    """GIVEN a 48 MB JSON to normalise-titles and a 51 MB anonymous POST to /api/token/
    WHEN they are posted THEN 413 answers both and neither body is parsed."""
    api = APIClient()
    api.force_authenticate(world.users["steward"])
    url = reverse("api_software_normalise_titles")
    response = api.generic("POST", url, _titles(48 * MB), content_type="application/json")
    assert response.status_code == 413 and "10.0 MB" in response.json()["detail"]
    anonymous = APIClient().generic("POST", reverse("api_token"), b"x" * (51 * MB),
                                    content_type="application/json")
    assert anonymous.status_code == 413 and "Traceback" not in anonymous.content.decode()
    assert parsed == []
    # Within its endpoint's limit, a body is parsed and answered.
    small = api.generic("POST", url, _titles(MB), content_type="application/json")
    assert small.status_code == 200 and parsed and parsed[-1] > MB


@pytest.mark.django_db
def test_it_gives_a_file_upload_the_import_limit_and_a_form_the_small_one(
        world: World) -> None:
    """GIVEN a 6 MB upload to the import and a 6 MB form to the sign-in page WHEN posted
    THEN the upload reaches the import, the form is refused with 413."""
    api = APIClient()
    api.force_authenticate(world.users["steward"])
    rows = b"municipality;name;kind\n" + b"A;PC;desktop\n" * (6 * MB // 13)
    upload = api.post(reverse("api_imports"), {
        "type": "computers", "dry_run": "true",
        "file": SimpleUploadedFile("big.csv", rows)}, format="multipart")
    assert upload.status_code != 413
    form = Client().post(reverse("login"), {"username": "x", "password": "y" * (6 * MB)})
    assert form.status_code == 413


@pytest.mark.django_db
def test_it_refuses_a_long_free_text_naming_the_field(world: World,
                                                      settings: Any) -> None:
    """GIVEN a device's notes longer than ICTMERGE_TEXT_MAX_CHARS WHEN it is saved through
    the API or the form THEN it is refused naming notes, and nothing is written; a 45 MB
    note is refused with 413."""
    settings.ICTMERGE_TEXT_MAX_CHARS = 1000
    candidate = build_record(Device, world.former_a, name="PC-NOTES")
    steward = APIClient()
    steward.force_authenticate(world.users["steward"])
    data = api_data(candidate, devices.fields)
    response = steward.post(reverse("devices-list"), data | {"notes": "n" * 1001},
                            format="json")
    assert response.status_code == 400 and "notes" in response.json()
    huge = steward.post(reverse("devices-list"), data | {"notes": "n" * (45 * MB)},
                        format="json")
    assert huge.status_code == 413
    client = Client()
    client.force_login(world.users["steward"])
    page = client.post(reverse("devices_add"),
                       form_data(candidate, devices.fields) | {"notes": "n" * 1001})
    assert page.status_code == 400 and "notes" in page.context["form"].errors
    assert not Device.objects.filter(name="PC-NOTES").exists()
    accepted = steward.post(reverse("devices-list"), data | {"notes": "n" * 1000}, format="json")
    assert accepted.status_code == 201


@pytest.mark.django_db
def test_it_cuts_a_huge_page_to_the_largest_page(world: World) -> None:
    """GIVEN more devices than ICTMERGE_MAX_PAGE_SIZE WHEN the API list asks ?limit=1000000
    or the list page ?per_page=1000000 THEN one page holds at most the largest page."""
    for number in range(4):
        make_record(Device, world.former_a, name=f"PC-{number}")
    api = APIClient()
    api.force_authenticate(world.users["steward"])
    client = Client()
    client.force_login(world.users["steward"])
    with override_settings(ICTMERGE_MAX_PAGE_SIZE=3):
        answer = api.get(reverse("devices-list"), {"limit": 1_000_000}).json()
        page = client.get(reverse("devices_list"), {"per_page": 1_000_000})
    assert answer["count"] == 4 and len(answer["results"]) == 3
    assert len(page.context["table"].page.object_list) == 3
