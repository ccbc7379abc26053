"""The national page, the county pages that show county figures and their API twins issue
as many queries at ten times the records as at one time (issue 20: pages flat in data size).

Transactional tests: the report cache is used only outside a transaction, so both a cold
request (the cache empty, the figures computed) and a warm one (read from the cache) are
counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from ictmerge.core.testing.factories import make_record
from ictmerge.core.testing.personas import World
from ictmerge.inventory.models import (
    Contract,
    Device,
    InformationSystem,
    Installation,
    Licence,
    ServerRoom,
)
from ictmerge.reforms.counties import county_url
from ictmerge.reports.services import REPORT_CACHE

pytestmark = pytest.mark.django_db(transaction=True)

#: Per former municipality and per unit of scale: the records one unit adds.
UNIT = (
    (Device, {"kind": "server", "is_virtual": False}),
    (Device, {"kind": "server", "is_virtual": False}),
    (Device, {"kind": "desktop"}),
    (Device, {"kind": "laptop"}),
    (ServerRoom, {}),
    (InformationSystem, {}),
    (Installation, {}),
    (Licence, {}),
    (Contract, {}),
)

#: The pages under test: (name, user, kind) with kind "page" (a county page) or "api".
COUNTY_PAGES = ("county", "county_cockpit", "consolidation_county", "systems_county",
                "software_portfolio", "planning_governance", "planning_budget")


def _grow(world: World, units: int) -> None:
    """Add `units` units of records to each former municipality, and an edit of each device
    (a second history row per device)."""
    for former in (world.former_a, world.former_b, world.former_c):
        for _ in range(units):
            for model, overrides in UNIT:
                record = make_record(model, former, **overrides)
                if model is Device:
                    record.notes = f"{record.notes or ''} checked"
                    record.save()


def _urls(world: World) -> list[str]:
    return (["/national/", "/api/reports/national/",
             f"/api/reports/counties/{world.north.code}/?reform={world.reform.code}"]
            + [county_url(name, world.north) for name in COUNTY_PAGES])


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _counts(world: World) -> dict[str, tuple[int, int]]:
    """Per URL, the queries of a cold request (empty report cache) and of a warm one."""
    client = Client()
    client.force_login(world.users["lead"])
    api = APIClient()
    api.force_authenticate(world.users["lead"])
    for url in _urls(world):  # the user's scope and the sessions once, before counting
        (api if url.startswith("/api/") else client).get(url)
    counts = {}
    for url in _urls(world):
        reader = api if url.startswith("/api/") else client
        caches[REPORT_CACHE].clear()
        cold = _count(reader, url)
        counts[url] = (cold, _count(reader, url))
    return counts


def test_it_issues_as_many_queries_at_ten_times_the_records(world: World) -> None:
    """GIVEN a reform with one unit of records per former municipality, then ten
    WHEN the national page, the county pages and their API twins are read, cold and warm
    THEN each issues the same number of queries at 10x as at 1x."""
    _grow(world, 1)
    once = _counts(world)
    _grow(world, 9)
    assert Device.objects.count() == 3 * 10 * 4
    tenfold = _counts(world)
    assert tenfold == once
