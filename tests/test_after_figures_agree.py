"""One county, one truth: the "after" figures of every surveyed Latvian demo county agree on
every surface (county pages, national view, API, CLI JSON, PDF, XLSX).

The demo is loaded once for the module as `make demo` loads it (the seed-1 demo, then
`plan run --all`), with the software titles normalised so that the portfolios have products
(`ictmerge software apply`), and two counties are given a second scenario so that
the plan of record is not simply "the only one": one whose chosen scenario is older than
an unchosen one computed later, one whose chosen scenario was never computed. One county
records a governance choice that differs from the recommendation.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.inventory.choices import GovernanceModel
from ictmerge.reforms.counties import county_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

#: The figures compared, each a county's value after the reform.
FIGURES = ("servers", "server_rooms", "information_systems", "software_products", "governance")


@dataclass
class Demo:
    """The loaded demo and the cases the fixture made."""

    reform: Any
    admin: Any
    counties: list[Any]
    #: What `plan run --all --format json` answered.
    plan_run: dict[str, Any]
    #: A county, its chosen scenario, and an unchosen one computed after it.
    chosen_older: tuple[Any, Any, Any]
    #: A county, its chosen scenario never computed, and its latest computed one.
    chosen_not_run: tuple[Any, Any, Any]
    #: A county and the governance model it chose against the recommendation.
    governance_chosen: tuple[Any, str]


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output)
    return json.loads(result.output)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Demo]:
    """The seed-1 demo planned as `make demo` plans it, with the cases above; rolled back after."""
    from django.contrib.auth import get_user_model

    from ictmerge.consolidation import services as consolidation
    from ictmerge.consolidation.models import Scenario
    from ictmerge.inventory.demo import load_demo
    from ictmerge.planning.governance import assess_county, choose_governance
    from ictmerge.reforms.models import Municipality
    from ictmerge.reforms.services import load_bundled
    from ictmerge.software.services import normalise_installations

    with django_db_blocker.unblock(), transaction.atomic():
        reform = load_bundled("lv-2021")
        load_demo("lv-2021", seed=1)
        normalise_installations(Municipality.objects.filter(reform=reform)
                                .values_list("pk", flat=True))
        plan_run = _cli("plan", "run", "--all", "--reform", "lv-2021", "--format", "json",
                        "--time-limit", "0.2")
        counties = consolidation.surveyed_counties(reform)
        # A chosen scenario (today's service level), and a later unchosen one that meets the
        # policy with two failover hosts (more hosts).
        first, second, third = counties[:3]
        chosen = Scenario.objects.get(municipality=first, is_chosen=True)
        later = Scenario(municipality=first, name="Policy", failover_hosts=2, meets_policy=True,
                         time_limit_s=chosen.time_limit_s)
        later.full_clean()
        later.save()
        consolidation.run(later)
        # A chosen scenario never computed: the latest computed one stays the plan of record.
        computed = Scenario.objects.get(municipality=second, is_chosen=True)
        draft = Scenario(municipality=second, name="Draft", failover_hosts=2)
        draft.full_clean()
        draft.save()
        consolidation.choose(draft)
        # A governance choice other than the recommendation.
        recommended = assess_county(third).recommendation.recommended
        other = next(m for m in GovernanceModel if m != recommended)
        choose_governance(third, other.value, "test", None)
        admin = get_user_model().objects.create_user("auditor-admin", is_superuser=True,
                                                     is_staff=True)
        demo = Demo(reform, admin, counties, plan_run, (first, chosen, later),
                    (second, draft, computed), (third, other.value))
        yield demo
        transaction.set_rollback(True)


def _governance_code(text: str) -> str:
    """A governance model's code from its English label ("Outsourced (recommended)")."""
    with translation.override("en"):
        codes = {str(label): value for value, label in GovernanceModel.choices}
    return codes[re.sub(r"\s*\((?:chosen|recommended)\)$", "", text.strip())]


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def _cells(row_html: str) -> list[str]:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def _questions_from_pdf(text: str, names: list[str]) -> dict[str, list[str]]:
    """Each planned county's "after" cells in the national PDF's table of the four questions
    (laid out as printed): five "before → after" pairs, then the governance model. A long name
    or model wraps onto the next line."""
    section = text.split("The four questions answered")[1].split("Phase progress")[0]
    lines = section.splitlines()
    pair = r"[\d,]+\s*→\s*(\d+)"
    row = re.compile(r"^\s*(\S.*?)\s{2,}" + r"\s+".join([pair] * 5) + r"\s+(.*)$")
    rows: dict[str, list[str]] = {}
    for index, line in enumerate(lines):
        match = row.match(line)
        if match is None:
            continue
        prefix = match[1]
        name = [n for n in names if n == prefix] or [n for n in names
                                                    if n.startswith(f"{prefix} ")]
        assert len(name) == 1, (prefix, name)
        governance = match[7].strip()
        if ")" not in governance:
            # The next line may begin with the rest of a wrapped name: not the model's.
            tail = lines[index + 1].strip()
            wrapped = name[0][len(prefix):].strip()
            if wrapped and tail.startswith(wrapped):
                tail = tail[len(wrapped):].strip()
            governance = f"{governance} {tail}"
        rows[name[0]] = [*match.groups()[1:6], governance]
    return rows


