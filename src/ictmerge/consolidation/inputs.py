"""The engine's inputs for one new municipality, built from its predecessors' inventory.

Physical servers become `ExistingServer`s with their workloads as virtual machines; server
rooms become candidate `Room`s whose condition (a security class) follows from their
condition flags; anti-affinity groups become placement rules. Every default used for a
missing value is stated in `CountyData.assumptions`, so the plan's reasoning can be checked.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ictmerge.engine.consolidation import (
    ExistingServer,
    PlacementRule,
    Room,
    RoomKind,
    RuleKind,
    SecurityClass,
    VirtualMachine,
)
from ictmerge.engine.consolidation.model import ANTI_AFFINITY, ANTI_AFFINITY_HIGH
from ictmerge.engine.explain import english, explain
from ictmerge.engine.shares import apportion
from ictmerge.engine.systems.security import Level as RuleLevel
from ictmerge.engine.systems.security import RuleSet, load_law
from ictmerge.inventory.choices import DeviceKind, DeviceStatus, Level
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Device, ServerRoom, Workload
from ictmerge.reforms.counties import County, successions_from
from ictmerge.reforms.models import Municipality, Succession

#: Values used when the inventory does not know them (stated in the plan's assumptions).
DEFAULT_CORES = 8
DEFAULT_RAM_GB = 32
DEFAULT_STORAGE_GB = 1000
DEFAULT_ROOM_KW_PER_RACK = 3.0
DEFAULT_ROOM_COST_PER_RACK_EUR = 3000.0
EQUIPMENT_U = 1  # a network or other device kept in a room
EQUIPMENT_KW = 0.1
UNKNOWN_AGE_YEARS = 99.0  # an unknown purchase date: never reused as a host

_law = functools.cache(load_law)

#: The class levels of the security rule sets, as the engine's room condition classes.
_CLASS_OF_LEVEL = {RuleLevel.LOW: SecurityClass.BASIC, RuleLevel.MODERATE: SecurityClass.ELEVATED,
                   RuleLevel.HIGH: SecurityClass.HIGH}


def class_flags(rules: RuleSet | None = None) -> dict[SecurityClass, tuple[str, ...]]:
    """The room's condition flags each class needs: the room requirements that bind every
    system of the class under `rules` (default: the generic FIPS 199 set), each with its
    source in the rule set (engine/systems/data/security_rules.json)."""
    rules = rules or _law().rule_sets["fips199"]
    return {cls: tuple(f"has_{c}" for c in rules.room_requirements[level])
            for level, cls in _CLASS_OF_LEVEL.items()}


def rules_in_force(municipality: Municipality) -> RuleSet | None:
    """The security rule set of the municipality's country in force on its reform date."""
    reform = municipality.reform
    return _law().rule_set_on(reform.country, reform.effective_date)


_LEVEL_CLASS = {Level.LOW: SecurityClass.BASIC, Level.MEDIUM: SecurityClass.ELEVATED,
                Level.HIGH: SecurityClass.HIGH}


@dataclass
class CountyData:
    """What the engine gets for one county, and how each figure was obtained."""

    municipality: Municipality
    servers: tuple[ExistingServer, ...]
    rooms: tuple[Room, ...]
    rules: tuple[PlacementRule, ...]
    server_names: dict[str, str] = field(default_factory=dict)  # engine id -> inventory name
    workload_names: dict[str, str] = field(default_factory=dict)
    room_names: dict[str, str] = field(default_factory=dict)
    room_pks: dict[str, int] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    is_demo: bool = False


def room_condition(room: Any, rules: RuleSet | None = None) -> SecurityClass:
    """The highest security class a room's condition meets (every flag the class needs under
    `rules`)."""
    flags = class_flags(rules)
    for cls in (SecurityClass.HIGH, SecurityClass.ELEVATED):
        if all(getattr(room, flag) for flag in flags[cls]):
            return cls
    return SecurityClass.BASIC


def system_class(system: Any) -> SecurityClass | None:
    """A workload's security class from its information system's confidentiality and integrity.

    Availability is not part of it: it is handled by the anti-affinity rules and rooms apart.
    """
    if system is None:
        return None
    levels = [_LEVEL_CLASS[Level(v)] for v in (system.confidentiality, system.integrity) if v]
    return max(levels, default=SecurityClass.BASIC)


def server_id(pk: int) -> str:
    """The engine id of a server."""
    return f"S{pk}"


def workload_id(pk: int) -> str:
    """The engine id of a workload."""
    return f"W{pk}"


