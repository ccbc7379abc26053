"""Keyboard use of the cockpit and of forms (WCAG 2.1.1, 2.4.1, 2.4.3, 2.4.7): sign in, skip
to the content, reach every link of the cockpit with Tab, each focus visible, and set the
status of a task in the action plan's form without a mouse."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

#: The element that has the focus, with what makes it visible.
FOCUSED_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), href: e.getAttribute('href'), text: e.innerText || '',
          name: e.getAttribute('name'), type: e.getAttribute('type'),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== 'none',
          visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                   && box.top < innerHeight && box.left < innerWidth};
}"""


def _tab_through(page: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Every element Tab reaches, in order, until the focus comes round again."""
    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None:
            break
        if seen and focused == seen[0]:
            break
        seen.append(focused)
    return seen


def test_it_uses_the_cockpit_and_a_form_by_keyboard_alone(live_server: Any, page: Any) -> None:
    """GIVEN a county with everything planned WHEN its lead signs in by keyboard, skips to the
    content and tabs through the cockpit THEN every link of the cockpit's content is reached,
    each with a visible focus; and WHEN the lead ticks a task and applies a status in the
    action plan by keyboard THEN the task has it."""
    from ictmerge.core.testing.personas import PASSWORD, make_world
    from ictmerge.planning.models import Task
    from ictmerge.reforms.counties import county_url
    from ictmerge.reports.tests.test_county_sections import _plan_everything

    world = make_world()
    planned = _plan_everything(world)
    county = planned.county
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").focus()
    page.keyboard.type("lead")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{county_url('county_cockpit', county)}")
    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED_JS)
    assert skip["href"] == "#main" and skip["visible"], skip
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    reached = _tab_through(page)
    hidden = [f for f in reached if not (f["visible"] and (f["outline"] or f["shadow"]))]
    assert hidden == [], hidden
    content_links = page.evaluate(
        "() => [...document.querySelectorAll('main a[href]')].map((a) => a.getAttribute('href'))")
    reached_links = {f["href"] for f in reached if f["tag"] == "a"}
    assert content_links and set(content_links) <= reached_links, \
        set(content_links) - reached_links
    page.goto(f"{base}{county_url('planning_action_plan', county)}#tasks")
    box = page.locator("form[data-testid=task-bulk] input[name=task]").first
    task = Task.objects.get(pk=int(box.get_attribute("value")))
    assert task.status != "done"
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    status = page.locator("form[data-testid=task-bulk] select[name=status]")
    status.focus()
    for _ in range(3):  # to do → in progress → blocked → done
        page.keyboard.press("ArrowDown")
    assert status.input_value() == "done"
    order = _tab_order_from(page, "form[data-testid=task-bulk] button[value=set_status]")
    assert order is not None, "the Apply button is not in the tab order after the status"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Task.objects.get(pk=task.pk).status == "done"


def _tab_order_from(page: Any, selector: str, limit: int = 10) -> int | None:
    """How many Tab presses from the focus reach the element (None: not within the limit)."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)",
                         selector):
            return count
    return None
