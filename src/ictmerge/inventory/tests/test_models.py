"""Inventory invariants: clean() refuses bad records, naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ictmerge.inventory.choices import DeviceKind
from ictmerge.inventory.models import Contract, Device, IctFinance, Site, Supplier, Workload


@pytest.mark.django_db
def test_it_refuses_a_duplicate_serial_naming_the_field(world: Any) -> None:
    """GIVEN a device with a serial WHEN another of the same municipality reuses it THEN 'serial'."""
    Device.objects.create(municipality=world.former_a, kind=DeviceKind.DESKTOP, name="pc1",
                          serial="CZC123")
    duplicate = Device(municipality=world.former_a, kind=DeviceKind.LAPTOP, name="pc2",
                       serial="CZC123")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "serial" in error.value.message_dict
    # Another municipality may hold the same serial, and empty serials never clash.
    Device(municipality=world.former_b, kind=DeviceKind.DESKTOP, name="pc3",
           serial="CZC123").full_clean()
    Device.objects.create(municipality=world.former_a, kind=DeviceKind.DESKTOP, name="pc4")
    Device(municipality=world.former_a, kind=DeviceKind.DESKTOP, name="pc5").full_clean()


@pytest.mark.django_db
def test_it_refuses_a_workload_on_a_computer(world: Any) -> None:
    """A workload runs on a server."""
    pc = Device.objects.create(municipality=world.former_a, kind=DeviceKind.DESKTOP, name="pc")
    workload = Workload(municipality=world.former_a, server=pc, name="vm", cpu_cores=1,
                        ram_gb=1, storage_gb=1)
    with pytest.raises(ValidationError) as error:
        workload.clean()
    assert "server" in error.value.message_dict


@pytest.mark.django_db
def test_it_refuses_half_a_coordinate_and_records_of_another_municipality(world: Any) -> None:
    """Coordinates come in pairs; a device's site belongs to the device's municipality."""
    with pytest.raises(ValidationError) as error:
        Site(municipality=world.former_a, name="x", latitude=Decimal("56.9")).clean()
    assert "longitude" in error.value.message_dict
    site = Site.objects.create(municipality=world.former_b, name="elsewhere")
    with pytest.raises(ValidationError) as error:
        Device(municipality=world.former_a, kind="desktop", name="pc", site=site).clean()
    assert "site" in error.value.message_dict


@pytest.mark.django_db
def test_it_refuses_finance_whose_categories_do_not_add_up(world: Any) -> None:
    """The spend categories sum to the ICT spend; one row per municipality and year."""
    finance = IctFinance(municipality=world.former_a, year=2019, ict_spend_eur=Decimal(100),
                         spend_hardware_eur=Decimal(10), spend_software_eur=Decimal(10),
                         spend_services_eur=Decimal(10), spend_communications_eur=Decimal(10),
                         spend_staff_eur=Decimal(10))
    with pytest.raises(ValidationError) as error:
        finance.clean()
    assert "ict_spend_eur" in error.value.message_dict
    IctFinance.objects.create(municipality=world.former_a, year=2019)
    with pytest.raises(ValidationError) as error:
        IctFinance(municipality=world.former_a, year=2019).clean()
    assert "year" in error.value.message_dict


@pytest.mark.django_db
def test_it_refuses_a_contract_ending_before_it_starts(world: Any) -> None:
    """end_date is named."""
    supplier = Supplier.objects.create(name="S")
    contract = Contract(municipality=world.former_a, supplier=supplier, title="t", kind="other",
                        start_date=dt.date(2021, 1, 1), end_date=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        contract.clean()
    assert "end_date" in error.value.message_dict


@pytest.mark.django_db
def test_it_loads_the_function_taxonomy_idempotently() -> None:
    """The taxonomy loads once; a second load changes nothing."""
    from ictmerge.inventory.models import BusinessFunction
    from ictmerge.inventory.services import load_functions

    first = load_functions()
    assert first.created == BusinessFunction.objects.count() > 10
    second = load_functions()
    assert (second.created, second.updated) == (0, 0)
    assert BusinessFunction.objects.get(code="education").national_system_mandatory