def room_id(pk: int) -> str:
    """The engine id of a server room."""
    return f"R{pk}"


def _portion(items: Sequence[Any], former_id: int, new_id: int,
             parts: dict[int, list[Succession]]) -> list[Any]:
    """The slice of a split former municipality's records that goes to one successor.

    Records are whole: a former municipality split between successors gives each a share of
    its records by count (largest remainder), as the national view counts them.
    """
    successions = parts[former_id]
    if len(successions) == 1:
        return list(items)
    counts = apportion(len(items), [s.share for s in successions])
    start = 0
    for succession, count in zip(successions, counts, strict=True):
        if succession.new_id == new_id:
            return list(items[start:start + count])
        start += count
    return []


def _age_years(purchased: dt.date | None, on: dt.date) -> float:
    if purchased is None:
        return UNKNOWN_AGE_YEARS
    return round(max(0.0, (on - purchased).days / 365.25), 1)


def _fraction(pct: Decimal | None) -> tuple[float, ...]:
    return () if pct is None else (float(pct) / 100,)


def county_data(municipality: Municipality) -> CountyData:
    """Servers, rooms and placement rules of a new municipality's predecessors."""
    county = County.of(municipality)
    former_ids = county.former_ids
    parts = successions_from(former_ids)
    on = municipality.reform.effective_date
    assumptions: set[str] = set()

    # By the predecessor that held them before the takeover (the handover log), so that a
    # plan computed after the records passed to the new municipality reads the same inputs.

    formers = {m.pk: m for m in county.formers}
    rooms_by_former: dict[int, list[ServerRoom]] = defaultdict(list)
    for room in held_before(ServerRoom, former_ids).select_related("site").order_by("pk"):
        rooms_by_former[room.held_by].append(room)
    servers_by_former: dict[int, list[Device]] = defaultdict(list)
    for device in (held_before(Device, former_ids).filter(kind=DeviceKind.SERVER,
                                                          is_virtual=False)
                   .exclude(status=DeviceStatus.RETIRED).order_by("pk")):
        device.municipality = formers[device.held_by]  # named by its predecessor
        servers_by_former[device.held_by].append(device)

    kept_rooms: list[ServerRoom] = []
    kept_servers: list[Device] = []
    for former_id in former_ids:
        rooms = _portion(rooms_by_former[former_id], former_id, municipality.pk, parts)
        order = {r.pk: k for k, r in enumerate(rooms_by_former[former_id])}
        # Servers follow their rooms, so that a split gives each part its rooms' servers.
        servers = sorted(servers_by_former[former_id],
                         key=lambda d: (order.get(d.room_id or 0, len(order)), d.pk))
        kept_rooms += rooms
        kept_servers += _portion(servers, former_id, municipality.pk, parts)

    data = CountyData(municipality=municipality, servers=(), rooms=(), rules=())
    data.rooms = tuple(_room(r, kept_rooms, data, assumptions) for r in kept_rooms)
    workloads: dict[int, list[Workload]] = defaultdict(list)
    for w in (held_before(Workload, former_ids).filter(server__in=[d.pk for d in kept_servers])
              .select_related("information_system").order_by("pk")):
        w.municipality_id = w.held_by  # anti-affinity groups are their predecessor's own
        workloads[w.server_id].append(w)
    data.servers = tuple(_server(d, workloads[d.pk], on, data, assumptions)
                         for d in kept_servers)
    data.rules = _rules([w for d in kept_servers for w in workloads[d.pk]],
                        {m.pk: m.name for m in county.formers})
    data.is_demo = any(d.is_demo for d in kept_servers) or any(r.is_demo for r in kept_rooms)
    data.assumptions = sorted(assumptions)
    return data


def _coordinates(room: ServerRoom, rooms: Sequence[ServerRoom]) -> tuple[float, float] | None:
    if room.latitude is not None and room.longitude is not None:
        return float(room.latitude), float(room.longitude)
    if room.site is not None and room.site.latitude is not None and room.site.longitude is not None:
        return float(room.site.latitude), float(room.site.longitude)
    return None


