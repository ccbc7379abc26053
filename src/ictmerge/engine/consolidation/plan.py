"""The front door: plan one new municipality's servers, rooms and money."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ictmerge.engine.explain import define, english, explain

from . import money
from .model import (
    CountyInputs,
    CountyPlan,
    ExistingServer,
    HostModel,
    LevelPlans,
    Params,
    PlacementRule,
    PlannedHost,
    Reason,
    RoomDecision,
    RuleKind,
    SecurityClass,
    ServiceLevel,
    ServiceUse,
    Workload,
)
from .packing import (
    Packing,
    PackingProblem,
    check_items_fit,
    first_fit_decreasing,
    lower_bound,
    pack,
    subproblem,
)
from .rooms import RoomItem, RoomPlan, RoomPlanInfeasible, RoomPlanNotFound, distance_km, plan_rooms
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
    model = next((m for m in inputs.host_models if m.name in {h.model for h in hosts}), None)
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
            own_cost_eur=own_host_cost(h, model, params),
            service_load=None if h.is_failover else service_load([by_id[w] for w in h.workload_ids], params),
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


def own_host_cost(host: PlannedHost, model: HostModel | None, params: Params) -> float:
    """What a host costs over the horizon in an own room: its price if new, and its running cost."""
    new = host.reused_server_id is None and model is not None
    maintenance = model.maintenance_eur_per_year if new and model else params.existing_maintenance_eur_per_server_per_year
    licence = (model.licence_eur_per_core_per_year if model else params.existing_licence_eur_per_core_per_year)
    annual = maintenance + money.power_cost_per_year(host.power_kw, params) + host.cpu_cores * licence
    return (model.price_eur if new and model else 0.0) + params.horizon_years * annual


def service_load(workloads: Sequence[Workload], params: Params) -> tuple[float, float, float]:
    """vCPUs, GB of RAM and TB of storage to rent for some workloads, with the own hosts' headroom."""
    return (
        float(sum(max(1, math.ceil(w.cpu_cores / params.cpu_headroom - _EPS)) for w in workloads)),
        round(sum(w.ram_gb for w in workloads) / params.ram_headroom, 1),
        round(sum(w.storage_gb for w in workloads) / params.storage_headroom / 1000, 3),
    )


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


def plan_levels(inputs: CountyInputs) -> LevelPlans:
    """The consolidation at today's service level and the plan that meets the chosen policy."""
    return LevelPlans(today=plan_county(inputs, ServiceLevel.TODAY), policy=plan_county(inputs, ServiceLevel.POLICY))


def plan_county(inputs: CountyInputs, level: ServiceLevel = ServiceLevel.POLICY) -> CountyPlan:
    """Plan one new municipality at a service level: hosts, assignment, bound, rooms, services, money.

    At today's service level own servers and rooms never go up: when the consolidation would
    need more of either, or the reform leaves the municipality unchanged, it keeps its estate.
    At the policy level, own servers or rooms that go up come with the rules that force them.
    """
    if level == ServiceLevel.TODAY:
        if inputs.unchanged:
            return keep_estate(inputs, "unchanged")
        try:
            plan = replace(_plan(today_inputs(inputs)), service_level=ServiceLevel.TODAY)
        except RoomPlanNotFound:
            # Today's estate meets today's rules by construction, so it is always a plan at this
            # level: a county whose room choice finds nothing in time (a starved machine) keeps
            # it, and says so, instead of failing. A choice proven impossible still raises, so
            # that the planner can relax the rule that blocks it.
            return keep_estate(inputs, "no_room_plan")
        if plan.servers_after > plan.servers_before or plan.rooms_after > plan.rooms_before:
            return keep_estate(inputs, "no_reduction")
        return plan
    plan = _plan(inputs)
    return replace(plan, reasons=reasons_for(inputs, plan))


