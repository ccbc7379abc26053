"""The duplicates page: a page of groups at a time, filtered and searched, and the selected
pairs merged at once (all or nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ictmerge.imports.views import DUPLICATE_GROUPS_PER_PAGE
from ictmerge.inventory.models import Device


def _pairs(world: Any, count: int) -> list[tuple[Device, Device]]:
    pairs = []
    for n in range(count):
        a = Device.objects.create(municipality=world.former_a, kind="desktop", name=f"PC-A{n}",
                                  serial=f"SN{n:04d}X")
        b = Device.objects.create(municipality=world.former_b, kind="desktop", name=f"PC-B{n}",
                                  serial=f"SN{n:04d}X")
        pairs.append((a, b))
    return pairs


@pytest.mark.django_db
def test_it_shows_a_page_of_groups_and_finds_one_by_search(world: Any) -> None:
    """GIVEN more duplicate groups than a page holds WHEN the page opens THEN it shows one
    page's groups and a link to the next; a search by device name finds its group alone."""
    _pairs(world, DUPLICATE_GROUPS_PER_PAGE + 3)
    client = Client()
    client.force_login(world.users["lead"])
    first = client.get(reverse("import_duplicates")).content.decode()
    assert first.count('name="merge"') == DUPLICATE_GROUPS_PER_PAGE
    assert 'rel="next"' in first
    second = client.get(reverse("import_duplicates"), {"page": 2}).content.decode()
    assert second.count('name="merge"') == 3
    found = client.get(reverse("import_duplicates"), {"q": "pc-b7"}).content.decode()
    assert found.count('name="merge"') == 1 and "SN0007X" in found


@pytest.mark.django_db
def test_it_merges_the_selected_pairs_all_or_nothing(world: Any) -> None:
    """GIVEN three duplicate pairs WHEN two are selected and merged THEN both go, the third
    stays; WHEN a selection holds a device the user may not change THEN nothing is merged."""
    pairs = _pairs(world, 3)
    client = Client()
    client.force_login(world.users["lead"])
    chosen = [f"{a.pk}:{b.pk}" for a, b in pairs[:2]]
    answer = client.post(reverse("import_duplicates"), {"merge": chosen})
    assert answer.status_code == 302
    assert not Device.objects.filter(pk__in=[b.pk for _a, b in pairs[:2]]).exists()
    assert Device.objects.filter(pk=pairs[2][1].pk).exists()
    outside = Device.objects.create(municipality=world.former_c, kind="desktop", name="PC-C",
                                    serial="SN0002X")
    client.post(reverse("import_duplicates"),
                {"merge": [f"{pairs[2][0].pk}:{pairs[2][1].pk}",
                           f"{pairs[2][0].pk}:{outside.pk}"]})
    assert Device.objects.filter(pk__in=[pairs[2][1].pk, outside.pk]).count() == 2


@pytest.mark.django_db
def test_it_merges_the_selected_pairs_through_the_api_and_the_cli(world: Any) -> None:
    """GIVEN four duplicate pairs WHEN the API merges two and the CLI one THEN those go and
    the fourth stays; a selection with a device outside the caller's scope merges nothing."""
    from rest_framework.test import APIClient
    from typer.testing import CliRunner

    from ictmerge.cli import app

    pairs = _pairs(world, 4)
    api = APIClient()
    api.force_authenticate(world.users["lead"])
    url = reverse("api_duplicates_merge_selected")
    outside = Device.objects.create(municipality=world.former_c, kind="desktop", name="PC-C",
                                    serial="SN0003X")
    refused = api.post(url, {"pairs": [{"keep": pairs[3][0].pk, "remove": pairs[3][1].pk},
                                       {"keep": pairs[3][0].pk, "remove": outside.pk}]},
                       format="json")
    assert refused.status_code == 400 and "detail" in refused.json()
    assert Device.objects.filter(pk__in=[pairs[3][1].pk, outside.pk]).count() == 2
    answer = api.post(url, {"pairs": [{"keep": a.pk, "remove": b.pk} for a, b in pairs[:2]]},
                      format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"merged": 2, "kept": [pairs[0][0].pk, pairs[1][0].pk]}
    result = CliRunner().invoke(app, ["--as", "lead", "duplicates", "merge-selected",
                                      f"{pairs[2][0].pk}:{pairs[2][1].pk}"])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(app, ["duplicates", "merge-selected", "1-2"]).exit_code == 1
    left = set(Device.objects.filter(pk__in=[b.pk for _a, b in pairs]).values_list("pk", flat=True))
    assert left == {pairs[3][1].pk}
