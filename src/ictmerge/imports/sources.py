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
from ictmerge.core.providers import licence_matcher, normalise_loaded
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
#: The source columns (header keys) each mapper reads: a repeated header that no mapper of
#: the file's type reads is qualified rather than refused.
_READS: dict[Mapper, frozenset[str]] = {}


def _reads(mapper: Mapper, keys: Any) -> Mapper:
    _READS[mapper] = frozenset(keys)
    return mapper


def _cell(*names: str) -> Mapper:
    """The first of the columns that is not empty in the row."""
    keys = [header_key(n) for n in names]

    def get(row: dict[str, str]) -> str:
        for key in keys:
            value = row.get(key, "")
            if value.strip():
                return value
        return ""

    return _reads(get, keys)


def _column(*names: str) -> Mapper:
    """The first of the columns the file has, empty or not (a tool's own precedence: with
    Snipe-IT's "Item Name" and "Name", the item's name is "Item Name", and "Name" may be the
    person the item is checked out to)."""
    keys = [header_key(n) for n in names]

    def get(row: dict[str, str]) -> str:
        for key in keys:
            if key in row:
                return row[key]
        return ""

    return _reads(get, keys)


def _us_date(*names: str) -> Mapper:
    get = _cell(*names)

    def convert(row: dict[str, str]) -> str:
        raw = get(row).strip()
        if not raw:
            return ""
        try:
            return parse_date(raw.split(" ")[0] if ":" in raw else raw, us=True).isoformat()
        except CellError:
            return raw  # the template's validation reports it

    return _reads(convert, _READS[get])


def _money(*names: str) -> Mapper:
    get = _cell(*names)

    def convert(row: dict[str, str]) -> str:
        raw = get(row).replace("$", "").replace("€", "").replace(",", "").strip()
        return raw

    return _reads(convert, _READS[get])


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


_reads(_snipe_kind, ["category"])

#: Snipe-IT's default status labels (and their types) as our statuses.
_SNIPE_STATUS = (("ready to deploy", "in_stock"), ("pending", "in_stock"),
                 ("deployable", "in_stock"), ("deployed", "in_use"), ("archived", "retired"),
                 ("broken", "retired"), ("lost", "retired"), ("stolen", "retired"),
                 ("out for repair", "in_use"), ("undeployable", "in_stock"))


def _snipe_status(row: dict[str, str]) -> str:
    status = _cell("Status", "Status Label")(row).casefold().strip()
    for words, value in _SNIPE_STATUS:
        if status.startswith(words):
            return value
    return ""


_reads(_snipe_status, ["status", "statuslabel"])


def _snipe_key(row: dict[str, str]) -> str:
    """A Snipe-IT licence's product key, masked (`masked_key`) with its fingerprint; else its
    order number or purchase order. The key itself is never kept."""
    key = _cell("Product Key", "serial number", "Serial", "key")(row).strip()
    if masked_key(key):
        return f"{masked_key(key)} #{key_fingerprint(key)}"
    return _cell("order number", "purchase order")(row)


_reads(_snipe_key, ["productkey", "serialnumber", "serial", "key", "ordernumber",
                    "purchaseorder"])