def today_inputs(inputs: CountyInputs) -> CountyInputs:
    """The inputs at today's service level: no failover host, and no room class or rooms apart
    that the predecessors do not have today (a rule is kept as strong as it holds today)."""
    condition = {r.id: r.condition for r in inputs.rooms}

    def capped(cls: SecurityClass, room_id: str) -> SecurityClass:
        return min(cls, condition.get(room_id, SecurityClass.BASIC))

    servers = tuple(
        replace(
            s,
            security_class=capped(s.security_class, s.room_id),
            vms=tuple(replace(vm, security_class=capped(vm.security_class or s.security_class, s.room_id))
                      for vm in s.vms),
        )
        for s in inputs.servers
    )
    params = replace(inputs.params, failover_hosts=0)
    return replace(inputs, servers=servers, rules=today_rules(inputs), params=params)


def today_rules(inputs: CountyInputs) -> tuple[PlacementRule, ...]:
    """Each placement rule as strong as the predecessors meet it today, or dropped."""
    params = inputs.params
    server_of = {w.id: w.source_server_id for w in county_workloads(inputs.servers, params)}
    room_of = {s.id: s.room_id for s in inputs.servers}
    place = {r.id: (r.latitude, r.longitude) for r in inputs.rooms}
    kept = []
    for rule in inputs.rules:
        servers = [server_of.get(w) for w in rule.workload_ids]
        if None in servers or len(set(servers)) < len(servers):
            continue  # today some of them share a server: no separation to keep
        rooms = [room_of[s] for s in servers if s is not None]
        apart = all(
            a in place and b in place and distance_km(*place[a], *place[b]) >= params.resilience_distance_km
            for k, a in enumerate(rooms) for b in rooms[k + 1:]
        )
        if rule.kind == RuleKind.SEPARATE_ROOMS and apart:
            kept.append(rule)
        else:
            kept.append(replace(rule, kind=RuleKind.SEPARATE_HOSTS))
    return tuple(kept)


def reasons_for(inputs: CountyInputs, plan: CountyPlan) -> tuple[Reason, ...]:
    """The rules that force own servers or rooms up; empty when neither goes up."""
    if plan.servers_after <= plan.servers_before and plan.rooms_after <= plan.rooms_before:
        return ()
    params = inputs.params
    found: list[Reason] = []
    failovers = sum(1 for h in plan.hosts if h.is_failover)
    working = plan.servers_after - failovers
    if failovers:
        found.append(Reason("n_plus_one", (("failover_hosts", failovers), ("servers_before", plan.servers_before),
                                           ("servers_after", plan.servers_after))))
    if working > plan.servers_before or plan.rooms_after > plan.rooms_before:
        today = {(r.kind, r.workload_ids) for r in today_rules(inputs)}
        apart = [r for r in inputs.rules if r.kind == RuleKind.SEPARATE_ROOMS and (r.kind, r.workload_ids) not in today]
        hosts = [r for r in inputs.rules if (r.kind, r.workload_ids) not in today and r not in apart]
        if apart:
            found.append(Reason("resilience_separation", (("groups", len(apart)),
                                                          ("distance_km", params.resilience_distance_km))))
        if hosts:
            found.append(Reason("separate_hosts", (("groups", len(hosts)),)))
        classes = [w.security_class for w in plan.workloads if w.security_class > SecurityClass.BASIC]
        if plan.rooms_after > plan.rooms_before and classes:
            found.append(Reason("security_class_rooms", (("security_class", max(classes).name),)))
        if not apart and not hosts:
            found.append(Reason("capacity_headroom", (("cpu_headroom_pct", round(100 * params.cpu_headroom)),
                                                      ("ram_headroom_pct", round(100 * params.ram_headroom)))))
    return tuple(found)



#: Why every room is kept when nothing is consolidated.
KEPT_AS_TODAY = {
    "unchanged": define("rooms.kept_unchanged",
                        "kept as today: the reform leaves the municipality unchanged"),
    "no_reduction": define("rooms.kept_no_reduction",
                           "kept as today: at today's service level the consolidation would not "
                           "reduce the servers or rooms"),
    "no_room_plan": define("rooms.kept_no_room_plan",
                           "kept as today: no room plan for the consolidation was found in the "
                           "solver's time, so today's servers and rooms stand"),
}

