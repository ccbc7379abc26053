"""Every shared real-world file imports with the expected counts or is rejected by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ictmerge.imports.services import import_file
from ictmerge.imports.tests.helpers import database_state
from ictmerge.inventory.models import Device, Installation, Licence, Site

#: Snipe-IT samples: (file, type) → (status, records created)
SNIPE_IT = {
    ("assets-sample.csv", "snipeit-assets"): ("imported", 22),
    ("licenses-sample.csv", "snipeit-licenses"): ("rejected", 0),
    ("locations-sample.csv", "snipeit-locations"): ("rejected", 0),
}


@pytest.mark.django_db
def test_the_snipe_it_assets_sample_imports(world: Any, fixtures: Path) -> None:
    data = (fixtures / "snipe-it" / "assets-sample.csv").read_bytes()
    run = import_file(data, "assets-sample.csv", "snipeit-assets", user=world.users["steward"],
                      municipality="A")
    assert run.status == "imported", run.problems
    assert run.counts["created"] == 22 and Device.objects.count() == 22
    assert run.counts["sites created"] == Site.objects.count() > 0
    laptop = Device.objects.get(asset_tag="ICC-2065556")
    assert str(laptop.purchase_date) == "2023-01-23" and str(laptop.purchase_cost_eur) == "2266.13"
    again = import_file(data, "assets-sample.csv", "snipeit-assets",
                        user=world.users["steward"], municipality="A")
    assert again.counts["unchanged"] == 22 and again.counts["created"] == 0


@pytest.mark.django_db
def test_the_snipe_it_licences_sample_names_its_bad_cells(world: Any, fixtures: Path) -> None:
    """GIVEN Snipe-IT's licence sample, whose `reassignable` says "sometimes" in three rows
    WHEN imported THEN those rows are named, and the rest imports when asked to."""
    data = (fixtures / "snipe-it" / "licenses-sample.csv").read_bytes()
    run = import_file(data, "licenses-sample.csv", "snipeit-licenses",
                      user=world.users["steward"], municipality="A")
    assert run.status == "rejected" and not Licence.objects.exists()
    assert {(p["column"], p["message"]) for p in run.problems} == {
        ("transferable", "'sometimes' is not yes or no")}
    assert [p["row"] for p in run.problems] == [12, 28, 32]
    run = import_file(data, "licenses-sample.csv", "snipeit-licenses",
                      user=world.users["steward"], municipality="A", valid_only=True)
    assert run.status == "partial" and Licence.objects.count() == run.counts["created"] == 47


@pytest.mark.django_db
def test_the_snipe_it_locations_sample_reports_repeated_names(world: Any, fixtures: Path) -> None:
    data = (fixtures / "snipe-it" / "locations-sample.csv").read_bytes()
    run = import_file(data, "locations-sample.csv", "snipeit-locations",
                      user=world.users["steward"], municipality="A")
    assert run.status == "rejected" and not Site.objects.exists()
    assert [(p["row"], p["message"]) for p in run.problems] == [
        (16, "the same record as row 14"), (18, "the same record as row 3")]


@pytest.mark.django_db
@pytest.mark.parametrize("name,message", [
    # 'Company' repeats too, but no column read depends on it: qualified, not fatal.
    ("assets-sample-BAD.csv", "row 1: duplicate column headers: 'Category' (columns 6 and 13)"),
    ("assets-sample-BLANKS.csv", "row 37: byte 0x81 (position 10736) is neither UTF-8 nor "
                                 "Windows-1257 text"),
])
def test_the_bad_snipe_it_samples_are_rejected_naming_the_problem(
        world: Any, fixtures: Path, name: str, message: str) -> None:
    before = database_state()
    run = import_file((fixtures / "snipe-it" / name).read_bytes(), name, "snipeit-assets",
                      user=world.users["steward"], municipality="A")
    assert run.status == "rejected"
    problem = run.problems[0]
    assert f"{problem['file']}, row {problem['row']}: {problem['message']}" == \
        f"{name}, {message}"
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name,kind", [
    ("users-sample.csv", "snipeit-users"), ("models-sample.csv", "snipeit-users"),
    ("users-sample.csv", "snipeit-assets"), ("components-sample.csv", "snipeit-locations"),
])
def test_other_snipe_it_files_are_rejected_with_the_reason(world: Any, fixtures: Path,
                                                            name: str, kind: str) -> None:
    before = database_state()
    run = import_file((fixtures / "snipe-it" / name).read_bytes(), name, kind,
                      user=world.users["steward"], municipality="A")
    assert run.status == "rejected"
    assert "register of staff" in run.problems[0]["message"] or \
        f"not a {kind} file" in run.problems[0]["message"]
    assert database_state() == before


#: GLPI JSON examples: file → (device kind, installations after the import)
GLPI = {
    "computer_1.json": ("laptop", 6),
    "computer_2.json": ("laptop", 0),
    "networkequipment_1.json": ("network", 0),
    "printer_1.json": ("printer", 0),
    "phone_1.json": ("other", 3),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(GLPI))
def test_glpi_inventories_import(world: Any, fixtures: Path, name: str) -> None:
    kind, installations = GLPI[name]
    data = (fixtures / "glpi-inventory" / "examples" / name).read_bytes()
    run = import_file(data, name, "glpi", user=world.users["steward"], municipality="A")
    assert run.status == "imported", run.problems
    device = Device.objects.get()
    assert device.kind == kind and device.installations.count() == installations
    again = import_file(data, name, "glpi", user=world.users["steward"], municipality="A")
    assert again.counts["unchanged"] == 1 and Device.objects.count() == 1


@pytest.mark.django_db
def test_a_partial_glpi_inventory_updates_only_its_sections(world: Any, fixtures: Path) -> None:
    examples = fixtures / "glpi-inventory" / "examples"
    import_file((examples / "computer_1.json").read_bytes(), "c1.json", "glpi",
                user=world.users["steward"], municipality="A")
    device = Device.objects.get()
    device.os = "kept"
    device.save()
    run = import_file((examples / "computer_1_partial_softs.json").read_bytes(), "p.json",
                      "glpi", user=world.users["steward"], municipality="A")
    assert run.status == "imported"
    device.refresh_from_db()
    import json

    partial = json.loads((examples / "computer_1_partial_softs.json").read_text())
    names = set(device.installations.values_list("raw_name", flat=True))
    assert names == {s["name"] for s in partial["content"]["softwares"]}
    assert run.counts["installations created"] == run.counts["installations removed"] == 1
    assert device.os != "kept"  # the partial inventory carries operatingsystem
    run = import_file((examples / "computer_1_partial_memory.json").read_bytes(), "m.json",
                      "glpi", user=world.users["steward"], municipality="A")
    assert set(device.installations.values_list("raw_name", flat=True)) == names
    assert Device.objects.count() == 1


@pytest.mark.django_db
def test_glpi_vms_become_workloads_of_a_server_host(world: Any, fixtures: Path) -> None:
    """GIVEN a host inventory with virtual machines WHEN its chassis is a laptop THEN the VMs
    (containers) are counted as skipped; WHEN the host is a server THEN they become workloads."""
    import json

    path = fixtures / "glpi-inventory" / "examples" / "computer_2_partial_vms.json"
    inventory = json.loads(path.read_text())
    machines = len(inventory["content"]["virtualmachines"])
    run = import_file(path.read_bytes(), "vms.json", "glpi", user=world.users["steward"],
                      municipality="A")
    assert run.counts["virtual machines skipped (host is not a server)"] == machines
    inventory["content"]["hardware"]["chassis_type"] = "Rack Mount Chassis"
    run = import_file(json.dumps(inventory).encode(), "vms.json", "glpi",
                      user=world.users["steward"], municipality="A")
    assert run.status == "imported", run.problems
    server = Device.objects.get()
    assert server.kind == "server"
    assert server.workloads.count() == run.counts["workloads created"] == machines


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["2.xml", "12.xml", "5-good.xml"])
def test_legacy_xml_inventories_import(world: Any, fixtures: Path, name: str) -> None:
    data = (fixtures / "glpi-inventory" / "xml" / name).read_bytes()
    run = import_file(data, name, "glpi", user=world.users["steward"], municipality="A")
    assert run.status == "imported", run.problems
    assert Device.objects.count() == 1


@pytest.mark.django_db
def test_every_shared_glpi_file_imports_or_is_rejected_by_name(world: Any, fixtures: Path) -> None:
    folder = fixtures / "glpi-inventory"
    for path in sorted([*folder.glob("examples/*.json"), *folder.glob("xml/*.xml")]):
        if path.name == "computer_3_updated.json" or path.name == "computer_3.json":
            continue  # 3,000 titles each: covered by the software counts below
        run = import_file(path.read_bytes(), path.name, "glpi", user=world.users["steward"],
                          municipality="A")
        if path.name in NAMES_NO_DEVICE:
            assert run.status == "rejected"
            assert "names no device" in run.problems[0]["message"]
            continue
        assert run.status == "imported", (path.name, run.problems)
    assert Device.objects.count() >= 20
    assert not Device.objects.filter(name__endswith=".xml").exists()


#: Shared files that describe no device by a name, serial, UUID or MAC (15.xml: an SNMP
#: inventory of a Juniper switch's ports and firmware only).
NAMES_NO_DEVICE = {"15.xml"}


@pytest.mark.django_db
def test_a_glpi_file_against_the_schema_is_rejected_with_the_path(world: Any) -> None:
    before = database_state()
    data = b'{"deviceid": "x", "content": {"hardware": {"memory": "lots"}}}'
    run = import_file(data, "bad.json", "glpi", user=world.users["steward"], municipality="A")
    assert run.status == "rejected"
    assert any(p["column"] == "content/hardware/memory" for p in run.problems), run.problems
    assert database_state() == before


@pytest.mark.django_db
def test_the_big_glpi_inventory_keeps_its_titles(world: Any, fixtures: Path) -> None:
    data = (fixtures / "glpi-inventory" / "examples" / "computer_3.json").read_bytes()
    run = import_file(data, "c3.json", "glpi", user=world.users["steward"], municipality="A")
    assert run.status == "imported"
    assert Installation.objects.count() == run.counts["installations created"] > 3000
