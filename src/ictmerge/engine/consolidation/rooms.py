"""Server-room consolidation: which rooms to keep, as capacitated facility location (CP-SAT)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

from ortools.sat.python import cp_model

from ictmerge.engine.explain import Explanation, Number, define, explain, joined

from .lagrangian import MAX_STEPS, lagrangian_bound, ruled_out, step_seconds
from .model import ExternalRoomOption, Params, Room, RoomDecision, RoomKind, SecurityClass
from .packing import configure_solver


class RoomPlanInfeasible(ValueError):
    """No choice of rooms can hold everything under the rules."""


class RoomPlanNotFound(RoomPlanInfeasible):
    """No choice of rooms was found in the time given; one may exist (not proven impossible)."""


@dataclass(frozen=True)
class FacilityProblem:
    """Single-source capacitated facility location with integer data."""

    open_cost: tuple[int, ...]
    capacity: tuple[tuple[int, ...], ...]  # facility -> per dimension
    demand: tuple[tuple[int, ...], ...]  # customer -> per dimension
    assign_cost: tuple[tuple[int | None, ...], ...]  # customer -> facility; None: not allowed
    block_cost: tuple[int, ...] = ()  # per facility: cost per started block of dimension 0
    block_size: int = 1
    separations: tuple[tuple[int, int], ...] = ()  # customer pairs that need far-apart facilities
    far_apart: frozenset[tuple[int, int]] = frozenset()  # ordered facility pairs far enough apart
    multiplicity: tuple[int, ...] = ()  # identical units per customer; () = one each


@dataclass(frozen=True)
class FacilitySolution:
    """Which facilities open, where each customer's units go, the cost and its bound."""

    open: tuple[bool, ...]
    assignment: tuple[tuple[int, ...], ...]  # customer -> facility of each of its units
    cost: int
    lower_bound: int
    proven_optimal: bool
    solver_time_s: float

    @property
    def gap(self) -> float:
        """Relative distance of the cost from the lower bound."""
        return (self.cost - self.lower_bound) / self.cost if self.cost else 0.0


@dataclass(frozen=True)
class FacilityModel:
    """The CP-SAT model of a facility problem, with the variables a plan is read from."""

    model: cp_model.CpModel
    count: dict[tuple[int, int], cp_model.IntVar]  # (customer, allowed facility) -> units placed there
    is_open: tuple[cp_model.IntVar, ...]
    uses: dict[tuple[int, int], cp_model.IntVar]  # (separated customer, facility) -> 0/1: any unit there


def facility_model(problem: FacilityProblem) -> FacilityModel:
    """Opening, block and assignment cost to minimise under capacity and separation, as a CP-SAT model."""
    n_fac = len(problem.open_cost)
    n_cust = len(problem.demand)
    model = cp_model.CpModel()
    is_open = [model.new_bool_var(f"open{f}") for f in range(n_fac)]
    units = problem.multiplicity or (1,) * n_cust
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for c in range(n_cust):
        allowed = [f for f in range(n_fac) if problem.assign_cost[c][f] is not None]
        if not allowed:
            raise RoomPlanInfeasible(f"customer {c} has no allowed facility")
        for f in allowed:
            # Identical units share one count variable: no symmetric copies for the solver to try.
            x[c, f] = model.new_int_var(0, units[c], f"x{c}_{f}")
            model.add(x[c, f] <= units[c] * is_open[f])  # strengthens the LP relaxation
        model.add(sum(x[c, f] for f in allowed) == units[c])
    cost_terms: list[cp_model.LinearExprT] = []
    for f in range(n_fac):
        members = [c for c in range(n_cust) if (c, f) in x]
        for d, cap in enumerate(problem.capacity[f]):
            model.add(sum(problem.demand[c][d] * x[c, f] for c in members) <= cap * is_open[f])
        cost_terms.append(problem.open_cost[f] * is_open[f])
        if problem.block_cost and problem.block_cost[f]:
            max_blocks = math.ceil(problem.capacity[f][0] / problem.block_size)
            blocks = model.new_int_var(0, max_blocks, f"blocks{f}")
            model.add(problem.block_size * blocks >= sum(problem.demand[c][0] * x[c, f] for c in members))
            cost_terms.append(problem.block_cost[f] * blocks)
    for (c, f), var in x.items():
        cost = problem.assign_cost[c][f]
        if cost:
            cost_terms.append(cost * var)
    # Separation speaks of facilities used, not of unit counts: "c uses f" is a boolean of its own.
    uses = _use_indicators(model, x, units, problem.separations)
    for a, b in problem.separations:
        for f in range(n_fac):
            if (a, f) not in x:
                continue
            too_close = [uses[b, g] for g in range(n_fac) if (b, g) in x and (f, g) not in problem.far_apart]
            if not too_close:
                continue
            if units[b] == 1:
                # b uses exactly one facility: one linear row says "not a at f and b near it".
                model.add(uses[a, f] + sum(too_close) <= 1)
            else:
                # b may use several near facilities when a is elsewhere: forbid each pair on its own.
                for near in too_close:
                    model.add_bool_or([~uses[a, f], ~near])
    model.minimize(sum(cost_terms))
    return FacilityModel(model, x, tuple(is_open), uses)


