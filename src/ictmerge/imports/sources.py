"""Files from other tools: GLPI Agent JSON and legacy XML, Snipe-IT CSVs, Azure Migrate CSV.

The CSV sources are mapped onto our own templates (`MAPPINGS`) and imported by the same
path as a template's file (`services`); a GLPI inventory describes one device and its
sections (software, VMs, network cards, licence information), and a partial inventory
updates only the sections it carries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ictmerge.core import scoping
from ictmerge.core.history import acting_as, caused_by, record_bulk, snapshot
from ictmerge.core.providers import licence_matcher
from ictmerge.engine.imports.identifiers import IdentifierKind, normalise
from ictmerge.engine.imports.rows import Problem, header_key
from ictmerge.engine.imports.text import Table, TableError, check_size, read_table
from ictmerge.engine.imports.values import CellError, parse_date, parse_decimal
from ictmerge.imports.common import Outcome, Rollback, municipality_codes, table_problem
from ictmerge.inventory.choices import LicenceMetric
from ictmerge.inventory.models import Device, Installation, Licence, Workload

Source = Callable[..., Any]

#: The GLPI inventory schema, from the shared fixtures (also where the agent's format lives).
SCHEMA_PATHS = (
    Path(__file__).resolve().parent / "data" / "inventory.schema.json",
    Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "glpi-inventory"
    / "inventory.schema.json",
)


# --- CSV sources mapped onto templates -------------------------------------------------------

Mapper = Callable[[dict[str, str]], str]


def _cell(*names: str) -> Mapper:
    keys = [header_key(n) for n in names]

    def get(row: dict[str, str]) -> str:
        for key in keys:
            value = row.get(key, "")
            if value.strip():
                return value
        return ""

    return get


def _us_date(*names: str) -> Mapper:
    get = _cell(*names)

    def convert(row: dict[str, str]) -> str:
        raw = get(row)
        if not raw:
            return ""
        try:
            return parse_date(raw, us=True).isoformat()
        except CellError:
            return raw  # the template's validation reports it

    return convert


def _money(*names: str) -> Mapper:
    get = _cell(*names)

    def convert(row: dict[str, str]) -> str:
        raw = get(row).replace("$", "").replace(",", "").strip()
        return raw

    return convert


_KIND_WORDS = (("laptop", "laptop"), ("notebook", "laptop"), ("desktop", "desktop"),
               ("workstation", "desktop"), ("thin", "thin_client"), ("server", "server"),
               ("switch", "network"), ("router", "network"), ("firewall", "network"),
               ("access point", "network"), ("network", "network"), ("printer", "printer"))


def _snipe_kind(row: dict[str, str]) -> str:
    category = _cell("Category")(row).casefold()
    for word, kind in _KIND_WORDS:
        if word in category:
            return kind
    return "other"


def _join(*names: str) -> Mapper:
    getters = [_cell(n) for n in names]
    return lambda row: ", ".join(v.strip() for v in (g(row) for g in getters) if v.strip())


def _azure_memory(row: dict[str, str]) -> str:
    raw = _cell("Memory (In MB)", "Memory In MB", "Memory")(row)
    try:
        return str(round(parse_decimal(raw) / 1024)) if raw else ""
    except CellError:
        return raw


def _azure_disks(row: dict[str, str]) -> str:
    total = 0
    found = False
    for key, value in row.items():
        if re.fullmatch(r"disk\d+sizeingb", key) and value.strip():
            try:
                total += int(parse_decimal(value))
                found = True
            except CellError:
                return value
    return str(total) if found else ""


MAPPINGS: dict[str, tuple[str, dict[str, Mapper], tuple[str, ...]]] = {
    # type: (template, template column → mapper, source columns one of which must exist)
    "snipeit-assets": ("devices", {
        "name": _cell("Name", "Item Name", "Asset Name"),
        "kind": _snipe_kind,
        "asset_tag": _cell("Asset Tag"),
        "serial": _cell("Serial", "Serial Number"),
        "manufacturer": _cell("Manufacturer"),
        "model": _cell("Model", "Model name"),
        "site": _cell("Location"),
        "purchase_date": _us_date("Purchase Date"),
        "purchase_cost_eur": _money("Purchase Cost"),
        "notes": _cell("Asset Notes", "Notes"),
    }, ("Name", "Item Name", "Asset Name")),
    "snipeit-licenses": ("licences", {
        "product_name": _cell("Item name", "Name", "License Name"),
        "quantity": _cell("seats"),
        "expires": _us_date("expiration date"),
        "transferable": _cell("reassignable"),
        "proof_reference": _cell("serial number", "order number", "purchase order"),
        "notes": _cell("notes"),
    }, ("Item name", "Name", "License Name")),
    "snipeit-locations": ("sites", {
        "name": _cell("name"),
        "address": _join("address", "address2", "city", "state", "zip", "country"),
    }, ("name",)),
    "azure-migrate": ("servers", {
        "name": _cell("Server name", "Machine name", "Name"),
        "cores": _cell("Cores", "Number of cores"),
        "ram_gb": _azure_memory,
        "os": _join("OS name", "OS version"),
        "storage_gb": _azure_disks,
        "cpu_utilisation_pct": _cell("CPU utilization percentage", "CPU utilisation percentage"),
        "ram_utilisation_pct": _cell("Memory utilization percentage",
                                     "Memory utilisation percentage"),
    }, ("Server name", "Machine name")),
}


def mapped_table(source_type: str, table: Table, municipality: str | None) -> Table:
    """The source file's rows as rows of our template (header = template columns)."""
    _template_slug, mapping, required = MAPPINGS[source_type]
    keys = [header_key(h) for h in table.header]
    if not any(header_key(r) in keys for r in required):
        raise TableError(f"{table.source}, row 1: not a {source_type} file: none of the "
                         f"columns {', '.join(required)} is there (found: "
                         f"{', '.join(table.header[:8])}…)")
    header = list(mapping)
    if municipality:
        header = ["municipality", *header]

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, cells in table.rows:
            row = dict(zip(keys, cells, strict=False))
            values = [m(row) for m in mapping.values()]
            yield number, ([municipality, *values] if municipality else values)

    return Table(table.source, header, rows(), size_hint=table.size_hint)


