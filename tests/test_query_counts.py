"""Query counts of list pages and API lists do not grow with the number of records."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.jobs import autodiscover
from ictmerge.core.resources import REGISTRY, Resource
from ictmerge.core.testing.factories import make_record
from ictmerge.core.testing.personas import World

autodiscover("testing")


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _owner(world: World, resource: Resource) -> Any:
    """Former municipality A, or its county for records that belong to a new municipality."""
    probe = make_record(resource.model, world.former_a) if resource.scoped else None
    if probe is not None and probe.scope_municipality_id() == world.north.pk:
        probe.delete()
        return world.north
    if probe is not None:
        probe.delete()
    return world.former_a


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(REGISTRY))
def test_the_list_page_and_api_list_need_as_many_queries_for_six_records_as_for_two(
    world: World, slug: str
) -> None:
    resource: Resource = REGISTRY[slug]
    owner = _owner(world, resource)
    make_record(resource.model, owner)
    try:
        make_record(resource.model, owner)
    except ValidationError:
        pytest.skip(f"{slug}: one record per owner (a unique rule); nothing to grow")
    ui = Client()
    ui.force_login(world.users["lead"])
    api = APIClient()
    api.force_authenticate(world.users["lead"])
    page_url = reverse(resource.url_name("list"))
    api_url = reverse(f"{slug}-list")
    _queries(ui, page_url), _queries(api, api_url)  # warm: the user's scope is cached
    ui_few, api_few = _queries(ui, page_url), _queries(api, api_url)
    for _ in range(4):
        make_record(resource.model, owner)
    assert _queries(ui, page_url) == ui_few
    assert _queries(api, api_url) == api_few
