"""The long lists of the demo's biggest county stay short: the action plan, the account plan,
the duplicates and the software review queue are no taller than 12,000 px at their default
page size."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

#: The tallest page a user should have to scroll.
MAX_HEIGHT_PX = 12_000


def test_it_keeps_the_long_lists_of_the_demo_below_the_height_limit(
        live_server: Any, page: Any) -> None:
    """GIVEN the demo with the lead's county planned WHEN its action plan, account plan, the
    duplicates and the review queue open at their default page size THEN none is taller than
    12,000 px, and the action plan's task list goes on over further pages."""
    from ictmerge.core.models import Membership
    from ictmerge.core.services import DEMO_PASSWORD, ensure_demo_logins
    from ictmerge.inventory.demo import load_demo
    from ictmerge.planning.services import plan_county
    from ictmerge.planning.tests.conftest import FAST
    from ictmerge.reforms.services import load_bundled

    load_bundled("lv-2021")
    load_demo("lv-2021", seed=1)
    ensure_demo_logins()
    county = Membership.objects.select_related("municipality").get(user__username="lead") \
        .municipality
    plan_county(county, None, settings=FAST)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/national/")
    county_base = f"{base}/counties/lv-2021/{county.code}"
    heights, paged = {}, {}
    for path in (f"{county_base}/action-plan/", f"{county_base}/accounts/",
                 f"{base}/imports/duplicates/", f"{base}/software/review/"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 200, path
        heights[path] = page.evaluate("document.documentElement.scrollHeight")
        paged[path] = page.locator("nav.pages a[rel=next]").count()
    assert all(height <= MAX_HEIGHT_PX for height in heights.values()), heights
    assert paged[f"{county_base}/action-plan/"] == 1, paged