def _join(*names: str) -> Mapper:
    getters = [_cell(n) for n in names]
    return _reads(lambda row: ", ".join(v.strip() for v in (g(row) for g in getters)
                                        if v.strip()),
                  [header_key(n) for n in names])


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
        "name": _column("Item Name", "Asset Name", "Name"),
        "kind": _snipe_kind,
        "asset_tag": _cell("Asset Tag"),
        "serial": _cell("Serial", "Serial Number"),
        "manufacturer": _cell("Manufacturer"),
        "model": _cell("Model", "Model name"),
        "site": _cell("Location"),
        "status": _snipe_status,
        "purchase_date": _us_date("Purchase Date", "Purchased"),
        "purchase_cost_eur": _money("Purchase Cost", "Cost"),
        "warranty_until": _us_date("Warranty Expires", "Warranty Expiration"),
        "notes": _cell("Asset Notes", "Notes"),
    }, ("Name", "Item Name", "Asset Name")),
    "snipeit-licenses": ("licences", {
        "product_name": _column("Item name", "License Name", "Name"),
        "quantity": _cell("seats", "Total", "Quantity", "QTY"),
        "expires": _us_date("expiration date", "Expires"),
        "transferable": _cell("reassignable"),
        "proof_reference": _snipe_key,
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

#: Columns that mark a Snipe-IT stock list (accessories, consumables, components): counted
#: items, not devices; an assets import refuses such a file.
_STOCK_COLUMNS = frozenset({"qty", "quantity", "minamount", "minqty"})


def repeatable(source_type: str) -> Callable[[str], bool] | None:
    """For another tool's CSV, whether a repeated header may be qualified: when no column of
    the mapping reads it (its meaning does not matter here); None for our templates."""
    mapping = MAPPINGS.get(source_type)
    if mapping is None:
        return None
    read = frozenset().union(*(_READS.get(m, frozenset()) for m in mapping[1].values()))
    return lambda name: header_key(name) not in read


def mapped_table(source_type: str, table: Table, municipality: str | None) -> Table:
    """The source file's rows as rows of our template (header = template columns)."""
    _template_slug, mapping, required = MAPPINGS[source_type]
    keys = [header_key(h) for h in table.header]
    if not any(header_key(r) in keys for r in required):
        raise TableError(f"{table.source}, row 1: not a {source_type} file: none of the "
                         f"columns {', '.join(required)} is there (found: "
                         f"{', '.join(table.header[:8])}…)")
    stock = [h for h in table.header if header_key(h) in _STOCK_COLUMNS]
    if source_type == "snipeit-assets" and stock and "assettag" not in keys:
        raise TableError(f"{table.source}, row 1: a Snipe-IT accessories, consumables or "
                         f"components file (it counts items: {', '.join(stock)}), not a list "
                         f"of assets; nothing was imported")
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
    _tolerate(inventory)
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
    device_id = root.findtext("DEVICEID") or ""
    query = (root.findtext("QUERY") or "INVENTORY").strip().upper()
    if query in SNMP_QUERIES or content_element.find("DEVICE") is not None:
        parts = [_xml_network_device(element) for element in content_element.iter("DEVICE")]
        return {"deviceid": device_id, "itemtype": "NetworkEquipment",
                "content": {"versionclient": content_element.findtext("MODULEVERSION") or ""},
                "parts": [p for p in parts if p["content"]["network_device"]]}, []
    content: dict[str, Any] = {}
    for section in content_element:
        name = section.tag.lower()
        values = {child.tag.lower(): (child.text or "").strip() for child in section
                  if len(child) == 0}
        if name in _XML_LISTS:
            entries = content.get(name)
            if not isinstance(entries, list):
                entries = content[name] = []
            if len(section):  # an empty list element (OCS writes some) adds no entry
                entries.append(values)
        elif len(section) == 0:
            content[name] = (section.text or "").strip()
        else:
            content[name] = values
    return {"deviceid": device_id, "content": content, "itemtype": "Computer"}, []


#: The queries of FusionInventory's and GLPI Agent's SNMP tasks (network discovery and
#: network inventory): their CONTENT holds one DEVICE per network device found.
SNMP_QUERIES = frozenset({"NETDISCOVERY", "SNMPQUERY", "SNMP"})


def _leaves(element: Any) -> dict[str, str]:
    return {child.tag.lower(): (child.text or "").strip() for child in element if len(child) == 0}


def _xml_network_device(element: Any) -> dict[str, Any]:
    """One DEVICE of an SNMP inventory (NETDISCOVERY: flat; SNMPQUERY: INFO, COMPONENTS,
    PORTS) in the shape of a GLPI JSON network inventory's content."""
    info_element = element.find("INFO")
    info = _leaves(info_element) if info_element is not None else _leaves(element)
    if not info.get("name"):
        info["name"] = info.get("snmphostname") or info.get("dnshostname") or ""
    if not info.get("firmware"):
        info["firmware"] = element.findtext("FIRMWARES/VERSION") or ""
    components = [_leaves(c) for c in element.iterfind("COMPONENTS/COMPONENT")]
    ports = [_leaves(p) for p in element.iterfind("PORTS/PORT")]
    kind = (info.get("type") or "").upper()
    itemtype = "Printer" if kind == "PRINTER" else "NetworkEquipment"
    device = {k: v for k, v in info.items() if v}
    return {"itemtype": itemtype, "content": {"network_device": device,
                                             "network_components": components,
                                             "network_ports": ports}}


def _tolerate(inventory: Any) -> None:
    """Mend what agents send that the schema does not allow but whose meaning is clear: a
    network card's `ipaddress` (or `ipmask`, `ipgateway`, `ipsubnet`) as a list of
    addresses (the first is kept)."""
    if not isinstance(inventory, dict) or not isinstance(inventory.get("content"), dict):
        return
    for network in inventory["content"].get("networks") or []:
        if not isinstance(network, dict):
            continue
        for key in ("ipaddress", "ipmask", "ipgateway", "ipsubnet", "ipaddress6", "ipmask6",
                    "ipgateway6", "ipsubnet6"):
            value = network.get(key)
            if isinstance(value, list):
                texts = [str(v) for v in value if isinstance(v, str | int) and str(v)]
                if texts:
                    network[key] = texts[0]
                else:
                    network.pop(key)


def _number(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


#: SMBIOS chassis types (DMTF DSP0134, 7.4.1) of portable computers, as agents spell them.
LAPTOP_CHASSIS = frozenset({"laptop", "notebook", "portable", "sub notebook", "hand held",
                            "convertible", "detachable", "tablet"})
#: Words of a model name that make a computer a laptop when the chassis does not say.
LAPTOP_MODEL_WORDS = ("notebook", "laptop", "macbook", "thinkpad", "elitebook", "probook",
                      "zbook", "latitude", "ideapad")
#: Words of a manufacturer or model that make the machine a virtual one.
VIRTUAL_MODEL_WORDS = ("virtualbox", "vmware", "virtual machine", "kvm", "qemu", "hvm domu",
                       "bochs", "parallels")


def _is_workstation_os(system: str) -> bool:
    """True for an operating system of desktops (Windows other than Server, macOS)."""
    text = system.casefold()
    if "server" in text:
        return False
    return "windows" in text or "mac os" in text or "macos" in text or "os x" in text


def _gb(megabytes: float, per_gb: int = 1024) -> int | None:
    """Megabytes as whole gigabytes, at least 1 for any size above zero."""
    if megabytes <= 0:
        return None
    return max(1, round(megabytes / per_gb))


def _entries(content: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [e for e in content.get(key) or [] if isinstance(e, dict)]


def _computer_kind(fields: dict[str, Any], hardware: dict[str, Any], bios: dict[str, Any]) -> None:
    """Kind and virtual flag of a computer, from its chassis or BIOS type, model and OS."""
    chassis = str(hardware.get("chassis_type") or bios.get("type") or "").casefold().strip()
    model = " ".join(str(bios.get(k) or "") for k in ("smanufacturer", "smodel", "mmodel"))
    model = model.casefold()
    vmsystem = str(hardware.get("vmsystem") or "physical").casefold()
    virtual = vmsystem != "physical" or any(w in model for w in VIRTUAL_MODEL_WORDS)
    if virtual:
        if _is_workstation_os(str(fields.get("os") or "")):
            fields["kind"], fields["is_virtual"] = "desktop", False  # a workstation VM
        else:
            fields["kind"], fields["is_virtual"] = "server", True
    elif "server" in chassis or "rack" in chassis or "blade" in chassis:
        fields["kind"], fields["is_virtual"] = "server", False
    elif chassis in LAPTOP_CHASSIS or any(w in model for w in LAPTOP_MODEL_WORDS):
        fields["kind"], fields["is_virtual"] = "laptop", False
    else:
        fields["kind"], fields["is_virtual"] = "desktop", False


def _sizes(fields: dict[str, Any], content: dict[str, Any], hardware: dict[str, Any],
           partial: bool) -> None:
    """RAM, storage and cores from the sections present, with fallbacks: memory modules when
    the hardware gives no total; drives or partitions when no disk is listed; one core a
    processor when it gives no count."""
    memory = _number(hardware.get("memory")) if hardware else None
    if memory is not None and memory > 0:
        fields["ram_gb"] = _gb(memory)
    elif "memories" in content and not partial:
        modules = sum(_number(m.get("capacity")) or 0 for m in _entries(content, "memories"))
        fields["ram_gb"] = _gb(modules)
    elif memory is not None:
        fields["ram_gb"] = None
    if "cpus" in content:
        cpus = _entries(content, "cpus")
        cores = sum(int(_number(c.get("core") or c.get("cores")) or 1) for c in cpus)
        fields["cores"] = min(cores, 32767) or None
    elif hardware and _number(hardware.get("processorn")):  # OCS: the processors counted
        fields["cores"] = min(int(_number(hardware.get("processorn")) or 0), 32767) or None
    disks = sum(_number(s.get("disksize")) or 0 for s in _entries(content, "storages"))
    if disks:
        fields["storage_gb"] = _gb(disks, 1000)
    elif not partial:
        for key in ("drives", "partitions"):
            local = [d for d in _entries(content, key)
                     if not str(d.get("type") or "").casefold().startswith(("network", "cd"))
                     and str(d.get("filesystem") or "").casefold() not in NOT_LOCAL_FS]
            size = sum(_number(d.get("total") or d.get("size")) or 0 for d in local)
            if size:
                fields["storage_gb"] = _gb(size, 1000)
                break
        else:
            if "storages" in content:
                fields["storage_gb"] = None


#: File systems of drives that are not the machine's own disks.
NOT_LOCAL_FS = frozenset({"nfs", "nfs4", "cifs", "smbfs", "tmpfs", "devtmpfs", "iso9660",
                          "udf", "squashfs", "overlay", "autofs", "fuse.sshfs"})


def _glpi_device_fields(inventory: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(device fields from the sections present, identifiers) of a computer's inventory."""
    content = inventory.get("content") or {}
    itemtype = str(inventory.get("itemtype") or "Computer")
    fields: dict[str, Any] = {}
    ids: dict[str, Any] = {"uuid": "", "macs": set()}
    hardware = content.get("hardware") or {}
    bios = content.get("bios") or {}
    if itemtype == "Phone":
        fields["kind"] = "other"
    system = content.get("operatingsystem") or {}
    if system.get("full_name") or system.get("name"):
        fields["os"] = str(system.get("full_name") or system.get("name"))[:100]
    elif hardware.get("osname"):
        fields["os"] = str(hardware["osname"])[:100]
    if hardware:
        if hardware.get("name"):
            fields["name"] = str(hardware["name"])[:200]
        ids["uuid"] = str(hardware.get("uuid") or "")
        if itemtype == "Computer":
            _computer_kind(fields, hardware, bios)
    _sizes(fields, content, hardware, bool(inventory.get("partial")))
    if bios:
        if bios.get("smanufacturer"):
            fields["manufacturer"] = str(bios["smanufacturer"])[:100]
        if bios.get("smodel"):
            fields["model"] = str(bios["smodel"])[:100]
        if bios.get("ssn"):
            fields["serial"] = str(bios["ssn"])
        if bios.get("assettag") and normalise("serial", str(bios["assettag"])):
            fields["asset_tag"] = str(bios["assettag"])[:60]
    for network in _entries(content, "networks"):
        mac = network.get("mac") or network.get("macaddr")  # JSON, FusionInventory/OCS XML
        if mac:
            ids["macs"].add(str(mac))
    if "serial" in fields:
        fields["serial"] = fields["serial"][:100] if normalise("serial", fields["serial"]) else ""
    return fields, ids


def _network_records(part: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """A network device or printer as device records: one, or one per member of a stack
    (chassis components with serials of their own)."""
    content = part.get("content") or {}
    device = content.get("network_device") or {}
    itemtype = str(part.get("itemtype") or "NetworkEquipment")
    kind = "printer" if itemtype == "Printer" or str(device.get("type") or "").casefold() \
        == "printer" else "network"
    base: dict[str, Any] = {"kind": kind}
    for name, size in (("name", 200), ("manufacturer", 100), ("model", 100)):
        if device.get(name):
            base[name] = str(device[name])[:size]
    if device.get("firmware"):
        base["os"] = str(device["firmware"])[:100]
    serial = str(device.get("serial") or "")
    base["serial"] = serial[:100] if normalise("serial", serial) else ""
    if device.get("assettag") and normalise("serial", str(device["assettag"])):
        base["asset_tag"] = str(device["assettag"])[:60]
    macs = {str(device["mac"])} if device.get("mac") else set()
    members = []
    seen: set[str] = set()
    for component in _entries(content, "network_components"):
        member_serial = str(component.get("serial") or "")
        if (str(component.get("type") or "").casefold() == "chassis"
                and normalise("serial", member_serial) and member_serial not in seen):
            seen.add(member_serial)
            members.append(component)
    ports = _entries(content, "network_ports")
    if len(members) < 2:
        base["ports"] = len(ports)
        return [(base, {"uuid": "", "macs": macs})]
    records = []
    label = base.get("name") or base.get("model") or "stack"
    for position, member in enumerate(members, start=1):
        # The member's number in the stack: its chassis name when a number (Cisco), else its
        # place among the members.
        name = str(member.get("name") or "").strip()
        number = int(name) if name.isdigit() and len(name) < 4 else position
        fields = dict(base)
        fields["name"] = f"{label} #{number}"[:200]
        fields["serial"] = str(member["serial"])[:100]
        for name in ("manufacturer", "model"):
            if member.get(name):
                fields[name] = str(member[name])[:100]
        if member.get("firmware") or member.get("version"):
            fields["os"] = str(member.get("version") or member.get("firmware"))[:100]
        fields["ports"] = sum(1 for p in ports if _stack_member(p) == number)
        member_macs = {str(member["mac"])} if member.get("mac") else set()
        records.append((fields, {"uuid": "", "macs": member_macs | (macs if position == 1
                                                                    else set())}))
    return records


_MEMBER_PORT = re.compile(r"^\D*?(\d+)/\d+(?:/\d+)?$")


def _stack_member(port: dict[str, Any]) -> int | None:
    """The stack member a switch port belongs to, from its name (GigabitEthernet2/0/1 → 2)."""
    match = _MEMBER_PORT.match(str(port.get("ifdescr") or port.get("ifname") or ""))
    return int(match.group(1)) if match else None


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
    """Every device of the inventory: a computer with its sections, or network devices (an
    SNMP inventory may list several, and a stacked switch is one device per member)."""
    parts = inventory.get("parts")
    if parts is None and (inventory.get("itemtype") in ("NetworkEquipment", "Printer")
                          or (inventory.get("content") or {}).get("network_device")):
        parts = [inventory]
    if parts is None:
        content = inventory.get("content") or {}
        fields, ids = _glpi_device_fields(inventory)
        device = _save_device(fields, ids, inventory, filename, municipality_id, outcome)
        if device is None:
            return
        if "softwares" in content:
            _sync_software(device, content.get("softwares") or [], outcome)
        if "virtualmachines" in content and device.kind == "server":
            _sync_vms(device, content.get("virtualmachines") or [], outcome)
        elif content.get("virtualmachines"):
            outcome.extra["virtual machines skipped (host is not a server)"] = \
                len(content["virtualmachines"])
        if "licenseinfos" in content:
            _sync_licences(device, content.get("licenseinfos") or [], filename, outcome)
        return
    outcome.rows = 0
    for part in parts:
        for fields, ids in _network_records(part):
            outcome.rows += 1
            ports = fields.pop("ports", 0)
            if _save_device(fields, ids, inventory, filename, municipality_id, outcome):
                outcome.extra["network ports"] = outcome.extra.get("network ports", 0) + ports


#: The date and time FusionInventory and GLPI Agent add to a host name to make a device id.
_DEVICEID_TIME = re.compile(r"-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}$")


def _save_device(fields: dict[str, Any], ids: dict[str, Any], inventory: dict[str, Any],
                 filename: str, municipality_id: int, outcome: Any) -> Any:
    """Find the device (serial, UUID, MAC, then name), write the fields, keep identifiers."""
    from ictmerge.imports.models import DeviceIdentifier

    uuid = normalise(IdentifierKind.UUID, ids["uuid"])
    macs = {m for m in (normalise(IdentifierKind.MAC, v) for v in ids["macs"]) if m}
    devices = Device.objects.filter(municipality_id=municipality_id)
    device = None
    if fields.get("serial"):
        device = devices.filter(serial=fields["serial"]).first()
    if device is None and uuid:
        device = devices.filter(identifiers__kind="uuid", identifiers__value=uuid).first()
    if device is None and macs:
        device = devices.filter(identifiers__kind="mac", identifiers__value__in=macs) \
            .order_by("pk").first()
    if device is None and fields.get("name"):
        device = devices.filter(name=fields["name"]).first()
    if device is None and inventory.get("deviceid") and not inventory.get("parts"):
        # An agent's later, partial report may leave out every identifier: its device id
        # names the device an agent of the municipality reported before.
        device = devices.filter(sighting__agent_device=str(inventory["deviceid"])[:200]) \
            .order_by("pk").first()
    if device is None and not fields.get("name"):
        host = _DEVICEID_TIME.sub("", str(inventory.get("deviceid") or ""))
        named = " ".join(str(fields.get(k) or "") for k in ("manufacturer", "model", "serial"))
        if not (fields.get("serial") or uuid or macs):
            outcome.add_problems([Problem(filename, 0, "", (
                "the inventory names no device: no name, serial number, UUID or MAC address "
                "that is not a placeholder"))])
            outcome.rejected += 1
            return None
        fields["name"] = (host or " ".join(named.split()) or next(iter(sorted(macs)), ""))[:200]
    if (inventory.get("content") or {}).get("virtualmachines") \
            and fields.get("kind") in ("desktop", None):
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
        outcome.rejected += 1
        return None
    device.save()
    outcome.devices.append(device.pk)
    if created:
        outcome.created += 1
    elif before == snapshot(device):
        outcome.unchanged += 1
    else:
        outcome.updated += 1
    for kind, value in [("uuid", uuid)] * bool(uuid) + [("mac", m) for m in sorted(macs)]:
        DeviceIdentifier.objects.get_or_create(device=device, kind=kind, value=value)
    return device


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
    normalise_loaded([device.municipality_id], titles={(n, p) for n, p, _v in wanted})
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
