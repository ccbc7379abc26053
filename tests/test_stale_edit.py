"""Optimistic locking: an edit made on a stale version is refused with a message."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.history import acting_as
from ictmerge.core.testing.factories import form_data, make_record
from ictmerge.core.testing.personas import World
from ictmerge.inventory.models import Site
from ictmerge.inventory.resources import sites


def _version(page: str) -> str:
    match = re.search(r'name="_version" value="([0-9a-f]+)"', page)
    assert match, "the edit form carries the record's version"
    return match.group(1)


@pytest.mark.django_db
def test_a_stale_form_edit_is_refused_and_names_who_changed_it(world: World) -> None:
    """GIVEN the steward opened the edit form WHEN the lead saves first THEN the steward's
    save is refused with 409, names the lead, and the lead's value stays."""
    site = make_record(Site, world.former_a, name="Town hall")
    steward = Client()
    steward.force_login(world.users["steward"])
    url = reverse("sites_edit", args=[site.pk])
    version = _version(steward.get(url).content.decode())
    with acting_as(world.users["lead"]):
        site.name = "Town hall (lead)"
        site.save()
    data = form_data(site, sites.fields) | {"name": "Town hall (steward)", "_version": version}
    response = steward.post(url, data)
    assert response.status_code == 409
    assert "lead" in response.content.decode()
    site.refresh_from_db()
    assert site.name == "Town hall (lead)"


@pytest.mark.django_db
def test_a_fresh_form_edit_is_saved(world: World) -> None:
    site = make_record(Site, world.former_a, name="Library")
    client = Client()
    client.force_login(world.users["steward"])
    url = reverse("sites_edit", args=[site.pk])
    version = _version(client.get(url).content.decode())
    data = form_data(site, sites.fields) | {"name": "Library 2", "_version": version}
    assert client.post(url, data).status_code == 302
    site.refresh_from_db()
    assert site.name == "Library 2"


@pytest.mark.django_db
def test_the_api_refuses_an_update_with_a_stale_etag(world: World) -> None:
    site = make_record(Site, world.former_a, name="School")
    client = APIClient()
    client.force_authenticate(world.users["lead"])
    url = reverse("sites-detail", args=[site.pk])
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"name": "School A"}, format="json",
                        HTTP_IF_MATCH=etag).status_code == 200
    stale: Any = client.patch(url, {"name": "School B"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    site.refresh_from_db()
    assert site.name == "School A"
    fresh = client.get(url)["ETag"]
    assert fresh != etag
    assert client.patch(url, {"name": "School C"}, format="json",
                        HTTP_IF_MATCH=fresh).status_code == 200