#: Share of the time limit the full model gets alone before the Lagrangian bound steps in
#: (assumption: problems CP-SAT proves in this share keep exactly their former answer).
PLAIN_SHARE = 0.1
#: Below this time limit the full model gets all of it, as before the bound existed (assumption:
#: county plans give the room solver 0.5-2 s, and 10 % of that is too little for the first run;
#: at 10x Latvia the bound lowered 34 county room plans' cost, but the county figures vary from
#: run to run on a busy machine, 39-40 of 40 proven either way, so no gain there is shown).
MIN_LAGRANGIAN_TIME_S = 5.0
#: Share of the remaining time the Lagrangian bound may take, and the fewest subgradient steps
#: worth taking (assumption: fewer leave the bound far from its best; then the full model goes on).
LAGRANGIAN_SHARE = 0.25
MIN_LAGRANGIAN_STEPS = 50
#: Restarts of the reduced model after a better plan tightens what the bound rules out
#: (assumption: each restart repeats presolve, so a few only).
MAX_RESTARTS = 5


def solve_facility_location(
    problem: FacilityProblem,
    *,
    time_limit_s: float = 2.0,
    num_workers: int = 2,
    seed: int = 0,
    deterministic: bool = True,
) -> FacilitySolution:
    """Minimise opening, block and assignment cost under capacity and separation (CP-SAT).

    With time for it (MIN_LAGRANGIAN_TIME_S), the full model runs alone for a share of the time,
    and a plan it has not proven optimal goes on with a Lagrangian bound (lagrangian.py), which
    may prove it at once or rule out facilities and assignments that cannot be part of a cheaper
    plan, so that a smaller model is solved.
    """
    started = time.perf_counter()
    start = greedy_facility_location(problem)
    with_bound = time_limit_s >= MIN_LAGRANGIAN_TIME_S
    first = _solve_model(problem, start, time_limit_s * (PLAIN_SHARE if with_bound else 1.0), num_workers, seed,
                         deterministic)
    # No plan and no greedy start: large counties may need longer to find a first one; allow longer tries.
    attempt = 0 if with_bound else 1
    while first.status == cp_model.UNKNOWN and start is None and attempt < 3:
        first = _solve_model(problem, None, time_limit_s * 4**attempt, num_workers, seed, deterministic)
        attempt += 1
    if first.status == cp_model.INFEASIBLE:
        raise RoomPlanInfeasible("no choice of rooms satisfies capacity, class and resilience")
    if first.plan is not None:
        cost, assignment = first.cost, first.plan
    elif start is not None:
        cost, assignment = facility_cost(problem, start), start
    else:
        raise RoomPlanNotFound(f"no room plan found within {21 * time_limit_s:g} s")
    if start is not None and facility_cost(problem, start) < cost:
        cost, assignment = facility_cost(problem, start), start
    bound = cost if first.status == cp_model.OPTIMAL else min(cost, first.bound)
    if bound < cost and with_bound:
        # Work-counted when deterministic: the answer must not depend on how busy the machine is.
        remaining = time_limit_s - (first.spent if deterministic else time.perf_counter() - started)
        # The same wall-clock safety net as one run's (configure_solver), for all runs together.
        deadline = started + (1.5 if deterministic else 1.0) * time_limit_s
        cost, assignment, bound = _with_lagrangian_bound(
            problem, (cost, assignment, bound), remaining, num_workers, seed, deterministic, deadline
        )
    used = {f for units_at in assignment for f in units_at}
    return FacilitySolution(
        # A facility is open only if something uses it; an empty open one would only add cost.
        open=tuple(f in used for f in range(len(problem.open_cost))),
        assignment=assignment,
        cost=cost,
        lower_bound=bound,
        proven_optimal=bound == cost,
        solver_time_s=time.perf_counter() - started,
    )


