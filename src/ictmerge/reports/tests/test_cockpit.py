"""The county cockpit: each role's home, the four answers with their states, the money, the
jobs running for the county, and who may read it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ictmerge.core.choices import JobStatus
from ictmerge.core.models import Job
from ictmerge.reforms.counties import County
from ictmerge.reports.services import county_report
from ictmerge.reports.tests.test_county_sections import Planned, _plan_everything

FIGURE = re.compile(r'data-figure="([a-z_]+)" data-value="([^"]*)"')
STATE = re.compile(r'data-state="([a-z_]+)"')


def _client(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def cockpit_url(county: Any) -> str:
    """The cockpit's address of a new municipality."""
    return reverse("county_cockpit", args=[county.reform.code, county.code])


def page_figures(html: str) -> dict[str, str]:
    """The figures a page marks with data-figure, as their raw values (text)."""
    return dict(FIGURE.findall(html))


def as_text(value: Any) -> str:
    """A JSON figure as the page writes it in data-value (unlocalised; empty for null)."""
    if value is None:
        return ""
    return str(value)


@pytest.fixture
def planned(world: Any) -> Planned:
    return _plan_everything(world)


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "target"), [
    ("lead", "north"), ("viewer", "north"), ("steward", "north"),
    ("auditor", "national"), ("admin", "national"),
])
def test_it_lands_each_role_on_its_home(world: Any, persona: str, target: str) -> None:
    """GIVEN a persona WHEN it opens the start page (where sign-in leads) THEN a county lead,
    viewer or steward lands on the cockpit of their county, an auditor on the national view."""
    answer = _client(world, persona).get(reverse("home"))
    assert answer.status_code == 302
    expected = reverse("national") if target == "national" else cockpit_url(world.north)
    assert answer["Location"] == expected


@pytest.mark.django_db
def test_it_shows_the_registers_to_a_user_without_a_role(world: Any) -> None:
    """GIVEN a user with no membership WHEN the start page opens THEN it shows the registers."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nobody", password="x")
    client = Client()
    client.force_login(user)
    answer = client.get(reverse("home"))
    assert answer.status_code == 200
    assert reverse("registers") == "/registers/"


@pytest.mark.django_db
def test_it_shows_the_county_reports_figures_and_states(world: Any, planned: Planned) -> None:
    """GIVEN North planned (servers, systems decided for one function, governance chosen)
    WHEN its lead opens the cockpit THEN every figure equals the county report and each
    answer carries the report's state."""
    report = county_report(County.of(world.north))
    html = _client(world, "lead").get(cockpit_url(world.north)).content.decode()
    figures = page_figures(html)
    for key in ("servers_before", "servers_after", "server_rooms_before", "server_rooms_after",
                "information_systems_before", "information_systems_after",
                "software_products_before", "software_products_after", "governance_before",
                "governance_after", "one_off_eur", "annual_change_eur"):
        assert figures[key] == as_text(report[key]), key
    states = STATE.findall(html)
    assert states == [report["servers_state"], report["server_rooms_state"],
                      report["information_systems_state"], report["software_products_state"],
                      report["governance_state"]]
    assert report["governance_state"] == "chosen"
    assert report["software_products_state"] == "not_planned"
    assert report["one_off_range_eur"] is not None
    assert report["one_off_range_eur"]["expected"] == report["one_off_eur"]
    assert reverse("planning_budget", args=[world.reform.code, "N"]) in html


@pytest.mark.django_db
def test_it_says_not_planned_for_a_county_without_plans(world: Any) -> None:
    """GIVEN South with nothing planned WHEN the admin opens its cockpit THEN every after
    figure is '?', every answer not planned, and the money says there is no budget yet."""
    html = _client(world, "admin").get(cockpit_url(world.south)).content.decode()
    assert set(STATE.findall(html)) == {"not_planned"}
    assert 'data-testid="money-pending"' in html
    assert page_figures(html)["servers_after"] == ""


@pytest.mark.django_db
def test_it_keeps_the_cockpit_within_the_users_scope(world: Any) -> None:
    """GIVEN the personas WHEN they open North's cockpit THEN the outsider gets 404, the
    steward of a predecessor sees it without links to county pages it may not open, and the
    lead may not open South's."""
    assert _client(world, "outsider").get(cockpit_url(world.north)).status_code == 404
    assert _client(world, "lead").get(cockpit_url(world.south)).status_code == 404
    steward = _client(world, "steward").get(cockpit_url(world.north))
    assert steward.status_code == 200
    html = steward.content.decode()
    assert reverse("consolidation_county", args=[world.reform.code, "N"]) not in html
    lead = _client(world, "lead").get(cockpit_url(world.north)).content.decode()
    assert reverse("consolidation_county", args=[world.reform.code, "N"]) in lead


