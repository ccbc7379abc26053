"""County plans and room consolidation: rules hold, capacity and resilience respected, money adds up."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from itertools import combinations_with_replacement, product
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from ictmerge.engine.consolidation import (
    CountyPlan,
    ExistingServer,
    Params,
    PlacementRule,
    Room,
    RoomKind,
    RuleKind,
    SecurityClass,
    ServiceLevel,
    lagrangian,
    load_external_rooms,
    load_host_catalogue,
    plan_county,
    rooms,
)
from ictmerge.engine.consolidation.lagrangian import lagrangian_bound, ruled_out
from ictmerge.engine.consolidation.model import CountyInputs, PlannedHost
from ictmerge.engine.consolidation.packing import Packing, PackingProblem
from ictmerge.engine.consolidation.plan import _repack_own
from ictmerge.engine.consolidation.rooms import (
    FacilityProblem,
    RoomPlanInfeasible,
    _with_lagrangian_bound,
    distance_km,
    facility_cost,
    facility_model,
    greedy_facility_location,
    solve_facility_location,
)
from ictmerge.engine.consolidation.synthetic import synthetic_county
from ictmerge.engine.consolidation.workloads import percentile, server_workloads

HOLMBERG = Path(__file__).resolve().parents[2] / ".." / "shared" / "benchmarks" / "sscflp-holmberg"
FAST = Params(time_limit_s=0.2)


def assert_plan_holds(inputs: CountyInputs, plan: CountyPlan) -> None:
    """Every rule of the brief, checked on a finished plan."""
    params = inputs.params
    workloads = {w.id: w for w in plan.workloads}
    hosts = {h.id: h for h in plan.hosts}
    placed = [w for h in plan.hosts for w in h.workload_ids]
    rented = [w for s in plan.external_services for w in s.workload_ids]
    assert sorted(placed + rented) == sorted(workloads), "every workload placed exactly once"
    rooms = {d.room_id: d for d in plan.rooms}
    assert not any(d.is_external for d in plan.rooms), "a hosting service is not a room of the plan"
    candidates = {r.id: (r.latitude, r.longitude, r.condition, r.kind) for r in inputs.rooms}
    options = {e.id: e for e in inputs.external_options}
    assert all(h.room_id not in options for h in plan.hosts), "no host is bought at an external option"
    for service in plan.external_services:
        option = options[service.option_id]
        for w in service.workload_ids:
            assert workloads[w].security_class <= option.condition, "the service meets the class"
            assert not workloads[w].must_stay_on_premises and not workloads[w].pinned_room_id
        assert service.annual_eur >= option.annual_fixed_eur
    for h in plan.hosts:
        members = [workloads[w] for w in h.workload_ids]
        assert sum(w.cpu_cores for w in members) <= h.cpu_cores * params.cpu_headroom + 1e-6
        assert sum(w.ram_gb for w in members) <= h.ram_gb * params.ram_headroom + 1e-6
        assert sum(w.storage_gb for w in members) <= h.storage_gb * params.storage_headroom + 1e-6
        assert rooms[h.room_id].kept
        _, _, condition, kind = candidates[h.room_id]
        for w in members:
            assert w.security_class <= condition, "room meets the class"
            if w.pinned_room_id:
                assert h.room_id == w.pinned_room_id
            if w.must_stay_on_premises:
                assert kind == RoomKind.OWN and not rooms[h.room_id].is_external
    for rule in inputs.rules:
        on = [plan.assignment[w] for w in rule.workload_ids if w in plan.assignment]
        assert len(set(on)) == len(on), "anti-affinity: separate hosts"
        if rule.kind == RuleKind.SEPARATE_ROOMS:
            for a in on:
                for b in on:
                    if a < b:
                        ra, rb = candidates[hosts[a].room_id], candidates[hosts[b].room_id]
                        assert distance_km(ra[0], ra[1], rb[0], rb[1]) >= params.resilience_distance_km
    for d in plan.rooms:
        if d.kept:
            racks = next(r.racks for r in inputs.rooms if r.id == d.room_id)
            assert d.rack_units_used <= racks * params.rack_units_per_rack, "room capacity"
    assert plan.lower_bound <= plan.servers_after
    assert plan.external_services or plan.servers_after <= plan.ffd_hosts
    assert plan.room_lower_bound_eur <= plan.room_cost_eur + 1e-6
    assert plan.rooms_after == sum(1 for d in plan.rooms if d.kept)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_servers=st.integers(1, 15), n_rooms=st.integers(1, 5), seed=st.integers(0, 10_000))
def test_it_keeps_every_rule_on_generated_counties(n_servers: int, n_rooms: int, seed: int) -> None:
    """GIVEN any generated county WHEN planned THEN placement, headroom, rules, capacity and resilience hold."""
    inputs = synthetic_county("T", n_servers, n_rooms, seed, Params(seed=seed, time_limit_s=0.2))
    assert_plan_holds(inputs, plan_county(inputs))


def _room(rid: str, lat: float, condition: SecurityClass = SecurityClass.BASIC, racks: int = 2) -> Room:
    """A plain own room at some latitude on the 24th meridian."""
    return Room(rid, rid, RoomKind.OWN, lat, 24.0, racks, 10.0, condition, 3000.0, retained_equipment_u=2)


def _server(sid: str, room: str, **kwargs: object) -> ExistingServer:
    """A small old server with its default utilisation."""
    return ExistingServer(sid, room, cores=8, ram_gb=32, storage_gb=500, age_years=8, **kwargs)  # type: ignore[arg-type]


def test_it_consolidates_small_rooms_and_states_why() -> None:
    """GIVEN three rooms with few servers WHEN planned THEN rooms close, each with a reason."""
    rooms = (_room("A", 56.0), _room("B", 56.01), _room("C", 56.02))
    servers = tuple(_server(f"S{k}", rooms[k % 3].id) for k in range(9))
    inputs = CountyInputs("X", "X", servers, rooms, load_host_catalogue(), (), (), FAST)
    plan = plan_county(inputs)
    assert_plan_holds(inputs, plan)
    assert plan.rooms_after == 1
    assert plan.servers_after < plan.servers_before
    closed = [d for d in plan.rooms if not d.kept]
    assert len(closed) == 2 and all("saves" in d.reason for d in closed)
    assert plan.money.annual_saving_eur > 0 and plan.money.payback_years is not None


def test_it_keeps_two_rooms_far_apart_for_a_backup() -> None:
    """GIVEN a backup that must be 30 km from its source WHEN planned THEN two distant rooms stay."""
    rooms = (_room("A", 56.0), _room("B", 56.01), _room("Far", 56.5))
    servers = (_server("src", "A"), _server("bak", "B"), _server("other", "A"))
    rules = (PlacementRule(RuleKind.SEPARATE_ROOMS, ("src", "bak"), "backup"),)
    inputs = CountyInputs("X", "X", servers, rooms, load_host_catalogue(), (), rules, FAST)
    plan = plan_county(inputs)
    assert_plan_holds(inputs, plan)
    assert plan.rooms_after == 2
    assert {plan.hosts[0].room_id, plan.hosts[1].room_id} >= {"Far"} or "Far" in {
        h.room_id for h in plan.hosts
    }
    assert any("second site" in d.reason for d in plan.rooms if d.kept)


def test_it_rents_high_class_workloads_from_a_service_that_meets_the_class_and_buys_no_host_there() -> None:
    """GIVEN a HIGH workload and only BASIC own rooms WHEN planned at the policy level THEN it is rented
    at the HIGH service per resource, no host stands there, and the service is not a room after."""
    rooms = (_room("A", 56.0),)
    servers = (_server("secret", "A", security_class=SecurityClass.HIGH), _server("plain", "A"))
    inputs = CountyInputs("X", "X", servers, rooms, load_host_catalogue(), load_external_rooms(), (), FAST)
    plan = plan_county(inputs)
    assert_plan_holds(inputs, plan)
    assert "secret" not in plan.assignment
    (service,) = [s for s in plan.external_services if "secret" in s.workload_ids]
    assert service.option_id == "ext-state-dc"
    option = next(e for e in inputs.external_options if e.id == "ext-state-dc")
    assert service.annual_eur == pytest.approx(
        option.annual_fixed_eur + option.annual_fee_eur(service.vcpus, service.ram_gb, service.storage_tb), abs=0.01)
    assert plan.money.annual_after_lines["external services"] == pytest.approx(
        sum(s.annual_eur for s in plan.external_services), abs=0.01)
    assert plan.rooms_after <= plan.rooms_before == 1


def test_it_reuses_a_young_strong_server() -> None:
    """GIVEN a two-year-old 32-core server WHEN planned THEN it becomes a host instead of a new one."""
    rooms = (_room("A", 56.0),)
    young = ExistingServer("young", "A", cores=32, ram_gb=256, storage_gb=4000, age_years=2)
    inputs = CountyInputs("X", "X", (young, _server("old", "A")), rooms, load_host_catalogue(), (), (), FAST)
    plan = plan_county(inputs)
    assert "young" in {h.reused_server_id for h in plan.hosts}


def test_it_rejects_a_rule_naming_an_unknown_workload() -> None:
    """GIVEN a rule with a typo WHEN planned THEN the error names the workload."""
    rules = (PlacementRule(RuleKind.SEPARATE_HOSTS, ("S0", "nope")),)
    inputs = CountyInputs("X", "X", (_server("S0", "A"),), (_room("A", 56.0),), load_host_catalogue(), (), rules, FAST)
    with pytest.raises(ValueError, match="nope"):
        plan_county(inputs)


def test_it_takes_demand_from_a_high_percentile_or_the_default() -> None:
    """GIVEN measured and unmeasured servers WHEN turned into workloads THEN p95 or the default applies."""
    params = Params()
    measured = _server("m", "A", cpu_utilisation=tuple(k / 100 for k in range(1, 101)))
    assert server_workloads(measured, params)[0].cpu_cores == pytest.approx(8 * 0.95)
    assert server_workloads(_server("d", "A"), params)[0].cpu_cores == pytest.approx(8 * 0.25)
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0


def test_it_plans_the_same_twice() -> None:
    """GIVEN the same inputs and seed WHEN planned twice THEN the plans are equal."""
    inputs = synthetic_county("D", 20, 3, 7, Params(seed=7, time_limit_s=0.2))
    first, second = plan_county(inputs), plan_county(inputs)
    assert replace(first, solver_time_s=0.0) == replace(second, solver_time_s=0.0)


def test_catalogue_entries_state_their_source() -> None:
    """GIVEN the shipped catalogues WHEN loaded THEN every entry says where its numbers come from."""
    assert all(m.source for m in load_host_catalogue())
    assert all(e.source for e in load_external_rooms())


def read_holmberg(path: Path) -> FacilityProblem:
    """A Holmberg SSCFLP instance as a one-dimensional facility problem."""
    numbers = path.read_text().split()
    n_fac, n_cust = int(numbers[0]), int(numbers[1])
    values = [round(float(v)) for v in numbers[2:]]
    cap, cost, dem = values[:n_fac], values[n_fac : 2 * n_fac], values[2 * n_fac : 2 * n_fac + n_cust]
    rows = values[2 * n_fac + n_cust :]
    return FacilityProblem(
        open_cost=tuple(cost),
        capacity=tuple((c,) for c in cap),
        demand=tuple((d,) for d in dem),
        assign_cost=tuple(tuple(rows[j * n_fac : (j + 1) * n_fac]) for j in range(n_cust)),
    )


@pytest.mark.skipif(not HOLMBERG.is_dir(), reason=f"published instances not found at {HOLMBERG}")
@pytest.mark.parametrize("name", ["p1", "p2", "p13", "p60"])
def test_it_reaches_the_holmberg_optimum(name: str) -> None:
    """GIVEN Holmberg instances of 10, 20 and 30 rooms WHEN solved THEN the known optimum, capacity respected."""
    optimum = [round(float(v)) for v in (HOLMBERG / "os").read_text().split()]
    problem = read_holmberg(HOLMBERG / name)
    solution = solve_facility_location(problem, time_limit_s=30.0)
    for f, cap in enumerate(problem.capacity):
        load = sum(problem.demand[c][0] for c, g in enumerate(solution.assignment) if g == (f,))
        assert load <= cap[0]
    assert solution.cost == optimum[int(name[1:]) - 1]
    assert solution.lower_bound <= solution.cost
    assert solution.proven_optimal


# The room tests run the solver alone (one worker, a fixed seed, work-counted time) on
# derandomised examples: the same 200 problems and the same answers on every run.
solve_alone = partial(solve_facility_location, time_limit_s=0.5, num_workers=1, seed=0, deterministic=True)
ROOM_SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


@st.composite
def distinct_pairs(draw: st.DrawFn, n: int) -> tuple[int, int]:
    """Two different indices below n (n >= 2)."""
    a = draw(st.integers(0, n - 1))
    b = draw(st.integers(0, n - 2))
    return a, b + (b >= a)


@st.composite
def facility_problems(
    draw: st.DrawFn, max_facilities: int = 5, max_customers: int = 6, max_units: int = 3
) -> FacilityProblem:
    """Small facility problems with capacities, forbidden pairs, multiplicities and separations."""
    n_fac = draw(st.integers(1, max_facilities))
    n_cust = draw(st.integers(1, max_customers))
    far = {(f, g) for f in range(n_fac) for g in range(f + 1, n_fac) if draw(st.booleans())}
    seps = draw(st.lists(distinct_pairs(n_cust), min_size=1, max_size=2)) if n_cust > 1 else []
    return FacilityProblem(
        open_cost=tuple(draw(st.integers(0, 100)) for _ in range(n_fac)),
        capacity=tuple((draw(st.integers(0, 30)), draw(st.integers(0, 30))) for _ in range(n_fac)),
        demand=tuple((draw(st.integers(0, 5)), draw(st.integers(0, 5))) for _ in range(n_cust)),
        assign_cost=tuple(  # one pair in five is forbidden
            tuple(draw(st.integers(0, 30)) if draw(st.integers(0, 4)) else None for _ in range(n_fac))
            for _ in range(n_cust)
        ),
        multiplicity=tuple(draw(st.integers(1, max_units)) for _ in range(n_cust)),
        block_cost=tuple(draw(st.integers(0, 20)) for _ in range(n_fac)),
        block_size=draw(st.integers(1, 5)),
        separations=tuple(seps),
        far_apart=frozenset(far | {(b, a) for a, b in far}),
    )


def plan_breaks(problem: FacilityProblem, plan: Sequence[Sequence[int]]) -> list[str]:
    """The rules a plan breaks: unit counts, forbidden facilities, capacity per dimension, separation."""
    broken = [f"customer {c} has {len(at)} units" for c, at in enumerate(plan) if len(at) != problem.multiplicity[c]]
    broken += [f"customer {c} in {f}" for c, at in enumerate(plan) for f in at if problem.assign_cost[c][f] is None]
    for f, cap in enumerate(problem.capacity):
        for d, limit in enumerate(cap):
            if sum(problem.demand[c][d] for c, at in enumerate(plan) for g in at if g == f) > limit:
                broken.append(f"facility {f} over capacity in dimension {d}")
    broken += [
        f"customers {a} and {b} too close" for a, b in problem.separations
        if any((f, g) not in problem.far_apart for f in plan[a] for g in plan[b])
    ]
    return broken


def cost_of_fixed_plan(problem: FacilityProblem, plan: Sequence[Sequence[int]]) -> float | None:
    """The CP-SAT model's own cost of a plan with every count fixed to it, or None if the model rejects it."""
    built = facility_model(problem)
    for (c, f), count in built.count.items():
        built.model.add(count == sum(1 for g in plan[c] if g == f))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10.0
    status = solver.solve(built.model)
    assert status != cp_model.UNKNOWN, "a fixed plan is decided at once"
    return solver.objective_value if status == cp_model.OPTIMAL else None