def snipeit_users(data: bytes, filename: str, **options: Any) -> Outcome:
    """Snipe-IT users are people: read and counted, never stored (no staff register here)."""
    outcome = Outcome()
    try:
        table = read_table(data, filename)
        count = sum(1 for _ in table.rows)
    except TableError as error:
        outcome.add_problems([table_problem(str(error), filename)])
        return outcome
    outcome.rows = count
    outcome.add_problems([Problem(filename, 0, "", (
        f"a Snipe-IT users file ({count} people) has no place in ictmerge, which keeps no "
        f"register of staff; nothing was imported"))])
    return outcome


# --- GLPI Agent inventories ------------------------------------------------------------------

@cache
def glpi_schema() -> dict[str, Any]:
    """The GLPI inventory JSON schema."""
    for path in SCHEMA_PATHS:
        if path.exists():
            return dict(json.loads(path.read_text()))
    raise FileNotFoundError("the GLPI inventory schema (inventory.schema.json) is missing")


def parse_glpi(data: bytes, filename: str) -> tuple[dict[str, Any], list[Problem]]:
    """A GLPI inventory (JSON, validated against the schema; or legacy XML) and its problems."""
    try:
        check_size(data, filename)
    except TableError as error:
        return {}, [Problem(filename, 0, "", str(error).removeprefix(f"{filename}: "))]
    text = data.lstrip()
    if text.startswith(b"<"):
        return _parse_xml(data, filename)
    try:
        inventory = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        return {}, [Problem(filename, 0, "", f"not a JSON inventory ({error})")]
    except RecursionError:  # deeper than the parser goes
        return {}, [_too_deep(filename)]
    if _nesting(inventory) > MAX_JSON_NESTING:
        return {}, [_too_deep(filename)]
    import jsonschema

    validator_class = jsonschema.validators.validator_for(glpi_schema())
    validator = validator_class(glpi_schema())
    problems = [Problem(filename, 0, "/".join(str(p) for p in error.absolute_path) or "(top)",
                        error.message[:300])
                for error in sorted(validator.iter_errors(inventory), key=lambda e: e.path)]
    return (inventory if isinstance(inventory, dict) else {}), problems