class Surfaces:
    """What each surface says, per figure and county code: {figure: {code: {surface: value}}}."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))

    def add(self, surface: str, code: str, **values: Any) -> None:
        for figure, value in values.items():
            assert figure in FIGURES, figure
            self.seen[figure][code][surface] = value

    def disagreements(self) -> list[str]:
        return [f"{figure} of {code}: {by_surface}"
                for figure, counties in self.seen.items()
                for code, by_surface in counties.items()
                if len({json.dumps(v) for v in by_surface.values()}) != 1]


def test_it_shows_the_same_after_figures_on_every_surface_for_all_40_counties(demo: Demo) -> None:
    """GIVEN the Latvian demo planned (one county's chosen scenario older than another run, one
    chosen but never computed, one governance choice against the recommendation) WHEN the
    county pages, the national view, the API, the CLI JSON, the PDF and the XLSX are read THEN
    servers, rooms, systems, products and governance after are the same for all 40 counties,
    and they are the plans of record."""
    from ictmerge.consolidation.services import plans_of_record
    from ictmerge.planning.governance import assess_counties
    from ictmerge.reports.documents import county_document, national_document
    from ictmerge.software.portfolio import portfolio
    from ictmerge.systems.services import plan_county

    counties = demo.counties
    assert len(counties) == 40
    codes = {c.pk: c.code for c in counties}
    seen = Surfaces()

    # The plans of record, from each domain's one function.
    scenarios = plans_of_record(counties)
    governance = assess_counties(counties)
    for county in counties:
        scenario = scenarios[county.pk]
        seen.add("plan of record", county.code, servers=scenario.servers_after,
                 server_rooms=scenario.rooms_after,
                 information_systems=plan_county(county).information_systems_after,
                 software_products=portfolio(county).records_recommended,
                 governance=governance[county.pk].model_after.value)

    web = Client()
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    web.force_login(demo.admin)
    api = APIClient()
    api.force_authenticate(demo.admin)
    for county in counties:
        code = county.code
        # The county pages.
        page = web.get(county_url("consolidation_county", county))
        html = page.content.decode()
        servers = re.search(r"Servers</span> <strong>(\d+) → (\d+)</strong>", html)
        rooms = re.search(r"Own server rooms</span> <strong>(\d+) → (\d+)</strong>", html)
        assert servers and rooms, code
        seen.add("county page", code, servers=int(servers[2]), server_rooms=int(rooms[2]))
        seen.add("county page context", code, servers=page.context["result"]["servers_after"],
                 server_rooms=page.context["result"]["rooms_after"])
        page = web.get(county_url("systems_county", county))
        found = re.search(r'data-testid="information-systems-after">(\d+)<', page.content.decode())
        assert found, code
        seen.add("county page", code, information_systems=int(found[1]))
        page = web.get(county_url("software_portfolio", county))
        found = re.search(r'data-testid="product-records-recommended">([\d,\s]+)<',
                          page.content.decode())
        assert found, code
        seen.add("county page", code, software_products=_number(found[1]))
        page = web.get(county_url("planning_governance", county))
        seen.add("county page", code, governance=page.context["result"].model_after.value)
        # The API.
        plan = api.get(reverse("api_consolidation_county", args=[county.pk])).json()
        scenario = next(s for s in plan["scenarios"] if s["id"] == plan["plan_scenario"])
        seen.add("API county", code, servers=scenario["servers_after"],
                 server_rooms=scenario["rooms_after"])
        seen.add("API county", code, information_systems=api.get(
            reverse("api_systems_plan", args=[county.pk])).json()["information_systems_after"])
        seen.add("API county", code, software_products=api.get(
            reverse("api_software_portfolio", args=[county.pk])).json()[
            "product_records_recommended"])
        seen.add("API county", code, governance=api.get(
            reverse("api_planning_governance", args=[county.pk])).json()["governance_after"])
        # The CLI.
        shown = _cli("plan", "show", "--county", code, "--reform", "lv-2021", "--format", "json")
        seen.add("CLI county", code, servers=shown["servers_after"],
                 server_rooms=shown["rooms_after"])
        seen.add("CLI county", code, information_systems=_cli(
            "systems", "plan", "--county", code, "--reform", "lv-2021", "--format", "json")[
            "information_systems_after"])
        seen.add("CLI county", code, software_products=_cli(
            "software", "portfolio", "--county", code, "--reform", "lv-2021", "--format",
            "json")["product_records_recommended"])
        seen.add("CLI county", code, governance=_cli(
            "governance", "--county", code, "--reform", "lv-2021", "--format", "json")[
            "governance_after"])

    # `plan run --all --format json` answered with the plans of record of that moment (before
    # the fixture added its scenarios).
    changed = {demo.chosen_older[0].code, demo.chosen_not_run[0].code}
    for row in demo.plan_run["counties"]:
        if row["code"] not in changed:
            seen.add("CLI plan run", row["code"], servers=row["servers_after"],
                     server_rooms=row["rooms_after"])
    for row in api.get(reverse("api_consolidation_counties")).json()["counties"]:
        if row["id"] in codes:
            seen.add("API counties", row["code"], servers=row["servers_after"],
                     server_rooms=row["rooms_after"])

    # The national view: its data, its page, the API and the CLI.
    def national(surface: str, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if row["code"] in codes.values():
                seen.add(surface, row["code"], servers=row["servers_after"],
                         server_rooms=row["server_rooms_after"],
                         information_systems=row["information_systems_after"],
                         software_products=row["software_products_after"],
                         governance=row["governance_after"])

    page = web.get(reverse("national"))
    national("national page context", page.context["report"]["new"])
    html = page.content.decode()
    for code in codes.values():
        row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S)
        assert row, code
        cells = _cells(row[1])[-7:-2]  # the last two: one-off and annual change shares
        seen.add("national page", code, servers=int(cells[0]), server_rooms=int(cells[1]),
                 information_systems=int(cells[2]), software_products=int(cells[3]),
                 governance=_governance_code(cells[4]))
    national("national API", api.get(reverse("api_national")).json()["new"])
    national("national CLI", _cli("report", "national", "--reform", "lv-2021", "--format",
                                  "json")["new"])

    # The national PDF and XLSX.
    names = {c.name: c.code for c in counties}
    questions = [q["name"] for q in page.context["report"]["new"] if q["code"] in names.values()]
    with translation.override("en"):
        pdf = _questions_from_pdf(_pdf_text(national_document(demo.reform, "pdf", "en")),
                                  questions)
    for name, cells in pdf.items():
        if name in names:
            seen.add("national PDF", names[name], servers=int(cells[0]),
                     server_rooms=int(cells[1]), information_systems=int(cells[2]),
                     software_products=int(cells[4]), governance=_governance_code(cells[5]))
    sheet = load_workbook(io.BytesIO(national_document(demo.reform, "xlsx", "en")))[
        "Four questions"]
    header = [c.value for c in sheet[1]]
    for values in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(header, values, strict=True))
        if row["code"] in codes.values():
            seen.add("national XLSX", str(row["code"]), servers=row["servers_after"],
                     server_rooms=row["server_rooms_after"],
                     information_systems=row["information_systems_after"],
                     software_products=row["software_products_after"],
                     governance=_governance_code(row["governance_after"]))

    # The county documents of the three special cases.
    for county in (demo.chosen_older[0], demo.chosen_not_run[0], demo.governance_chosen[0]):
        book = load_workbook(io.BytesIO(county_document(county, "xlsx", "en")))
        after = {r[0]: r[3] for r in book["Before and after"].iter_rows(min_row=2,
                                                                          values_only=True)}
        seen.add("county XLSX", county.code, servers=after["servers"],
                 server_rooms=after["server_rooms"],
                 information_systems=after["information_systems"],
                 software_products=after["software_products"],
                 governance=_governance_code(after["governance"]))
        text = re.sub(r"\s+", " ", _pdf_text(county_document(county, "pdf", "en")))
        found = re.search(r"servers (\d+)\s*→\s*(\d+), server rooms (\d+)\s*→\s*(\d+)", text)
        assert found, county.code
        seen.add("county PDF", county.code, servers=int(found[2]), server_rooms=int(found[4]))

    assert not seen.disagreements(), "\n".join(seen.disagreements())
    assert {code for counties_ in seen.seen.values() for code in counties_} == set(codes.values())

    # The cases: every surface follows the one rule, not "the latest" nor "the chosen".
    county, chosen, later = demo.chosen_older
    later.refresh_from_db()
    assert later.servers_after != chosen.servers_after and later.run_at > chosen.run_at
    assert seen.seen["servers"][county.code]["national PDF"] == chosen.servers_after
    county, draft, computed = demo.chosen_not_run
    draft.refresh_from_db()
    assert draft.is_chosen and draft.servers_after is None
    assert seen.seen["servers"][county.code]["county page"] == computed.servers_after
    county, model = demo.governance_chosen
    assert seen.seen["governance"][county.code]["national PDF"] == model