def feasible_plans(problem: FacilityProblem) -> list[tuple[tuple[int, ...], ...]]:
    """Every placement of every unit that keeps the rules."""
    choices = [
        combinations_with_replacement([f for f, cost in enumerate(costs) if cost is not None], units)
        for costs, units in zip(problem.assign_cost, problem.multiplicity, strict=True)
    ]
    return [plan for plan in product(*choices) if not plan_breaks(problem, plan)]


def brute_force_optimum(problem: FacilityProblem) -> int | None:
    """The cheapest plan's cost by trying every placement of every unit, or None when none keeps the rules."""
    return min((facility_cost(problem, plan) for plan in feasible_plans(problem)), default=None)


@ROOM_SETTINGS
@example(  # a separated customer with two units: its count is 2, never a boolean
    FacilityProblem(
        open_cost=(10, 10), capacity=((10, 10), (10, 10)), demand=((1, 1), (1, 1)), assign_cost=((0, 0), (0, 0)),
        multiplicity=(2, 2), separations=((0, 1),), far_apart=frozenset({(0, 1), (1, 0)}),
    )
)
@given(facility_problems())
def test_the_greedy_room_start_is_feasible_and_never_beats_the_solver(problem: FacilityProblem) -> None:
    """GIVEN a facility problem WHEN the greedy finds a plan THEN it keeps every rule, CP-SAT's model accepts it at its cost, and the solver's plan costs no more."""
    start = greedy_facility_location(problem)
    if start is None:
        return
    assert plan_breaks(problem, start) == []
    assert cost_of_fixed_plan(problem, start) == facility_cost(problem, start)
    solution = solve_alone(problem)
    assert plan_breaks(problem, solution.assignment) == []
    assert solution.cost == facility_cost(problem, solution.assignment)
    assert solution.proven_optimal and solution.lower_bound == solution.cost <= facility_cost(problem, start)