#: A GLPI inventory nests a few levels; a deeper file is refused before schema validation.
MAX_JSON_NESTING = 32


def _nesting(value: Any) -> int:
    """How deep lists and objects nest in a parsed JSON value (iteratively: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_NESTING:
                return depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep(filename: str) -> Problem:
    return Problem(filename, 0, "", f"the JSON is nested more than {MAX_JSON_NESTING} levels "
                                    f"deep; a GLPI inventory is not")


_XML_LISTS = {"softwares", "networks", "cpus", "storages", "virtualmachines", "drives",
              "memories", "monitors", "printers", "controllers", "users", "licenseinfos",
              "antivirus", "ports", "usbdevices", "batteries", "inputs", "sounds", "videos",
              "slots", "envs", "local_groups", "local_users", "processes", "modems",
              "physical_volumes", "logical_volumes", "volume_groups", "firewalls"}


def _parse_xml(data: bytes, filename: str) -> tuple[dict[str, Any], list[Problem]]:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        return {}, [Problem(filename, 0, "", f"not a readable XML inventory ({error})")]
    content_element = root.find("CONTENT")
    if root.tag != "REQUEST" or content_element is None:
        return {}, [Problem(filename, 0, "", "not a FusionInventory/OCS inventory "
                                             "(no REQUEST/CONTENT)")]
    content: dict[str, Any] = {}
    for section in content_element:
        name = section.tag.lower()
        values = {child.tag.lower(): (child.text or "").strip() for child in section
                  if len(child) == 0}
        if len(section) == 0:
            content[name] = (section.text or "").strip()
        elif name in _XML_LISTS:
            content.setdefault(name, []).append(values)
        else:
            content[name] = values
    device_id = root.findtext("DEVICEID") or ""
    return {"deviceid": device_id, "content": content, "itemtype": "Computer"}, []


def _number(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


def _glpi_device_fields(inventory: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(device fields from the sections present, identifiers) of an inventory."""
    content = inventory.get("content") or {}
    itemtype = str(inventory.get("itemtype") or "Computer")
    fields: dict[str, Any] = {}
    ids: dict[str, Any] = {"uuid": "", "macs": set()}
    hardware = content.get("hardware") or {}
    bios = content.get("bios") or {}
    network_device = content.get("network_device") or {}
    if itemtype in ("NetworkEquipment", "Printer") or network_device:
        fields["kind"] = "printer" if itemtype == "Printer" else "network"
        for name, key in (("name", "name"), ("manufacturer", "manufacturer"),
                          ("model", "model")):
            if network_device.get(key):
                fields[name] = str(network_device[key])[:100 if name != "name" else 200]
        if network_device.get("serial"):
            fields["serial"] = str(network_device["serial"])
        if network_device.get("mac"):
            ids["macs"].add(str(network_device["mac"]))
        if network_device.get("firmware"):
            fields["os"] = str(network_device["firmware"])[:100]
    elif itemtype == "Phone":
        fields["kind"] = "other"
    if hardware:
        if hardware.get("name"):
            fields["name"] = str(hardware["name"])[:200]
        memory = _number(hardware.get("memory"))
        if memory is not None:
            fields["ram_gb"] = max(0, round(memory / 1024))
        ids["uuid"] = str(hardware.get("uuid") or "")
        if itemtype == "Computer":
            chassis = str(hardware.get("chassis_type") or "").casefold()
            virtual = str(hardware.get("vmsystem") or "physical").casefold() != "physical"
            if virtual or "server" in chassis or "rack" in chassis:
                fields["kind"], fields["is_virtual"] = "server", virtual
            elif chassis in ("laptop", "notebook", "portable", "sub notebook", "convertible"):
                fields["kind"] = "laptop"
            else:
                fields["kind"] = "desktop"
    if bios:
        if bios.get("smanufacturer"):
            fields["manufacturer"] = str(bios["smanufacturer"])[:100]
        if bios.get("smodel"):
            fields["model"] = str(bios["smodel"])[:100]
        if bios.get("ssn"):
            fields["serial"] = str(bios["ssn"])
        if bios.get("assettag") and normalise("serial", str(bios["assettag"])):
            fields["asset_tag"] = str(bios["assettag"])[:60]
    system = content.get("operatingsystem") or {}
    if system.get("full_name") or system.get("name"):
        fields["os"] = str(system.get("full_name") or system.get("name"))[:100]
    elif hardware.get("osname"):
        fields["os"] = str(hardware["osname"])[:100]
    if "cpus" in content:
        cores = sum(int(_number(c.get("core")) or 0) for c in content["cpus"] or [])
        fields["cores"] = min(cores, 32767) or None
    if "storages" in content:
        size = sum(_number(s.get("disksize")) or 0 for s in content["storages"] or [])
        fields["storage_gb"] = round(size / 1000) or None
    for network in content.get("networks") or []:
        if network.get("mac") and str(network.get("virtualdev", "0")).lower() not in ("1", "true"):
            ids["macs"].add(str(network["mac"]))
    if "serial" in fields:
        fields["serial"] = fields["serial"][:100] if normalise("serial", fields["serial"]) else ""
    return fields, ids