#: The reasons to keep the estate that are a fallback, not a finding: the plan says it fell back.
FALLBACKS = frozenset({"no_room_plan"})

def keep_estate(inputs: CountyInputs, why: str) -> CountyPlan:
    """Today's servers and rooms as they are, at today's service level (nothing bought or moved)."""
    params = inputs.params
    workloads = county_workloads(inputs.servers, params)
    by_server: dict[str, list[Workload]] = {}
    for w in workloads:
        by_server.setdefault(w.source_server_id, []).append(w)
    hosts = []
    for k, s in enumerate(inputs.servers):
        members = by_server.get(s.id, [])
        cpu, ram, storage = _used(members)
        hosts.append(PlannedHost(
            id=f"H{k + 1:03d}", model="existing server", reused_server_id=s.id, is_failover=False,
            room_id=s.room_id, workload_ids=tuple(w.id for w in members), cpu_cores_used=cpu, ram_gb_used=ram,
            storage_gb_used=storage, cpu_cores=s.cores, ram_gb=s.ram_gb, storage_gb=s.storage_gb,
            rack_units=s.rack_units, power_kw=s.power_kw or params.default_server_power_kw,
            security_class=max((w.security_class for w in members), default=SecurityClass.BASIC),
        ))
    said = explain(KEPT_AS_TODAY[why])
    rooms = tuple(
        RoomDecision(
            room_id=r.id, name=r.name, kind=r.kind, is_external=False, kept=True,
            reason=english(said), explained=(said,),
            hosts=sum(1 for h in hosts if h.room_id == r.id),
            rack_units_used=sum(h.rack_units for h in hosts if h.room_id == r.id) + r.retained_equipment_u,
            power_kw_used=round(sum(h.power_kw for h in hosts if h.room_id == r.id) + r.retained_equipment_kw, 3),
            annual_cost_eur=r.annual_cost_eur,
        )
        for r in inputs.rooms
    )
    before = money.annual_cost_before(inputs.servers, inputs.rooms, params)
    nothing = {"new hosts": 0.0, "moves": 0.0, "migration": 0.0, "service onboarding": 0.0}
    return CountyPlan(
        code=inputs.code, name=inputs.name, host_model="existing server", workloads=workloads,
        hosts=tuple(hosts), assignment={w: h.id for h in hosts for w in h.workload_ids},
        servers_before=len(inputs.servers), servers_after=len(hosts), ffd_hosts=len(hosts),
        # Nothing is packed: the only bound claimed is the trivial one.
        lower_bound=0, gap_hosts=len(hosts), proven_optimal=False, packing_method=f"kept as today ({why})",
        solver_time_s=0.0, rooms_before=len(inputs.rooms), rooms_after=len(rooms), rooms=rooms,
        room_cost_eur=0.0, room_lower_bound_eur=0.0, room_gap=0.0, room_proven_optimal=False,
        money=money.summarise(before, dict(before), nothing), service_level=ServiceLevel.TODAY,
        kept_estate=True, fell_back=why in FALLBACKS,
    )


def _place(
    workloads: Sequence[Workload], packing: Packing, problem: PackingProblem, model: HostModel,
    inputs: CountyInputs,
) -> tuple[tuple[PlannedHost, ...], RoomPlan, tuple[RoomItem, ...]]:
    """Hosts from a packing, placed in rooms or at hosting services by the room plan."""
    hosts = _hosts(workloads, packing, problem, model, inputs.servers, inputs.params)
    assignment = {w: h.id for h in hosts for w in h.workload_ids}
    items = room_items(hosts, workloads, inputs)
    room_plan = plan_rooms(
        items, inputs.rooms, inputs.external_options, inputs.params, room_separations(inputs.rules, assignment)
    )
    return _with_rooms(hosts, room_plan), room_plan, items


