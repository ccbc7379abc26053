"""The glossary of figures: one definition, unit and computing function per figure, the
same on the page, in the API and on the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from typer.testing import CliRunner

from ictmerge.core.glossary import GLOSSARY, glossary_json


def test_it_names_a_function_that_exists_for_every_figure() -> None:
    """GIVEN the glossary WHEN each figure's function is imported THEN it is callable, and no
    key is listed twice."""
    assert len({f.key for f in GLOSSARY}) == len(GLOSSARY)
    for item in GLOSSARY:
        assert callable(item.computed_by()), item.key


def test_it_has_every_key_of_the_county_report() -> None:
    """GIVEN the county report's figures WHEN the glossary is read THEN each has an entry."""
    from ictmerge.reports.payloads import CountyReport

    figures = {k for k in CountyReport.__annotations__
               if k.endswith(("_before", "_after"))} | {"one_off_eur", "annual_change_eur",
                                                        "payback_years"}
    assert figures - {f.key for f in GLOSSARY} == set()


def test_it_reads_in_latvian_and_in_english() -> None:
    """GIVEN the glossary WHEN read in Latvian and in English THEN every name and definition
    differs between the two (none is left untranslated)."""
    with translation.override("lv"):
        latvian = glossary_json()
    with translation.override("en"):
        english = glossary_json()
    same = [e["key"] for e, lv in zip(english, latvian, strict=True)
            if e["name"] == lv["name"] or e["definition"] == lv["definition"]]
    assert same == []


@pytest.mark.django_db
def test_it_gives_the_same_glossary_on_the_page_in_the_api_and_the_cli(world: Any) -> None:
    """GIVEN a signed-in viewer WHEN the glossary page, the API and the CLI are asked in
    English THEN they list the same figures with the same definitions."""
    from ictmerge.cli import app

    client = Client()
    client.force_login(world.users["viewer"])
    client.cookies["django_language"] = "en"
    api = client.get(reverse("api_glossary"), HTTP_ACCEPT_LANGUAGE="en").json()
    result = CliRunner().invoke(app, ["glossary", "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api
    page = client.get(reverse("glossary"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for entry in api:
        assert f'id="{entry["key"]}"' in page
        assert entry["function"] in page