Plan = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class _ModelRun:
    """One CP-SAT run: its status, the plan it found (or None), that plan's cost and the bound."""

    status: cp_model.CpSolverStatus
    plan: Plan | None
    cost: int
    bound: int
    spent: float  # the time limit it used up: work-counted when deterministic, else seconds


class _StopOnImprovement(cp_model.CpSolverSolutionCallback):
    """Stops the search at the first plan cheaper than a given cost."""

    def __init__(self, cost: int) -> None:
        super().__init__()
        self.cost = cost

    def on_solution_callback(self) -> None:
        """Stop once a plan beats the cost."""
        if self.objective_value < self.cost - 0.5:
            self.stop_search()


def _solve_model(
    problem: FacilityProblem,
    hint: Plan | None,
    time_limit_s: float,
    num_workers: int,
    seed: int,
    deterministic: bool,
    fixed_open: dict[int, bool] | None = None,
    stop_below: int | None = None,
    deadline: float | None = None,
) -> _ModelRun:
    """Solve the CP-SAT model once, from a hint, with some facilities fixed open or closed."""
    n_fac = len(problem.open_cost)
    built = facility_model(problem)
    model, x, is_open, uses = built.model, built.count, built.is_open, built.uses
    if fixed_open is not None:
        for f, value in fixed_open.items():
            model.add(is_open[f] == int(value))
        # Every unit sits in an open facility: together they hold the total demand, in each dimension.
        # Implied, but the reduced model's relaxation gains from it (Holmberg p30: bound 10,904 -> 11,048).
        units = problem.multiplicity or (1,) * len(problem.demand)
        for d in range(len(problem.demand[0]) if problem.demand else 0):
            total = sum(n * demand[d] for n, demand in zip(units, problem.demand, strict=True))
            model.add(sum(min(cap[d], total) * is_open[f] for f, cap in enumerate(problem.capacity)) >= total)
    if hint is not None:
        # A complete feasible plan as the hint: CP-SAT starts from it instead of searching for one.
        for (c, f), var in x.items():
            count = sum(1 for g in hint[c] if g == f)
            model.add_hint(var, count)
            if uses.get((c, f), var) is not var:
                model.add_hint(uses[c, f], count > 0)
        opened = {f for units_at in hint for f in units_at}
        for f in range(n_fac):
            model.add_hint(is_open[f], f in opened)
    solver = cp_model.CpSolver()
    configure_solver(solver, time_limit_s, num_workers, seed, deterministic)
    if deadline is not None:
        wall = max(0.01, deadline - time.perf_counter())
        solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds, wall)
    if deterministic:
        # One worker, not interleaved: as deterministic, and on this model several times
        # faster than interleaving two (Holmberg p13, p20: ~1.5 s against ~15 s).
        solver.parameters.num_workers = 1
        solver.parameters.interleave_search = False
    callback = _StopOnImprovement(stop_below) if stop_below is not None else None
    status = solver.solve(model, callback)
    plan = None
    cost = 0
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        plan = tuple(
            tuple(f for f in range(n_fac) if (c, f) in x for _ in range(solver.value(x[c, f])))
            for c in range(len(problem.demand))
        )
        cost = round(solver.objective_value)
    # The solver's bound holds whether or not it found a plan of its own.
    bound = max(0, math.ceil(solver.best_objective_bound - 1e-6))
    spent = solver.deterministic_time if deterministic else solver.wall_time
    return _ModelRun(status, plan, cost, cost if status == cp_model.OPTIMAL else bound, spent)


