"""A small county with an inventory to plan: New North = Former A + Former B."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from ictmerge.engine.planning.scheduling import Objective, SolverSettings

FAST = SolverSettings(objective=Objective.LATENESS, time_limit_s=1.0,
                      deterministic_time_limit=0.2)


@dataclass
class County:
    """The world plus the records of its inventory that tests look at."""

    world: Any
    county: Any
    contract: Any
    computers_a: int
    computers_b: int


def build_inventory(world: Any) -> County:
    """Sites with coordinates, computers, a server, finance, IS, a contract and licences."""
    from ictmerge.inventory.models import (
        BusinessFunction,
        Contract,
        Device,
        IctFinance,
        InformationSystem,
        Installation,
        Licence,
        Site,
        Supplier,
    )

    a, b = world.former_a, world.former_b
    hall_a = Site.objects.create(municipality=a, name="A town hall", latitude=Decimal("56.95"),
                                 longitude=Decimal("24.10"))
    school_a = Site.objects.create(municipality=a, name="A school", latitude=Decimal("57.05"),
                                   longitude=Decimal("24.40"))
    hall_b = Site.objects.create(municipality=b, name="B town hall", latitude=Decimal("56.65"),
                                 longitude=Decimal("23.70"))
    devices = []
    for site, count in ((hall_a, 70), (school_a, 30), (hall_b, 40)):
        devices += [Device(municipality=site.municipality, site=site, kind="desktop",
                           name=f"{site.name} pc {i}") for i in range(count)]
    devices.append(Device(municipality=a, site=hall_a, kind="server", name="A server"))
    Device.objects.bulk_create(devices)
    for former, fte, model in ((a, "2.0", "centralised"), (b, "1.0", "decentralised")):
        IctFinance.objects.create(municipality=former, year=2019, ict_spend_eur=Decimal(50000),
                                  total_expenditure_eur=Decimal(10_000_000),
                                  ict_staff_fte=Decimal(fte), governance_model=model)
    finance = BusinessFunction.objects.create(code="finance", name_en="Finance",
                                              name_lv="Finanses")
    InformationSystem.objects.create(municipality=a, name="Horizon", product="Horizon",
                                     function=finance, users=30)
    InformationSystem.objects.create(municipality=b, name="Ozols", product="Ozols",
                                     function=finance, users=10)
    supplier = Supplier.objects.create(name="Hosting Ltd")
    contract = Contract.objects.create(municipality=b, supplier=supplier, title="B hosting",
                                       kind="hosting", annual_value_eur=Decimal(6000),
                                       end_date=dt.date(2023, 12, 31), notice_days=90,
                                       assignable=False)
    Licence.objects.create(municipality=a, product_name="Microsoft Office Professional Plus 2016",
                           quantity=20, transferable=True)
    Installation.objects.create(municipality=a, raw_name="Microsoft Office Professional Plus 2016",
                                raw_publisher="Microsoft Corporation", count=50)
    return County(world, world.north, contract, 100, 40)


@pytest.fixture
def north(world: Any) -> County:
    """New North with its predecessors' inventory."""
    return build_inventory(world)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """The planning tests read English messages: the site speaks Latvian by default."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
