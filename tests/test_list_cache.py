"""A list whose table is cached (Resource.cache_list, core.pagecache) shows a write at once,
never shows one user's rows to another, and reads the same as rendered afresh.

Transactional tests: the cache is used only outside a transaction."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from ictmerge.core.models import Membership
from ictmerge.core.pagecache import PAGE_CACHE
from ictmerge.core.resources import REGISTRY
from ictmerge.core.testing.factories import make_record
from ictmerge.core.testing.personas import World
from ictmerge.core.views import ObjectListView, list_is_cacheable
from ictmerge.inventory.models import Device

pytestmark = pytest.mark.django_db(transaction=True)

LIST = reverse(REGISTRY["devices"].url_name("list"))


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    caches[PAGE_CACHE].clear()
    yield
    caches[PAGE_CACHE].clear()


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The lists rendered afresh (not read from the cache), by query string."""
    rendered: list[str] = []
    body = ObjectListView.body

    def spy(view: ObjectListView) -> Any:
        rendered.append(view.request.GET.urlencode())
        return body(view)

    monkeypatch.setattr(ObjectListView, "body", spy)
    return rendered


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def _page(client: Client, url: str = LIST) -> str:
    response = client.get(url)
    assert response.status_code == 200
    # The sign-out and language forms carry a new CSRF token each time.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_it_reads_the_list_from_the_cache_until_a_write_then_shows_it_at_once(
        world: World, renders: list[str]) -> None:
    """GIVEN the device list read twice by the lead (the second time from the cache)
    WHEN a device is added, one renamed, a municipality renamed and a device deleted
    THEN each shows on the next read."""
    first = make_record(Device, world.former_a, name="first-device")
    lead = _client(world, "lead")
    assert "first-device" in _page(lead)
    assert "first-device" in _page(lead)
    assert renders == [""]  # the second from the cache
    second = make_record(Device, world.former_b, name="second-device")
    assert "second-device" in _page(lead)
    second.name = "renamed-device"
    second.save()
    page = _page(lead)
    assert "renamed-device" in page and "second-device" not in page
    world.former_a.name = "Former A renamed"
    world.former_a.save()
    assert "Former A renamed" in _page(lead)
    first.delete()
    assert "first-device" not in _page(lead)
    assert len(renders) == 5


def test_it_never_shows_one_users_cached_rows_to_another(world: World) -> None:
    """GIVEN a device of former A and one of former C, the list read by the auditor (cached)
    WHEN the steward of A and the steward of C read it, and then A's steward moves to C
    THEN each reads only their own municipality's device, at once after the move."""
    make_record(Device, world.former_a, name="device-of-a")
    make_record(Device, world.former_c, name="device-of-c")
    auditor = _page(_client(world, "auditor"))
    assert "device-of-a" in auditor and "device-of-c" in auditor
    steward = _client(world, "steward")
    page = _page(steward)
    assert "device-of-a" in page and "device-of-c" not in page
    outsider = _page(_client(world, "outsider"))
    assert "device-of-c" in outsider and "device-of-a" not in outsider
    Membership.objects.filter(user=world.users["steward"]).update(
        municipality=world.former_c)
    page = _page(steward)
    assert "device-of-c" in page and "device-of-a" not in page


@pytest.mark.parametrize("language", ["lv", "en"])
def test_it_reads_the_same_from_the_cache_as_rendered_without_one(
        world: World, renders: list[str], language: str) -> None:
    """GIVEN devices of two municipalities WHEN a filtered, sorted second page of the list
    is read without the cache, then twice with it THEN the three pages are the same."""
    for number in range(60):
        make_record(Device, (world.former_a, world.former_b)[number % 2],
                    name=f"device {number:02d}", kind="server" if number % 3 else "desktop")
    lead = _client(world, "lead")
    lead.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = f"{LIST}?kind=server&sort=-name&page=1"
    without = {name: spec for name, spec in settings.CACHES.items() if name != PAGE_CACHE}
    with override_settings(CACHES=without):
        fresh = _page(lead, url)
    assert _page(lead, url) == fresh
    assert _page(lead, url) == fresh
    assert len(renders) == 2  # without the cache, then once into it
    assert "device 59" in fresh and fresh.count("<tr") == 1 + 40


def test_it_caches_only_lists_of_tracked_records() -> None:
    """GIVEN every resource WHEN its list is marked cached THEN everything its table and
    filters show is a tracked model (its writes bump the version counters)."""
    cached = [slug for slug, resource in REGISTRY.items() if resource.cache_list]
    assert cached == ["devices"]
    assert all(list_is_cacheable(REGISTRY[slug]) for slug in cached)