def _with_lagrangian_bound(
    problem: FacilityProblem,
    best: tuple[int, Plan, int],
    time_limit_s: float,
    num_workers: int,
    seed: int,
    deterministic: bool,
    deadline: float,
) -> tuple[int, Plan, int]:
    """Cost, plan and bound after the Lagrangian bound: proof at once, or smaller models until proven.

    Each model leaves out what the bound rules out against the best cost so far; its optimum,
    when found, is the optimum (what it left out costs more). A better plan found on the way
    tightens what is ruled out, and the model is rebuilt (at most MAX_RESTARTS times).
    """
    started = time.perf_counter()
    spent = 0.0
    cost, plan, bound = best
    price_plan = None if problem.separations else partial(facility_cost, problem)
    per_step = step_seconds(problem)
    steps = min(MAX_STEPS, int(LAGRANGIAN_SHARE * time_limit_s / per_step))
    relaxation = lagrangian_bound(problem, cost, price_plan, max_steps=steps) if steps >= MIN_LAGRANGIAN_STEPS else None
    if relaxation is None:
        # No bound worth its time: the full model goes on from the best plan, as it would have alone.
        run = _solve_model(problem, plan, time_limit_s, num_workers, seed, deterministic, deadline=deadline)
        if run.plan is not None and run.cost < cost:
            cost, plan = run.cost, run.plan
        return cost, plan, max(bound, min(run.bound, cost))
    # The bound's time counts against the limit, as work when deterministic.
    spent = relaxation.steps * per_step
    if relaxation.plan is not None and relaxation.plan_cost is not None and relaxation.plan_cost < cost:
        cost, plan = relaxation.plan_cost, relaxation.plan
    bound = max(bound, min(cost, math.ceil(relaxation.lower_bound - 1e-6 * (1 + abs(relaxation.lower_bound)))))
    restarts = 0
    while bound < cost:
        remaining = time_limit_s - (spent if deterministic else time.perf_counter() - started)
        if remaining <= 0 or time.perf_counter() >= deadline:
            break
        fixing = ruled_out(problem, relaxation.prices, cost)
        used = {(c, f) for c, units_at in enumerate(plan) for f in units_at}
        opened = {f for _, f in used}
        if fixing.closed & opened or fixing.kept_open - opened or fixing.dropped & used:
            break  # the plan itself would be ruled out: rounding went wrong, trust nothing
        reduced = replace(problem, assign_cost=tuple(
            tuple(None if (c, f) in fixing.dropped or f in fixing.closed else a for f, a in enumerate(row))
            for c, row in enumerate(problem.assign_cost)
        ))
        fixed = {f: False for f in fixing.closed} | {f: True for f in fixing.kept_open}
        run = _solve_model(reduced, plan, remaining, num_workers, seed, deterministic, fixed,
                           stop_below=cost if restarts < MAX_RESTARTS else None, deadline=deadline)
        spent += run.spent
        if run.status == cp_model.OPTIMAL:
            return run.cost, run.plan or plan, run.cost
        # What the model left out costs more than `cost`: the full problem's bound is the smaller.
        bound = max(bound, min(run.bound, cost))
        if run.plan is None or run.cost >= cost:
            break
        cost, plan = run.cost, run.plan
        bound = min(bound, cost)
        restarts += 1
    return cost, plan, bound


