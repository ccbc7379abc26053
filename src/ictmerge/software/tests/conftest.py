"""Records for the software tests: installations, licences and contracts of the personas' world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from ictmerge.inventory.models import Contract, Installation, Licence, SoftwareProduct, Supplier


@dataclass
class Register:
    """The world plus a small software register for former A, B and C."""

    world: Any
    office: SoftwareProduct
    contracts: dict[str, Contract]


def install(municipality: Any, name: str, publisher: str = "", version: str = "", count: int = 1) -> Installation:
    """An installation counted in aggregate."""
    return Installation.objects.create(municipality=municipality, raw_name=name,
                                       raw_publisher=publisher, raw_version=version, count=count)


@pytest.fixture
def register(world: Any) -> Register:
    """GIVEN former A with Office 2016 on 10 computers and an unknown program, B with Visio
    Viewer and 7-Zip, C with the unknown program; licences of A and B; contracts of A."""
    a, b, c = world.former_a, world.former_b, world.former_c
    install(a, "Microsoft Office Professional Plus 2016", "Microsoft Corporation", "16.0.4266.1001", 6)
    install(a, "Microsoft Office profesionālais plus 2016", "Microsoft Corporation", "16.0.4266.1001", 4)
    install(a, "Grāmatvedis Pro klients", "Birojs SIA", "", 3)
    install(b, "Microsoft Visio Viewer 2016", "Microsoft Corporation", "16.0", 5)
    install(b, "7-Zip 19.00 (x64)", "Igor Pavlov", "19.00", 5)
    install(b, "Adobe Acrobat Pro DC", "Adobe Inc.", "20.013", 2)
    install(c, "Grāmatvedis Pro klients", "Birojs SIA", "", 2)
    # A product spelt the way a licence register names it (as the demo does).
    office = SoftwareProduct.objects.create(vendor="Microsoft", name="Office",
                                            edition="Professional Plus", major_version="2016")
    Licence.objects.create(municipality=a, product=office, product_name="Office 2016 ProPlus",
                           metric="device", quantity=6, proof_reference="Invoice 1")
    Licence.objects.create(municipality=b, product=office, product_name="Office 2016 ProPlus",
                           metric="device", quantity=2, transferable=False)
    Licence.objects.create(municipality=b, product_name="Adobe Acrobat Pro DC", metric="subscription",
                           quantity=5, expires=dt.date(2021, 12, 31), proof_reference="Order 7")
    Licence.objects.create(municipality=b, product_name="Adobe Acrobat Pro DC", metric="subscription",
                           quantity=3, expires=dt.date(2020, 12, 31), proof_reference="Order 3")
    supplier = Supplier.objects.create(name="Supplier SIA")
    reform_date = world.reform.effective_date  # 2021-07-01

    def contract(key: str, municipality: Any = a, **values: Any) -> Contract:
        return Contract.objects.create(municipality=municipality, supplier=supplier, title=key,
                                       kind="maintenance", annual_value_eur=Decimal(1000), **values)

    contracts = {
        "ends_before": contract("ends_before", end_date=reform_date - dt.timedelta(days=30), notice_days=30),
        "notice_due": contract("notice_due", end_date=reform_date + dt.timedelta(days=60), notice_days=90),
        "not_assignable": contract("not_assignable", end_date=dt.date(2024, 1, 1), notice_days=30,
                                   assignable=False),
        "fine": contract("fine", end_date=dt.date(2024, 1, 1), notice_days=30),
        "long_ended": contract("long_ended", end_date=dt.date(2018, 1, 1), assignable=False),
        "other_county": contract("other_county", municipality=c, end_date=reform_date - dt.timedelta(days=3)),
    }
    return Register(world, office, contracts)
