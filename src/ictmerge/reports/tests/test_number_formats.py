"""Figures in the council's takeover plan follow the document's language: Latvian groups
thousands with a (non-breaking) space and writes a decimal comma, English "104,252" / "0.5"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ictmerge.core.documents import local_number
from ictmerge.inventory.choices import LicenceMetric
from ictmerge.reports.documents import county_document_context
from ictmerge.reports.tests.test_county_sections import _plan_everything

#: An English grouped figure ("104,252", "1,234,567").
GROUPED = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])")
#: An English decimal point between digits ("0.5").
DECIMAL_POINT = re.compile(r"\d\.\d")


def _paragraphs(county: Any, lang: str) -> dict[str, str]:
    with translation.override(lang):
        context = county_document_context(county)
    return {s.key: " ".join(str(p) for p in s.paragraphs) for s in context["sections"]}


@pytest.mark.parametrize(("lang", "value", "decimals", "text"), [
    ("en", 104252.4, 0, "104,252"), ("lv", 104252.4, 0, "104\xa0252"),
    ("en", 0.5, 1, "0.5"), ("lv", 0.5, 1, "0,5"),
    ("en", -1234.5678, 3, "-1,234.568"), ("lv", -1234.5678, 3, "-1\xa0234,568"),
])
def test_it_formats_a_number_in_the_active_language(lang: str, value: float, decimals: int,
                                                    text: str) -> None:
    with translation.override(lang):
        assert local_number(value, decimals) == text
        assert local_number(abs(value), decimals, signed=True) == "+" + text.lstrip("-")
        assert local_number(0, decimals, signed=True).startswith("0")


@pytest.mark.django_db
def test_the_county_plan_groups_figures_by_language(world: Any) -> None:
    """GIVEN New North with servers, systems, action plan and budget planned
    WHEN its takeover plan is put together in English and in Latvian
    THEN the expected one-off budget is "104,252"-style in English and "104 252"-style in
    Latvian, every grouped English figure appears space-grouped in Latvian, and no Latvian
    section prints a decimal point."""
    from ictmerge.planning.services import budget_for

    planned = _plan_everything(world)
    expected = budget_for(planned.county).budget.one_off.expected
    assert expected >= 1000  # otherwise nothing would be grouped
    english, latvian = _paragraphs(planned.county, "en"), _paragraphs(planned.county, "lv")
    assert f"{expected:,.0f}" in english["budget"]
    assert f"{expected:,.0f}".replace(",", "\xa0") in latvian["budget"]
    for key in ("servers", "systems", "action_plan", "budget"):
        assert latvian[key] and english[key], key
        assert not DECIMAL_POINT.findall(latvian[key]), (key, latvian[key])
        assert "\xa0" not in english[key].replace(" ", ""), key
        for figure in GROUPED.findall(english[key]):
            assert figure.replace(",", "\xa0") in latvian[key], (key, figure)
            assert figure not in latvian[key], (key, figure)
    assert GROUPED.findall(english["servers"]) and GROUPED.findall(english["systems"])


def test_the_licence_metric_and_the_accounts_column_translate_apart() -> None:
    with translation.override("lv"):
        metric = str(LicenceMetric.SITE.label)
        column = gettext("Site")
    assert metric == "Objekta licence" and column == "Objekts"
    with translation.override("en"):
        assert str(LicenceMetric.SITE.label) == gettext("Site") == "Site"


@pytest.mark.django_db
def test_the_accounts_page_heads_its_column_with_the_site_word(world: Any) -> None:
    from django.template.loader import render_to_string

    with translation.override("lv"):
        html = render_to_string("planning/accounts.html", {"county": world.north})
    assert "<th>Objekts</th>" in html and "Objekta licence" not in html
