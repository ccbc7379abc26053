"""Charts draw in every language: SVG geometry is never written with a decimal comma.

Every page and document with an inline SVG chart is rendered in Latvian (decimal comma)
and in English for a county with everything planned, so that coordinates are fractional.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ictmerge.reforms.counties import county_url, covered_ids
from ictmerge.reports.documents import county_document_context, national_context
from ictmerge.reports.tests.test_county_sections import _plan_everything
from ictmerge.software.services import normalise_installations
from ictmerge.software.tests.conftest import install

#: SVG attributes that hold numbers (or lists of numbers).
NUMERIC = {"x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r", "d",
           "points", "viewbox", "transform", "dx", "dy"}
#: A comma between digits, e.g. "180,0" (SVG lists separate numbers by a space here).
DECIMAL_COMMA = re.compile(r"\d,\d")
#: The county pages with a chart, by URL name (with extra arguments after the code).
COUNTY_PAGES = [("planning_governance",), ("planning_budget",), ("planning_action_plan",),
                ("consolidation_county",), ("systems_function", "finance"), ("county",),
                ("review_county",), ("software_position",), ("software_portfolio",),
                ("software_contracts",)]


class _Svg(HTMLParser):
    """The numeric attributes and the marks (rect, circle) of every <svg> in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[list[tuple[str, dict[str, str]]]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            if not self.depth:
                self.charts.append([])
            self.depth += 1
        if self.depth:
            self.charts[-1].append((tag, {k: v or "" for k, v in attrs if k in NUMERIC}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.depth:
            self.depth -= 1


def _problems(html: str) -> list[str]:
    """What is wrong with the page's charts: decimal commas, no mark of non-zero size."""
    parser = _Svg()
    parser.feed(html)
    if not parser.charts:
        return ["no chart"]
    problems = []
    fractional = False
    for index, chart in enumerate(parser.charts):
        sized = False
        for tag, attrs in chart:
            for name, value in attrs.items():
                if DECIMAL_COMMA.search(value):
                    problems.append(f"chart {index}: <{tag} {name}={value!r}>")
                fractional = fractional or bool(re.search(r"\d\.\d", value))
            try:
                if tag == "rect":
                    sized = sized or (float(attrs["width"]) > 0 and float(attrs["height"]) > 0)
                elif tag == "circle":
                    sized = sized or float(attrs["r"]) > 0
            except (KeyError, ValueError):
                problems.append(f"chart {index}: <{tag}> size unreadable: {attrs}")
        if not sized:
            problems.append(f"chart {index}: no bar or mark of non-zero size")
    if not fractional:
        problems.append("no fractional coordinate: the page does not test decimal commas")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_it_writes_chart_geometry_with_a_decimal_point_in_every_language(world: Any,
                                                                        lang: str) -> None:
    """GIVEN New North with everything planned WHEN every page and document with a chart is
    rendered in the language THEN no numeric SVG attribute has a decimal comma and each chart
    draws a bar or mark of non-zero size."""
    planned = _plan_everything(world)
    # A second office suite, so that the portfolio has a function with a product to replace.
    install(world.former_b, "LibreOffice 7.1.2.2", "The Document Foundation", "7.1.2.2", 3)
    normalise_installations(covered_ids(world.north))
    client = Client()
    client.force_login(world.users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    pages = {name: county_url(name, planned.county, *extra) for name, *extra in COUNTY_PAGES}
    pages |= {"national": reverse("national"), "review_national": reverse("review_national")}
    found = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert response.headers["Content-Language"] == lang, name
        found[name] = _problems(response.content.decode())
    with translation.override(lang):
        found["county_document"] = _problems(render_to_string(
            "reports/county_document.html",
            {**county_document_context(planned.county), "LANGUAGE_CODE": lang}))
        found["national_document"] = _problems(render_to_string(
            "reports/national_document.html",
            {**national_context(planned.county.reform), "LANGUAGE_CODE": lang}))
    assert {name: p for name, p in found.items() if p} == {}


def test_it_writes_every_svg_of_a_template_with_localisation_off() -> None:
    """GIVEN the project's templates WHEN one draws an <svg> THEN it is inside
    {% localize off %}, so that a new chart cannot write its geometry with decimal commas."""
    from pathlib import Path

    import ictmerge

    outside = []
    for path in Path(ictmerge.__file__).parent.glob("*/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<svg\b", text):
            before = text[:match.start()]
            if before.count("{% localize off %}") <= before.count("{% endlocalize %}"):
                outside.append(f"{path.name}:{before.count(chr(10)) + 1}")
    assert outside == []


@pytest.mark.parametrize(("lang", "band", "threshold", "tick"),
                         [("lv", "0,25", "0,75 %", "0,5"), ("en", "0.25", "0.75 %", "0.5")])
def test_it_writes_the_numbers_a_chart_shows_as_the_language_writes_them(
        lang: str, band: str, threshold: str, tick: str) -> None:
    """GIVEN a share histogram and a score chart WHEN drawn in the language THEN the texts
    they show (band labels, the threshold, score ticks) use its decimal separator while their
    coordinates stay numbers."""
    from ictmerge.core.charts import histogram
    from ictmerge.systems.charts import score_chart

    bins = [{"from_pct": 0.0, "to_pct": 0.25, "count": 3},
            {"from_pct": 0.25, "to_pct": 0.5, "count": 1},
            {"from_pct": 0.5, "to_pct": None, "count": 2}]
    with translation.override(lang):
        chart = histogram(bins, 0.75)
        ticks = score_chart([{"name": "A", "topsis": 0.4, "weighted_sum": 0.3}], "topsis")["ticks"]
    assert [bar.label for bar in chart["bars"]] == ["0" + band[1] + "00", band,
                                                    "≥0" + band[1] + "50"]
    assert chart["threshold_label"] == threshold
    assert isinstance(chart["threshold_x"], float)
    assert tick in [t["value"] for t in ticks]
    assert all("," not in t["x"] for t in ticks)