def _use_indicators(
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    units: Sequence[int],
    separations: Sequence[tuple[int, int]],
) -> dict[tuple[int, int], cp_model.IntVar]:
    """A boolean "customer c uses facility f" for each separated customer, linked both ways to its count.

    A single unit's count is 0 or 1 and is its own indicator; a customer with more units gets a
    new boolean y with y <= x <= units * y, so separation never reads a count as a boolean.
    """
    separated = {c for pair in separations for c in pair}
    uses: dict[tuple[int, int], cp_model.IntVar] = {}
    for (c, f), count in x.items():
        if c not in separated:
            continue
        if units[c] == 1:
            uses[c, f] = count
            continue
        used = model.new_bool_var(f"uses{c}_{f}")
        model.add(count <= units[c] * used)
        model.add(count >= used)
        uses[c, f] = used
    return uses


def facility_cost(problem: FacilityProblem, assignment: Sequence[Sequence[int]]) -> int:
    """The objective of a plan: opening, started blocks and assignment costs."""
    used = sorted({f for units_at in assignment for f in units_at})
    load = {f: 0 for f in used}
    cost = sum(problem.open_cost[f] for f in used)
    for c, units_at in enumerate(assignment):
        for f in units_at:
            load[f] += problem.demand[c][0]
            cost += problem.assign_cost[c][f] or 0
    if problem.block_cost:
        cost += sum(problem.block_cost[f] * math.ceil(load[f] / problem.block_size) for f in used)
    return cost


def greedy_facility_location(problem: FacilityProblem) -> tuple[tuple[int, ...], ...] | None:
    """A feasible plan built greedily, largest customers first, or None when the greedy gets stuck.

    Each unit goes to the open facility where it adds least cost; a facility opens only when no
    open one can take the unit. Separations are checked against the partner's units placed so far.
    """
    n_fac = len(problem.open_cost)
    n_cust = len(problem.demand)
    units = problem.multiplicity or (1,) * n_cust
    dims = len(problem.demand[0]) if n_cust else 0
    residual = [list(cap) for cap in problem.capacity]
    load0 = [0] * n_fac
    is_open = [False] * n_fac
    partners: dict[int, set[int]] = {}
    for a, b in problem.separations:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    placed: list[list[int]] = [[] for _ in range(n_cust)]
    order = sorted(range(n_cust), key=lambda c: (tuple(-v for v in problem.demand[c]), c))
    # Separated customers first: they have the fewest choices.
    order.sort(key=lambda c: c not in partners)

    def added_cost(c: int, f: int) -> float:
        cost = problem.assign_cost[c][f]
        if cost is None:
            return math.inf
        if any(problem.demand[c][d] > residual[f][d] for d in range(dims)):
            return math.inf
        for p in partners.get(c, ()):
            if any((f, g) not in problem.far_apart for g in placed[p]):
                return math.inf
        added = float(cost)
        if problem.block_cost:
            before = math.ceil(load0[f] / problem.block_size)
            after = math.ceil((load0[f] + problem.demand[c][0]) / problem.block_size)
            added += problem.block_cost[f] * (after - before)
        if not is_open[f]:
            added += problem.open_cost[f]
        return added

    for c in order:
        for _ in range(units[c]):
            costs = [(added_cost(c, f), not is_open[f], f) for f in range(n_fac)]
            best = min(costs)
            if best[0] == math.inf:
                return None
            f = best[2]
            is_open[f] = True
            for d in range(dims):
                residual[f][d] -= problem.demand[c][d]
            load0[f] += problem.demand[c][0]
            placed[c].append(f)
    return tuple(tuple(sorted(p)) for p in placed)


@dataclass(frozen=True)
class RoomItem:
    """Something that needs rack space and power: a host, or a room's retained equipment."""

    id: str
    rack_units: int
    power_kw: float
    security_class: SecurityClass
    on_premises_only: bool
    pinned_room_id: str | None
    current_room_id: str | None  # None: new hardware, installed wherever it goes
    move_cost_eur: float
    is_host: bool
    own_cost_eur: float = 0.0  # what the host costs over the horizon if it stays in an own room
    # Resources its workloads would rent from a hosting service; None: it cannot go to one
    # (retained equipment, a failover host of the own cluster).
    service_load: tuple[float, float, float] | None = None  # vCPUs, GB of RAM, TB of storage


