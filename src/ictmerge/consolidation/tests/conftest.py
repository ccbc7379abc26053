"""A small county inventory over the persona world: two predecessors, three rooms, five servers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from ictmerge.inventory.choices import DeviceKind, Level, RoomOperation
from ictmerge.inventory.models import Device, ServerRoom, Workload


@dataclass
class County:
    """The world and the inventory of New North (former A + former B)."""

    world: Any
    rooms: dict[str, ServerRoom]
    servers: dict[str, Device]
    workloads: dict[str, Workload]


def _room(municipality: Any, name: str, lat: str, lon: str, good: bool, **extra: Any) -> ServerRoom:
    flags = {flag: good for flag in ("has_cooling", "has_ups", "has_generator",
                                     "has_fire_suppression", "has_access_control", "has_monitoring")}
    room = ServerRoom(municipality=municipality, name=name, racks=2, power_kw=Decimal(8),
                      annual_cost_eur=Decimal(5000), latitude=Decimal(lat), longitude=Decimal(lon),
                      **{**flags, **extra})
    room.full_clean()
    room.save()
    return room


def _server(municipality: Any, room: ServerRoom, name: str, cores: int, ram: int,
            bought: dt.date, cpu: str | None = None) -> Device:
    server = Device(municipality=municipality, kind=DeviceKind.SERVER, room=room, name=name,
                    cores=cores, ram_gb=ram, storage_gb=2000, purchase_date=bought,
                    cpu_utilisation_pct=Decimal(cpu) if cpu else None,
                    ram_utilisation_pct=Decimal(50) if cpu else None)
    server.full_clean()
    server.save()
    return server


def _workload(server: Device, name: str, cores: str, ram: str, p95: str | None = None,
              **extra: Any) -> Workload:
    workload = Workload(municipality=server.municipality, server=server, name=name,
                        cpu_cores=Decimal(cores), ram_gb=Decimal(ram), storage_gb=Decimal(100),
                        cpu_p95_pct=Decimal(p95) if p95 else None, **extra)
    workload.full_clean()
    workload.save()
    return workload


def build_county(world: Any) -> County:
    """Rooms in two towns ~100 km apart; DCs of A in a high-availability group; an old and a new server."""
    a, b = world.former_a, world.former_b
    rooms = {
        "a-own": _room(a, "A town hall", "56.950000", "24.100000", good=True),
        "a-hosted": _room(a, "A hosting", "56.960000", "24.120000", good=False,
                          operation=RoomOperation.OUTSOURCED),
        "b-own": _room(b, "B school", "57.500000", "25.400000", good=False),
    }
    old, new = dt.date(2012, 3, 1), dt.date(2020, 6, 1)
    servers = {
        "a1": _server(a, rooms["a-own"], "A-SRV-1", 16, 128, old),
        "a2": _server(a, rooms["a-own"], "A-SRV-2", 32, 256, new),
        "a3": _server(a, rooms["a-hosted"], "A-SRV-3", 8, 32, old, cpu="20"),
        "b1": _server(b, rooms["b-own"], "B-SRV-1", 8, 64, old),
        "b2": _server(b, rooms["b-own"], "B-SRV-2", 8, 32, old, cpu="10"),
    }
    workloads = {
        "dc1": _workload(servers["a1"], "dc01", "2", "4", "30", anti_affinity_group="dcs",
                         availability_class=Level.HIGH),
        "dc2": _workload(servers["a2"], "dc02", "2", "4", None, anti_affinity_group="dcs",
                         availability_class=Level.HIGH),
        "sql": _workload(servers["a1"], "sql01", "8", "64", "50"),
        "fs": _workload(servers["a2"], "fs01", "4", "16", "40", anti_affinity_group="backup"),
        "bak": _workload(servers["a2"], "backup", "2", "8", "20", anti_affinity_group="backup"),
        "print": _workload(servers["b1"], "print", "1", "4", "5", pinned_on_premises=True),
        "b-dc": _workload(servers["b1"], "dc01", "2", "4", "30", anti_affinity_group="dcs",
                          availability_class=Level.HIGH),
    }
    return County(world, rooms, servers, workloads)


@pytest.fixture
def county(world: Any) -> County:
    """New North with its predecessors' inventory."""
    return build_county(world)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """The consolidation tests read English messages: the site speaks Latvian by default."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
