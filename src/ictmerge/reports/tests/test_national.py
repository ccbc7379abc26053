"""The national and county figures, recomputed from records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ictmerge.core.testing.factories import make_record
from ictmerge.engine.shares import apportion
from ictmerge.inventory.models import Device, IctFinance, ServerRoom
from ictmerge.reforms.counties import county_url
from ictmerge.reforms.models import Municipality, Succession
from ictmerge.reports.services import national_report


@given(st.integers(0, 10_000), st.lists(st.decimals("0.01", "1", places=3), min_size=1,
                                         max_size=4))
def test_apportion_keeps_the_whole(total: int, shares: list[Decimal]) -> None:
    parts = apportion(total, shares)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)


def _inventory(world: Any) -> None:
    for municipality, computers, servers in ((world.former_a, 3, 2), (world.former_b, 2, 1),
                                             (world.former_c, 4, 0)):
        for _ in range(computers):
            make_record(Device, municipality, kind="desktop")
        for _ in range(servers):
            make_record(Device, municipality, kind="server")
    make_record(Device, world.former_a, kind="server", is_virtual=True)
    make_record(ServerRoom, world.former_a)
    for municipality, spend, total in ((world.former_a, "600", "100000"),
                                       (world.former_b, "1000", "100000"),
                                       (world.former_c, None, "50000")):
        IctFinance.objects.create(municipality=municipality, year=2019,
                                  total_expenditure_eur=Decimal(total),
                                  ict_spend_eur=Decimal(spend) if spend else None)


@pytest.mark.django_db
def test_the_national_report_sums_the_records(world: Any) -> None:
    _inventory(world)
    report = national_report(world.reform)
    assert report["former_municipalities"] == 3
    assert report["former_municipalities_surveyed"] == 3
    assert report["new_municipalities"] == 2
    assert report["computers"] == 9
    assert report["servers"] == 3  # the virtual server is not counted
    assert report["server_rooms"] == 1
    assert report["ict_spend_eur"] == 1600
    assert report["municipalities_reporting_spend"] == 2
    assert report["municipalities_at_or_below_0_75_pct"] == 1  # 0.6 % yes, 1.0 % no
    north = next(c for c in report["new"] if c["code"] == "N")
    assert north["computers"] == 5 and north["servers"] == 3
    assert north["predecessors"] == ["Former A", "Former B"]
    assert north["servers_after"] is None  # not yet planned


@pytest.mark.django_db
def test_a_split_municipality_is_divided_by_its_shares(world: Any) -> None:
    _inventory(world)
    Succession.objects.filter(former=world.former_c).update(share=Decimal("0.5"))
    Succession.objects.create(reform=world.reform, former=world.former_c, new=world.north,
                              part="east", share=Decimal("0.5"))
    report = national_report(world.reform)
    by_code = {c["code"]: c for c in report["new"]}
    assert by_code["N"]["computers"] + by_code["S"]["computers"] == report["computers"]
    assert by_code["S"]["computers"] == 2


@pytest.mark.django_db
def test_the_national_page_and_api_show_only_visible_counties(world: Any) -> None:
    _inventory(world)
    client = Client()
    client.force_login(world.users["lead"])
    page = client.get(reverse("national"))
    assert page.status_code == 200
    assert [c["code"] for c in page.context["report"]["new"]] == ["N"]
    client.force_login(world.users["auditor"])
    data = client.get(reverse("api_national")).json()
    assert {c["code"] for c in data["new"]} == {"N", "S"}
    assert data["computers"] == 9


@pytest.mark.django_db
def test_the_county_page_shows_predecessors_and_hides_other_counties(world: Any) -> None:
    _inventory(world)
    client = Client()
    client.force_login(world.users["lead"])
    page = client.get(county_url("county", world.north))
    assert page.status_code == 200
    assert [m.name for m in page.context["predecessors"]] == ["Former A", "Former B"]
    assert page.context["merged"]["computers"] == 5
    assert client.get(county_url("county", world.south)).status_code == 404
    assert client.get(county_url("county", world.former_a)).status_code == 404


@pytest.mark.django_db
def test_report_national_json_from_the_cli(world: Any) -> None:
    import json

    from ictmerge.cli import app

    _inventory(world)
    result = CliRunner().invoke(app, ["report", "national", "--format", "json",
                                      "--reform", "test-reform"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["computers"] == 9
    assert {"code", "name", "predecessors", "computers", "servers",
            "server_rooms"} <= set(data["new"][0])


@pytest.mark.django_db
def test_the_national_page_needs_few_queries_whatever_the_data(world: Any,
                                                               django_assert_max_num_queries: Any
                                                               ) -> None:
    _inventory(world)
    for n in range(20):
        Municipality.objects.create(reform=world.reform, code=f"X{n}", name=f"X{n}",
                                    stage="former")
    client = Client()
    client.force_login(world.users["auditor"])
    # 41: the planning provider assesses the governance of unscheduled counties in a
    # fixed 8 queries (sites, devices, finance, systems, parameters, choices...); one asks
    # whether a job runs (the banner of a page waiting on one).
    with django_assert_max_num_queries(41):
        assert client.get(reverse("national")).status_code == 200
