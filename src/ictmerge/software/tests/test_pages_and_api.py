"""The software pages and API endpoints: content, scope and writes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.jobs import run_job
from ictmerge.core.models import Job
from ictmerge.inventory.models import Installation, SoftwareProduct
from ictmerge.reforms.counties import county_url, covered_ids
from ictmerge.software import services
from ictmerge.software.models import TitleRule
from ictmerge.software.tests.conftest import Register

pytestmark = pytest.mark.django_db


def _ui(register: Register, persona: str) -> Client:
    client = Client()
    client.force_login(register.world.users[persona])
    return client


def _api(register: Register, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(register.world.users[persona])
    return client


def test_it_shows_the_position_page_with_its_chart(register: Register) -> None:
    world = register.world
    services.normalise_installations(covered_ids(world.north))
    page = _ui(register, "lead").get(county_url("software_position", world.north))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="position-chart"' in html and "Office Professional Plus" in html
    assert 'data-testid="shortfall">5<' in html
    assert 'data-testid="not-transferable">2<' in html
    svg = html[html.index('data-testid="position-chart"'):html.index("</svg>")]
    assert not re.search(r'="-?\d+,\d+"', svg)  # coordinates stay numbers under a decimal comma


@pytest.mark.parametrize(("persona", "status"), [("lead", 200), ("viewer", 200), ("auditor", 200),
                                                 ("steward", 404), ("outsider", 404)])
def test_the_position_of_a_county_is_shown_only_in_scope(register: Register, persona: str,
                                                         status: int) -> None:
    """The steward of A sees A's own position but not the whole county's."""
    north = register.world.north.pk
    county = register.world.north
    assert _ui(register, persona).get(county_url("software_position", county)).status_code == status
    assert _ui(register, persona).get(county_url("software_contracts", county)).status_code == status
    assert _api(register, persona).get(reverse("api_software_position", args=[north])).status_code == status
    assert _api(register, persona).get(reverse("api_software_contracts", args=[north])).status_code == status


def test_the_api_answers_the_position_and_contracts(register: Register) -> None:
    world = register.world
    services.normalise_installations(covered_ids(world.north))
    client = _api(register, "lead")
    data = client.get(reverse("api_software_position", args=[world.north.pk]),
                      {"as_of": "2021-07-01", "months": "6"}).json()
    office = next(p for p in data["products"] if p["product"] == "Office Professional Plus")
    assert (office["shortfall"], office["not_transferable"]) == (2, 2)
    assert office["shortfall_cost_eur"]["item"] == "licence.office_suite"
    assert data["expiring_before"] == "2022-01-01" and data["predecessors"] == ["A", "B"]
    bad = client.get(reverse("api_software_position", args=[world.north.pk]), {"months": "x"})
    assert bad.status_code == 400 and "months" in bad.json()
    contracts = client.get(reverse("api_software_contracts", args=[world.north.pk])).json()
    assert contracts["count"] == 3
    assert contracts["by_reason"] == {"ends_before_reform": 1, "notice_before_reform": 1,
                                      "not_assignable": 1}


def test_the_contracts_page_draws_the_timeline(register: Register) -> None:
    page = _ui(register, "viewer").get(county_url("software_contracts", register.world.north))
    html = page.content.decode()
    assert 'data-testid="contract-timeline"' in html
    svg = html[html.index('data-testid="contract-timeline"'):html.index("</svg>")]
    assert not re.search(r'="-?\d+,\d+"', svg)
    assert "notice_due" in html and "fine" not in html.split('data-testid="contracts"')[1]


def test_the_position_index_lists_only_municipalities_in_scope(register: Register) -> None:
    html = _ui(register, "outsider").get(reverse("software_position_index")).content.decode()
    assert "Former C" in html and "New North" not in html and "Former A" not in html


def test_a_steward_maps_a_title_from_the_review_queue(register: Register) -> None:
    SoftwareProduct.objects.create(vendor="Birojs", name="Grāmatvedis Pro")
    client = _ui(register, "steward")
    queue = client.get(reverse("software_review"))
    assert "Grāmatvedis Pro klients" in queue.content.decode()
    response = client.post(reverse("software_review"), {
        "name": "Grāmatvedis Pro klients", "publisher": "Birojs SIA", "vendor": "Birojs",
        "product": "Grāmatvedis Pro", "category": "licensable"})
    assert response.status_code == 302
    rule = TitleRule.objects.get()
    assert (rule.vendor, rule.product, rule.municipality) == ("Birojs", "Grāmatvedis Pro",
                                                              register.world.former_a)
    assert Installation.objects.get(municipality=register.world.former_a,
                                    raw_name="Grāmatvedis Pro klients").product is not None
    again = client.post(reverse("software_review"), {
        "name": "Grāmatvedis Pro klients", "publisher": "Birojs SIA", "vendor": "Birojs",
        "product": "", "category": "licensable"})
    assert again.status_code == 400 and TitleRule.objects.count() == 1


def test_viewers_and_auditors_cannot_map(register: Register) -> None:
    for persona in ("viewer", "auditor"):
        page = _ui(register, persona).get(reverse("software_review")).content.decode()
        assert 'name="vendor"' not in page
        assert _ui(register, persona).post(reverse("software_review"), {
            "name": "Grāmatvedis Pro klients", "publisher": "Birojs SIA", "vendor": "B",
            "product": "P", "category": "free"}).status_code == 404
        assert _api(register, persona).post(reverse("api_software_review"), {
            "name": "Grāmatvedis Pro klients", "publisher": "Birojs SIA", "vendor": "B",
            "product": "P", "category": "free"}, format="json").status_code == 400
    assert not TitleRule.objects.exists()


def test_the_api_review_queue_and_mapping(register: Register) -> None:
    SoftwareProduct.objects.create(vendor="Birojs", name="Grāmatvedis Pro")
    client = _api(register, "lead")
    queue = client.get(reverse("api_software_review"), {"municipality": register.world.north.pk}).json()
    assert [t["name"] for t in queue["titles"]] == ["Grāmatvedis Pro klients"]
    assert queue["titles"][0]["suggestion"]["needs_review"] is True
    created = client.post(reverse("api_software_review"), {
        "name": "Grāmatvedis Pro klients", "publisher": "Birojs SIA", "vendor": "Birojs",
        "product": "Grāmatvedis Pro", "category": "licensable"}, format="json")
    assert created.status_code == 201 and created.json()["installations_changed"] == 1
    assert client.get(reverse("api_software_review")).json()["count"] == 0
    bad = client.post(reverse("api_software_review"), {"name": "x", "vendor": "v", "product": "p",
                                                       "category": "nope"}, format="json")
    assert bad.status_code == 400 and "category" in bad.json()
    assert _api(register, "outsider").get(reverse("api_software_review"),
                                          {"municipality": register.world.north.pk}).status_code == 404


def _job_for(response: Any) -> Job:
    return Job.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_the_normalise_page_runs_a_job_with_progress(register: Register) -> None:
    world = register.world
    client = _ui(register, "lead")
    assert str(world.north) in client.get(reverse("software_normalise")).content.decode()
    response = client.post(reverse("software_normalise"), {"municipality": world.north.pk})
    assert response.status_code == 302
    job = run_job(_job_for(response).pk)
    assert job.status == "succeeded", job.error
    assert job.result["changed"] == 6 and job.progress == 100 and job.messages
    assert not Installation.objects.filter(municipality=world.former_a, product__isnull=True,
                                           raw_name__startswith="Microsoft").exists()
    # The steward of A cannot normalise the whole county, nor C.
    steward = _ui(register, "steward")
    assert steward.post(reverse("software_normalise"), {"municipality": world.north.pk}).status_code == 400
    assert steward.post(reverse("software_normalise"), {"municipality": world.former_c.pk}).status_code == 400


def test_the_api_queues_a_normalisation_only_in_scope(register: Register) -> None:
    world = register.world
    queued = _api(register, "steward").post(reverse("api_software_normalise"),
                                            {"municipality": world.former_a.pk}, format="json")
    assert queued.status_code == 202
    assert run_job(queued.json()["job"]).result["changed"] == 3
    assert _api(register, "viewer").post(reverse("api_software_normalise"),
                                         {"municipality": world.north.pk}, format="json").status_code == 403
    assert _api(register, "steward").post(reverse("api_software_normalise"),
                                          {"municipality": world.north.pk}, format="json").status_code == 404
    assert _api(register, "outsider").post(reverse("api_software_normalise"),
                                           {"municipality": world.north.pk}, format="json").status_code == 404


def test_the_api_normalises_titles_without_storing_them(register: Register) -> None:
    response = _api(register, "viewer").post(reverse("api_software_normalise_titles"), {"titles": [
        {"name": "Microsoft Visio Viewer 2016", "publisher": "Microsoft Corporation"},
        {"name": "Security Update for Microsoft Office 2016 (KB4484103) 32-Bit Edition"}]},
        format="json")
    results = response.json()["results"]
    assert [(r["product"], r["category"]) for r in results] == [("Visio Viewer", "free"),
                                                                ("Office update", "component")]
    assert _api(register, "viewer").post(reverse("api_software_normalise_titles"),
                                         {"titles": [{"publisher": "x"}]}, format="json").status_code == 400


def test_it_reads_the_titles_of_one_request_as_one_listing(register: Register) -> None:
    """GIVEN an openSUSE listing's bare names in one request WHEN normalised THEN a plain name takes openSUSE."""
    names = ["libgtk-3_0-0", "glibc-32bit", "typelib-1_0-Gtk-3_0", "iptables"]
    response = _api(register, "viewer").post(reverse("api_software_normalise_titles"),
                                             {"titles": [{"name": name} for name in names]}, format="json")
    assert [r["vendor"] for r in response.json()["results"]] == ["openSUSE"] * 4