def _room(room: ServerRoom, rooms: Sequence[ServerRoom], data: CountyData,
          assumptions: set[str]) -> Room:
    place = _coordinates(room, rooms)
    if place is None:
        known = [p for p in (_coordinates(r, ()) for r in rooms) if p is not None]
        place = ((sum(p[0] for p in known) / len(known), sum(p[1] for p in known) / len(known))
                 if known else (0.0, 0.0))
        assumptions.add("a room without coordinates is placed at the centre of the county's "
                        "other rooms")
    power = float(room.power_kw) if room.power_kw is not None else room.racks * DEFAULT_ROOM_KW_PER_RACK
    if room.power_kw is None:
        assumptions.add(f"a room without a known power capacity has {DEFAULT_ROOM_KW_PER_RACK:g} kW "
                        "per rack")
    cost = float(room.annual_cost_eur) if room.annual_cost_eur is not None \
        else room.racks * DEFAULT_ROOM_COST_PER_RACK_EUR
    if room.annual_cost_eur is None:
        assumptions.add(f"a room without a known annual cost costs {DEFAULT_ROOM_COST_PER_RACK_EUR:,.0f} "
                        "EUR per rack a year")
    equipment = (Device.objects.filter(room=room).exclude(kind=DeviceKind.SERVER)
                 .exclude(status=DeviceStatus.RETIRED).count())
    rid = room_id(room.pk)
    data.room_names[rid] = room.name
    data.room_pks[rid] = room.pk
    return Room(
        id=rid, name=room.name, kind=RoomKind(room.operation), latitude=place[0],
        longitude=place[1], racks=room.racks, power_kw=power,
        condition=room_condition(room, rules_in_force(data.municipality)),
        annual_cost_eur=cost, retained_equipment_u=equipment * EQUIPMENT_U,
        retained_equipment_kw=round(equipment * EQUIPMENT_KW, 3),
    )


def _server(device: Device, workloads: Sequence[Workload], on: dt.date, data: CountyData,
            assumptions: set[str]) -> ExistingServer:
    for value, what, default in ((device.cores, "cores", DEFAULT_CORES),
                                 (device.ram_gb, "GB of RAM", DEFAULT_RAM_GB),
                                 (device.storage_gb, "GB of storage", DEFAULT_STORAGE_GB)):
        if value is None:
            assumptions.add(f"a server without known {what} has {default}")
    if device.purchase_date is None:
        assumptions.add("a server without a purchase date is not reused as a host")
    sid = server_id(device.pk)
    # Names repeat across predecessors (each has its SRV-00001), so the owner is part of it.
    data.server_names[sid] = f"{device.name} ({device.municipality.name})"
    vms = []
    for w in workloads:
        wid = workload_id(w.pk)
        data.workload_names[wid] = w.name
        vms.append(VirtualMachine(
            id=wid, vcpus=float(w.cpu_cores), ram_gb=float(w.ram_gb),
            storage_gb=float(w.storage_gb), cpu_utilisation=_fraction(w.cpu_p95_pct),
            security_class=system_class(w.information_system),
            must_stay_on_premises=w.pinned_on_premises,
        ))
    return ExistingServer(
        id=sid, room_id=room_id(device.room_id) if device.room_id else "",
        cores=device.cores or DEFAULT_CORES, ram_gb=float(device.ram_gb or DEFAULT_RAM_GB),
        storage_gb=float(device.storage_gb or DEFAULT_STORAGE_GB),
        age_years=_age_years(device.purchase_date, on),
        cpu_utilisation=_fraction(device.cpu_utilisation_pct),
        ram_utilisation=_fraction(device.ram_utilisation_pct),
        vms=tuple(vms),
    )


def _rules(workloads: Sequence[Workload], former_names: dict[int, str]) -> tuple[PlacementRule, ...]:
    """One rule per anti-affinity group of each predecessor (groups are a municipality's own).

    A group with a workload of high availability needs rooms far apart, the others only
    separate hosts.
    """
    groups: dict[tuple[int, str], list[Workload]] = defaultdict(list)
    for w in workloads:
        if w.anti_affinity_group:
            groups[w.municipality_id, w.anti_affinity_group].append(w)
    rules = []
    for (owner, name), members in sorted(groups.items(), key=lambda g: (former_names.get(g[0][0], ""), g[0][1])):
        if len(members) < 2:
            continue
        high = any(w.availability_class == Level.HIGH for w in members)
        explained = explain(ANTI_AFFINITY_HIGH if high else ANTI_AFFINITY, group=name,
                            owner=str(former_names.get(owner, owner)))
        rules.append(PlacementRule(
            kind=RuleKind.SEPARATE_ROOMS if high else RuleKind.SEPARATE_HOSTS,
            workload_ids=tuple(workload_id(w.pk) for w in members),
            reason=english(explained), explained=explained,
        ))
    return tuple(rules)