def import_glpi(data: bytes, filename: str, *, user: Any = None, municipality: str | None = None,
                dry_run: bool = False, run: Any = None, **options: Any) -> Outcome:
    """One GLPI inventory: the device, its software, VMs, licences and identifiers (partial:
    its sections)."""
    outcome = Outcome(rows=1)
    inventory, problems = parse_glpi(data, filename)
    municipality_id = municipality_codes().get(municipality or "")
    if not municipality:
        problems.append(Problem(filename, 0, "municipality",
                                "give the municipality code the inventory belongs to"))
    elif municipality_id is None:
        problems.append(Problem(filename, 0, "municipality",
                                f"no municipality with the code {municipality!r}"))
    elif not scoping.may_change_municipality(user, municipality_id):
        problems.append(Problem(filename, 0, "municipality",
                                f"you may not write records of municipality {municipality}"))
    if problems:
        outcome.add_problems(problems)
        outcome.rejected = 1
        return outcome
    assert municipality_id is not None  # else a problem was listed
    try:
        with acting_as(user), caused_by(**({"import_run": run.pk} if run else {})), \
                transaction.atomic():
            _apply_glpi(inventory, filename, municipality_id, outcome)
            if dry_run or outcome.problem_count:
                raise Rollback
    except Rollback:
        pass
    return outcome


