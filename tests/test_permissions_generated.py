"""Generated tests: every resource × persona × verb, through the web UI and the REST API.

A record owned by former municipality A is in the scope of the county lead of A's new
municipality, A's steward, the viewer of that county and the auditor (read only); the
outsider (steward of another municipality) must get "not found" for it, never the record.
Reference data (reforms, municipalities, taxonomies) is read by all and written by
administrators only.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.choices import ChangeAction
from ictmerge.core.history import history_for
from ictmerge.core.jobs import autodiscover
from ictmerge.core.resources import REGISTRY, Resource
from ictmerge.core.testing.factories import (
    api_data,
    build_record,
    editable_text_field,
    form_data,
    if_match,
    make_record,
    stored_version,
)
from ictmerge.core.testing.personas import (
    PERSONAS,
    READS_FORMER_A,
    READS_NORTH,
    WRITES_FORMER_A,
    WRITES_NORTH,
    WRITES_REFERENCE,
    World,
)

autodiscover("testing")

RESOURCES = sorted(REGISTRY)


def _expectations(resource: Resource, persona: str, record: Any) -> tuple[bool, bool]:
    if resource.scoped:
        # A county's record (e.g. its plan) is made for New North, the county A went into.
        if _owner_stage(record) == "new":
            return READS_NORTH[persona], WRITES_NORTH[persona]
        return READS_FORMER_A[persona], WRITES_FORMER_A[persona]
    return True, WRITES_REFERENCE[persona]


def _owner_stage(record: Any) -> str | None:
    from ictmerge.reforms.models import Municipality

    owner = Municipality.objects.filter(pk=record.scope_municipality_id()).first()
    return owner.stage if owner is not None else None


def _record(world: World, resource: Resource) -> Any:
    return make_record(resource.model, world.former_a)


def _ui(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def _api(world: World, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[persona])
    return client


@pytest.fixture(params=RESOURCES)
def resource(request: Any) -> Resource:
    return REGISTRY[request.param]


@pytest.fixture(params=PERSONAS)
def persona(request: Any) -> str:
    return str(request.param)


@pytest.mark.django_db
class TestWebUI:
    """The generic pages of every resource, for every persona."""

    def test_it_lists_only_records_in_scope(self, world: World, resource: Resource,
                                            persona: str) -> None:
        record = _record(world, resource)
        reads, _writes = _expectations(resource, persona, record)
        response = _ui(world, persona).get(reverse(resource.url_name("list")))
        assert response.status_code == 200
        assert (record.pk in {r.pk for r in response.context["table"].data}) is reads

    def test_it_shows_a_record_in_scope_and_404_outside(self, world: World, resource: Resource,
                                                        persona: str) -> None:
        record = _record(world, resource)
        reads, _writes = _expectations(resource, persona, record)
        client = _ui(world, persona)
        for action in ("detail", "history"):
            response = client.get(reverse(resource.url_name(action), args=[record.pk]))
            assert response.status_code == (200 if reads else 404)

    def test_it_exports_only_records_in_scope(self, world: World, resource: Resource,
                                              persona: str) -> None:
        record = _record(world, resource)
        reads, _writes = _expectations(resource, persona, record)
        response = _ui(world, persona).get(reverse(resource.url_name("export")))
        assert response.status_code == 200
        ids = {line.split(",")[0] for line in response.content.decode("utf-8-sig").splitlines()[1:]}
        assert (str(record.pk) in ids) is reads

    def test_it_creates_only_within_scope(self, world: World, resource: Resource,
                                          persona: str) -> None:
        candidate = build_record(resource.model, world.former_a)
        _reads, writes = _expectations(resource, persona, candidate)
        before = resource.model.objects.count()
        response = _ui(world, persona).post(reverse(resource.url_name("add")),
                                            form_data(candidate, resource.fields))
        if writes:
            assert response.status_code == 302, getattr(response, "context", {}) and \
                response.context["form"].errors
            assert resource.model.objects.count() == before + 1
            created = resource.model.objects.order_by("-pk").first()
            assert history_for(created).filter(action=ChangeAction.CREATE).exists()
        else:
            assert response.status_code in (400, 403)
            assert resource.model.objects.count() == before

    def test_it_updates_only_within_scope_and_records_history(
        self, world: World, resource: Resource, persona: str
    ) -> None:
        record = _record(world, resource)
        reads, writes = _expectations(resource, persona, record)
        data = form_data(record, resource.fields) | {"_version": stored_version(record)}
        field = editable_text_field(record, resource.fields)
        if field is not None:
            data[field] = "Changed by a test"
        response = _ui(world, persona).post(reverse(resource.url_name("edit"), args=[record.pk]),
                                            data)
        if writes:
            assert response.status_code == 302
            if field is not None:
                record.refresh_from_db()
                assert getattr(record, field) == "Changed by a test"
                change = history_for(record).filter(action=ChangeAction.UPDATE).first()
                assert change is not None
                assert change.user_name == persona
                assert change.after[field] == "Changed by a test"
        else:
            assert response.status_code == (403 if reads else 404)

    def test_it_deletes_only_within_scope(self, world: World, resource: Resource,
                                          persona: str) -> None:
        record = _record(world, resource)
        reads, writes = _expectations(resource, persona, record)
        response = _ui(world, persona).post(reverse(resource.url_name("delete"),
                                                    args=[record.pk]))
        exists = resource.model.objects.filter(pk=record.pk).exists()
        if writes:
            assert response.status_code == 302
            assert not exists
            assert history_for(record).filter(action=ChangeAction.DELETE).exists()
        else:
            assert response.status_code == (403 if reads else 404)
            assert exists


@pytest.mark.django_db
class TestAPI:
    """The REST endpoints of every resource, for every persona."""

    def url(self, resource: Resource, pk: int | None = None) -> str:
        if pk is None:
            return reverse(f"{resource.slug}-list")
        return reverse(f"{resource.slug}-detail", args=[pk])

    def test_it_lists_only_records_in_scope(self, world: World, resource: Resource,
                                            persona: str) -> None:
        record = _record(world, resource)
        reads, _writes = _expectations(resource, persona, record)
        response = _api(world, persona).get(self.url(resource), {"limit": 1000})
        assert response.status_code == 200
        assert (record.pk in {r["id"] for r in response.json()["results"]}) is reads

    def test_it_retrieves_in_scope_and_404_outside(self, world: World, resource: Resource,
                                                   persona: str) -> None:
        record = _record(world, resource)
        reads, _writes = _expectations(resource, persona, record)
        client = _api(world, persona)
        response = client.get(self.url(resource, record.pk))
        assert response.status_code == (200 if reads else 404)
        history = client.get(reverse(f"{resource.slug}-history", args=[record.pk]))
        assert history.status_code == (200 if reads else 404)
        if reads:
            assert history.json()[0]["action"] == ChangeAction.CREATE

    def test_it_creates_only_within_scope(self, world: World, resource: Resource,
                                          persona: str) -> None:
        candidate = build_record(resource.model, world.former_a)
        _reads, writes = _expectations(resource, persona, candidate)
        before = resource.model.objects.count()
        response = _api(world, persona).post(self.url(resource),
                                             api_data(candidate, resource.fields), format="json")
        if writes:
            assert response.status_code == 201, response.content
            assert resource.model.objects.count() == before + 1
        else:
            assert response.status_code in (400, 403)
            assert resource.model.objects.count() == before

    def test_it_updates_only_within_scope(self, world: World, resource: Resource,
                                          persona: str) -> None:
        record = _record(world, resource)
        reads, writes = _expectations(resource, persona, record)
        field = editable_text_field(record, resource.fields)
        data = {field: "Changed through the API"} if field else {}
        response = _api(world, persona).patch(self.url(resource, record.pk), data, format="json",
                                              **if_match(record))
        if writes:
            assert response.status_code == 200, response.content
            if field:
                change = history_for(record).filter(action=ChangeAction.UPDATE).first()
                assert change is not None and change.user_name == persona
        else:
            assert response.status_code == (403 if reads else 404)

    def test_it_deletes_only_within_scope(self, world: World, resource: Resource,
                                          persona: str) -> None:
        record = _record(world, resource)
        reads, writes = _expectations(resource, persona, record)
        response = _api(world, persona).delete(self.url(resource, record.pk))
        exists = resource.model.objects.filter(pk=record.pk).exists()
        if writes:
            assert response.status_code == 204
            assert not exists
        else:
            assert response.status_code == (403 if reads else 404)
            assert exists


def test_every_model_of_the_project_is_a_resource() -> None:
    """A model without pages and API would escape the generated tests."""
    from django.apps import apps

    from ictmerge.core.models import TrackedModel

    tracked = {m for m in apps.get_models() if issubclass(m, TrackedModel)}
    registered = {r.model for r in REGISTRY.values()}
    assert tracked - registered == set()
