"""The account plan's page: accounts a page at a time, grouped by the former municipality
they come from, filtered by it, by action and by a search."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ictmerge.planning.accounts import county_accounts
from ictmerge.planning.tests.test_accounts import _demo
from ictmerge.planning.views import ACCOUNTS_PER_PAGE
from ictmerge.reforms.counties import county_url


def _rows(html: str) -> int:
    section = html[html.index('id="accounts"'):]
    return section.count("<td><small>") // 2


@pytest.mark.django_db
def test_it_pages_groups_and_filters_the_accounts(north: Any, monkeypatch: Any) -> None:
    """GIVEN North's generated lists (A and B) and a page of 5 accounts WHEN the page opens
    THEN it lists 5 under their former municipality's heading with a link to the next page;
    WHEN filtered by B THEN only B's accounts count; WHEN searched by a user name THEN it is
    found."""
    monkeypatch.setattr("ictmerge.planning.views.ACCOUNTS_PER_PAGE", 5)
    _demo(north)
    plan = county_accounts(north.county).plan
    client = Client()
    client.force_login(north.world.users["lead"])
    url = county_url("planning_accounts", north.county)
    html = client.get(url).content.decode()
    assert _rows(html) == 5 and 'rel="next"' in html
    assert 'scope="rowgroup">Former A<' in html
    only_b = [a for a in plan.accounts if a.sources and a.sources[0].startswith("B:")]
    html = client.get(url, {"predecessor": "B"}).content.decode()
    assert f"{len(only_b)} accounts match" in html
    assert 'scope="rowgroup">Former A<' not in html
    wanted = plan.accounts[-1].username
    html = client.get(url, {"q": wanted}).content.decode()
    assert wanted in html and _rows(html) >= 1
    assert ACCOUNTS_PER_PAGE == 100
