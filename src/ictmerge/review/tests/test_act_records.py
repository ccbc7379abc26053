"""The act page's record lists show the act's records before and after the handover."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ictmerge.inventory.models import Device
from ictmerge.review.takeover import approve, ensure_act
from ictmerge.review.tests.test_handover import _inventory


def _listed(client: Client, former: Any, key: str) -> list[str]:
    response = client.get(reverse("takeover_act_records", args=[former.pk, key]))
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('data-testid="act-records"'):]
    return sorted(re.findall(r'href="(/[^"]+)"', table[:table.index("</table>")]))


@pytest.mark.django_db
def test_the_act_page_links_lists_of_its_records_that_stay_the_same_after_the_handover(
        world: Any) -> None:
    """GIVEN A's computers and sites WHEN the act passes them to N THEN the act page's links
    list the same records (now N's), and the resource list filtered by A is empty."""
    records = _inventory(world)
    client = Client()
    client.force_login(world.users["lead"])
    page = client.get(reverse("takeover_act", args=[world.former_a.pk])).content.decode()
    assert reverse("takeover_act_records", args=[world.former_a.pk, "computers"]) in page
    before = {key: _listed(client, world.former_a, key) for key in ("computers", "sites")}
    assert before["computers"] == sorted(d.get_absolute_url() for d in records["A"]["desktops"])
    approve(world.users["lead"], ensure_act(world.former_a))
    assert not Device.objects.filter(municipality=world.former_a).exists()
    after = {key: _listed(client, world.former_a, key) for key in ("computers", "sites")}
    assert after == before
    html = client.get(reverse("takeover_act_records", args=[world.former_a.pk, "computers"]))
    assert world.north.name in html.content.decode()


@pytest.mark.django_db
def test_the_act_records_page_keeps_to_the_users_scope(world: Any) -> None:
    """GIVEN A's records WHEN the outsider (of C) asks for A's act records THEN 404; an unknown
    record kind is 404 too."""
    _inventory(world)
    client = Client()
    client.force_login(world.users["outsider"])
    url = reverse("takeover_act_records", args=[world.former_a.pk, "computers"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["lead"])
    assert client.get(reverse("takeover_act_records",
                              args=[world.former_a.pk, "nothing"])).status_code == 404
