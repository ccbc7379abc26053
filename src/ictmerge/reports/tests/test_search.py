"""One search box over the user's scope: devices by name, serial or MAC address, systems,
contracts and software, on the page, in the API and on the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from ictmerge.core.jobs import autodiscover
from ictmerge.core.testing.factories import make_record
from ictmerge.imports.models import DeviceIdentifier
from ictmerge.inventory.models import Contract, Device, InformationSystem, Installation

autodiscover("testing")


@pytest.fixture
def records(world: Any) -> dict[str, Any]:
    mine = make_record(Device, world.former_a, name="Kasiere-PC", serial="ZX81-A",
                       kind="desktop")
    DeviceIdentifier.objects.create(device=mine, kind="mac", value="00:1A:2B:3C:4D:5E")
    theirs = make_record(Device, world.former_c, name="Kasiere-PC-C", serial="ZX81-C",
                         kind="desktop")
    system = make_record(InformationSystem, world.former_a, name="Kasiere finance",
                         vendor="Zetex")
    contract = make_record(Contract, world.former_a, title="Kasiere support")
    installation = make_record(Installation, world.former_a, raw_name="Kasiere Office",
                               count=3)
    return {"mine": mine, "theirs": theirs, "system": system, "contract": contract,
            "installation": installation}


def _labels(groups: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {g["kind"]: [h["label"] for h in g["hits"]] for g in groups}


@pytest.mark.django_db
def test_it_finds_each_kind_within_the_users_scope(world: Any, records: dict[str, Any]) -> None:
    """GIVEN records of A and a device of C WHEN A's steward searches "kasiere" THEN the
    device, system, contract and software title of A are found and C's device is not; a MAC
    written another way finds the device."""
    client = Client()
    client.force_login(world.users["steward"])
    groups = client.get(reverse("api_search"), {"q": "kasiere"}).json()
    assert _labels(groups) == {"devices": ["Kasiere-PC"], "information_systems": [
        "Kasiere finance"], "contracts": ["Kasiere support"], "software": ["Kasiere Office"]}
    by_mac = _labels(client.get(reverse("api_search"), {"q": "001a2b3c4d5e"}).json())
    assert by_mac["devices"] == ["Kasiere-PC"]
    page = client.get(reverse("search"), {"q": "ZX81"}).content.decode()
    assert records["mine"].get_absolute_url() in page
    assert records["theirs"].get_absolute_url() not in page
    assert client.get(reverse("api_search"), {"q": "k"}).json() == []


@pytest.mark.django_db
def test_it_gives_the_command_line_the_same_hits(world: Any, records: dict[str, Any]) -> None:
    """GIVEN the records WHEN the CLI searches as the steward THEN it lists what the API
    gives the steward."""
    from ictmerge.cli import app

    client = Client()
    client.force_login(world.users["steward"])
    api = client.get(reverse("api_search"), {"q": "kasiere"}).json()
    result = CliRunner().invoke(app, ["--as", "steward", "search", "kasiere", "--format",
                                      "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api
