"""A walk of every page, as each role, in Latvian and in English, in Debian's Chromium.

Every URL pattern of the web UI is opened once per role and language, with one representative
record (New North with everything planned, one record of every resource). A page must not
answer 5xx; every chart draws a bar or mark of non-zero size, has a text alternative and
direct labels or a legend, and writes no numeric SVG attribute with a decimal comma; a Latvian page shows no text that the catalogue translates
(an untranslated message) and no English engine explanation. axe-core (the npm package,
installed by make from tests/browser/axe) checks each page once per language for WCAG 2.1 A
and AA, and reports no serious or critical violation. No page is taller than 12,000 px at its
default page size (a longer list pages, groups or filters).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Error as PlaywrightError

import ictmerge
from ictmerge.core.testing.personas import World

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
#: The problems found when the walk was written and not fixed yet, one a line.
KNOWN = Path(__file__).parent / "walk_known_problems.txt"
CATALOGUE = Path(ictmerge.__file__).parent / "locale" / "lv" / "LC_MESSAGES" / "django.po"
#: The roles walked (the outsider is a steward of another county: the same pages).
ROLES = ("admin", "auditor", "lead", "steward", "viewer")
#: Patterns that are not pages to walk, and why.
NOT_WALKED = {
    "logout": "a POST",
    "set_language": "a POST",
    "report_document_start": "a POST",
    "agent_report": "a POST by an inventory agent, not a page",
    "login": "walked signed out, before the administrator",
}
#: The tallest page a user should have to scroll (CSS pixels, at the walk's 1366 px width).
MAX_HEIGHT_PX = 12_000
#: Attributes of SVG elements that hold numbers.
NUMERIC = ("x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r", "d", "points",
           "viewBox", "transform", "dx", "dy")

CHARTS_JS = """(numeric) => {
  const problems = [];
  document.querySelectorAll('svg').forEach((svg, index) => {
    if (svg.parentElement && svg.parentElement.closest('svg')) return;
    if (svg.closest('button, a.button, .icon')) return;
    for (const el of [svg, ...svg.querySelectorAll('*')]) {
      for (const name of numeric) {
        const value = el.getAttribute(name);
        if (value && /\\d,\\d/.test(value)) problems.push(`chart ${index}: <${el.tagName} ${name}="${value}">`);
      }
    }
    const marks = [...svg.querySelectorAll('rect, circle, path, line, polyline, polygon, ellipse')];
    const sized = marks.some((m) => { const b = m.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
    if (marks.length && !sized) problems.push(`chart ${index}: no mark of non-zero size`);
    if (!marks.length) return;
    const named = svg.getAttribute('aria-label') || svg.getAttribute('aria-labelledby')
      || [...svg.children].some((c) => c.tagName.toLowerCase() === 'title' && c.textContent.trim());
    if (!named) problems.push(`chart ${index}: no text alternative`);
    if (!svg.querySelector('text')) problems.push(`chart ${index}: no direct labels or legend`);
  });
  return problems;
}"""

#: The texts of a page's labels: headings, column heads, buttons, field labels, menu links;
#: a name the data holds (marked translate="no", e.g. a product "Horizon") is not a label.
LABELS_JS = """() => [...document.querySelectorAll(
  'h1, h2, h3, h4, th, label, button, legend, caption, summary, dt, nav a, a.button')]
  .map((e) => { const c = e.cloneNode(true);
    c.querySelectorAll('[translate="no"]').forEach((n) => n.remove()); return c.innerText; })"""

AXE_JS = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `axe ${v.impact} ${v.id}`);
}"""


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(route, name) of every named URL pattern of the web UI (not the API, not the admin)."""
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            yield from _patterns(item, route)
        elif isinstance(item, URLPattern) and item.name and not route.startswith(("api/", "admin/")):
            yield route, item.name


def _world() -> tuple[World, dict[str, Callable[[], dict[str, Any] | None]]]:
    """New North with everything planned, a record of every resource, and how to fill the
    arguments of the pages that are not resources."""
    from ictmerge.core.jobs import autodiscover
    from ictmerge.core.resources import REGISTRY
    from ictmerge.core.testing.factories import make_record
    from ictmerge.core.testing.personas import make_world
    from ictmerge.reports.tests.test_county_sections import _plan_everything

    world = make_world()
    planned = _plan_everything(world)
    autodiscover("testing")
    for resource in REGISTRY.values():
        if not resource.model.objects.exists():
            make_record(resource.model, world.former_a)
    north = planned.county
    county = {"reform": north.reform.code, "code": north.code}

    def first(name: str) -> dict[str, Any] | None:
        """The first record of a resource (by its slug) or a model ("app.Model")."""
        from django.apps import apps

        model = REGISTRY[name].model if name in REGISTRY else apps.get_model(name)
        record = model.objects.order_by("pk").first()
        return {"pk": record.pk} if record is not None else None

    arguments: dict[str, Callable[[], dict[str, Any] | None]] = {
        "county": lambda: county,
        "county_by_code": lambda: county,
        "systems_function": lambda: {**county, "function": "finance"},
        "systems_function_legacy": lambda: {"pk": north.pk, "function": "finance"},
        "planning_action_plan_export": lambda: {**county, "fmt": "csv"},
        "planning_accounts_export": lambda: {**county, "fmt": "csv"},
        "planning_action_plan_export_legacy": lambda: {"pk": north.pk, "fmt": "csv"},
        "planning_accounts_export_legacy": lambda: {"pk": north.pk, "fmt": "csv"},
        "review_county_legacy": lambda: {"code": north.code},
        "import_template": lambda: {"slug": "devices", "file_format": "csv"},
        # Files: the walk produces none of them, so these answer 404 (never a 5xx).
        "import_rejected": lambda: first("imports.ImportRun") or {"pk": 0},
        "report_document_download": lambda: first("core.Job") or {"pk": 0},
        "software_licence_proof": lambda: first("licences"),
        "review_checklist_evidence": lambda: first("checklist-entries"),
        "self_assessment_start": lambda: {"pk": north.pk},
        "software_municipality_position": lambda: {"pk": world.former_a.pk},
        "software_municipality_contracts": lambda: {"pk": world.former_a.pk},
        "software_municipality_portfolio": lambda: {"pk": world.former_a.pk},
        "import_run_detail": lambda: first("imports.ImportRun") or {"pk": 0},
        "job_detail": lambda: first("core.Job") or {"pk": 0},
        "takeover_act": lambda: first("takeover-acts"),
        "self_assessment": lambda: first("self-assessments"),
        "takeover_act_records": lambda: (
            {**act, "key": "kept"} if (act := first("takeover-acts")) else None),
    }
    for resource in REGISTRY.values():
        for verb in ("detail", "edit", "delete", "history"):
            arguments[f"{resource.slug}_{verb}"] = (
                lambda model=resource.model: {"pk": model.objects.order_by("pk").first().pk})
    return world, arguments


def _urls(arguments: dict[str, Callable[[], dict[str, Any] | None]]) -> tuple[dict[str, str],
                                                                           list[str]]:
    """The address of every pattern by name, and the patterns with nothing to open."""
    urls: dict[str, str] = {}
    missing: list[str] = []
    for route, name in _patterns():
        if name in NOT_WALKED or name in urls:
            continue
        kwargs: dict[str, Any] | None = {}
        placeholders = re.findall(r"<[^>]+>", route)
        if name in arguments:
            kwargs = arguments[name]()
        elif placeholders == ["<slug:reform>", "<str:code>"]:
            kwargs = arguments["county"]()
        elif placeholders == ["<int:pk>"] and name.endswith("_legacy"):
            kwargs = {"pk": _north_pk()}
        elif placeholders:
            kwargs = None
        if kwargs is None:
            missing.append(name)
            continue
        urls[name] = reverse(name, kwargs=kwargs)
    return urls, missing


def _north_pk() -> int:
    from ictmerge.reforms.models import Municipality

    return Municipality.objects.get(code="N").pk


def _catalogue_needles() -> tuple[set[str], list[str], list[re.Pattern[str]]]:
    """What an untranslated message looks like on a Latvian page: single words (a whole line
    or cell), phrases without placeholders, and phrases with them as patterns."""
    words: set[str] = set()
    phrases: list[str] = []
    patterns: list[re.Pattern[str]] = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or "fuzzy" in entry.flags or entry.msgid_plural:
            continue
        if not entry.msgstr or entry.msgstr.strip() == entry.msgid.strip():
            continue
        text = " ".join(entry.msgid.split())
        literal = re.sub(r"%(\(\w+\))?[-.\d]*[sdfr]", " ", text)
        if len(re.findall(r"[A-Za-z]{2,}", literal)) < 3:
            if " " not in text and "%" not in text and len(text) > 3:
                words.add(text)
            continue
        if "%" in text:
            parts = re.split(r"%(?:\(\w+\))?[-.\d]*[sdfr]", text)
            patterns.append(re.compile(".{1,80}?".join(re.escape(p) for p in parts)))
        else:
            phrases.append(text)
    return words, phrases, patterns


def _engine_needles() -> list[re.Pattern[str]]:
    """The engine's English explanations as patterns (placeholders match anything)."""
    import importlib
    import pkgutil

    import ictmerge.engine
    from ictmerge.engine.explain import DEFINITIONS

    for module in pkgutil.walk_packages(ictmerge.engine.__path__, "ictmerge.engine."):
        importlib.import_module(module.name)
    found = []
    for definition in DEFINITIONS.values():
        for text in filter(None, (definition.singular, definition.plural)):
            parts = re.split(r"%\(\w+\)s", text)
            if len(re.findall(r"[A-Za-z]{2,}", " ".join(parts))) >= 3:
                found.append(re.compile(".{1,80}?".join(re.escape(p) for p in parts)))
    return found


def _untranslated(text: str, labels: list[str],
                  needles: tuple[set[str], list[str], list[re.Pattern[str]]],
                  engine: list[re.Pattern[str]]) -> list[str]:
    """The English texts on a Latvian page: a label (heading, column, button, field) that is
    a catalogue word, or a line holding a catalogue phrase or an engine explanation."""
    words, phrases, patterns = needles
    found = [label for label in {" ".join(t.split()) for t in labels} if label in words]
    for line in {" ".join(line.split()) for line in text.splitlines()}:
        found += [p for p in phrases if p in line]
        found += [m.group(0)[:80] for p in patterns + engine if (m := p.search(line))]
    return sorted(set(found))


def _signed_in(browser: Any, live_server: Any, user: Any | None, lang: str) -> Any:
    """A page whose cookies are those of the user (or none) in the language."""
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append({"name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url})
    browser.clear_cookies()
    browser.add_cookies(cookies)
    page = browser.new_page()
    page.set_default_timeout(60_000)
    return page


def _lines(problems: dict[str, list[str]]) -> set[str]:
    """The problems one a line: "<lang> <user> <page>: <problem>"."""
    return {f"{key}: {problem}" for key, found in problems.items() for problem in found}


def _new(problems: dict[str, list[str]]) -> list[str]:
    """The problems not yet listed in KNOWN (which holds those found when the walk was written,
    each to be fixed and struck off)."""
    known = {line.strip() for line in KNOWN.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    found = sorted(_lines(problems) - known)
    record = os.environ.get("WALK_RECORD")  # a file to collect them in, to update KNOWN
    if record and found:
        with open(record, "a", encoding="utf-8") as out:
            out.write("\n".join(found) + "\n")
    return found


def _selected(urls: dict[str, str]) -> dict[str, str]:
    """The pages to walk: all of them, or those WALK_ONLY (a regex of names) picks."""
    only = os.environ.get("WALK_ONLY")
    return {n: u for n, u in urls.items() if not only or re.search(only, n)}


def _open(browser: Any, page: Any, url: str) -> tuple[Any, Any]:
    """Open a page; for a file or an empty answer, only its response (status, type), and a
    fresh page (the browser's error page would interrupt the next navigation)."""
    try:
        return page.goto(url), page
    except PlaywrightError as error:
        if not any(m in str(error) for m in ("Download is starting",
                                             "ERR_HTTP_RESPONSE_CODE_FAILURE")):
            raise
        response = page.request.get(url, max_redirects=0)
        page.close()
        fresh = browser.new_page()
        fresh.set_default_timeout(60_000)
        return response, fresh


def _walk(browser: Any, live_server: Any, users: list[Any | None], urls: dict[str, str],
          lang: str, axe: bool) -> dict[str, list[str]]:
    """The problems of every page as every user, in the language."""
    needles, engine = _catalogue_needles(), _engine_needles()
    axe_source = AXE.read_text(encoding="utf-8") + "\n;true"
    problems: dict[str, list[str]] = {}
    timings: list[tuple[float, str]] = []
    for user in users:
        page = _signed_in(browser, live_server, user, lang)
        for name, url in urls.items():
            key = f"{lang} {user.username if user else 'anonymous'} {name}"
            started = time.monotonic()
            if os.environ.get("WALK_VERBOSE"):
                print(key, url, flush=True)
            if name.endswith("_legacy"):  # a redirect to a page walked under its own name
                response = page.request.get(live_server.url + url, max_redirects=0)
            else:
                response, page = _open(browser, page, live_server.url + url)
            found: list[str] = []
            status = response.status if response is not None else 0
            if status >= 500 or status == 0:
                found.append(f"status {status}")
            html = "text/html" in (response.headers.get("content-type", "") if response else "")
            if html and status == 200:
                found += page.evaluate(CHARTS_JS, list(NUMERIC))
                height = page.evaluate("document.documentElement.scrollHeight")
                if height > MAX_HEIGHT_PX:
                    found.append(f"height {height} px")
                if lang == "lv":
                    found += _untranslated(page.inner_text("body"), page.evaluate(LABELS_JS),
                                           needles, engine)
                if axe:
                    # Evaluated through the DevTools protocol, which the page's CSP allows.
                    page.evaluate(axe_source)
                    found += page.evaluate(AXE_JS)
            timings.append((round(time.monotonic() - started, 2), key))
            if found:
                problems[key] = found
        page.close()
    print("slowest pages:", sorted(timings, reverse=True)[:10],
          "total", round(sum(t for t, _ in timings)))
    for key, found in problems.items():
        print("PROBLEM", key, found)
    return problems


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_it_walks_every_page_in_latvian_and_english(live_server: Any, browser: Any,
                                                   lang: str) -> None:
    """GIVEN a county with everything planned and a record of every resource WHEN the
    administrator (who may open every page) and an anonymous visitor open every page in the
    language THEN no page answers 5xx, every chart has a mark of non-zero size and no decimal
    comma in its geometry, no page is taller than 12,000 px, axe-core finds no serious or critical WCAG 2.1 A/AA violation, and
    no Latvian page shows an English catalogue message or engine explanation."""
    assert AXE.exists(), f"{AXE} is missing: run make (npm ci --prefix tests/browser/axe)"
    world, arguments = _world()
    urls, missing = _urls(arguments)
    assert missing == [], f"pages with no record to open: {missing}"
    problems = _walk(browser, live_server, [None], {"login": reverse("login")}, lang, axe=True)
    problems |= _walk(browser, live_server, [world.users["admin"]], _selected(urls), lang,
                      axe=True)
    assert _new(problems) == []


#: What a role sees differently is the county pages and the lists it may open; a resource's
#: record and forms (detail, add, edit, delete, history) and the old addresses are
#: the administrator's walk.
ROLE_PAGES = re.compile(r"_(add|edit|delete|history|export|detail|legacy)$")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_it_walks_the_pages_of_each_role(live_server: Any, browser: Any, lang: str) -> None:
    """GIVEN the same county WHEN the auditor, the county lead, the steward and the viewer
    open every page but the resources' records and forms in the language THEN no page answers 5xx, every
    chart draws a mark and no decimal comma, no page is taller than 12,000 px, and no Latvian page shows an English catalogue
    message or engine explanation."""
    world, arguments = _world()
    urls, _missing = _urls(arguments)
    pages = {n: u for n, u in _selected(urls).items() if not ROLE_PAGES.search(n)}
    roles = [world.users[role] for role in ROLES if role != "admin"]
    problems = _walk(browser, live_server, roles, pages, lang, axe=False)
    assert _new(problems) == []
