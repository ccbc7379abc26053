"""The demo's county lead signs in and lands on the cockpit in Latvian, with the figures of
`ictmerge report county CODE --format json`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_it_lands_the_demo_county_lead_on_the_cockpit_with_the_cli_figures(
        live_server: Any, page: Any) -> None:
    """GIVEN the demo with its logins WHEN the county lead signs in THEN the browser is on its
    county's cockpit, in Latvian, and every figure it marks equals the CLI's JSON."""
    from ictmerge.cli import app
    from ictmerge.core.models import Membership
    from ictmerge.core.services import DEMO_PASSWORD, ensure_demo_logins
    from ictmerge.inventory.demo import load_demo
    from ictmerge.reforms.services import load_bundled

    load_bundled("lv-2021")
    load_demo("lv-2021", seed=1)
    ensure_demo_logins()
    county = Membership.objects.select_related("municipality").get(user__username="lead") \
        .municipality
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "lead")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/counties/lv-2021/{county.code}/cockpit/")
    assert page.locator("html").get_attribute("lang") == "lv"
    assert county.name in page.locator("h1").inner_text()
    assert page.get_by_role("heading", name="Četras atbildes").is_visible()
    result = CliRunner().invoke(app, ["report", "county", county.code, "--format", "json",
                                      "--reform", "lv-2021"])
    assert result.exit_code == 0, result.output
    expected = json.loads(result.output)
    shown = {cell.get_attribute("data-figure"): cell.get_attribute("data-value")
             for cell in page.locator("[data-figure][data-value]").all()}
    keys = ("servers_before", "servers_after", "server_rooms_before", "server_rooms_after",
            "information_systems_before", "information_systems_after",
            "software_products_before", "software_products_after", "governance_before",
            "governance_after")
    for key in keys:
        value = expected[key]
        assert shown[key] == ("" if value is None else str(value)), key
    for key in ("one_off_eur", "annual_change_eur"):  # the money, once the plan is priced
        if expected[key] is None:
            assert key not in shown, key
        else:
            assert float(shown[key]) == pytest.approx(expected[key]), key
    assert expected["servers_before"] > 0 and expected["information_systems_before"] > 0
    states = page.locator("[data-state]").all_inner_texts()
    assert len(states) == 5 and all(s in ("nav plānots", "plānots", "izvēlēts") for s in states)