@pytest.fixture
def national_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The national figures rendered afresh (not read from the cache): their server count."""
    from ictmerge.reports import views

    rendered: list[int] = []
    figures = views.national_figures

    def spy(reform: Any, report: Any) -> Any:
        rendered.append(report["servers"])
        return figures(reform, report)

    monkeypatch.setattr(views, "national_figures", spy)
    return rendered


def _servers(page: str) -> str:
    found = re.search(r'data-testid="servers">([^<]*)<', page)
    assert found is not None
    return found.group(1)


def test_it_renders_the_national_figures_once_per_report_and_shows_a_write_at_once(
        world: World, national_renders: list[int]) -> None:
    """GIVEN the national page read twice by the auditor (the figures the second time from
    the cache) WHEN a server is added THEN the next read shows two servers, rendered anew."""
    make_record(Device, world.former_a, kind="server", is_virtual=False)
    auditor = _client(world, "auditor")
    assert _servers(_page(auditor, "/national/")) == "1"
    assert _servers(_page(auditor, "/national/")) == "1"
    assert national_renders == [1]
    make_record(Device, world.former_c, kind="server", is_virtual=False)
    assert _servers(_page(auditor, "/national/")) == "2"
    assert national_renders == [1, 2]


@pytest.mark.parametrize("language", ["lv", "en"])
def test_it_reads_the_same_national_page_from_the_cache_as_without_one(
        world: World, language: str) -> None:
    """GIVEN servers in two counties WHEN the national page is read without the cache, then
    twice with it, by the auditor and by North's lead THEN each reads the same three times,
    and the lead's page differs from the auditor's (only North's row)."""
    make_record(Device, world.former_a, kind="server", is_virtual=False)
    make_record(Device, world.former_c, kind="server", is_virtual=False)
    without = {name: spec for name, spec in settings.CACHES.items() if name != PAGE_CACHE}
    pages = {}
    for persona in ("auditor", "lead"):
        client = _client(world, persona)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        with override_settings(CACHES=without):
            fresh = _page(client, "/national/")
        assert _page(client, "/national/") == fresh
        assert _page(client, "/national/") == fresh
        pages[persona] = fresh
    assert 'data-code="S"' in pages["auditor"] and 'data-code="S"' not in pages["lead"]


def _merged_servers(page: str) -> str:
    row = re.search(r'<tr><th>[^<]*</th>(?:<td class="num">\d+</td>)+<td class="num"><strong>'
                    r'(\d+)</strong></td></tr>\s*<tr><th>[^<]*</th>(?:<td class="num">\d+</td>)+'
                    r'<td class="num"><strong>\d+</strong></td></tr>\s*<tr><th>Server rooms', page)
    assert row is not None
    return row.group(1)


def test_it_shows_a_new_server_on_the_county_page_at_once(world: World) -> None:
    """GIVEN North's county page read twice by its lead (its figures the second time from
    the cache) WHEN a server is added to former A, then former A is renamed THEN the next
    read shows two servers merged, then the new name."""
    from ictmerge.reforms.counties import county_url

    make_record(Device, world.former_a, kind="server", is_virtual=False)
    lead = _client(world, "lead")
    lead.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = county_url("county", world.north)
    assert _merged_servers(_page(lead, page)) == "1"
    assert _merged_servers(_page(lead, page)) == "1"
    make_record(Device, world.former_a, kind="server", is_virtual=False)
    assert _merged_servers(_page(lead, page)) == "2"
    world.former_a.name = "Former A renamed"
    world.former_a.save()
    assert '<th class="num">Former A renamed</th>' in _page(lead, page)


@pytest.mark.parametrize("language", ["lv", "en"])
def test_it_reads_the_same_county_page_from_the_cache_as_without_one(
        world: World, language: str) -> None:
    """GIVEN servers in North WHEN North's county page is read without the cache, then twice
    with it, by the auditor and by North's lead THEN each reads the same three times."""
    from ictmerge.reforms.counties import county_url

    make_record(Device, world.former_a, kind="server", is_virtual=False)
    make_record(Device, world.former_b, kind="desktop")
    without = {name: spec for name, spec in settings.CACHES.items() if name != PAGE_CACHE}
    for persona in ("auditor", "lead"):
        client = _client(world, persona)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        with override_settings(CACHES=without):
            fresh = _page(client, county_url("county", world.north))
        assert _page(client, county_url("county", world.north)) == fresh
        assert _page(client, county_url("county", world.north)) == fresh


def test_it_counts_the_api_list_anew_after_a_write_and_per_scope(world: World) -> None:
    """GIVEN two desktops of former A and one of former C, the API list counted twice for
    the auditor (the second count from the cache) WHEN a desktop is added to former A
    THEN the auditor counts four, A's steward three, C's steward one."""
    from rest_framework.test import APIClient

    for former in (world.former_a, world.former_a, world.former_c):
        make_record(Device, former, kind="desktop")

    def count(persona: str) -> int:
        api = APIClient()
        api.force_authenticate(world.users[persona])
        response = api.get("/api/devices/?kind=desktop&limit=1")
        assert response.status_code == 200
        return int(response.json()["count"])

    assert count("auditor") == 3
    assert count("auditor") == 3
    make_record(Device, world.former_a, kind="desktop")
    assert (count("auditor"), count("steward"), count("outsider")) == (4, 3, 1)
