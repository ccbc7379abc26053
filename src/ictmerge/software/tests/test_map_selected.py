"""The selected titles of the review queue mapped to one product at once, all or nothing: on
the page, in the API and in the CLI."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.inventory.models import Installation, SoftwareProduct
from ictmerge.software import services
from ictmerge.software.models import TitleRule
from ictmerge.software.tests.conftest import Register, install

pytestmark = pytest.mark.django_db

CLIENT = ("Grāmatvedis Pro klients", "Birojs SIA")
SERVER = ("Grāmatvedis Pro serveris", "Birojs SIA")


@pytest.fixture
def two_titles(register: Register) -> Register:
    """GIVEN former A with two unknown titles of one accounting program the register holds."""
    install(register.world.former_a, *SERVER, count=1)
    SoftwareProduct.objects.create(vendor="Birojs", name="Grāmatvedis Pro")
    return register


def _mapped(register: Register) -> dict[str, bool]:
    return {name: Installation.objects.get(municipality=register.world.former_a,
                                           raw_name=name).product is not None
            for name in (CLIENT[0], SERVER[0])}


def test_it_maps_the_selected_titles_to_one_product(two_titles: Register) -> None:
    """GIVEN two unknown titles in A WHEN the steward maps both at once THEN a rule each,
    both installations point at the product, and A's queue is empty."""
    world = two_titles.world
    results = services.map_titles(world.users["steward"], [CLIENT, SERVER], "Birojs",
                                  "Grāmatvedis Pro", "licensable")
    assert [r.rule.pattern for r in results] == [CLIENT[0], SERVER[0]]
    assert _mapped(two_titles) == {CLIENT[0]: True, SERVER[0]: True}
    assert services.review_queue({world.former_a.pk}) == []


def test_it_maps_none_when_one_title_is_refused(two_titles: Register) -> None:
    """GIVEN a title already mapped WHEN it is selected again with another THEN the second
    mapping is refused and the other title stays unmapped (all or nothing)."""
    world = two_titles.world
    services.map_title(world.users["steward"], *CLIENT, "Birojs", "Grāmatvedis Pro", "licensable")
    with pytest.raises(Exception):  # noqa: B017 - the rule's uniqueness (ValidationError)
        services.map_titles(world.users["steward"], [SERVER, CLIENT], "Birojs", "X",
                            "licensable")
    assert TitleRule.objects.count() == 1
    assert _mapped(two_titles)[SERVER[0]] is False


def test_it_maps_the_titles_ticked_on_the_review_page(two_titles: Register) -> None:
    """GIVEN the review page WHEN the steward ticks both titles and maps them THEN both are
    mapped; WHEN nothing is ticked THEN the page says so and nothing changes."""
    client = Client()
    client.force_login(two_titles.world.users["steward"])
    page = client.get(reverse("software_review")).content.decode()
    assert page.count('name="bulk-titles"') == 2 and 'form="map-selected"' in page
    fields = {"action": "map_selected", "bulk-vendor": "Birojs",
              "bulk-product": "Grāmatvedis Pro", "bulk-category": "licensable"}
    empty = client.post(reverse("software_review"), fields)
    assert empty.status_code == 400 and not TitleRule.objects.exists()
    answer = client.post(reverse("software_review"), {
        **fields, "bulk-titles": [json.dumps(list(CLIENT)), json.dumps(list(SERVER))]})
    assert answer.status_code == 302
    assert _mapped(two_titles) == {CLIENT[0]: True, SERVER[0]: True}
    viewer = Client()
    viewer.force_login(two_titles.world.users["viewer"])
    assert 'name="bulk-titles"' not in viewer.get(reverse("software_review")).content.decode()


def test_it_maps_the_selected_titles_through_the_api_and_the_cli(two_titles: Register) -> None:
    """GIVEN two unknown titles WHEN the API maps one and the CLI the other THEN each answers
    the rules made; the viewer's API call is refused and changes nothing."""
    world = two_titles.world
    viewer = APIClient()
    viewer.force_authenticate(world.users["viewer"])
    body = {"titles": [{"name": CLIENT[0], "publisher": CLIENT[1]}], "vendor": "Birojs",
            "product": "Grāmatvedis Pro", "category": "licensable"}
    url = reverse("api_software_map_selected")
    assert viewer.post(url, body, format="json").status_code == 400
    assert not TitleRule.objects.exists()
    steward = APIClient()
    steward.force_authenticate(world.users["steward"])
    answer = steward.post(url, body, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["count"] == 1 and answer.json()["mapped"][0]["installations_changed"] == 1
    result = CliRunner().invoke(app, ["--as", "steward", "software", "map", SERVER[0],
                                      "--publisher", SERVER[1], "--vendor", "Birojs",
                                      "--product", "Grāmatvedis Pro"])
    assert result.exit_code == 0, result.output
    assert _mapped(two_titles) == {CLIENT[0]: True, SERVER[0]: True}
