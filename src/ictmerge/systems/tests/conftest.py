"""A small county for the systems tests: New North (A + B) with systems per function."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from ictmerge.inventory.models import BusinessFunction, InformationSystem


def function(code: str, *, national: str = "") -> BusinessFunction:
    """A business function (shipped codes keep their national registers and default C/I/A)."""
    return BusinessFunction.objects.create(
        code=code, name_en=code.replace("_", " ").capitalize(), name_lv=code,
        national_system_mandatory=bool(national), national_system=national)


def system(municipality: Any, fn: BusinessFunction, name: str, **values: Any) -> InformationSystem:
    """A predecessor's system with plain defaults; `values` override them."""
    defaults: dict[str, Any] = {
        "vendor": "Vendor", "product": name, "hosting": "on_premises", "users": 50,
        "records": 20_000, "annual_cost_eur": Decimal(1000), "lifecycle": "current",
    }
    defaults.update(values)
    record = InformationSystem(municipality=municipality, function=fn, name=name, **defaults)
    record.full_clean()
    record.save()
    return record


@pytest.fixture
def county(world: Any) -> Any:
    """The world with finance run by A (Horizon, bigger) and B (Visvaris, smaller)."""
    finance = function("finance")
    horizon = system(world.former_a, finance, "Horizon", users=120, records=90_000,
                     annual_cost_eur=Decimal(3000))
    visvaris = system(world.former_b, finance, "Visvaris", users=30, records=15_000,
                      annual_cost_eur=Decimal(1500), lifecycle="end_of_life")
    world.finance, world.horizon, world.visvaris = finance, horizon, visvaris
    return world


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """The systems tests read English messages: the site speaks Latvian by default."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