@ROOM_SETTINGS
@given(facility_problems(max_facilities=3, max_customers=3, max_units=3))
def test_it_finds_the_cheapest_room_plan_of_small_problems_or_says_there_is_none(problem: FacilityProblem) -> None:
    """GIVEN a small facility problem WHEN solved THEN the cost is the brute-force optimum, or both find no plan."""
    optimum = brute_force_optimum(problem)
    if optimum is None:
        with pytest.raises(RoomPlanInfeasible, match=r"no allowed facility|no choice of rooms"):
            solve_alone(problem)
        return
    solution = solve_alone(problem)
    assert plan_breaks(problem, solution.assignment) == []
    assert solution.cost == facility_cost(problem, solution.assignment) == optimum


@ROOM_SETTINGS
@given(facility_problems(max_facilities=3, max_customers=3, max_units=3), st.sampled_from([5000, 3]))
def test_the_lagrangian_bound_never_rules_out_a_cheapest_plan(problem: FacilityProblem, largest: int) -> None:
    """GIVEN a small facility problem, with knapsacks at full size or rounded down to capacity 3
    WHEN the Lagrangian bound is taken against the optimum THEN it is at most the optimum, its own
    plans keep every rule, and no cheapest plan uses what it rules out."""
    plans = feasible_plans(problem)
    if not plans:
        return
    optimum = min(facility_cost(problem, plan) for plan in plans)
    price_plan = None if problem.separations else partial(facility_cost, problem)
    with patch.object(lagrangian, "MAX_SCALED_CAPACITY", largest):
        relaxation = lagrangian_bound(problem, optimum, price_plan, max_steps=60)
        assert relaxation is not None, "a problem with a plan has a cover"
        fixing = ruled_out(problem, relaxation.prices, optimum)
    assert relaxation.lower_bound <= optimum + 1e-6
    if relaxation.plan is not None:
        assert plan_breaks(problem, relaxation.plan) == []
        assert relaxation.plan_cost == facility_cost(problem, relaxation.plan)
    for plan in plans:
        if facility_cost(problem, plan) > optimum:
            continue
        opened = {f for at in plan for f in at}
        assert not fixing.closed & opened
        assert fixing.kept_open <= opened
        assert not fixing.dropped & {(c, f) for c, at in enumerate(plan) for f in at}


