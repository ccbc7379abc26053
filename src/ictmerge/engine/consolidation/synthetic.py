"""Synthetic counties for benchmarks and tests: plausible servers and rooms, deterministic per seed.

Labelled as generated: these are not anyone's real inventory.
"""

from __future__ import annotations

import random

from .catalogue import load_external_rooms, load_host_catalogue
from .model import (
    CountyInputs,
    ExistingServer,
    Params,
    PlacementRule,
    Room,
    RoomKind,
    RuleKind,
    SecurityClass,
    VirtualMachine,
)

_CORES = (4, 8, 8, 12, 16, 16, 20, 24, 32)
_RAM_GB = (16, 32, 32, 64, 64, 96, 128, 192, 256)


def spread(total: int, parts: int, rng: random.Random, minimum: int = 0) -> list[int]:
    """Split a total into uneven parts (largest remainder), each at least `minimum`."""
    weights = [rng.uniform(0.4, 2.0) for _ in range(parts)]
    free = total - minimum * parts
    raw = [free * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    by_remainder = sorted(range(parts), key=lambda k: (counts[k] - raw[k], k))
    for k in by_remainder[: free - sum(counts)]:
        counts[k] += 1
    return [c + minimum for c in counts]


def _room(code: str, k: int, lat: float, lon: float, rng: random.Random) -> Room:
    """A small municipal server room near the county centre."""
    condition = rng.choices(list(SecurityClass), weights=(70, 22, 8))[0]
    return Room(
        id=f"{code}-R{k + 1}",
        name=f"{code} server room {k + 1} (generated)",
        kind=RoomKind.OWN if rng.random() < 0.85 else RoomKind.OUTSOURCED,
        latitude=lat + rng.uniform(-0.4, 0.4),
        longitude=lon + rng.uniform(-0.7, 0.7),
        racks=rng.choice((1, 1, 2, 3)),
        power_kw=rng.choice((3.0, 5.0, 8.0, 10.0)),
        condition=condition,
        annual_cost_eur=rng.choice((1500.0, 2500.0, 4000.0, 6000.0)) * condition,
        retained_equipment_u=rng.choice((0, 2, 4, 6)),
        retained_equipment_kw=rng.choice((0.0, 0.3, 0.6, 1.0)),
    )


def _samples(rng: random.Random, level: float) -> tuple[float, ...]:
    """Thirty utilisation samples around a level."""
    return tuple(min(1.0, max(0.0, rng.gauss(level, level / 3))) for _ in range(30))


def _server(code: str, k: int, rooms: list[Room], rng: random.Random) -> ExistingServer:
    """One existing server; some measured, some with VMs, some with a security class."""
    cores = rng.choice(_CORES)
    ram = float(rng.choice(_RAM_GB))
    storage = float(rng.choice((500, 1000, 2000, 4000)))
    sid = f"{code}-S{k + 1:03d}"
    vms: tuple[VirtualMachine, ...] = ()
    if rng.random() < 0.3:
        n_vms = rng.randint(2, 6)
        vms = tuple(
            VirtualMachine(
                id=f"{sid}-vm{v + 1}",
                vcpus=float(max(1, cores // n_vms)),
                ram_gb=max(2.0, ram * 0.7 / n_vms),
                storage_gb=storage * 0.6 / n_vms,
                cpu_utilisation=_samples(rng, rng.uniform(0.1, 0.5)) if rng.random() < 0.5 else (),
            )
            for v in range(n_vms)
        )
    measured = rng.random() < 0.4
    room = rng.choice(rooms)
    return ExistingServer(
        id=sid,
        room_id=room.id,
        cores=cores,
        ram_gb=ram,
        storage_gb=storage,
        age_years=round(rng.uniform(1, 12), 1),
        power_kw=None if rng.random() < 0.5 else round(rng.uniform(0.2, 0.6), 2),
        rack_units=rng.choice((1, 2, 2, 4)),
        cpu_utilisation=_samples(rng, rng.uniform(0.05, 0.5)) if measured else (),
        ram_utilisation=_samples(rng, rng.uniform(0.3, 0.8)) if measured else (),
        vms=vms,
        security_class=rng.choices(list(SecurityClass), weights=(80, 15, 5))[0],
        must_stay_on_premises=room.kind == RoomKind.OWN and rng.random() < 0.03,
    )


def _rules(servers: list[ExistingServer], rng: random.Random) -> tuple[PlacementRule, ...]:
    """Two domain controllers on separate hosts; a backup in another room from its source."""
    # Only plain workloads get the rules, so that a generated county always has a feasible plan.
    plain = [s for s in servers if s.security_class == SecurityClass.BASIC and not s.must_stay_on_premises]
    ids = [vm.id for s in plain for vm in s.vms if vm.security_class is None] + [s.id for s in plain if not s.vms]
    if len(ids) < 4:
        return ()
    picked = rng.sample(sorted(ids), 4)
    return (
        PlacementRule(RuleKind.SEPARATE_HOSTS, (picked[0], picked[1]), "two domain controllers"),
        PlacementRule(RuleKind.SEPARATE_ROOMS, (picked[2], picked[3]), "backup and its source"),
    )


def synthetic_county(
    code: str, n_servers: int, n_rooms: int, seed: int, params: Params | None = None
) -> CountyInputs:
    """One generated county with its servers, rooms, rules and the shipped catalogues."""
    rng = random.Random(f"{code}:{seed}")
    lat, lon = rng.uniform(56.2, 57.7), rng.uniform(21.5, 27.5)
    rooms = [_room(code, k, lat, lon, rng) for k in range(max(1, n_rooms))]
    servers = [_server(code, k, rooms, rng) for k in range(n_servers)]
    for room in rooms[:]:
        # A room's condition must already hold what it holds today.
        needed = max((s.security_class for s in servers if s.room_id == room.id), default=SecurityClass.BASIC)
        if needed > room.condition:
            rooms[rooms.index(room)] = Room(**{**room.__dict__, "condition": needed})
    return CountyInputs(
        code=code,
        name=f"Generated county {code}",
        servers=tuple(servers),
        rooms=tuple(rooms),
        host_models=load_host_catalogue(),
        external_options=load_external_rooms(),
        rules=_rules(servers, rng),
        params=params or Params(seed=seed),
    )


def synthetic_country(
    servers: int = 630, rooms: int = 164, counties: int = 40, seed: int = 0, params: Params | None = None
) -> tuple[CountyInputs, ...]:
    """A generated country: the servers and rooms spread unevenly over the counties."""
    rng = random.Random(seed)
    server_counts = spread(servers, counties, rng, minimum=1)
    room_counts = spread(rooms, counties, rng, minimum=1)
    return tuple(
        synthetic_county(f"C{k + 1:02d}", server_counts[k], room_counts[k], seed, params)
        for k in range(counties)
    )