@pytest.mark.django_db
def test_it_shows_a_banner_on_every_page_of_a_county_while_its_job_runs(world: Any) -> None:
    """GIVEN a job running for North and a job for the whole reform WHEN North's pages, South's
    cockpit and the planning index open THEN North's show both with their progress, South's
    the reform's only, and the planning index the reform's."""
    Job.objects.create(kind="planning.schedule", title="Schedule North", progress=40,
                       status=JobStatus.RUNNING, municipality=world.north)
    Job.objects.create(kind="planning.plan_all", title="Plan every county", progress=10,
                       status=JobStatus.QUEUED, params={"reform": world.reform.pk})
    Job.objects.create(kind="planning.schedule", title="Finished one",
                       status=JobStatus.SUCCEEDED, municipality=world.north)
    admin = _client(world, "admin")
    for name in ("county", "county_cockpit", "planning_budget"):
        html = admin.get(reverse(name, args=[world.reform.code, "N"])).content.decode()
        assert 'data-testid="job-banner"' in html, name
        assert "Schedule North" in html and "Plan every county" in html, name
        assert "Finished one" not in html
    south = admin.get(cockpit_url(world.south)).content.decode()
    assert "Plan every county" in south and "Schedule North" not in south
    index = admin.get(reverse("planning_index")).content.decode()
    assert 'data-testid="job-banner"' in index and "Plan every county" in index
    Job.objects.update(status=JobStatus.SUCCEEDED)
    html = admin.get(cockpit_url(world.north)).content.decode()
    assert 'data-testid="job-banner"' not in html


@pytest.mark.django_db
def test_it_reads_a_county_pages_banner_in_one_query_more(world: Any) -> None:
    """GIVEN North's county page and cockpit opened with no job queued (one query asks
    whether any waits) WHEN a job is queued for North THEN each costs one query more (North's
    jobs): the banner reuses the county the page resolved."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = _client(world, "admin")
    urls = [reverse("county", args=[world.reform.code, "N"]), cockpit_url(world.north)]

    def queries(url: str) -> int:
        admin.get(url)  # warm
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(url).status_code == 200
        return len(captured)

    idle = [queries(url) for url in urls]
    Job.objects.create(kind="planning.schedule", title="Schedule North", progress=40,
                       status=JobStatus.QUEUED, municipality=world.north)
    assert [queries(url) for url in urls] == [n + 1 for n in idle]
    assert "Schedule North" in admin.get(urls[0]).content.decode()


@pytest.mark.django_db
def test_it_does_not_show_a_countys_jobs_to_whom_may_not_see_it(world: Any) -> None:
    """GIVEN a job running for South WHEN the lead of North opens South's page THEN the 404
    page shows no banner of it."""
    Job.objects.create(kind="planning.schedule", title="Schedule South", progress=40,
                       status=JobStatus.RUNNING, municipality=world.south)
    answer = _client(world, "lead").get(cockpit_url(world.south))
    assert answer.status_code == 404
    assert "Schedule South" not in answer.content.decode()


def _county_pages() -> list[tuple[str, list[str]]]:
    """Every county page's URL name with the arguments after the code (a function for the
    systems' function page); the exports (files, no banner) left out."""
    from django.urls import URLPattern, URLResolver, get_resolver

    from ictmerge.reforms.counties import COUNTY_ROUTE

    found: list[tuple[str, list[str]]] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for item in resolver.url_patterns:
            route = prefix + str(item.pattern)
            if isinstance(item, URLResolver):
                walk(item, route)
            elif isinstance(item, URLPattern) and item.name and route.startswith(COUNTY_ROUTE):
                rest = re.findall(r"<[^>]+>", route[len(COUNTY_ROUTE):])
                if rest == ["<str:function>"]:
                    found.append((item.name, ["finance"]))
                elif not rest:
                    found.append((item.name, []))

    walk(get_resolver(), "")
    return found


@pytest.mark.django_db
def test_it_shows_the_banner_on_every_county_page(world: Any) -> None:
    """GIVEN a job running for North WHEN the administrator opens every page of North's (each
    URL pattern under /counties/<reform>/<code>/ that answers a page) THEN each shows the
    banner with the job's progress."""
    Job.objects.create(kind="planning.schedule", title="Schedule North", progress=40,
                       status=JobStatus.RUNNING, municipality=world.north)
    admin = _client(world, "admin")
    pages = _county_pages()
    assert len(pages) >= 10 and "county_cockpit" in dict(pages)
    missing, checked = [], 0
    for name, extra in pages:
        answer = admin.get(reverse(name, args=[world.reform.code, "N", *extra]))
        if answer.status_code != 200 or "text/html" not in answer["Content-Type"]:
            continue
        checked += 1
        html = answer.content.decode()
        if 'data-testid="job-banner"' not in html or "Schedule North" not in html:
            missing.append(name)
    assert missing == [] and checked >= 10, (missing, checked)