def _apply_glpi(inventory: dict[str, Any], filename: str, municipality_id: int,
                outcome: Any) -> None:
    from ictmerge.imports.models import DeviceIdentifier

    content = inventory.get("content") or {}
    fields, ids = _glpi_device_fields(inventory)
    uuid = normalise(IdentifierKind.UUID, ids["uuid"])
    macs = {m for m in (normalise(IdentifierKind.MAC, v) for v in ids["macs"]) if m}
    devices = Device.objects.filter(municipality_id=municipality_id)
    device = None
    if fields.get("serial"):
        device = devices.filter(serial=fields["serial"]).first()
    if device is None and uuid:
        device = devices.filter(identifiers__kind="uuid", identifiers__value=uuid).first()
    if device is None and fields.get("name"):
        device = devices.filter(name=fields["name"]).first()
    if device is None and not fields.get("name"):
        fields["name"] = str(inventory.get("deviceid") or filename)[:200]
    if content.get("virtualmachines") and fields.get("kind") in ("desktop", None):
        fields["kind"] = "server"  # a machine that hosts virtual machines serves them
    created = device is None
    if device is None:
        device = Device(municipality_id=municipality_id, kind=fields.get("kind", "desktop"))
        before = None
    else:
        before = snapshot(device)
    for name, value in fields.items():
        setattr(device, name, value)
    try:
        device.full_clean()
    except ValidationError as error:
        outcome.add_problems([Problem(filename, 0, column, message)
                              for column, messages in error.message_dict.items()
                              for message in messages])
        outcome.rejected = 1
        return
    device.save()
    if created:
        outcome.created += 1
    elif before == snapshot(device):
        outcome.unchanged += 1
    else:
        outcome.updated += 1
    for kind, value in [("uuid", uuid)] * bool(uuid) + [("mac", m) for m in sorted(macs)]:
        DeviceIdentifier.objects.get_or_create(device=device, kind=kind, value=value)
    if "softwares" in content:
        _sync_software(device, content.get("softwares") or [], outcome)
    if "virtualmachines" in content and device.kind == "server":
        _sync_vms(device, content.get("virtualmachines") or [], outcome)
    elif content.get("virtualmachines"):
        outcome.extra["virtual machines skipped (host is not a server)"] = \
            len(content["virtualmachines"])
    if "licenseinfos" in content:
        _sync_licences(device, content.get("licenseinfos") or [], filename, outcome)


def _sync_software(device: Any, softwares: list[dict[str, Any]], outcome: Any) -> None:
    wanted: dict[tuple[str, str, str], None] = {}
    for entry in softwares:
        name = str(entry.get("name") or "").strip()[:300]
        if name:
            wanted[(name, str(entry.get("publisher") or "").strip()[:200],
                    str(entry.get("version") or "").strip()[:100])] = None
    current = {(i.raw_name, i.raw_publisher, i.raw_version): i
               for i in Installation.objects.filter(device=device)}
    new = [Installation(municipality_id=device.municipality_id, device=device, raw_name=n,
                        raw_publisher=p, raw_version=v, count=1)
           for (n, p, v) in wanted if (n, p, v) not in current]
    gone = [i.pk for key, i in current.items() if key not in wanted]
    Installation.objects.bulk_create(new, batch_size=2000)
    record_bulk(new)
    if gone:
        Installation.objects.filter(pk__in=gone).delete()
    outcome.extra["installations created"] = outcome.extra.get("installations created", 0) \
        + len(new)
    outcome.extra["installations removed"] = outcome.extra.get("installations removed", 0) \
        + len(gone)


def _sync_vms(device: Any, machines: list[dict[str, Any]], outcome: Any) -> None:
    from decimal import Decimal


    for machine in machines:
        name = str(machine.get("name") or machine.get("uuid") or "").strip()[:200]
        if not name:
            continue
        cores = Decimal(str(_number(machine.get("vcpu")) or 0))
        memory = Decimal(str(round((_number(machine.get("memory")) or 0) / 1024, 2)))
        _workload, made = Workload.objects.get_or_create(
            municipality_id=device.municipality_id, server=device, name=name,
            defaults={"cpu_cores": cores, "ram_gb": memory, "storage_gb": Decimal(0)})
        if made:
            outcome.extra["workloads created"] = outcome.extra.get("workloads created", 0) + 1


#: How many characters of a product key a licence record keeps (the last ones).
KEY_VISIBLE = 5