def _repack_own(
    hosts: Sequence[PlannedHost], packing: Packing, problem: PackingProblem, services: set[str], params: Params
) -> tuple[set[str], int, Packing | None] | None:
    """The workloads left in own rooms packed again on their own: their ids, the bound, a better packing.

    The better packing (of every workload: the rented hosts' bins unchanged, first, then the
    own ones packed again) is None when the own hosts cannot be fewer; the whole is None when
    no host is rented or the own hosts' count already meets the simple bound.
    """
    rented = [h for h, host in enumerate(hosts) if host.room_id in services and h < len(packing.bins)]
    own_bins = [h for h in range(len(packing.bins)) if hosts[h].room_id not in services]
    if not rented or not own_bins:
        return None
    own_items = sorted(i for h in own_bins for i in packing.bins[h])
    sub = subproblem(problem, own_items)
    if len(own_bins) <= lower_bound(sub):
        return None
    again = pack(sub, time_limit_s=params.time_limit_s, num_workers=params.num_workers, seed=params.seed,
                 cp_sat_max_items=params.cp_sat_max_items)
    own_ids = {w for h in own_bins for w in hosts[h].workload_ids}
    if len(again.bins) >= len(own_bins):
        return own_ids, again.lower_bound, None
    bins = tuple(packing.bins[h] for h in rented) + tuple(tuple(own_items[i] for i in b) for b in again.bins)
    better = replace(again, bins=bins, lower_bound=again.lower_bound + len(rented), proven_optimal=False,
                     ffd_bins=packing.ffd_bins, solver_time_s=packing.solver_time_s + again.solver_time_s)
    return own_ids, again.lower_bound, better


def _own_rules(rules: Sequence[PlacementRule], own: set[str]) -> tuple[PlacementRule, ...]:
    """The rules restricted to workloads on own hosts (a service keeps them apart from the rest)."""
    kept = []
    for rule in rules:
        members = tuple(w for w in rule.workload_ids if w in own)
        if len(members) > 1:
            kept.append(replace(rule, workload_ids=members))
    return tuple(kept)


def _service_uses(
    hosts: Sequence[PlannedHost], decisions: Sequence[RoomDecision], workloads: Sequence[Workload],
    inputs: CountyInputs,
) -> tuple[ServiceUse, ...]:
    """The workloads of the hosts placed at hosting services, rented there per resource."""
    by_id = {w.id: w for w in workloads}
    options = {e.id: e for e in inputs.external_options}
    uses = []
    for d in decisions:
        if not d.kept or d.room_id not in options:
            continue
        option = options[d.room_id]
        members = [by_id[w] for h in hosts if h.room_id == d.room_id for w in h.workload_ids]
        vcpus, ram, storage = service_load(members, inputs.params)
        uses.append(ServiceUse(
            option_id=option.id, name=option.name, kind=option.kind, workload_ids=tuple(w.id for w in members),
            vcpus=round(vcpus), ram_gb=ram, storage_tb=storage,
            annual_eur=round(option.annual_fixed_eur + option.annual_fee_eur(vcpus, ram, storage), 2),
            onboarding_eur=option.onboarding_eur, reason=d.reason, explained=d.explained,
        ))
    return tuple(uses)