@dataclass(frozen=True)
class RoomPlan:
    """Rooms kept and closed, where each item goes, and the cost with its bound."""

    decisions: tuple[RoomDecision, ...]
    placement: dict[str, str]  # item id -> room id
    cost_eur: float  # over the horizon
    lower_bound_eur: float
    gap: float
    proven_optimal: bool
    solver_time_s: float


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class _Candidate:
    """An existing room or an external option, seen the same way by the solver."""

    id: str
    name: str
    kind: RoomKind
    is_external: bool
    latitude: float
    longitude: float
    rack_units: int
    power_w: int
    condition: SecurityClass
    annual_fixed_eur: float
    annual_per_rack_eur: float
    one_off_eur: float
    service: ExternalRoomOption | None = None  # a hosting service: priced per resource, no racks


#: A hosting service's capacity as the solver sees it: more than any county can use.
_UNLIMITED = 10**9


def _candidates(rooms: Sequence[Room], externals: Sequence[ExternalRoomOption], params: Params) -> list[_Candidate]:
    """Existing rooms first, then the external options the scenario allows."""
    found = [
        _Candidate(r.id, r.name, r.kind, False, r.latitude, r.longitude, r.racks * params.rack_units_per_rack,
                   math.floor(r.power_kw * 1000), r.condition, r.annual_cost_eur, 0.0, 0.0)
        for r in rooms
    ]
    for e in externals:
        if params.allowed_external is None or e.id in params.allowed_external:
            found.append(
                _Candidate(e.id, e.name, e.kind, True, e.latitude, e.longitude, _UNLIMITED, _UNLIMITED,
                           e.condition, e.annual_fixed_eur, 0.0, e.onboarding_eur, service=e)
            )
    return found


def _room_key(item: RoomItem) -> tuple[object, ...]:
    """What the room plan sees of an item: items with the same key are interchangeable."""
    return (
        item.rack_units,
        item.power_kw,
        item.security_class,
        item.on_premises_only,
        item.pinned_room_id,
        item.current_room_id,
        item.move_cost_eur,
        item.is_host,
        item.own_cost_eur,
        item.service_load,
    )


def _assign_cost(item: RoomItem, room: _Candidate, horizon_years: int) -> int | None:
    """Cost of an item in a room over the horizon, or None when a rule forbids it.

    In an own room: moving it there, and the host's own cost. At a hosting service: renting
    its workloads' resources instead (no host is bought there).
    """
    if item.security_class > room.condition:
        return None
    if room.service is not None:
        if item.service_load is None or item.on_premises_only or item.pinned_room_id is not None:
            return None
        return round(horizon_years * room.service.annual_fee_eur(*item.service_load))
    if item.on_premises_only and (room.is_external or room.kind != RoomKind.OWN):
        return None
    if item.pinned_room_id is not None and item.pinned_room_id != room.id:
        return None
    if item.current_room_id is None or item.current_room_id == room.id:
        return round(item.own_cost_eur)
    return round(item.move_cost_eur + item.own_cost_eur)


