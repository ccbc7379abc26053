"""The front door: plan one new municipality's servers, rooms and money."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import money
from .model import (
    CountyInputs,
    CountyPlan,
    ExistingServer,
    HostModel,
    Params,
    PlacementRule,
    PlannedHost,
    RuleKind,
    SecurityClass,
    Workload,
)
from .packing import Packing, PackingProblem, check_items_fit, lower_bound, pack
from .rooms import RoomItem, RoomPlan, plan_rooms
from .workloads import county_workloads, reusable

# Integer units for exact packing: centi-cores, tenths of a GB, whole GB of disk.
CPU_SCALE, RAM_SCALE, STORAGE_SCALE = 100, 10, 1
_EPS = 1e-9  # keeps 0.7 * 32 * 100 from flooring to 2239


@dataclass(frozen=True)
class Capacity:
    """Usable capacity of a host after headroom, in engine units."""

    cpu: int
    ram: int
    storage: int

    @staticmethod
    def of(cores: float, ram_gb: float, storage_gb: float, params: Params) -> Capacity:
        """Headroom applied and scaled down to integers, never up."""
        return Capacity(
            math.floor(cores * params.cpu_headroom * CPU_SCALE + _EPS),
            math.floor(ram_gb * params.ram_headroom * RAM_SCALE + _EPS),
            math.floor(storage_gb * params.storage_headroom * STORAGE_SCALE + _EPS),
        )


def demand_units(w: Workload) -> tuple[int, int, int]:
    """A workload's demand scaled up to integers, never down."""
    return (
        math.ceil(w.cpu_cores * CPU_SCALE - _EPS),
        math.ceil(w.ram_gb * RAM_SCALE - _EPS),
        math.ceil(w.storage_gb * STORAGE_SCALE - _EPS),
    )


def _colour_key(w: Workload) -> str:
    """Which workloads may share a host: same pinned room, or both on premises, or both free.

    Keeping them apart means a free workload never inherits a room restriction from a
    neighbour on its host, so the room plan stays feasible whenever its rules are.
    """
    if w.pinned_room_id is not None:
        return f"room:{w.pinned_room_id}"
    return "on-premises" if w.must_stay_on_premises else "free"


def packing_problem(
    workloads: Sequence[Workload], rules: Sequence[PlacementRule], model: HostModel, params: Params
) -> PackingProblem:
    """Workloads as items, one host model as the bin, pins as colours, rules as groups."""
    index = {w.id: k for k, w in enumerate(workloads)}
    groups = []
    for rule in rules:
        unknown = [wid for wid in rule.workload_ids if wid not in index]
        if unknown:
            raise ValueError(f"placement rule {rule.kind.value} names unknown workloads: {', '.join(unknown)}")
        groups.append(tuple(index[wid] for wid in rule.workload_ids))
    keys = sorted({_colour_key(w) for w in workloads})
    colour = {key: k for k, key in enumerate(keys)}
    cap = Capacity.of(model.cores, model.ram_gb, model.storage_gb, params)
    return PackingProblem(
        sizes=tuple(demand_units(w) for w in workloads),
        capacity=(cap.cpu, cap.ram, cap.storage),
        colours=tuple(colour[_colour_key(w)] for w in workloads) if len(keys) > 1 else (),
        separate=tuple(groups),
    )


def host_cost_over_horizon(model: HostModel, params: Params) -> float:
    """Price plus running cost of one host over the horizon; ranks catalogue models."""
    annual = (
        model.maintenance_eur_per_year
        + money.power_cost_per_year(model.power_kw, params)
        + model.cores * model.licence_eur_per_core_per_year
    )
    return model.price_eur + params.horizon_years * annual


def choose_host_model(
    workloads: Sequence[Workload], rules: Sequence[PlacementRule], models: Sequence[HostModel], params: Params
) -> HostModel:
    """The named model, or the one whose heuristic packing costs least over the horizon."""
    if params.host_model is not None:
        named = [m for m in models if m.name == params.host_model]
        if not named:
            raise ValueError(f"host model {params.host_model!r} is not in the catalogue")
        return named[0]
    best: tuple[float, str, HostModel] | None = None
    # Cheapest possible first: a model whose lower bound already costs more than the best
    # heuristic packing found so far cannot win, so it is not packed at all.
    candidates: list[tuple[float, str, HostModel, PackingProblem]] = []
    for model in models:
        problem = packing_problem(workloads, rules, model, params)
        try:
            check_items_fit(problem)
        except ValueError:
            continue  # some workload is bigger than this model's headroom
        least = (lower_bound(problem) + params.failover_hosts) * host_cost_over_horizon(model, params)
        candidates.append((least, model.name, model, problem))
    for least, name, model, problem in sorted(candidates, key=lambda c: c[:2]):
        if best is not None and (least, name) > best[:2]:
            break
        hosts = len(pack(problem, time_limit_s=0).bins) + params.failover_hosts
        key = (hosts * host_cost_over_horizon(model, params), model.name, model)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        raise ValueError("no catalogue host model can hold the largest workload within its headroom")
    return best[2]


