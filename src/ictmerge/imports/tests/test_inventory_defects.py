"""Defects found with real inventory files (issue 18): one test each, on a real file or one
built from the tool's own format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ictmerge.imports.duplicates import find_duplicates
from ictmerge.imports.models import DeviceIdentifier
from ictmerge.imports.services import import_file
from ictmerge.inventory.models import Device


def _glpi(world: Any, data: bytes, name: str, municipality: str = "A") -> Any:
    run = import_file(data, name, "glpi", user=world.users["admin"], municipality=municipality)
    assert run.status == "imported", run.problems
    return run


def _example(fixtures: Path, name: str) -> dict[str, Any]:
    return dict(json.loads((fixtures / "glpi-inventory" / "examples" / name).read_text()))


def _xml(fixtures: Path, name: str) -> str:
    return (fixtures / "glpi-inventory" / "xml" / name).read_text()


def _macs(device: Any) -> set[str]:
    return set(DeviceIdentifier.objects.filter(device=device, kind="mac")
               .values_list("value", flat=True))


@pytest.mark.django_db
def test_it_stores_the_macs_of_fusioninventory_xml(world: Any, fixtures: Path) -> None:
    """GIVEN FusionInventory XML whose cards carry MACADDR WHEN imported THEN the adapters'
    MACs are stored (group and locally administered addresses left out)."""
    _glpi(world, _xml(fixtures, "12.xml").encode(), "12.xml")
    # 61:B5:99:E6:84:EA has the group bit set: no adapter's address.
    assert _macs(Device.objects.get()) == {"68:B5:99:E6:84:EB", "74:F3:95:C7:E8:C2",
                                           "00:FF:3A:68:62:80", "00:22:10:D4:3E:74",
                                           "00:27:15:D4:3E:75"}
    _glpi(world, _xml(fixtures, "1.xml").encode(), "1.xml")
    assert _macs(Device.objects.get(name="LF014")) == {"B8:6B:23:E0:5C:91",
                                                       "B8:6B:23:E0:5C:81"}


@pytest.mark.django_db
@pytest.mark.parametrize("mac", ["02:50:41:00:00:01", "50:50:54:50:30:30", "33:50:6F:45:30:30",
                                 "00:05:9A:3C:7A:00"])
def test_shared_adapter_macs_match_no_two_pcs(world: Any, fixtures: Path, mac: str) -> None:
    """GIVEN two different PCs that both report a VPN or WAN Miniport adapter with the same
    MAC WHEN imported into two municipalities THEN the MAC is not stored and pairs nothing."""
    for name, municipality in (("computer_1.json", "A"), ("computer_2.json", "B")):
        inventory = _example(fixtures, name)
        inventory["content"].setdefault("networks", []).append(
            {"description": "PANGP Virtual Ethernet Adapter", "mac": mac, "status": "up",
             "virtualdev": False})
        _glpi(world, json.dumps(inventory).encode(), name, municipality)
    assert not DeviceIdentifier.objects.filter(value=mac).exists()
    assert not [g for g in find_duplicates(world.users["admin"]) if g.kind == "mac"]


@pytest.mark.django_db
def test_a_notebook_by_bios_type_or_model_is_a_laptop(world: Any, fixtures: Path) -> None:
    """GIVEN OCS-style XML with BIOS TYPE Notebook and no chassis, and another whose model is
    a "Pavilion dv6 Notebook PC" WHEN imported THEN both are laptops."""
    text = _xml(fixtures, "12.xml").replace("<CHASSIS_TYPE>Notebook</CHASSIS_TYPE>", "")
    by_type = text.replace("<BIOS>", "<BIOS>\n      <TYPE>Notebook</TYPE>")
    _glpi(world, by_type.encode(), "bios-type.xml")
    by_model = text.replace("HP EliteBook 2540p", "HP Pavilion dv6 Notebook PC")
    _glpi(world, by_model.encode(), "model.xml", "B")
    assert list(Device.objects.values_list("kind", flat=True)) == ["laptop", "laptop"]
    desktop = text.replace("HP EliteBook 2540p", "HP Compaq 8200 Elite")
    _glpi(world, desktop.encode(), "desktop.xml", "C")
    assert Device.objects.get(municipality=world.former_c).kind == "desktop"


@pytest.mark.django_db
@pytest.mark.parametrize("system,kind,virtual", [
    ("Microsoft Windows 7 Professionnel", "desktop", False),
    ("Microsoft Windows XP Professional", "desktop", False),
    ("Microsoft Windows Server 2019 Standard", "server", True),
    ("Debian GNU/Linux 12", "server", True),
])
def test_virtualbox_workstations_are_not_servers(world: Any, fixtures: Path, system: str,
                                                 kind: str, virtual: bool) -> None:
    """GIVEN a VirtualBox VM (FusionInventory XML) WHEN its OS is a desktop Windows THEN a
    desktop; WHEN a server OS THEN a virtual server."""
    text = _xml(fixtures, "12.xml").replace("<VMSYSTEM>Physical</VMSYSTEM>",
                                            "<VMSYSTEM>VirtualBox</VMSYSTEM>")
    text = re.sub(r"<FULL_NAME>[^<]*</FULL_NAME>", f"<FULL_NAME>{system}</FULL_NAME>", text)
    _glpi(world, text.encode(), "vm.xml")
    device = Device.objects.get()
    assert (device.kind, device.is_virtual) == (kind, virtual)


@pytest.mark.django_db
def test_sizes_fall_back_when_the_totals_are_missing(world: Any, fixtures: Path) -> None:
    """GIVEN a GLPI inventory with 384 MB of RAM, and one with only memory modules, drives
    and a CPU without core count WHEN imported THEN RAM, storage and cores are filled."""
    small = _example(fixtures, "computer_1.json")
    small["content"]["hardware"]["memory"] = 384
    _glpi(world, json.dumps(small).encode(), "small.json")
    assert Device.objects.get().ram_gb == 1
    bare = _example(fixtures, "computer_1.json")
    content = bare["content"]
    del content["hardware"]["memory"], content["storages"]
    for cpu in content["cpus"]:
        del cpu["core"]
    _glpi(world, json.dumps(bare).encode(), "bare.json", "B")
    device = Device.objects.get(municipality=world.former_b)
    modules = sum(m.get("capacity", 0) for m in content["memories"])
    drives = sum(d.get("total", 0) for d in content["drives"]
                 if d.get("filesystem") not in ("tmpfs", "devtmpfs", "nfs", "cifs"))
    assert device.ram_gb == round(modules / 1024) > 0
    assert device.storage_gb == round(drives / 1000) > 0
    assert device.cores == len(content["cpus"])


@pytest.mark.django_db
def test_junk_serials_and_asset_tags_are_not_kept(world: Any, fixtures: Path) -> None:
    """GIVEN two PCs whose BIOS reports an 86-character serial of zeros and threes and the
    asset tag "No Asset Information" WHEN imported THEN neither is stored nor matches."""
    junk = "30003000" * 10 + "300030"
    assert len(junk) == 86
    for name, municipality in (("12.xml", "A"), ("1.xml", "B")):
        text = re.sub(r"<SSN>[^<]*</SSN>", f"<SSN>{junk}</SSN>", _xml(fixtures, name))
        text = re.sub(r"<ASSETTAG>[^<]*</ASSETTAG>", "<ASSETTAG>No Asset Information</ASSETTAG>",
                      text)
        _glpi(world, text.encode(), name, municipality)
    assert list(Device.objects.values_list("serial", "asset_tag")) == [("", ""), ("", "")]
    assert not [g for g in find_duplicates(world.users["admin"]) if g.kind == "serial"]


@pytest.mark.django_db
def test_a_network_ipaddress_list_is_read(world: Any, fixtures: Path) -> None:
    """GIVEN a GLPI JSON whose card lists two IP addresses WHEN imported THEN it imports."""
    inventory = _example(fixtures, "computer_1.json")
    card = next(n for n in inventory["content"]["networks"] if n.get("ipaddress"))
    card["ipaddress"] = [card["ipaddress"], "10.0.0.9"]
    _glpi(world, json.dumps(inventory).encode(), "list.json")
    assert Device.objects.get().name == "glpixps"


@pytest.mark.django_db
def test_an_xml_naming_no_device_is_refused(world: Any, fixtures: Path) -> None:
    """GIVEN a GLPI XML with no name, serial, UUID or MAC WHEN imported THEN refused by name,
    no device named after the file."""
    text = _xml(fixtures, "12.xml")
    for tag in ("NAME", "SSN", "UUID", "MACADDR", "ASSETTAG"):
        text = re.sub(rf"<{tag}>[^<]*</{tag}>", "", text)
    run = import_file(text.encode(), "anonymous.xml", "glpi", user=world.users["admin"],
                      municipality="A")
    assert run.status == "rejected" and "names no device" in run.problems[0]["message"]
    assert not Device.objects.exists()


@pytest.mark.django_db
def test_netdiscovery_gives_a_network_device_with_its_details(world: Any,
                                                              fixtures: Path) -> None:
    """GIVEN a NETDISCOVERY XML of an HP switch WHEN imported twice, then its SNMPQUERY THEN one
    network device with serial, model, maker, firmware, named by SNMP, not by device id."""
    _glpi(world, _xml(fixtures, "16.xml").encode(), "16.xml")
    device = Device.objects.get()
    assert (device.kind, device.name, device.serial, device.model, device.manufacturer,
            device.os) == ("network", "J9803A", "cn3afrt37n", "1810-24G", "Hewlett-Packard",
                           "1_12_8-customized-h")
    _glpi(world, _xml(fixtures, "16.xml").encode(), "16.xml")
    run = _glpi(world, _xml(fixtures, "17.xml").encode(), "17.xml")
    assert Device.objects.count() == 1 and run.counts["network ports"] == 1


@pytest.mark.django_db
def test_snmp_inventory_macs_and_printers(world: Any, fixtures: Path) -> None:
    """GIVEN SNMPQUERY XMLs of a Cisco switch and a Brother printer WHEN imported THEN the MAC
    is stored and the printer is a printer."""
    _glpi(world, _xml(fixtures, "6.xml").encode(), "6.xml")
    switch = Device.objects.get()
    assert _macs(switch) == {"8C:60:4F:8D:AE:FC"} and switch.serial == "SSI1912014B"
    _glpi(world, _xml(fixtures, "8.xml").encode(), "8.xml")
    assert Device.objects.exclude(pk=switch.pk).get().kind == "printer"


@pytest.mark.django_db
def test_every_device_of_an_snmp_file_is_kept(world: Any, fixtures: Path) -> None:
    """GIVEN one NETDISCOVERY file with two DEVICEs (10.xml's and 11.xml's) WHEN imported twice
    THEN two devices, the same ones."""
    first = re.search(r"<DEVICE>.*</DEVICE>", _xml(fixtures, "10.xml"), re.S)
    second = re.search(r"<DEVICE>.*</DEVICE>", _xml(fixtures, "11.xml"), re.S)
    assert first and second
    text = _xml(fixtures, "10.xml").replace(first.group(0),
                                            first.group(0) + "\n" + second.group(0))
    run = _glpi(world, text.encode(), "two.xml")
    assert run.counts["created"] == 2
    names = set(Device.objects.values_list("name", flat=True))
    run = _glpi(world, text.encode(), "two.xml")
    assert run.counts["unchanged"] == 2 and set(Device.objects.values_list("name",
                                                                             flat=True)) == names


@pytest.mark.django_db
def test_a_stacked_switch_is_one_device_per_member(world: Any, fixtures: Path) -> None:
    """GIVEN a Catalyst 3750 stack whose members 1-4 and 8 have serials (GLPI JSON) WHEN
    imported twice THEN five network devices with their own serials and ports, the same five
    the second time."""
    data = (fixtures / "glpi-inventory" / "examples" / "networkequipment_2.json").read_bytes()
    run = _glpi(world, data, "stack.json")
    members = Device.objects.order_by("name")
    assert [(d.name, d.serial, d.kind) for d in members] == [
        ("3k-1-pa3.glpi-project.infra #1", "FOC1243W0ED", "network"),
        ("3k-1-pa3.glpi-project.infra #2", "FOC1127Z4LH", "network"),
        ("3k-1-pa3.glpi-project.infra #3", "FOC1232W0JH", "network"),
        ("3k-1-pa3.glpi-project.infra #4", "FOC1033Y0M7", "network"),
        ("3k-1-pa3.glpi-project.infra #8", "FOC0929U1SR", "network"),
    ]
    assert {d.model for d in members} == {"WS-C3750G-48TS-S"}
    assert run.counts["created"] == 5 and run.counts["network ports"] == 5 * 52
    again = _glpi(world, data, "stack.json")
    assert again.counts["unchanged"] == 5 and Device.objects.count() == 5