@ROOM_SETTINGS
@given(facility_problems(max_facilities=3, max_customers=3, max_units=3), st.booleans())
def test_the_reduced_models_reach_and_prove_the_optimum_from_the_greedy_plan(problem: FacilityProblem,
                                                                            bound_affordable: bool) -> None:
    """GIVEN a small facility problem and its greedy plan WHEN improved only through the Lagrangian
    bound and the reduced models (or, with no time for the bound, the full model) THEN the
    brute-force optimum, proven, keeping every rule."""
    start = greedy_facility_location(problem)
    if start is None:
        return
    fewest_steps = rooms.MIN_LAGRANGIAN_STEPS if bound_affordable else rooms.MAX_STEPS + 1
    with patch.object(rooms, "MIN_LAGRANGIAN_STEPS", fewest_steps):
        cost, plan, bound = _with_lagrangian_bound(problem, (facility_cost(problem, start), start, 0), 0.5, 1, 0, True,
                                                   time.perf_counter() + 60)
    assert plan_breaks(problem, plan) == []
    assert cost == facility_cost(problem, plan) == brute_force_optimum(problem)
    assert bound == cost


def test_it_keeps_a_separated_customer_with_two_units_together_and_apart_from_its_partner() -> None:
    """GIVEN two far-apart rooms and a two-unit customer separated from another WHEN solved THEN each keeps to its own room."""
    problem = FacilityProblem(
        open_cost=(10, 10), capacity=((10,), (10,)), demand=((1,), (1,)), assign_cost=((0, 0), (0, 0)),
        multiplicity=(2, 1), separations=((0, 1),), far_apart=frozenset({(0, 1), (1, 0)}),
    )
    solution = solve_alone(problem)
    (first, second), (partner,) = solution.assignment
    assert first == second != partner
    assert solution.cost == 20 and solution.proven_optimal