def _used(workloads: Sequence[Workload]) -> tuple[float, float, float]:
    """Total CPU cores, RAM GB and storage GB of some workloads."""
    return (
        sum(w.cpu_cores for w in workloads),
        sum(w.ram_gb for w in workloads),
        sum(w.storage_gb for w in workloads),
    )


def _fits(load: tuple[int, int, int], cap: Capacity) -> bool:
    """Whether a load in engine units fits a capacity."""
    return load[0] <= cap.cpu and load[1] <= cap.ram and load[2] <= cap.storage


def _reuse(
    loads: Sequence[tuple[int, int, int]], servers: Sequence[ExistingServer], params: Params
) -> list[ExistingServer | None]:
    """Give eligible existing servers to the fullest hosts they can carry, strongest first."""
    eligible = sorted(
        (s for s in servers if reusable(s, params)), key=lambda s: (-s.cores, -s.ram_gb, -s.storage_gb, s.id)
    )
    chosen: list[ExistingServer | None] = [None] * len(loads)
    by_load = sorted(range(len(loads)), key=lambda h: (tuple(-v for v in loads[h]), h))
    for server in eligible:
        cap = Capacity.of(server.cores, server.ram_gb, server.storage_gb, params)
        for h in by_load:
            if chosen[h] is None and _fits(loads[h], cap):
                chosen[h] = server
                break
    return chosen


def _hosts(
    workloads: Sequence[Workload],
    packing: Packing,
    problem: PackingProblem,
    model: HostModel,
    servers: Sequence[ExistingServer],
    params: Params,
) -> tuple[PlannedHost, ...]:
    """Planned hosts from the packing, with the failover hosts and reused servers."""
    loads = [
        tuple(sum(problem.sizes[i][d] for i in items) for d in range(3)) for items in packing.bins
    ]
    failovers = params.failover_hosts if packing.bins else 0
    # A failover host must absorb any failed host, so it must carry the largest load of each kind.
    peak = tuple(max((load[d] for load in loads), default=0) for d in range(3))
    all_loads: list[tuple[int, int, int]] = [(lo[0], lo[1], lo[2]) for lo in loads]
    all_loads += [(peak[0], peak[1], peak[2])] * failovers
    reused = _reuse(all_loads, servers, params)
    hosts = []
    for h, server in enumerate(reused):
        items = packing.bins[h] if h < len(packing.bins) else ()
        members = [workloads[i] for i in items]
        cpu, ram, storage = _used(members)
        hosts.append(
            PlannedHost(
                id=f"H{h + 1:03d}",
                model=model.name if server is None else "existing server",
                reused_server_id=None if server is None else server.id,
                is_failover=h >= len(packing.bins),
                room_id="",  # filled in by the room plan
                workload_ids=tuple(w.id for w in members),
                cpu_cores_used=cpu,
                ram_gb_used=ram,
                storage_gb_used=storage,
                cpu_cores=model.cores if server is None else server.cores,
                ram_gb=model.ram_gb if server is None else server.ram_gb,
                storage_gb=model.storage_gb if server is None else server.storage_gb,
                rack_units=model.rack_units if server is None else server.rack_units,
                power_kw=model.power_kw if server is None else (server.power_kw or params.default_server_power_kw),
                security_class=max((w.security_class for w in members), default=SecurityClass.BASIC),
            )
        )
    return tuple(hosts)


