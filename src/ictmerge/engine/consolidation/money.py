"""Money: one-off and annual cost before and after the consolidation, and payback."""

from __future__ import annotations

from collections.abc import Sequence

from .model import (
    ExistingServer,
    HostModel,
    MoneySummary,
    Params,
    PlannedHost,
    Room,
    RoomDecision,
    ServiceUse,
)
from .rooms import RoomItem, RoomPlan

HOURS_PER_YEAR = 8760


def power_cost_per_year(kw: float, params: Params) -> float:
    """Electricity for an average draw, including the room's cooling overhead (PUE)."""
    return kw * HOURS_PER_YEAR * params.pue * params.electricity_eur_per_kwh


def annual_cost_before(servers: Sequence[ExistingServer], rooms: Sequence[Room], params: Params) -> dict[str, float]:
    """What the predecessors' servers and rooms cost a year."""
    kw = sum(s.power_kw if s.power_kw is not None else params.default_server_power_kw for s in servers)
    return {
        "power": power_cost_per_year(kw, params),
        "maintenance": len(servers) * params.existing_maintenance_eur_per_server_per_year,
        "licences": sum(s.cores for s in servers) * params.existing_licence_eur_per_core_per_year,
        "rooms": sum(r.annual_cost_eur for r in rooms),
        "external services": 0.0,  # the inventory records no hosting bought as a service today
    }


def annual_cost_after(
    hosts: Sequence[PlannedHost],
    model: HostModel,
    rooms: Sequence[RoomDecision],
    services: Sequence[ServiceUse],
    params: Params,
) -> dict[str, float]:
    """What the own hosts, the kept own rooms and the hosting services cost a year."""
    new_hosts = sum(1 for h in hosts if h.reused_server_id is None)
    reused = len(hosts) - new_hosts
    return {
        "power": power_cost_per_year(sum(h.power_kw for h in hosts), params),
        "maintenance": new_hosts * model.maintenance_eur_per_year
        + reused * params.existing_maintenance_eur_per_server_per_year,
        # Every host runs the target platform, so every core pays the target licence.
        "licences": sum(h.cpu_cores for h in hosts) * model.licence_eur_per_core_per_year,
        "rooms": sum(d.annual_cost_eur for d in rooms if d.kept),
        "external services": sum(s.annual_eur for s in services),
    }


def one_off_cost(
    hosts: Sequence[PlannedHost],
    model: HostModel,
    items: Sequence[RoomItem],
    room_plan: RoomPlan,
    services: Sequence[ServiceUse],
    workload_count: int,
    params: Params,
) -> dict[str, float]:
    """New own hosts, moving equipment, migrating workloads, onboarding hosting services.

    `items` are those that stay in own rooms: a host whose workloads are rented is not bought.
    """
    moved = [i for i in items if i.current_room_id is not None and room_plan.placement[i.id] != i.current_room_id]
    return {
        "new hosts": sum(1 for h in hosts if h.reused_server_id is None) * model.price_eur,
        "moves": sum(i.move_cost_eur for i in moved),
        "migration": workload_count * params.migration_cost_per_workload_eur,
        "service onboarding": sum(s.onboarding_eur for s in services),
    }


def summarise(before: dict[str, float], after: dict[str, float], one_off: dict[str, float]) -> MoneySummary:
    """Totals, annual saving and simple payback in years."""
    annual_before = sum(before.values())
    annual_after = sum(after.values())
    saving = annual_before - annual_after
    total_one_off = sum(one_off.values())
    return MoneySummary(
        annual_before_eur=round(annual_before, 2),
        annual_after_eur=round(annual_after, 2),
        one_off_eur=round(total_one_off, 2),
        annual_saving_eur=round(saving, 2),
        payback_years=round(total_one_off / saving, 2) if saving > 0 else None,
        annual_before_lines={k: round(v, 2) for k, v in before.items()},
        annual_after_lines={k: round(v, 2) for k, v in after.items()},
        one_off_lines={k: round(v, 2) for k, v in one_off.items()},
    )
