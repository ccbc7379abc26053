"""One source for the model rules: the importer and `full_clean()` refuse alike, at any size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from ictmerge.engine.imports import rules
from ictmerge.imports import sources
from ictmerge.imports.services import import_file
from ictmerge.imports.templates import template
from ictmerge.imports.tests.helpers import database_state
from ictmerge.inventory.models import (
    Contract,
    Device,
    IctFinance,
    Installation,
    Licence,
    ServerRoom,
    Site,
    Supplier,
)


@dataclass(frozen=True)
class Case:
    """A row that breaks one rule, and a record that breaks it the same way."""

    slug: str
    csv: str
    record: Callable[[Any], models.Model]
    field: str
    msgid: str
    english: str


CATEGORIES = "spend_hardware_eur,spend_software_eur,spend_services_eur," \
             "spend_communications_eur,spend_staff_eur"
TEN = Decimal("10.00")

CASES = [
    Case("devices", "municipality,name,kind,is_virtual\nA,PC-1,desktop,yes\n",
         lambda w: Device(municipality=w.former_a, name="PC-1", kind="desktop", is_virtual=True),
         "is_virtual", rules.ONLY_SERVERS_VIRTUAL, "Only a server can be virtual."),
    Case("computers", "municipality,name,purchase_date,warranty_until\n"
                      "A,PC-1,2021-01-01,2020-01-01\n",
         lambda w: Device(municipality=w.former_a, name="PC-1", kind="desktop",
                          purchase_date=dt.date(2021, 1, 1), warranty_until=dt.date(2020, 1, 1)),
         "warranty_until", rules.WARRANTY_BEFORE_PURCHASE,
         "The warranty cannot end before the purchase."),
    Case("sites", "municipality,name,latitude\nA,Hall,56.9\n",
         lambda w: Site(municipality=w.former_a, name="Hall", latitude=Decimal("56.9")),
         "longitude", rules.BOTH_COORDINATES, "Give both latitude and longitude, or neither."),
    Case("rooms", "municipality,name,longitude\nA,Room,24.1\n",
         lambda w: ServerRoom(municipality=w.former_a, name="Room", longitude=Decimal("24.1")),
         "latitude", rules.BOTH_COORDINATES, "Give both latitude and longitude, or neither."),
    Case("contracts", "municipality,supplier,title,kind,start_date,end_date\n"
                      "A,Acme,Hosting,hosting,2021-01-01,2020-01-01\n",
         lambda w: Contract(municipality=w.former_a, supplier=Supplier.objects.get(name="Acme"),
                            title="Hosting", kind="hosting", start_date=dt.date(2021, 1, 1),
                            end_date=dt.date(2020, 1, 1)),
         "end_date", rules.CONTRACT_ENDS_EARLY, "A contract cannot end before it starts."),
    Case("licences", "municipality,product_name,quantity\nA,Office,0\n",
         lambda w: Licence(municipality=w.former_a, product_name="Office", quantity=0),
         "quantity", rules.LICENCE_EMPTY, "A licence covers at least one unit."),
    Case("software", "municipality,device,raw_name,count\nA,SN-9,Firefox,2\n",
         lambda w: Installation(municipality=w.former_a, device=Device.objects.get(serial="SN-9"),
                                raw_name="Firefox", count=2),
         "count", rules.INSTALLATION_COUNT, "An installation on one device counts 1."),
    Case("spend", f"municipality,year,ict_spend_eur,{CATEGORIES}\nA,2020,100,10,10,10,10,10\n",
         lambda w: IctFinance(municipality=w.former_a, year=2020, ict_spend_eur=Decimal(100),
                              **dict.fromkeys(rules.SPEND_CATEGORIES, TEN)),
         "ict_spend_eur", rules.CATEGORIES_SUM,
         "The categories sum to 50.00, not to the ICT spend."),
    Case("spend", "municipality,year,total_expenditure_eur,ict_spend_eur\nA,2020,50,100\n",
         lambda w: IctFinance(municipality=w.former_a, year=2020, ict_spend_eur=Decimal(100),
                              total_expenditure_eur=Decimal(50)),
         "ict_spend_eur", rules.SPEND_EXCEEDS, "ICT spend exceeds total expenditure."),
    Case("spend", "municipality,year,surveyed,ict_spend_eur\nA,2020,no,100\n",
         lambda w: IctFinance(municipality=w.former_a, year=2020, surveyed=False,
                              ict_spend_eur=Decimal(100)),
         "surveyed", rules.NOT_SURVEYED,
         "A municipality that was not surveyed reported no spend."),
]


@pytest.fixture
def references(world: Any) -> Any:
    """The supplier and the device the cases' records point to."""
    Supplier.objects.create(name="Acme")
    Device.objects.create(municipality=world.former_a, name="PC-9", kind="desktop", serial="SN-9")
    return world


