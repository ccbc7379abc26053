"""Sign in, switch the language to English and back, open a list."""

from __future__ import annotations

from typing import Any

import pytest

from ictmerge.core.testing.personas import PASSWORD, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    # Each role lands on its home: a county lead on its cockpit, an auditor on the nation.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_it_signs_in_switches_language_and_opens_a_list(live_server: Any, page: Any) -> None:
    make_world()
    base = live_server.url
    page.goto(f"{base}/")
    assert page.locator("h1").inner_text() == "Pieteikties"
    sign_in(page, base, "lead")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.goto(f"{base}/municipalities/")
    assert page.locator("h1").inner_text() == "Municipalities"
    assert page.get_by_role("link", name="Former A").is_visible()
    page.click("[data-testid=lang-lv]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "lv"
    assert page.locator("h1").inner_text() == "Pašvaldības"
