"""The national report's cache: served while nothing changes, recomputed after any write,
narrowed to each user's scope after the cache.

Transactional tests: inside a test's transaction nothing is cached (on purpose)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client

from ictmerge.core.history import record_bulk
from ictmerge.core.payloads import AfterFigures
from ictmerge.core.providers import AFTER_PROVIDERS
from ictmerge.core.testing.factories import build_record, make_record
from ictmerge.inventory.figures import former_figures
from ictmerge.inventory.models import Device
from ictmerge.reports import services
from ictmerge.reports.services import REPORT_CACHE, national_report
from ictmerge.review.takeover import handover_due
from ictmerge.review.tests.test_handover import REFORM_DAY, _inventory, _split_c

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def counted_provider() -> Iterator[list[int]]:
    """An "after" provider that counts how often the figures are computed; an empty cache."""
    calls: list[int] = []

    def counting_provider(reform: Any, only: Any = None) -> dict[int, AfterFigures]:
        calls.append(reform.pk)
        return {}

    AFTER_PROVIDERS.append(counting_provider)  # the registry every reader shares
    caches[REPORT_CACHE].clear()
    try:
        yield calls
    finally:
        AFTER_PROVIDERS.remove(counting_provider)
        caches[REPORT_CACHE].clear()


def _servers(report: Mapping[str, Any], code: str = "N") -> int:
    return int(next(row for row in report["new"] if row["code"] == code)["servers"])


def test_it_serves_the_cache_until_a_write_changes_the_figures(
        world: Any, counted_provider: list[int],
        django_assert_num_queries: Any) -> None:
    """GIVEN two servers of A and the report computed once
    WHEN it is asked again THEN it comes from the cache (one query: the history stamp)
    WHEN a server is saved, bulk-created with its history, or edited into a desktop
    THEN the next report shows the new figure at once."""
    make_record(Device, world.former_a, kind="server")
    make_record(Device, world.former_a, kind="server")
    assert _servers(national_report(world.reform)) == 2
    with django_assert_num_queries(1):
        assert _servers(national_report(world.reform)) == 2
    assert len(counted_provider) == 1

    third = make_record(Device, world.former_a, kind="server")
    assert _servers(national_report(world.reform)) == 3

    bulk = [build_record(Device, world.former_b, kind="server") for _ in range(2)]
    record_bulk(Device.objects.bulk_create(bulk))
    assert _servers(national_report(world.reform)) == 5

    third.kind = "desktop"
    third.save()
    report = national_report(world.reform)
    assert _servers(report) == 4 and report["servers"] == 4
    assert len(counted_provider) == 4


def test_each_user_sees_their_own_rows_of_the_shared_figures(world: Any,
                                                            counted_provider: list[int]) -> None:
    """GIVEN the lead of North asks first and the figures are cached
    WHEN the auditor and then the lead ask again THEN the auditor gets both new
    municipalities and the lead still only North, from one computation."""
    make_record(Device, world.former_c, kind="server")
    codes = {}
    for name in ("lead", "auditor", "lead"):
        client = Client()
        client.force_login(world.users[name])
        response = client.get("/api/reports/national/")
        assert response.status_code == 200
        codes[name] = sorted(row["code"] for row in response.json()["new"])
    assert codes == {"lead": ["N"], "auditor": ["N", "S"]}
    assert len(counted_provider) == 1


def test_nothing_is_cached_inside_a_transaction(world: Any,
                                                counted_provider: list[int]) -> None:
    """Figures computed inside a transaction may hold uncommitted writes: never cached."""
    with transaction.atomic():
        make_record(Device, world.former_a, kind="server")
        assert _servers(national_report(world.reform)) == 1
        assert _servers(national_report(world.reform)) == 1
    assert len(counted_provider) == 2
    assert national_report(world.reform)["servers"] == 1
    assert len(counted_provider) == 3


def test_a_worker_waits_for_the_one_computing_the_same_figures(
        world: Any, counted_provider: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN another worker is computing the figures for the current data
    WHEN a request asks THEN it takes that worker's result instead of computing again;
    and WHEN that worker never finishes THEN the request computes them itself after the wait."""
    monkeypatch.setattr(services, "REPORT_WAIT_SECONDS", 0.3)
    cache = caches[REPORT_CACHE]
    key = services._report_key(world.reform, services.history_stamp())
    cache.add(f"{key}:computing", 1)
    summary, counties = services._national_figures(world.reform)
    calls = len(counted_provider)
    threading.Timer(0.1, cache.set, (key, ({**summary, "servers": 4242}, counties))).start()
    assert national_report(world.reform)["servers"] == 4242
    assert len(counted_provider) == calls
    cache.clear()
    cache.add(f"{key}:computing", 1)
    assert national_report(world.reform)["servers"] == 0
    assert len(counted_provider) == calls + 1


def test_it_computes_again_only_the_counties_a_write_touched(
        world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the national figures cached WHEN a server of former C (South) is added
    THEN the next report computes again only South's predecessor, C, and shows the server;
    WHEN nothing changes THEN nothing is computed."""
    make_record(Device, world.former_a, kind="server")
    assert national_report(world.reform)["servers"] == 1
    computed: list[set[int] | None] = []

    def spy(reform: Any, only: Any = None) -> Any:
        computed.append(None if only is None else set(only))
        return former_figures(reform, only)

    monkeypatch.setattr(services, "former_figures", spy)
    make_record(Device, world.former_c, kind="server")
    report = national_report(world.reform)
    assert (report["servers"], _servers(report, "S"), _servers(report, "N")) == (2, 1, 1)
    assert computed == [{world.former_c.pk}]
    national_report(world.reform)
    assert computed == [{world.former_c.pk}]


def test_the_counties_kept_give_the_figures_computed_afresh(world: Any) -> None:
    """GIVEN C split between South and North, with records of every counted kind
    WHEN records are written in one county, then the records pass on the reform date
    THEN after each step the figures read (partly from the counties kept in the cache) are
    those computed afresh from the records."""
    _split_c(world)
    _inventory(world)

    def agree() -> None:
        assert services.national_figures(world.reform) == services._national_figures(
            world.reform)

    agree()
    make_record(Device, world.former_a, kind="server")
    agree()
    make_record(Device, world.former_c, kind="laptop")
    agree()
    handover_due(REFORM_DAY)
    agree()
    Device.objects.filter(municipality=world.north).first().delete()  # type: ignore[union-attr]
    agree()