def test_the_cases_cover_every_rule_and_message() -> None:
    """GIVEN the shared rules WHEN the cases below are listed THEN every model with rules and
    every message a rule gives has a case (a new rule needs one)."""
    assert {template(case.slug).model_label for case in CASES} == set(rules.RULES)
    assert {case.msgid for case in CASES} == set(rules.MESSAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.slug}-{c.field}-{c.msgid[:20]}")
def test_it_refuses_a_row_with_the_message_full_clean_gives(references: Any, case: Case,
                                                             language: str) -> None:
    """GIVEN a row that breaks a model rule WHEN it is imported and the same record is
    full_clean()ed, in either language THEN both name the same field with the same message,
    translated, and the import writes nothing."""
    before = database_state()
    with translation.override(language):
        run = import_file(case.csv.encode(), "bad.csv", case.slug,
                          user=references.users["steward"])
        with pytest.raises(ValidationError) as error:
            case.record(references).full_clean()
        model_messages = error.value.message_dict[case.field]
    assert run.status == "rejected" and run.counts["rejected"] == 1
    assert [(p["row"], p["column"], p["message"]) for p in run.problems] == \
        [(2, case.field, message) for message in model_messages]
    assert (model_messages == [case.english]) == (language == "en")
    assert database_state() == before


@pytest.mark.django_db
def test_it_rejects_a_bad_row_alike_in_a_small_and_a_large_file(world: Any) -> None:
    """GIVEN the same two bad rows in a file of a few rows and in one above the old 256 KiB
    limit for the model's own checks WHEN both are imported THEN each row is refused with
    the same messages and nothing is written."""
    header = "municipality,name,serial,kind,purchase_date,warranty_until,is_virtual\n"
    bad = ["A,PC-0,S0,desktop,2021-01-01,2020-01-01,no\n", "A,PC-X,SX,laptop,,,yes\n"]

    def file(good_rows: int) -> bytes:
        good = [f"A,PC-{i},S{i},desktop,2021-01-01,2024-01-01,no\n"
                for i in range(1, good_rows + 1)]
        return (header + bad[0] + "".join(good) + bad[1]).encode()

    small, large = file(3), file(6000)
    assert len(small) < 256 * 1024 < len(large)
    found = []
    for data in (small, large):
        with translation.override("en"):
            run = import_file(data, "pcs.csv", "computers", user=world.users["steward"])
        assert run.status == "rejected" and run.counts["rejected"] == 2
        last = data.count(b"\n")
        found.append({(1 if p["row"] == 2 else 2 if p["row"] == last else p["row"],
                       p["column"], p["message"]) for p in run.problems})
    assert found[0] == found[1] == {
        (1, "warranty_until", "The warranty cannot end before the purchase."),
        (2, "is_virtual", "Only a server can be virtual.")}
    assert not Device.objects.exists()


def test_every_other_tools_type_is_read_or_mapped() -> None:
    """GIVEN the other tools' import types WHEN the import page lists them THEN each is read
    by its own reader or mapped onto a template, never both."""
    assert set(sources.SOURCES) == set(sources.READERS) | set(sources.MAPPINGS)
    assert not set(sources.READERS) & set(sources.MAPPINGS)
    assert len(sources.SOURCES) == len(set(sources.SOURCES))
