"""The council's PDF reads as plain language: no command of the command line, no internal id
(a system's "is-874", a record's "#12", a stand-in's "national:finance")."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ictmerge.core.glossary import figure
from ictmerge.reports.documents import county_document
from ictmerge.reports.tests.test_county_sections import COMMAND, _plan_everything
from ictmerge.reports.tests.test_documents import pdf_text

#: Internal ids as the code writes them: an engine system id, a record number, a stand-in key.
INTERNAL_ID = re.compile(r"\bis-\d+|#\d+|\bnational:[a-z_]+|\bext-\d+")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_it_names_no_command_and_no_internal_id(world: Any, lang: str) -> None:
    """GIVEN North fully planned (servers, systems with a decision, governance, action plan)
    and South with nothing WHEN their council PDFs are printed THEN neither names a command
    or an internal id, and North's has the annex on how it was computed."""
    _plan_everything(world)
    with translation.override(lang):
        annex = gettext("Annex: how it was computed")
        definition = str(figure("servers_after").definition)
    for county in (world.north, world.south):
        text = " ".join(pdf_text(county_document(county, "pdf", lang)).split())
        assert COMMAND.findall(text) == [], county.code
        assert INTERNAL_ID.findall(text) == [], county.code
        assert annex in text and " ".join(definition.split()) in text, county.code


@pytest.mark.django_db
def test_it_names_a_system_where_the_engine_wrote_its_key(world: Any) -> None:
    """GIVEN North's systems plan and a reason naming a candidate by its key WHEN the document
    words it THEN the key gives way to the system's name."""
    from ictmerge.systems import services
    from ictmerge.systems.documents import named

    _plan_everything(world)
    result = services.plan_county(world.north)
    key = next(k for f in result.functions for k in f.decision.candidate_ids
               if k.startswith("is-"))
    text = named(f"chosen {key} (A) by TOPSIS 0.700", result)
    assert INTERNAL_ID.findall(text) == [] and result.label(key) in text
