"""A record's page costs the same queries however many related records and changes it has;
list dates read as django-tables2 writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_tables2 as tables
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ictmerge.core.resources import REGISTRY
from ictmerge.core.testing.factories import make_record
from ictmerge.core.testing.personas import World
from ictmerge.core.views import DateColumn
from ictmerge.inventory.models import Device, ServerRoom, Site


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _record_url(record: Any) -> str:
    return reverse(REGISTRY["devices"].url_name("detail"), args=[record.pk])


@pytest.fixture
def lead(world: World) -> Client:
    client = Client()
    client.force_login(world.users["lead"])
    return client


@pytest.mark.django_db
def test_it_shows_a_device_with_its_site_and_room_in_as_many_queries_as_one_without(
    world: World, lead: Client
) -> None:
    """GIVEN a device with a site and a room and one with neither WHEN their pages are
    opened THEN both cost the same number of queries (the site and room are joined)."""
    site = make_record(Site, world.former_a)
    room = make_record(ServerRoom, world.former_a, site=site)
    placed = make_record(Device, world.former_a, site=site, room=room)
    bare = make_record(Device, world.former_a, site=None, room=None)
    _queries(lead, _record_url(bare))  # warm: the user's scope is cached
    page = lead.get(_record_url(placed)).content.decode()
    assert site.get_absolute_url() in page and room.get_absolute_url() in page
    assert _queries(lead, _record_url(placed)) == _queries(lead, _record_url(bare))


@pytest.mark.django_db
def test_it_shows_a_device_changed_thirty_times_in_as_many_queries_as_one_changed_once(
    world: World, lead: Client
) -> None:
    """GIVEN a device changed once and one changed thirty times WHEN their pages are opened
    THEN both cost the same number of queries (the history is one query)."""
    once = make_record(Device, world.former_a)
    often = make_record(Device, world.former_a)
    for number in range(30):
        often.notes = f"change {number}"
        often.save()
    _queries(lead, _record_url(once))
    assert "change 29" in lead.get(_record_url(often)).content.decode()
    assert _queries(lead, _record_url(often)) == _queries(lead, _record_url(once))


@pytest.mark.parametrize("language", ["lv", "en"])
def test_it_writes_a_list_date_as_django_tables2_date_column_does(language: str) -> None:
    """GIVEN a date and no date WHEN the list's date column and django-tables2's render
    them THEN the HTML is the same, in both languages."""

    class Ours(tables.Table):
        day = DateColumn(verbose_name="Day")

    class Theirs(tables.Table):
        day = tables.DateColumn(verbose_name="Day")

    rows = [{"day": dt.date(2026, 3, 9)}, {"day": None}, {"day": dt.date(1999, 12, 31)}]
    with translation.override(language):
        ours = [cell for row in Ours(rows).rows for cell in row]
        theirs = [cell for row in Theirs(rows).rows for cell in row]
    assert ours == theirs
    assert ours[0] != ours[1]