def _host(k: int, room: str, workloads: tuple[str, ...]) -> PlannedHost:
    """A planned host as the room plan left it: only its room and workloads matter here."""
    return PlannedHost(
        id=f"H{k}", model="m", reused_server_id=None, is_failover=False, room_id=room, workload_ids=workloads,
        cpu_cores_used=0.0, ram_gb_used=0.0, storage_gb_used=0.0, cpu_cores=1.0, ram_gb=1.0, storage_gb=1.0,
        rack_units=1, power_kw=0.1, security_class=SecurityClass.BASIC,
    )


def test_it_packs_the_workloads_left_in_own_rooms_again_on_their_own() -> None:
    """GIVEN a packing whose full bin went to a service, leaving five own bins that three can hold WHEN repacked THEN the own items take three bins and the rented bin is kept."""
    problem = PackingProblem(sizes=((10,), (6,), (4,), (6,), (4,), (6,), (4,)), capacity=(10,))
    packing = Packing(bins=((0,), (1,), (3,), (5,), (2, 4), (6,)), lower_bound=4, proven_optimal=False,
                      method="greedy", solver_time_s=0.0, ffd_bins=6)
    rooms = ("SERVICE", "R1", "R1", "R2", "R2", "R2")
    hosts = [
        _host(k, room, tuple(f"w{i}" for i in b))
        for k, (room, b) in enumerate(zip(rooms, packing.bins, strict=True))
    ]
    found = _repack_own(hosts, packing, problem, {"SERVICE"}, Params(seed=1, time_limit_s=1.0))
    assert found is not None
    own_ids, own_bound, better = found
    assert own_ids == {f"w{i}" for i in range(1, 7)} and own_bound == 3
    assert better is not None and better.bins[0] == (0,)
    assert sorted(sorted(b) for b in better.bins[1:]) == [[1, 2], [3, 4], [5, 6]]


