"""The takeover act: approval by the county lead, handover with history, split division."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.history import history_for
from ictmerge.core.testing.factories import make_record
from ictmerge.inventory.models import Contract, Device, Handover, Installation, Licence, Site
from ictmerge.reforms.models import Municipality, Succession
from ictmerge.reports.services import national_report
from ictmerge.review.choices import ActStatus
from ictmerge.review.services import ReviewError, county_progress
from ictmerge.review.takeover import act_contents, approve, assign_reviewed, ensure_act


def _inventory_of_a(world: Any) -> list[Device]:
    site = make_record(Site, world.former_a, name="Town hall", address="Main street 1")
    devices = [make_record(Device, world.former_a, kind="desktop", site=site) for _ in range(3)]
    devices.append(make_record(Device, world.former_a, kind="server"))
    make_record(Licence, world.former_a, product_name="Office", proof_reference="")
    return devices


@pytest.mark.django_db
def test_the_act_lists_what_is_handed_over_and_what_is_missing(world: Any) -> None:
    _inventory_of_a(world)
    contents = act_contents(ensure_act(world.former_a))
    counts = {r["key"]: r["count"] for r in contents["resources"]}
    assert counts["computers"] == 3 and counts["servers"] == 1
    problems = {m["key"]: m["count"] for m in contents["missing"]}
    assert problems["devices_unlocated"] == 1
    assert problems["licences_without_proof"] == 1
    assert problems["no_data_listed"] == 1


@pytest.mark.django_db
def test_the_lead_approves_and_the_records_pass_with_history_and_before_figures_kept(
        world: Any) -> None:
    devices = _inventory_of_a(world)
    before = national_report(world.reform)
    act = ensure_act(world.former_a)
    with pytest.raises(ReviewError):
        approve(world.users["steward"], act)  # a steward may not approve
    act = approve(world.users["lead"], act)
    assert act.status == ActStatus.TRANSFERRED
    assert act.approvals[0]["user"] == "lead"
    devices[0].refresh_from_db()
    assert devices[0].municipality == world.north
    change = history_for(devices[0]).first()
    assert change.user_name == "lead"
    assert change.before["municipality_id"] == world.former_a.pk
    assert change.after["municipality_id"] == world.north.pk
    assert Handover.objects.filter(act=act).count() == 6  # site, 4 devices, licence
    after = national_report(world.reform)
    assert after["computers"] == before["computers"] == 3
    assert after["servers"] == before["servers"] == 1
    north = next(c for c in after["new"] if c["code"] == "N")
    assert north["computers"] == 3
    item = next(i for i in county_progress(world.north).items
                if i.item == "takeover_approved")
    assert item.fraction == 0.5  # A approved, B not yet


@pytest.mark.django_db
def test_a_split_municipality_is_divided_by_the_recorded_part(world: Any) -> None:
    """GIVEN C split into S (Hill parish) and N (Lake town) WHEN both leads approve
    THEN devices follow the site that names their part, and the rest waits on a review list."""
    Succession.objects.filter(former=world.former_c).update(part="Hill parish",
                                                            share=Decimal("0.6"))
    Succession.objects.create(reform=world.reform, former=world.former_c, new=world.north,
                              part="Lake town", share=Decimal("0.4"))
    hill = make_record(Site, world.former_c, name="Hill school", address="Hill road 2")
    lake = make_record(Site, world.former_c, name="Library", address="Lake town, Shore 5")
    on_hill = make_record(Device, world.former_c, kind="desktop", site=hill)
    on_lake = make_record(Device, world.former_c, kind="desktop", site=lake)
    loose = make_record(Device, world.former_c, kind="laptop")
    installed = make_record(Installation, world.former_c, device=loose, raw_name="Viewer")
    contract = make_record(Contract, world.former_c, title="Internet")
    act = ensure_act(world.former_c)
    act = approve(world.users["lead"], act)
    assert act.status == ActStatus.DRAFT  # S has not approved yet
    south_lead = world.users["admin"]
    act = approve(south_lead, act)
    assert act.status == ActStatus.TRANSFERRED
    for record in (on_hill, on_lake, loose, contract):
        record.refresh_from_db()
    assert on_hill.municipality == world.south
    assert on_lake.municipality == world.north
    assert loose.municipality == world.former_c and contract.municipality == world.former_c
    waiting = {(e["model"], e["id"]) for e in act.review_list}
    assert ("inventory.device", loose.pk) in waiting
    assert ("inventory.contract", contract.pk) in waiting
    with pytest.raises(ReviewError):
        assign_reviewed(world.users["lead"], act, "inventory.device", loose.pk, world.south)
    assign_reviewed(world.users["lead"], act, "inventory.device", loose.pk, world.north)
    installed.refresh_from_db()
    assert installed.municipality == world.north  # follows its device
    act.refresh_from_db()
    assert ("inventory.device", loose.pk) not in {(e["model"], e["id"]) for e in act.review_list}
    assert ("inventory.installation", installed.pk) not in {
        (e["model"], e["id"]) for e in act.review_list}


@pytest.mark.django_db
def test_the_api_and_cli_show_and_approve(world: Any) -> None:
    _inventory_of_a(world)
    api = APIClient()
    api.force_authenticate(world.users["outsider"])
    assert api.get(reverse("api_takeover_act", args=[world.former_a.pk])).status_code == 404
    api.force_authenticate(world.users["viewer"])
    assert api.post(reverse("api_takeover_act_action",
                            args=[world.former_a.pk, "approve"])).status_code == 403
    api.force_authenticate(world.users["steward"])
    refused = api.post(reverse("api_takeover_act_action", args=[world.former_a.pk, "approve"]))
    assert refused.status_code == 400 and "county lead" in refused.json()["detail"]
    runner = CliRunner()
    shown = runner.invoke(app, ["review", "act", "show", "B", "--reform", "test-reform",
                                "--json"])
    assert shown.exit_code == 0, shown.output
    result = runner.invoke(app, ["--as", "lead", "review", "act", "approve", "A",
                                 "--reform", "test-reform"])
    assert result.exit_code == 0, result.output
    data = APIClient()
    data.force_authenticate(world.users["lead"])
    act = data.get(reverse("api_takeover_act", args=[world.former_a.pk])).json()
    assert act["status"] == "transferred" and act["handed_over"] == 6
    assert Device.objects.filter(municipality=world.former_a).count() == 0
    assert Municipality.objects.get(pk=world.former_a.pk).stage == "former"


@pytest.mark.django_db
def test_the_act_page_shows_the_act_and_the_lead_approves_there(world: Any) -> None:
    from django.test import Client

    _inventory_of_a(world)
    client = Client()
    client.force_login(world.users["viewer"])
    url = reverse("takeover_act", args=[world.former_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Town hall" not in page.content.decode()
    assert client.post(url, {"action": "approve"}).status_code == 403
    client.force_login(world.users["lead"])
    assert client.post(url, {"action": "approve"}).status_code == 302
    assert Device.objects.filter(municipality=world.north).count() == 4
