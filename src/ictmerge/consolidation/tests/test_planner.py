"""The planner's relaxations, and the two small engine fixes it relies on (no database)."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from ictmerge.consolidation.planner import PlannedCounty, plan_with_relaxations
from ictmerge.engine.consolidation import (
    ExistingServer,
    Params,
    PlacementRule,
    Room,
    RoomKind,
    RuleKind,
    SecurityClass,
    VirtualMachine,
    load_external_rooms,
    load_host_catalogue,
)
from ictmerge.engine.consolidation.packing import PackingProblem, lower_bound
from ictmerge.engine.consolidation.workloads import county_workloads

PARAMS = Params(time_limit_s=0.3)


def _room(rid: str, kind: RoomKind = RoomKind.OWN, condition: SecurityClass = SecurityClass.BASIC,
          lat: float = 56.9, lon: float = 24.1) -> Room:
    return Room(id=rid, name=f"room {rid}", kind=kind, latitude=lat, longitude=lon, racks=2,
                power_kw=10, condition=condition, annual_cost_eur=4000)


def _server(sid: str, room: str, *vms: VirtualMachine) -> ExistingServer:
    return ExistingServer(id=sid, room_id=room, cores=16, ram_gb=128, storage_gb=2000,
                          age_years=8, vms=vms)


def _vm(vid: str, **extra: object) -> VirtualMachine:
    return VirtualMachine(id=vid, vcpus=2, ram_gb=8, storage_gb=100, **extra)  # type: ignore[arg-type]


def _plan(servers: tuple[ExistingServer, ...], rooms: tuple[Room, ...],
          rules: tuple[PlacementRule, ...] = (), services: bool = False) -> PlannedCounty:
    """The policy-level plan, with own rooms only unless hosting services are offered."""
    return plan_with_relaxations("T", "Test", servers, rooms, rules, load_host_catalogue(),
                                 load_external_rooms() if services else (), PARAMS)


def test_it_pins_one_vm_without_pinning_its_neighbours() -> None:
    """GIVEN a server with one pinned VM THEN only that VM's workload must stay on premises."""
    server = _server("S1", "R1", _vm("v1", must_stay_on_premises=True), _vm("v2"))
    pinned = {w.id: w.must_stay_on_premises for w in county_workloads([server], PARAMS)}
    assert pinned == {"v1": True, "v2": False}


def test_it_bounds_separation_groups_within_each_colour() -> None:
    """GIVEN two colours, each with a 3-item separation group of tiny items THEN 6 bins are needed."""
    problem = PackingProblem(sizes=((1, 1, 1),) * 6, capacity=(100, 100, 100),
                             colours=(0, 0, 0, 1, 1, 1), separate=((0, 1, 2), (3, 4, 5)))
    assert lower_bound(problem) == 6


def test_it_plans_without_relaxing_when_the_rules_can_hold() -> None:
    """GIVEN two own rooms 100 km apart and two DCs that need rooms apart THEN both hold, nothing relaxed."""
    rooms = (_room("R1"), _room("R2", lat=57.5, lon=25.4))
    servers = (_server("S1", "R1", _vm("dc1")), _server("S2", "R2", _vm("dc2")))
    rule = PlacementRule(RuleKind.SEPARATE_ROOMS, ("dc1", "dc2"), "two DCs")
    planned = _plan(servers, rooms, (rule,))
    assert planned.relaxations == ()
    plan = planned.plan
    host_room = {h.id: h.room_id for h in plan.hosts}
    assert host_room[plan.assignment["dc1"]] != host_room[plan.assignment["dc2"]]


def test_it_separates_hosts_only_when_no_rooms_lie_far_apart() -> None:
    """GIVEN pinned DCs needing rooms 30 km apart and one own room THEN the rule becomes separate
    hosts and the relaxation says so."""
    servers = (_server("S1", "R1", _vm("dc1", must_stay_on_premises=True),
                       _vm("dc2", must_stay_on_premises=True)),)
    rule = PlacementRule(RuleKind.SEPARATE_ROOMS, ("dc1", "dc2"), "two DCs")
    planned = _plan(servers, (_room("R1"),), (rule,))
    assert len(planned.relaxations) == 1 and "30 km" in planned.relaxations[0]
    plan = planned.plan
    assert plan.assignment["dc1"] != plan.assignment["dc2"]


def test_it_assumes_an_upgrade_when_no_own_room_meets_a_pinned_class() -> None:
    """GIVEN a pinned HIGH workload and only a BASIC own room THEN the room is assumed upgraded."""
    servers = (_server("S1", "R1", _vm("v1", must_stay_on_premises=True,
                                       security_class=SecurityClass.HIGH)),)
    planned = _plan(servers, (_room("R1"),))
    assert "upgraded to class HIGH" in planned.relaxations[0]
    plan = planned.plan
    assert {h.room_id for h in plan.hosts if h.workload_ids} == {"R1"}


def test_it_unpins_when_the_county_has_no_own_room() -> None:
    """GIVEN a pinned workload and only an outsourced room THEN it is planned like the others."""
    servers = (_server("S1", "R1", _vm("v1", must_stay_on_premises=True)),)
    planned = _plan(servers, (_room("R1", kind=RoomKind.OUTSOURCED),))
    assert "no own server room" in planned.relaxations[0]
    plan = planned.plan
    assert plan.servers_after + sum(len(s.workload_ids) for s in plan.external_services) >= 1


def test_it_notes_a_plan_that_fell_back_to_todays_estate(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a room solver that finds no plan in time WHEN the county is planned at today's level THEN the estate is kept and the plan's notes say it fell back."""
    from ictmerge.consolidation.planner import FELL_BACK
    from ictmerge.engine.consolidation import ServiceLevel, packing, rooms

    configure = packing.configure_solver

    def no_time(solver: cp_model.CpSolver, *args: object) -> None:
        configure(solver, *args)  # type: ignore[arg-type]
        solver.parameters.max_time_in_seconds = 0.0
        solver.parameters.max_deterministic_time = 0.0

    servers = tuple(_server(f"S{k}", f"R{k % 2}", _vm(f"v{k}")) for k in range(4))
    rooms_ = (_room("R0"), _room("R1"))
    args = ("T", "Test", servers, rooms_, (), load_host_catalogue(), (), PARAMS)
    assert plan_with_relaxations(*args, level=ServiceLevel.TODAY).relaxations == ()
    monkeypatch.setattr(rooms, "greedy_facility_location", lambda problem: None)
    monkeypatch.setattr(rooms, "configure_solver", no_time)
    planned = plan_with_relaxations(*args, level=ServiceLevel.TODAY)
    assert planned.plan.kept_estate and planned.plan.fell_back
    assert planned.relaxations == (FELL_BACK,)


def test_it_says_in_words_that_a_plan_fell_back() -> None:
    """GIVEN a result that kept today's estate for want of a room plan WHEN its bound is put in words THEN the words say so, not that nothing could be saved."""
    from ictmerge.consolidation.explain import bound_in_words

    kept = {"kept_estate": True, "fell_back": False, "servers_after": 4, "lower_bound": 0, "hosts": []}
    assert "would not reduce them" in bound_in_words(kept)
    words = bound_in_words({**kept, "fell_back": True})
    assert "no room plan for the consolidation was found" in words and "would not reduce" not in words
