"""Snipe-IT files (issue 18): column precedence as Snipe-IT's importer has it, quantities,
product keys masked, the Custom Asset Report's columns, stock lists refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ictmerge.core.models import ChangeRecord
from ictmerge.imports.services import import_file
from ictmerge.imports.tests.helpers import database_state
from ictmerge.inventory.models import Device, Licence

#: Snipe-IT's Custom Asset Report (Reports › Custom Asset Report) with the asset name, the
#: checked-out user's name and the location address option: its English headers.
CUSTOM_REPORT = (
    "Asset Tag,Asset Name,Serial,Model,Manufacturer,Category,Location,Address,Purchased,Cost,"
    "Warranty Expires,Status,Name,Address\n"
    "ICC-1,Reception PC,SN-1001,OptiPlex 7090,Dell,Desktops,Town hall,Main street 1,"
    "01/23/2023,899.00,01/23/2026,Deployed,Anna Bērziņa,Home street 5\n"
    "ICC-2,Spare laptop,SN-1002,Latitude 5420,Dell,Laptops,Town hall,Main street 1,"
    "2022-11-14 00:00:00,1292.94,11/14/2025,Ready to Deploy,,\n"
)


def _import(world: Any, data: bytes, name: str, kind: str, **options: Any) -> Any:
    return import_file(data, name, kind, user=world.users["steward"], municipality="A",
                       **options)


@pytest.mark.django_db
def test_the_custom_asset_report_keeps_names_dates_costs_and_status(world: Any) -> None:
    """GIVEN a Custom Asset Report with Asset Name, the user's Name and two Address columns
    WHEN imported THEN devices are named after the assets, not people, with purchase date,
    cost, warranty and status."""
    run = _import(world, CUSTOM_REPORT.encode(), "custom-report.csv", "snipeit-assets")
    assert run.status == "imported", run.problems
    pc = Device.objects.get(asset_tag="ICC-1")
    assert (pc.name, pc.kind, str(pc.purchase_date), str(pc.purchase_cost_eur),
            str(pc.warranty_until), pc.status) == ("Reception PC", "desktop", "2023-01-23",
                                                   "899.00", "2026-01-23", "in_use")
    spare = Device.objects.get(asset_tag="ICC-2")
    assert (spare.name, spare.status, str(spare.purchase_date)) == \
        ("Spare laptop", "in_stock", "2022-11-14")
    assert not Device.objects.filter(name__contains="Bērziņa").exists()


@pytest.mark.django_db
def test_the_licences_sample_reads_seats_and_masks_keys(world: Any, fixtures: Path) -> None:
    """GIVEN Snipe-IT's licence sample (56 seats in row 2, a product key in `serial number`)
    WHEN imported THEN quantity 56, and the key is kept only masked, in records and
    history."""
    data = (fixtures / "snipe-it" / "licenses-sample.csv").read_bytes()
    run = _import(world, data, "licenses-sample.csv", "snipeit-licenses", valid_only=True)
    assert run.status == "partial"
    first = Licence.objects.get(product_name__startswith="Acetaminophen, Chlorpheniramine")
    assert first.quantity == 56
    key = "4c2713a1-5b73-4ecb-b2e9-62bf0ff57165"
    assert first.proof_reference.startswith("…57165 #")
    everything = repr(list(Licence.objects.values_list())) + \
        repr(list(ChangeRecord.objects.values_list("before", "after")))
    assert key not in everything and key.replace("-", "") not in everything.replace("-", "")
    assert "62bf0ff57165" not in everything.casefold()


@pytest.mark.django_db
def test_a_licence_export_with_total_reads_the_quantity(world: Any) -> None:
    """GIVEN a Snipe-IT licence list export whose seats column is "Total" WHEN imported THEN
    the quantity is read (10), not 1."""
    data = (b"Name,Product Key,Expiration Date,Manufacturer,Total,Avail.\n"
            b"Office 2019,ABCDE-FGHIJ-KLMNO-PQRST-UVWXY,12/31/2027,Microsoft,10,4\n")
    run = _import(world, data, "licenses-export.csv", "snipeit-licenses")
    assert run.status == "imported", run.problems
    licence = Licence.objects.get()
    assert licence.quantity == 10 and str(licence.expires) == "2027-12-31"
    assert licence.proof_reference.startswith("…UVWXY #")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accessories-sample.csv", "consumables-sample.csv",
                                  "components-sample.csv"])
def test_a_stock_list_is_not_taken_as_devices(world: Any, fixtures: Path, name: str) -> None:
    """GIVEN Snipe-IT's accessories, consumables or components sample WHEN imported as assets
    THEN refused by name, nothing changes."""
    before = database_state()
    run = _import(world, (fixtures / "snipe-it" / name).read_bytes(), name, "snipeit-assets")
    assert run.status == "rejected"
    assert "not a list of assets" in run.problems[0]["message"]
    assert database_state() == before