def plan_rooms(
    items: Sequence[RoomItem],
    rooms: Sequence[Room],
    externals: Sequence[ExternalRoomOption],
    params: Params,
    separations: Sequence[tuple[str, str]] = (),
) -> RoomPlan:
    """Choose rooms to keep and place every item, minimising cost over the horizon."""
    candidates = _candidates(rooms, externals, params)
    separated = {i for pair in separations for i in pair}
    groups: dict[tuple[object, ...], list[RoomItem]] = {}
    for item in items:
        key = (item.id,) if item.id in separated else _room_key(item)
        groups.setdefault(key, []).append(item)
    customers = list(groups.values())
    index = {item.id: k for k, group in enumerate(customers) for item in group}
    horizon = params.horizon_years
    far_apart = frozenset(
        (f, g)
        for f, a in enumerate(candidates)
        for g, b in enumerate(candidates)
        if f != g and distance_km(a.latitude, a.longitude, b.latitude, b.longitude) >= params.resilience_distance_km
    )
    problem = FacilityProblem(
        open_cost=tuple(round(c.one_off_eur + horizon * c.annual_fixed_eur) for c in candidates),
        capacity=tuple((c.rack_units, c.power_w) for c in candidates),
        demand=tuple((g[0].rack_units, math.ceil(g[0].power_kw * 1000)) for g in customers),
        assign_cost=tuple(tuple(_assign_cost(g[0], c, horizon) for c in candidates) for g in customers),
        multiplicity=tuple(len(g) for g in customers),
        block_cost=tuple(round(horizon * c.annual_per_rack_eur) for c in candidates),
        block_size=params.rack_units_per_rack,
        separations=tuple((index[a], index[b]) for a, b in separations),
        far_apart=far_apart,
    )
    for group, costs in zip(customers, problem.assign_cost, strict=True):
        item = group[0]
        if all(c is None for c in costs):
            raise RoomPlanInfeasible(
                f"{item.id} needs a room of class {item.security_class.name}"
                + (" on premises" if item.on_premises_only else "")
                + (f" pinned to {item.pinned_room_id}" if item.pinned_room_id else "")
                + ", and no candidate room qualifies"
            )
    solution = solve_facility_location(
        problem, time_limit_s=params.time_limit_s, num_workers=params.num_workers, seed=params.seed
    )
    placement = {
        item.id: candidates[f].id
        for group, units_at in zip(customers, solution.assignment, strict=True)
        for item, f in zip(group, units_at, strict=True)
    }
    decisions = _decisions(items, candidates, solution, placement, separations, params)
    return RoomPlan(
        decisions=decisions,
        placement=placement,
        cost_eur=float(solution.cost),
        lower_bound_eur=float(solution.lower_bound),
        gap=solution.gap,
        proven_optimal=solution.proven_optimal,
        solver_time_s=solution.solver_time_s,
    )


def _decisions(
    items: Sequence[RoomItem],
    candidates: Sequence[_Candidate],
    solution: FacilitySolution,
    placement: dict[str, str],
    separations: Sequence[tuple[str, str]],
    params: Params,
) -> tuple[RoomDecision, ...]:
    """One decision per candidate room, with a reason a non-specialist can check."""
    by_id = {item.id: item for item in items}
    decisions: list[RoomDecision] = []
    for f, room in enumerate(candidates):
        held = [item for item in items if placement[item.id] == room.id]
        units = sum(i.rack_units for i in held)
        power = sum(i.power_kw for i in held)
        racks = math.ceil(units / params.rack_units_per_rack)
        annual = room.annual_fixed_eur + racks * room.annual_per_rack_eur if solution.open[f] else 0.0
        if room.service is not None and solution.open[f]:
            annual += sum(room.service.annual_fee_eur(*i.service_load) for i in held if i.service_load)
        if solution.open[f]:
            reason = _kept_reason(room, held, units, power, separations, placement, by_id, params)
        elif room.is_external:
            reason = (explain(NOT_USED),)
        else:
            reason = _closed_reason(room, items, placement)
        decisions.append(
            RoomDecision(
                room_id=room.id,
                name=room.name,
                kind=room.kind,
                is_external=room.is_external,
                kept=solution.open[f],
                reason=joined(reason),
                explained=reason,
                hosts=sum(1 for i in held if i.is_host),
                rack_units_used=units,
                power_kw_used=round(power, 3),
                annual_cost_eur=annual,
            )
        )
    return tuple(decisions)


#: Why a room is kept, rented or closed: the parts of its reason.
RENTED = define("rooms.rented",
                "rented as a service: the workloads of %(hosts)s planned host, no host bought there",
                "rented as a service: the workloads of %(hosts)s planned hosts, no host bought there",
                "hosts")