def room_items(
    hosts: Sequence[PlannedHost], workloads: Sequence[Workload], inputs: CountyInputs
) -> tuple[RoomItem, ...]:
    """Every host of the plan, and every room's retained equipment, as things to place."""
    by_id = {w.id: w for w in workloads}
    server_room = {s.id: s.room_id for s in inputs.servers}
    params = inputs.params
    items = [
        RoomItem(
            id=h.id,
            rack_units=h.rack_units,
            power_kw=h.power_kw,
            security_class=h.security_class,
            on_premises_only=any(by_id[w].must_stay_on_premises for w in h.workload_ids),
            pinned_room_id=next((by_id[w].pinned_room_id for w in h.workload_ids if by_id[w].pinned_room_id), None),
            current_room_id=server_room[h.reused_server_id] if h.reused_server_id else None,
            move_cost_eur=params.move_cost_per_host_eur,
            is_host=True,
        )
        for h in hosts
    ]
    items += [
        RoomItem(
            id=f"equipment@{r.id}",
            rack_units=r.retained_equipment_u,
            power_kw=r.retained_equipment_kw,
            security_class=SecurityClass.BASIC,
            on_premises_only=False,
            pinned_room_id=None,
            current_room_id=r.id,
            move_cost_eur=r.retained_equipment_u * params.move_cost_per_u_eur,
            is_host=False,
        )
        for r in inputs.rooms
        if r.retained_equipment_u or r.retained_equipment_kw
    ]
    return tuple(items)


def room_separations(
    rules: Sequence[PlacementRule], assignment: dict[str, str]
) -> tuple[tuple[str, str], ...]:
    """Host pairs that must sit in rooms far apart, from the SEPARATE_ROOMS rules."""
    pairs: set[tuple[str, str]] = set()
    for rule in rules:
        if rule.kind != RuleKind.SEPARATE_ROOMS:
            continue
        hosts = sorted({assignment[w] for w in rule.workload_ids})
        pairs.update((a, b) for k, a in enumerate(hosts) for b in hosts[k + 1 :])
    return tuple(sorted(pairs))


def _with_rooms(hosts: Sequence[PlannedHost], room_plan: RoomPlan) -> tuple[PlannedHost, ...]:
    """Hosts with the room the room plan gave them."""
    from dataclasses import replace

    return tuple(replace(h, room_id=room_plan.placement[h.id]) for h in hosts)


def plan_county(inputs: CountyInputs) -> CountyPlan:
    """Plan one new municipality: hosts, assignment, bound and gap, rooms with reasons, money."""
    params = inputs.params
    workloads = county_workloads(inputs.servers, params)
    model = choose_host_model(workloads, inputs.rules, inputs.host_models, params)
    problem = packing_problem(workloads, inputs.rules, model, params)
    packing = pack(
        problem,
        time_limit_s=params.time_limit_s,
        num_workers=params.num_workers,
        seed=params.seed,
        cp_sat_max_items=params.cp_sat_max_items,
    )
    hosts = _hosts(workloads, packing, problem, model, inputs.servers, params)
    assignment = {w: h.id for h in hosts for w in h.workload_ids}
    items = room_items(hosts, workloads, inputs)
    room_plan = plan_rooms(
        items, inputs.rooms, inputs.external_options, params, room_separations(inputs.rules, assignment)
    )
    hosts = _with_rooms(hosts, room_plan)
    failovers = len(hosts) - len(packing.bins)
    bound = packing.lower_bound + failovers
    before = money.annual_cost_before(inputs.servers, inputs.rooms, params)
    after = money.annual_cost_after(hosts, model, room_plan, params)
    one_off = money.one_off_cost(hosts, model, items, room_plan, inputs.external_options, len(workloads), params)
    return CountyPlan(
        code=inputs.code,
        name=inputs.name,
        host_model=model.name,
        workloads=workloads,
        hosts=hosts,
        assignment=assignment,
        servers_before=len(inputs.servers),
        servers_after=len(hosts),
        ffd_hosts=packing.ffd_bins + failovers,
        lower_bound=bound,
        gap_hosts=len(hosts) - bound,
        proven_optimal=packing.proven_optimal,
        packing_method=packing.method,
        solver_time_s=packing.solver_time_s + room_plan.solver_time_s,
        rooms_before=len(inputs.rooms),
        rooms_after=sum(1 for d in room_plan.decisions if d.kept),
        rooms=room_plan.decisions,
        room_cost_eur=room_plan.cost_eur,
        room_lower_bound_eur=room_plan.lower_bound_eur,
        room_gap=room_plan.gap,
        room_proven_optimal=room_plan.proven_optimal,
        money=money.summarise(before, after, one_off),
    )
