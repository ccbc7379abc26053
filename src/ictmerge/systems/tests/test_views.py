"""The pages: county, one function (scores, chart, sensitivity, decision), security, checklist."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ictmerge.reforms.counties import county_url
from ictmerge.systems import services
from ictmerge.systems.models import ChangeTask, CriterionWeight, SystemDecision

pytestmark = pytest.mark.django_db


def client_for(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def test_the_county_page_shows_the_matrix_decisions_and_weights(county: Any) -> None:
    """GIVEN North WHEN its lead opens the page THEN who uses what, the kept system and weights."""
    response = client_for(county, "lead").get(county_url("systems_county", county.north))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Former A" in html and "Visvaris" in html and "Horizon" in html
    assert 'name="functional_coverage"' in html  # the lead may edit the weights


def test_the_function_page_has_scores_chart_and_a_plain_sensitivity_note(county: Any) -> None:
    """GIVEN two finance candidates WHEN the page opens THEN a score table, an inline SVG with
    one bar per candidate and a sensitivity sentence."""
    url = county_url("systems_function", county.north, "finance")
    response = client_for(county, "viewer").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 1 and html.count('class="score-bar"') == 2
    assert 'width="' in html and not re.search(r'(x|y|width)="[0-9]+,[0-9]', html)
    assert response.context["note"].startswith(("The choice is robust", "The choice is sensitive"))
    assert 'data-testid="decision-form"' not in html  # a viewer cannot decide


def test_the_lead_records_an_override_through_the_page(county: Any) -> None:
    """GIVEN the function page WHEN the lead posts another system without a reason THEN 400
    with the message and nothing saved; with a reason THEN saved and redirected."""
    url = county_url("systems_function", county.north, "finance")
    client = client_for(county, "lead")
    visvaris = services.system_key(county.visvaris.pk)
    refused = client.post(url, {"system": visvaris, "justification": ""})
    assert refused.status_code == 400 and "give the reason" in refused.content.decode()
    assert not SystemDecision.objects.exists()
    saved = client.post(url, {"system": visvaris, "justification": "Contract to 2024"})
    assert saved.status_code == 302
    assert SystemDecision.objects.get().chosen_system == county.visvaris


def test_others_cannot_decide_and_outsiders_see_nothing(county: Any) -> None:
    """A viewer's post is refused; an outsider gets "not found" on every page of North."""
    url = county_url("systems_function", county.north, "finance")
    assert client_for(county, "viewer").post(url, {"system": ""}).status_code == 403
    outsider = client_for(county, "outsider")
    for name, extra in (("systems_county", []), ("systems_function", ["finance"]),
                        ("systems_security", []), ("systems_checklist", [])):
        assert outsider.get(county_url(name, county.north, *extra)).status_code == 404
    assert not SystemDecision.objects.exists()


def test_the_weights_form_stores_changed_weights_only(county: Any) -> None:
    """GIVEN the weights form WHEN the lead changes one weight THEN one row is stored."""
    url = county_url("systems_weights", county.north)
    data = {c.code: str(c.weight) for c in services.default_criteria().criteria}
    data["hosting"] = "0.5"
    assert client_for(county, "lead").post(url, data).status_code == 302
    assert list(CriterionWeight.objects.values_list("criterion", flat=True)) == ["hosting"]
    data["hosting"] = "lots"
    client_for(county, "lead").post(url, data)
    assert CriterionWeight.objects.get().weight == pytest.approx(0.5)


def test_the_security_page_lists_inconsistencies_side_by_side(county: Any) -> None:
    """GIVEN A declared class 1 and B class 3 WHEN the page opens THEN both are shown beside
    the unified class with its reasons."""
    for record, declared in ((county.horizon, "1. klase"), (county.visvaris, "3. klase")):
        record.security_class = declared
        record.save()
    response = client_for(county, "auditor").get(
        county_url("systems_security", county.north) + "?rules=lv")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="inconsistency"' in html
    assert "1. klase" in html and "3. klase" in html and "highest of the predecessors" in html


def test_the_checklist_page_generates_for_the_lead(county: Any) -> None:
    """GIVEN no checklist WHEN the lead posts THEN items exist and the page lists them."""
    url = county_url("systems_checklist", county.north)
    assert client_for(county, "viewer").post(url).status_code == 403
    assert client_for(county, "lead").post(url).status_code == 302
    assert ChangeTask.objects.filter(municipality=county.north).exists()
    html = client_for(county, "viewer").get(url).content.decode()
    assert "Horizon" in html and "Visvaris" in html


def test_the_index_lists_counties_with_systems_after(county: Any) -> None:
    """The index shows North with 1 system after, and offers the background plan."""
    response = client_for(county, "lead").get(reverse("systems_index"))
    rows = {row["county"].code: row for row in response.context["rows"]}
    assert rows["N"]["information_systems_after"] == 1 and "S" not in rows
