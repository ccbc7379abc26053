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


def test_it_never_counts_the_change_history_for_a_cache_key(world: World) -> None:
    """GIVEN the national page, the county page and their API twins read once (cached)
    WHEN they are read again THEN no statement reads the change history's table (the cache
    key sums the version counters, one row per municipality)."""
    _grow(world, 1)
    client = Client()
    client.force_login(world.users["lead"])
    urls = ["/national/", "/api/reports/national/", county_url("county", world.north),
            f"/api/reports/counties/{world.north.code}/?reform={world.reform.code}"]
    for url in urls:
        client.get(url)
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert not [q for q in captured if "core_changerecord" in q["sql"]], url


def test_it_shows_a_new_figure_at_once_after_a_write(world: World) -> None:
    """GIVEN the national page and North's county page read (and cached) with one server
    WHEN a server is added to former A THEN both show two at once, the lead of North
    still reads only North's row, and a steward of former C gets 404 for North's page."""
    make_record(Device, world.former_a, kind="server", is_virtual=False)
    client = Client()
    client.force_login(world.users["lead"])
    page = county_url("county", world.north)

    def servers() -> tuple[int, int, int]:
        national = client.get("/api/reports/national/").json()
        (north,) = national["new"]
        county = client.get(page).context["merged"]["servers"]
        return national["servers"], north["servers"], county

    assert servers() == (1, 1, 1)
    assert servers() == (1, 1, 1)  # now from the cache
    make_record(Device, world.former_a, kind="server", is_virtual=False)
    assert servers() == (2, 2, 2)
    outsider = Client()
    outsider.force_login(world.users["outsider"])
    assert outsider.get(page).status_code == 404
