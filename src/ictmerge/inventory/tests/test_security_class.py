"""A system's security class is never a critical-infrastructure category letter."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from ictmerge.inventory.models import BusinessFunction, InformationSystem

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("ictmerge.inventory.migrations.0003_classes_not_letters")


def test_it_migrates_stored_letters_to_the_level_they_were_read_as(world: Any) -> None:
    """GIVEN classes stored as 'A', 'B class', 'klase C', '1. klase' WHEN the data migration
    runs THEN the letters become high, medium, low and other texts stay as written."""
    function = BusinessFunction.objects.create(code="finance", name_en="Finance", name_lv="F")
    written = ["A", "B class", "klase C", "1. klase", "pamata drošības sistēma"]
    for n, text in enumerate(written):
        InformationSystem.objects.create(municipality=world.former_a, function=function,
                                         name=f"s{n}", security_class=text)
    MIGRATION.letters_to_levels(apps, None)
    stored = list(InformationSystem.objects.order_by("name").values_list("security_class",
                                                                         flat=True))
    assert stored == ["high", "medium", "low", "1. klase", "pamata drošības sistēma"]


def test_it_refuses_a_letter_on_every_entry_path(world: Any) -> None:
    """GIVEN a system whose class is written 'B' WHEN validated THEN the field is refused with
    why (Regulation No. 508's category); Reg. 442's names pass."""
    function = BusinessFunction.objects.create(code="finance", name_en="Finance", name_lv="F")
    record = InformationSystem(municipality=world.former_a, function=function, name="x",
                               security_class="B")
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "508" in str(error.value.message_dict["security_class"])  # Regulation No. 508
    record.security_class = "paaugstinātas drošības sistēma"
    record.full_clean()