def _plan(inputs: CountyInputs) -> CountyPlan:
    """Pack, place hosts in own rooms or their workloads at hosting services, and price the plan."""
    if not inputs.rooms:  # no own room: every workload is rented, no own cluster needs a spare host
        inputs = replace(inputs, params=replace(inputs.params, failover_hosts=0))
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
    services = {e.id for e in inputs.external_options}
    hosts, room_plan, items = _place(workloads, packing, problem, model, inputs)
    own_packing = _repack_own(hosts, packing, problem, services, params)
    if own_packing is not None and own_packing[2] is not None:
        # The hosts left in own rooms hold fewer workloads than the packing was made for:
        # packed again on their own they need fewer hosts, and the rooms are chosen again.
        # The second choice is an improvement only: when no room plan is found for it in time
        # (a starved machine), the first plan stands.
        try:
            second = _place(workloads, own_packing[2], problem, model, inputs)
        except RoomPlanInfeasible:
            second = None
        if second is not None and second[1].cost_eur < room_plan.cost_eur:
            packing = own_packing[2]
            hosts, room_plan, items = second
    rented = [h for h in hosts if h.room_id in services]
    own = [h for h in hosts if h.room_id not in services]
    if not any(not h.is_failover for h in own):
        own = []  # every workload is rented: no own cluster needs a spare host
    own_rooms = tuple(d for d in room_plan.decisions if d.room_id not in services)
    if rented:
        # The bound and the simple method's count of the own hosts alone.
        own_ids = {w for h in own for w in h.workload_ids}
        sub = packing_problem([w for w in workloads if w.id in own_ids], _own_rules(inputs.rules, own_ids),
                              model, params)
        failovers = sum(1 for h in own if h.is_failover)
        bound = lower_bound(sub) + failovers if own_ids else 0
        if own_packing is not None and own_ids == own_packing[0]:
            # The own workloads are the ones packed again: that packing's bound (arc-flow or CP-SAT) holds.
            bound = max(bound, own_packing[1] + failovers)
        ffd = len(first_fit_decreasing(sub)) + failovers if own_ids else 0
        proven = len(own) == bound
    else:
        failovers = len(hosts) - len(packing.bins)
        bound, ffd, proven = packing.lower_bound + failovers, packing.ffd_bins + failovers, packing.proven_optimal
    uses = _service_uses(rented, room_plan.decisions, workloads, inputs)
    before = money.annual_cost_before(inputs.servers, inputs.rooms, params)
    after = money.annual_cost_after(own, model, own_rooms, uses, params)
    moved = [i for i in items if i.id not in {h.id for h in rented}]
    one_off = money.one_off_cost(own, model, moved, room_plan, uses, len(workloads), params)
    return CountyPlan(
        code=inputs.code,
        name=inputs.name,
        host_model=model.name,
        workloads=workloads,
        hosts=tuple(own),
        assignment={w: h.id for h in own for w in h.workload_ids},
        servers_before=len(inputs.servers),
        servers_after=len(own),
        ffd_hosts=ffd,
        lower_bound=bound,
        gap_hosts=len(own) - bound,
        proven_optimal=proven,
        packing_method=packing.method,
        solver_time_s=packing.solver_time_s + room_plan.solver_time_s,
        rooms_before=len(inputs.rooms),
        rooms_after=sum(1 for d in own_rooms if d.kept),
        rooms=own_rooms,
        room_cost_eur=room_plan.cost_eur,
        room_lower_bound_eur=room_plan.lower_bound_eur,
        room_gap=room_plan.gap,
        room_proven_optimal=room_plan.proven_optimal,
        money=money.summarise(before, after, one_off),
        external_services=uses,
    )


def county_hosts(
    inputs: CountyInputs,
) -> tuple[tuple[PlannedHost, ...], tuple[Workload, ...], HostModel, Packing, CountyInputs]:
    """A county's hosts packed as its plan packs them (before any room is chosen), with the inputs used."""
    if not inputs.rooms:  # as _plan: no own room, no own cluster needing a spare host
        inputs = replace(inputs, params=replace(inputs.params, failover_hosts=0))
    params = inputs.params
    workloads = county_workloads(inputs.servers, params)
    model = choose_host_model(workloads, inputs.rules, inputs.host_models, params)
    problem = packing_problem(workloads, inputs.rules, model, params)
    packing = pack(problem, time_limit_s=params.time_limit_s, num_workers=params.num_workers, seed=params.seed,
                   cp_sat_max_items=params.cp_sat_max_items)
    return _hosts(workloads, packing, problem, model, inputs.servers, params), workloads, model, packing, inputs
