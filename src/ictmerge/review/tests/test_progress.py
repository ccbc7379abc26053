"""The phase tracker: computed items move with the records; manual items need evidence."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.history import history_for
from ictmerge.core.testing.factories import make_record
from ictmerge.inventory.models import Installation, SoftwareProduct
from ictmerge.review.models import ChecklistEntry
from ictmerge.review.services import (
    ReviewError,
    county_progress,
    national_progress,
    set_entry,
)


def _item(progress: Any, code: str) -> Any:
    return next(i for i in progress.items if i.item == code)


def _installations(world: Any, n: int) -> list[Installation]:
    return [make_record(Installation, world.former_a if i % 2 else world.former_b,
                        raw_name=f"Title {i}") for i in range(n)]


@pytest.mark.django_db
def test_normalising_titles_moves_the_software_register_item(world: Any) -> None:
    """GIVEN 4 raw titles WHEN 3 are normalised THEN the item reads 75 % and discovery rises."""
    rows = _installations(world, 4)
    before = county_progress(world.north)
    assert _item(before, "software_register").fraction == 0
    product = SoftwareProduct.objects.create(vendor="Acme", name="Office")
    for row in rows[:3]:
        row.product = product
        row.save()
    after = county_progress(world.north)
    item = _item(after, "software_register")
    assert item.fraction == pytest.approx(0.75)
    assert item.status == "in_progress" and item.computed
    assert "3 of 4" in item.basis
    discovery_after, discovery_before = after.phases["discovery"], before.phases["discovery"]
    assert discovery_after is not None and discovery_before is not None
    assert discovery_after > discovery_before
    rows[3].product = product
    rows[3].save()
    assert _item(county_progress(world.north), "software_register").status == "done"


@pytest.mark.django_db
def test_a_manual_item_needs_evidence_to_be_done_and_keeps_history(world: Any) -> None:
    lead = world.users["lead"]
    with pytest.raises(ReviewError, match="evidence"):
        set_entry(lead, world.north, "governance_decided", "done")
    entry = set_entry(lead, world.north, "governance_decided", "done",
                      evidence="Council decision No. 12, 2021-03-04")
    item = _item(county_progress(world.north), "governance_decided")
    assert item.status == "done" and item.fraction == 1.0 and not item.computed
    assert history_for(entry).first().user_name == "lead"


@pytest.mark.django_db
def test_predecessor_entries_count_for_the_county_when_it_has_none(world: Any) -> None:
    set_entry(world.users["steward"], world.former_a, "systems_aligned", "done",
              evidence="Protocol 3")
    item = _item(county_progress(world.north), "systems_aligned")
    assert item.fraction == 0.5  # A done, B not started
    assert "1 of 2" in item.basis


@pytest.mark.django_db
def test_a_steward_cannot_set_the_county_and_an_outsider_cannot_see_it(world: Any) -> None:
    with pytest.raises(ReviewError):
        set_entry(world.users["steward"], world.north, "governance_decided", "in_progress")
    client = Client()
    client.force_login(world.users["outsider"])
    url = reverse("review_county", args=["test-reform", "N"])
    assert client.get(url).status_code == 404
    api = APIClient()
    api.force_authenticate(world.users["outsider"])
    assert api.get(reverse("api_review_county_progress", args=["N"]),
                   {"reform": "test-reform"}).status_code == 404
    national = api.get(reverse("api_review_progress"), {"reform": "test-reform"}).json()
    assert national["counties"] == []  # a steward of C sees no new municipality


@pytest.mark.django_db
def test_the_pages_show_progress_and_set_an_item(world: Any) -> None:
    _installations(world, 2)
    client = Client()
    client.force_login(world.users["lead"])
    page = client.get(reverse("review_national") + "?reform=test-reform")
    assert page.status_code == 200 and "New North" in page.content.decode()
    url = reverse("review_county", args=["test-reform", "N"])
    response = client.post(url, {"item": "infrastructure_configured", "status": "done",
                                 "evidence": "Accounts migrated, ticket 77"})
    assert response.status_code == 302
    assert ChecklistEntry.objects.get(municipality=world.north,
                                      item="infrastructure_configured").status == "done"
    body = client.get(url).content.decode()
    assert "Accounts migrated, ticket 77" in body and "0 of 2" in body


@pytest.mark.django_db
def test_the_api_sets_an_item_and_refuses_bad_input_without_writing(world: Any) -> None:
    api = APIClient()
    api.force_authenticate(world.users["lead"])
    url = reverse("api_review_checklist")
    bad = api.post(url, {"municipality": "N", "reform": "test-reform",
                         "item": "governance_decided", "status": "done"}, format="json")
    assert bad.status_code == 400 and "evidence" in bad.json()["detail"]
    assert not ChecklistEntry.objects.exists()
    good = api.post(url, {"municipality": "N", "reform": "test-reform",
                          "item": "governance_decided", "status": "in_progress"},
                    format="json")
    assert good.status_code == 200
    data = api.get(reverse("api_review_county_progress", args=["N"]),
                   {"reform": "test-reform"}).json()
    item = next(i for i in data["items"] if i["item"] == "governance_decided")
    assert item["percent"] == 50.0


@pytest.mark.django_db
def test_the_cli_prints_progress_and_sets_an_item(world: Any) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--as", "lead", "review", "set", "N", "systems_decided",
                                 "done", "--evidence", "Decision 5", "--reform", "test-reform"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["review", "progress", "--reform", "test-reform", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    north = next(c for c in data["counties"] if c["code"] == "N")
    item = next(i for i in north["items"] if i["item"] == "systems_decided")
    assert item["status"] == "done"
    assert data == national_progress(world.reform) | {}


@pytest.mark.django_db
def test_national_progress_needs_few_queries_whatever_the_counties(
        world: Any, django_assert_max_num_queries: Any) -> None:
    from ictmerge.reforms.models import Municipality

    for n in range(15):
        Municipality.objects.create(reform=world.reform, code=f"Z{n}", name=f"Z{n}", stage="new")
    with django_assert_max_num_queries(16):
        national_progress(world.reform)
