"""Writes outside one's scope, edits without their version, and who changed reference data.

Issue 19, finding 9. The README's rule "a record outside a user's scope answers 404" holds
for writes too: a write to a record the user cannot read answers 404 (a viewer or steward
writing to another county's record), a write to one they can read but not change answers
403 (an auditor reads everything, so their writes are 403; a viewer's to their own county
too). An edit must carry the version it was made on (the form's hidden field, the API's
If-Match header or `version` field): without one it is refused (UI 428, API 428), with an
old one 409/412. The history of reference data names its authors only to administrators
and auditors.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.choices import Role
from ictmerge.core.history import acting_as
from ictmerge.core.jobs import autodiscover
from ictmerge.core.models import ChangeRecord, Membership
from ictmerge.core.resources import REGISTRY, Resource
from ictmerge.core.testing.factories import (
    form_data,
    if_match,
    make_record,
    stored_version,
)
from ictmerge.core.testing.personas import World
from ictmerge.inventory.models import Site, Supplier
from ictmerge.inventory.resources import sites

autodiscover("testing")  # the apps' makers of valid records

SCOPED = sorted(slug for slug, resource in REGISTRY.items() if resource.scoped)


def _api(world: World, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[persona])
    return client


def _ui(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SCOPED)
def test_it_answers_404_to_a_viewer_writing_outside_their_scope(world: World, slug: str) -> None:
    """GIVEN a record of New North (Former A's or the county's) WHEN New South's viewer
    updates or deletes it through the API or the UI THEN 404 (as for reading it), and the
    record stays."""
    resource: Resource = REGISTRY[slug]
    record = make_record(resource.model, world.former_a)
    viewer = get_user_model().objects.create_user("south-viewer")
    Membership.objects.create(user=viewer, role=Role.VIEWER, municipality=world.south)
    api = APIClient()
    api.force_authenticate(viewer)
    url = reverse(f"{resource.slug}-detail", args=[record.pk])
    assert api.get(url).status_code == 404
    assert api.patch(url, {}, format="json", **if_match(record)).status_code == 404
    assert api.put(url, {}, format="json", **if_match(record)).status_code == 404
    assert api.delete(url).status_code == 404
    ui = Client()
    ui.force_login(viewer)
    assert ui.post(reverse(resource.url_name("edit"), args=[record.pk]), {}).status_code == 404
    assert ui.post(reverse(resource.url_name("delete"), args=[record.pk])).status_code == 404
    assert resource.model.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [("auditor", 403), ("viewer", 403),
                                                 ("outsider", 404)])
def test_it_answers_403_only_where_the_user_can_read_the_record(world: World, persona: str,
                                                                 status: int) -> None:
    """GIVEN a site of Former A WHEN the auditor (reads all), North's viewer (reads it) or
    another steward (cannot read it) updates it through the API THEN 403, 403 and 404."""
    site = make_record(Site, world.former_a, name="Town hall")
    url = reverse("sites-detail", args=[site.pk])
    answer = _api(world, persona).patch(url, {"name": "X"}, format="json", **if_match(site))
    assert answer.status_code == status
    site.refresh_from_db()
    assert site.name == "Town hall"


@pytest.mark.django_db
def test_it_refuses_an_api_update_without_its_version(world: World) -> None:
    """GIVEN a site WHEN the lead updates it through the API without If-Match nor `version`
    THEN 428 and nothing changes; with `version` in the body or a (weak) ETag it is saved."""
    site = make_record(Site, world.former_a, name="School")
    url = reverse("sites-detail", args=[site.pk])
    api = _api(world, "lead")
    refused = api.patch(url, {"name": "School A"}, format="json")
    assert refused.status_code == 428
    assert "If-Match" in refused.json()["detail"]
    site.refresh_from_db()
    assert site.name == "School"
    saved = api.patch(url, {"name": "School B", "version": stored_version(site)}, format="json")
    assert saved.status_code == 200, saved.content
    weak = api.patch(url, {"name": "School C"}, format="json",
                     HTTP_IF_MATCH=f'W/"{stored_version(site)}"')
    assert weak.status_code == 200, weak.content
    site.refresh_from_db()
    assert site.name == "School C"


@pytest.mark.django_db
def test_it_refuses_a_form_edit_without_its_version(world: World) -> None:
    """GIVEN the edit form WHEN it is posted without the hidden version THEN 428 with a
    message, nothing is saved, and the form now carries the version for a second try."""
    site = make_record(Site, world.former_a, name="Library")
    url = reverse("sites_edit", args=[site.pk])
    client = _ui(world, "steward")
    assert f'name="_version" value="{stored_version(site)}"' in client.get(url).content.decode()
    data = form_data(site, sites.fields) | {"name": "Library 2"}
    refused = client.post(url, data)
    assert refused.status_code == 428
    site.refresh_from_db()
    assert site.name == "Library"
    assert f'name="_version" value="{stored_version(site)}"' in refused.content.decode()
    assert client.post(url, data | {"_version": stored_version(site)}).status_code == 302
    site.refresh_from_db()
    assert site.name == "Library 2"


@pytest.mark.django_db
def test_the_schema_documents_if_match_on_updates(world: World) -> None:
    """GIVEN the OpenAPI schema WHEN a resource's update is read THEN it documents the
    If-Match header and the 412 and 428 answers."""
    answer = _api(world, "admin").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    operation = answer.json()["paths"]["/api/sites/{id}/"]["patch"]
    assert "If-Match" in {p["name"] for p in operation.get("parameters", [])
                          if p.get("in") == "header"}
    assert {"412", "428"} <= set(operation["responses"])


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "named"), [("admin", True), ("auditor", True),
                                                ("lead", False), ("steward", False),
                                                ("viewer", False)])
def test_it_names_who_changed_reference_data_only_to_admins_and_auditors(
        world: World, persona: str, named: bool) -> None:
    """GIVEN the admin created a supplier WHEN a user reads its history (page, API) or the
    change log (page, API) THEN only the admin and the auditor see the admin's name; the
    others see the change itself in the record's history but not in the change log."""
    with acting_as(world.users["admin"]):
        supplier = Supplier.objects.create(name="Reference Ltd")
    assert ChangeRecord.objects.filter(object_repr="Reference Ltd", user_name="admin").exists()
    api = _api(world, persona)
    history = api.get(reverse("suppliers-history", args=[supplier.pk])).json()
    assert history and history[0]["action"] == "create"
    assert (history[0]["user_name"] == "admin") is named
    log = api.get(reverse("changes-list"), {"object_id": supplier.pk}).json()["results"]
    assert any(c["object_repr"] == "Reference Ltd" for c in log) is named
    by_name = api.get(reverse("changes-list"), {"user_name": "admin"}).json()["results"]
    assert any(c["object_repr"] == "Reference Ltd" for c in by_name) is named
    ui = _ui(world, persona)
    for page in (reverse("suppliers_history", args=[supplier.pk]),
                 reverse("suppliers_detail", args=[supplier.pk])):
        html = ui.get(page).content.decode()
        assert "Reference Ltd" in html
        assert ("<td>admin</td>" in html) is named
    assert ("Reference Ltd" in ui.get(reverse("changelog")).content.decode()) is named
