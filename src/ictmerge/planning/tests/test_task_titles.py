"""Generated task titles are codes with parameters, shown in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from ictmerge.engine.explain import english
from ictmerge.engine.planning.tasks import explain_written_title, load_templates
from ictmerge.planning import services
from ictmerge.planning.models import Task

pytestmark = pytest.mark.django_db


def test_it_shows_generated_titles_in_the_readers_language(north: Any) -> None:
    """GIVEN a generated action plan WHEN its titles are read in Latvian and in English THEN
    the Latvian one is the catalogue's, with Latvian plural forms, the English one reads as
    stored, and a title edited by hand is shown as written in both."""
    services.generate_action_plan(north.county)
    register = Task.objects.get(municipality=north.county, template="discovery.software_register")
    counted = Task.objects.filter(municipality=north.county,
                                  template="discovery.resource_inventory").get()
    with translation.override("lv"):
        assert register.display_title == "Atjaunināt programmatūras reģistru"
        assert str(register) == "Atjaunināt programmatūras reģistru"
        assert "IKT resursus" in counted.display_title
    with translation.override("en"):
        assert register.display_title == register.title == "Update the software register"
    register.title = "Update the register of the two councils"
    register.save()
    with translation.override("lv"):
        assert register.display_title == "Update the register of the two councils"


def test_it_reads_a_title_written_before_as_its_code() -> None:
    """GIVEN titles as an earlier version wrote them (units without grouping, a part suffix)
    WHEN the migration reads them THEN each becomes its template's code with the parameters,
    and a title edited by hand does not."""
    templates = load_templates()
    licences = explain_written_title(templates["planning.licence_procurement"],
                                     "Procure 1200 licences of Office 2021 (2/3)")
    assert licences is not None
    assert english(licences) == "Procure 1,200 licences of Office 2021 (2/3)"
    with translation.override("lv"):
        from ictmerge.core.explanations import text_of

        assert text_of(licences) == "Iepirkt 1\xa0200 licences: Office 2021 (2. no 3)"
    assert explain_written_title(templates["planning.licence_procurement"],
                                 "Buy what the mayor wants") is None
