"""The national page shows the audit's figures computed from the demo, in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from ictmerge.core.testing.personas import PASSWORD, make_world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_national_page_shows_the_published_figures(live_server: Any, page: Any) -> None:
    from ictmerge.inventory.demo import load_demo
    from ictmerge.reforms.services import load_bundled

    make_world()
    load_bundled("lv-2021")
    load_demo("lv-2021", seed=1)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "auditor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/national/")  # an auditor lands on the national view
    page.goto(f"{base}/national/?reform=lv-2021")
    figures = " ".join(page.locator("[data-testid=figures]").inner_text().split())
    digits = figures.replace("\u00a0", "").replace(" ", "")
    assert "68448" in digits and "630" in digits and "164" in digits
    assert "16,2" in figures  # Latvian decimal comma
    assert "DEMO" in page.locator(".demo-banner").inner_text()
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    figures = page.locator("[data-testid=figures]").inner_text()
    assert "68,448" in figures
    assert page.locator("[data-testid=servers]").inner_text() == "630"
    assert page.locator("[data-testid=server-rooms]").inner_text() == "164"
    assert "16.2 M EUR" in figures
    assert page.locator("h1").inner_text().startswith("National view")
    assert page.locator("[data-testid=counties] tbody tr").count() == 42