def masked_key(key: str) -> str:
    """The last KEY_VISIBLE characters of a product key behind "…"; "" for no key.

    A product key is a secret that activates the software anywhere: a licence register needs
    to tell keys apart and to recognise one on a label, not to hold it, so no record, page,
    API answer, export or history entry ever carries more than this tail. A key shorter than
    four times the tail shows a quarter of its characters at most.
    """
    characters = re.sub(r"[^0-9A-Za-z]", "", key).upper()
    if not characters:
        return ""
    return "…" + characters[-min(KEY_VISIBLE, len(characters) // 4):] \
        if len(characters) >= 4 else "…"


def key_fingerprint(key: str) -> str:
    """A short one-way fingerprint of a product key (SHA-256, 12 hex digits) to match it again.

    Two keys may end alike; the fingerprint tells them apart without keeping the key.
    """
    import hashlib

    characters = re.sub(r"[^0-9A-Za-z]", "", key).upper()
    return hashlib.sha256(characters.encode()).hexdigest()[:12]


def _flag(value: Any) -> bool:
    """A GLPI yes/no (JSON true/false, XML "1"/"0")."""
    return str(value).strip().casefold() in ("1", "true", "yes")


def _sync_licences(device: Any, entries: list[dict[str, Any]], filename: str,
                   outcome: Any) -> None:
    """The licences a Windows inventory reports (`licenseinfos`), one record per product key.

    A licence is found again by its key's fingerprint in the municipality, so a re-import,
    or the same key reported by another of its devices, changes nothing. Only the masked key
    and its fingerprint are stored (see `masked_key`). The record is linked to the product
    when the normaliser is sure of the name. A trial or a licence without a key entitles
    nothing that can be told apart: counted, not stored. Licences are entitlements, not
    observations, so a key that is no longer reported is not deleted.
    """
    def count(label: str) -> None:
        outcome.extra[label] = outcome.extra.get(label, 0) + 1

    product_of = licence_matcher(device.municipality_id)
    for entry in entries:
        name = str(entry.get("fullname") or entry.get("name") or "").strip()[:300]
        key = str(entry.get("key") or "").strip()
        if not name:
            continue
        if _flag(entry.get("trial")):
            count("trial licences skipped")
            continue
        if not masked_key(key):
            count("licences without a product key skipped")
            continue
        fingerprint = key_fingerprint(key)
        product_id = product_of(name)
        licence = (Licence.objects.filter(municipality_id=device.municipality_id,
                                          notes__contains=f"#{fingerprint}")
                   .order_by("pk").first())
        if licence is not None:
            if licence.product_id is None and product_id is not None:
                licence.product_id = product_id
                licence.save()
                count("licences updated")
            else:
                count("licences unchanged")
            continue
        details = ", ".join(part for part in (
            "OEM" if _flag(entry.get("oem")) else "",
            str(entry.get("update") or "").strip()[:40]) if part)
        licence = Licence(
            municipality_id=device.municipality_id, product_id=product_id, product_name=name,
            metric=LicenceMetric.DEVICE, quantity=1,
            notes=(f"From the GLPI inventory {filename[:100]} of {device.name}"
                   f"{f' ({details})' if details else ''}: product key {masked_key(key)} "
                   f"#{fingerprint} (only the end of the key is kept)."))
        try:
            licence.full_clean()
        except ValidationError as error:
            outcome.add_problems([Problem(filename, 0, f"licenseinfos/{column}", message)
                                  for column, messages in error.message_dict.items()
                                  for message in messages])
            continue
        licence.save()
        count("licences created")


#: The other tools' files read here rather than through a template, by import type.
READERS: dict[str, Source] = {
    "glpi": import_glpi,
    "snipeit-users": snipeit_users,
}

#: Every other tool's import type (a reader's or a mapping's), as the import page lists them.
SOURCES: tuple[str, ...] = ("glpi", "snipeit-assets", "snipeit-licenses", "snipeit-locations",
                            "snipeit-users", "azure-migrate")