KEPT = define("rooms.kept",
              "kept: holds %(hosts)s host and %(others)s other item(s), %(units)s of "
              "%(rack_units)s U and %(power)s of %(capacity)s kW",
              "kept: holds %(hosts)s hosts and %(others)s other item(s), %(units)s of "
              "%(rack_units)s U and %(power)s of %(capacity)s kW", "hosts")
MEETS_CLASS = define("rooms.meets_class",
                     "its condition meets class %(security_class)s that its workloads need")
PINNED = define("rooms.pinned", "workloads are pinned here")
ON_PREMISES = define("rooms.on_premises", "workloads must stay on premises")
SECOND_SITE = define("rooms.second_site",
                     "second site for workloads that need rooms at least %(distance)s km apart "
                     "(partner: %(partners)s)")
CHEAPER = define("rooms.cheaper",
                 "cheaper over %(years)s years than own hosts in an own room (%(vcpu)s EUR per "
                 "vCPU, %(ram)s EUR per GB of RAM and %(tb)s EUR per TB of storage a month, "
                 "%(fixed)s EUR a year)")
NOT_USED = define("rooms.not_used",
                  "not used: own hosts in the kept rooms cost less over the horizon")
CLOSED_MOVES = define("rooms.closed_moves",
                      "closed: its equipment moves to %(rooms)s; saves %(saving)s EUR a year of "
                      "running cost")
CLOSED_UNUSED = define("rooms.closed_unused",
                       "closed: no host of the plan needs it; saves %(saving)s EUR a year of "
                       "running cost")


def _kept_reason(
    room: _Candidate,
    held: Sequence[RoomItem],
    units: int,
    power: float,
    separations: Sequence[tuple[str, str]],
    placement: dict[str, str],
    by_id: dict[str, RoomItem],
    params: Params,
) -> tuple[Explanation, ...]:
    """Why a room is kept or rented: what it holds, its fill, and the rules it serves."""
    hosts = sum(1 for i in held if i.is_host)
    if room.service is not None:
        parts = [explain(RENTED, hosts=hosts)]
    else:
        parts = [explain(KEPT, hosts=hosts, others=len(held) - hosts, units=units,
                         rack_units=room.rack_units, power=Number(power, 1),
                         capacity=Number(room.power_w / 1000, 1))]
    top = max((i.security_class for i in held), default=SecurityClass.BASIC)
    if top > SecurityClass.BASIC:
        parts.append(explain(MEETS_CLASS, security_class=top.name))
    if any(i.pinned_room_id == room.id for i in held):
        parts.append(explain(PINNED))
    if any(i.on_premises_only for i in held):
        parts.append(explain(ON_PREMISES))
    partners = sorted(
        {placement[b if placement[a] == room.id else a] for a, b in separations if room.id in (placement[a], placement[b])}
    )
    if partners:
        distance = params.resilience_distance_km
        parts.append(explain(SECOND_SITE, partners=", ".join(partners),
                             distance=Number(distance, 0 if distance == int(distance) else 1)))
    if room.service is not None:
        s = room.service
        parts.append(explain(CHEAPER, years=params.horizon_years,
                             vcpu=Number(s.eur_per_vcpu_month, 2),
                             ram=Number(s.eur_per_gb_ram_month, 2),
                             tb=Number(s.eur_per_tb_storage_month, 2),
                             fixed=Number(s.annual_fixed_eur, 0)))
    return tuple(parts)


def _closed_reason(room: _Candidate, items: Sequence[RoomItem],
                   placement: dict[str, str]) -> tuple[Explanation, ...]:
    """Why an existing room closes: its annual cost is saved, and where its contents go."""
    leaving = sorted({placement[i.id] for i in items if i.current_room_id == room.id})
    saving = Number(room.annual_fixed_eur, 0)
    if leaving:
        return (explain(CLOSED_MOVES, rooms=", ".join(leaving), saving=saving),)
    return (explain(CLOSED_UNUSED, saving=saving),)