def test_it_leaves_own_hosts_alone_when_none_is_rented() -> None:
    """GIVEN a packing with every host in an own room WHEN asked to repack the own hosts THEN there is nothing to do."""
    problem = PackingProblem(sizes=((6,), (4,)), capacity=(10,))
    packing = Packing(bins=((0,), (1,)), lower_bound=1, proven_optimal=False, method="ffd", solver_time_s=0.0,
                      ffd_bins=2)
    hosts = [_host(0, "R1", ("w0",)), _host(1, "R1", ("w1",))]
    assert _repack_own(hosts, packing, problem, {"SERVICE"}, Params(seed=1, time_limit_s=1.0)) is None


def test_it_keeps_the_first_room_plan_when_the_repacked_hosts_find_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a repacking that offers fewer own hosts WHEN no room plan is found for them in time THEN the county keeps its first plan instead of failing."""
    from ictmerge.engine.consolidation import plan as plan_module
    from ictmerge.engine.consolidation.rooms import RoomPlanInfeasible

    inputs = synthetic_county("R", 8, 2, 3, Params(seed=3, time_limit_s=0.2))
    first = plan_module.plan_county(inputs)
    place = plan_module._place
    calls: list[int] = []

    def place_once(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) > 1:
            raise RoomPlanInfeasible("no room plan found in time")
        return place(*args, **kwargs)  # type: ignore[arg-type]

    def offer(hosts: Sequence[PlannedHost], packing: Packing, *_: object) -> tuple[set[str], int, Packing]:
        return {w for h in hosts for w in h.workload_ids}, 0, packing

    monkeypatch.setattr(plan_module, "_place", place_once)
    monkeypatch.setattr(plan_module, "_repack_own", offer)
    again = plan_module.plan_county(inputs)
    assert len(calls) == 2
    assert again.hosts == first.hosts and again.servers_after == first.servers_after


def _starve_room_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    """The room solver as on a starved machine: no greedy start, and CP-SAT out of time before a plan."""
    from ictmerge.engine.consolidation import packing, rooms

    configure = packing.configure_solver

    def no_time(solver: cp_model.CpSolver, *args: object) -> None:
        configure(solver, *args)  # type: ignore[arg-type]
        solver.parameters.max_time_in_seconds = 0.0
        solver.parameters.max_deterministic_time = 0.0

    monkeypatch.setattr(rooms, "greedy_facility_location", lambda problem: None)
    monkeypatch.setattr(rooms, "configure_solver", no_time)


def test_it_keeps_todays_estate_when_no_room_plan_is_found_in_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a room solver that finds no plan in time WHEN a county is planned at today's level THEN it keeps today's estate and says it fell back."""
    inputs = synthetic_county("F", 12, 3, 5, Params(seed=5, time_limit_s=0.2))
    consolidated = plan_county(inputs, ServiceLevel.TODAY)
    assert not consolidated.kept_estate and not consolidated.fell_back
    _starve_room_solver(monkeypatch)
    plan = plan_county(inputs, ServiceLevel.TODAY)
    assert plan.kept_estate and plan.fell_back
    assert plan.servers_after == len(inputs.servers) and plan.rooms_after == len(inputs.rooms)
    assert all("no room plan for the consolidation was found" in d.reason for d in plan.rooms)
    assert plan.packing_method == "kept as today (no_room_plan)"


def test_it_still_fails_at_the_policy_level_when_no_room_plan_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a room solver that finds no plan in time WHEN planned at the policy level THEN it raises: today's estate may not meet the policy."""
    from ictmerge.engine.consolidation import RoomPlanNotFound

    inputs = synthetic_county("F", 12, 3, 5, Params(seed=5, time_limit_s=0.2))
    _starve_room_solver(monkeypatch)
    with pytest.raises(RoomPlanNotFound, match="no room plan found within"):
        plan_county(inputs, ServiceLevel.POLICY)
