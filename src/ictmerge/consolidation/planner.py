"""Plan one county with the engine, relaxing rules the inventory makes impossible, and saying so.

An inventory often asks for something no room of the county can give: a workload pinned on
premises in a county with no own room, a class no own room's condition meets, or two rooms
far apart where all rooms are in one town. The engine then has no plan at all. Rather than
leave the county without an answer, the planner relaxes the rule that blocks it, in a fixed
order from the least to the most significant, and every relaxation is listed with the plan
so that a reader sees what the plan assumes (e.g. a room upgraded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ictmerge.engine.consolidation import (
    CountyInputs,
    CountyPlan,
    ExistingServer,
    ExternalRoomOption,
    HostModel,
    Params,
    PlacementRule,
    Room,
    RoomKind,
    RoomPlanInfeasible,
    RuleKind,
    SecurityClass,
    ServiceLevel,
    plan_county,
)


@dataclass(frozen=True)
class PlannedCounty:
    """The engine's plan and the rules relaxed to reach it."""

    plan: CountyPlan
    relaxations: tuple[str, ...]


def _unpin(servers: Sequence[ExistingServer]) -> tuple[ExistingServer, ...]:
    return tuple(replace(s, must_stay_on_premises=False,
                         vms=tuple(replace(vm, must_stay_on_premises=False) for vm in s.vms))
                 for s in servers)


def _pinned_classes(servers: Sequence[ExistingServer]) -> list[SecurityClass]:
    """Security classes of the workloads that must stay on premises."""
    found = []
    for s in servers:
        if s.vms:
            found += [vm.security_class or s.security_class for vm in s.vms
                      if vm.must_stay_on_premises or s.must_stay_on_premises]
        elif s.must_stay_on_premises:
            found.append(s.security_class)
    return found


def _pinned_count(servers: Sequence[ExistingServer]) -> int:
    return len(_pinned_classes(servers))


def _downgrade(rules: Sequence[PlacementRule], which: set[int]) -> tuple[PlacementRule, ...]:
    return tuple(replace(r, kind=RuleKind.SEPARATE_HOSTS) if k in which else r
                 for k, r in enumerate(rules))


def _pinned_ids(servers: Sequence[ExistingServer]) -> set[str]:
    ids = set()
    for s in servers:
        ids |= {vm.id for vm in s.vms if vm.must_stay_on_premises or s.must_stay_on_premises}
        if not s.vms and s.must_stay_on_premises:
            ids.add(s.id)
    return ids


#: The note a plan carries when it kept today's estate for want of a room plan in time.
FELL_BACK = ("no room plan for the consolidation was found in the solver's time: today's servers "
             "and rooms are kept as they are (planning again on a less busy machine may find one)")


def _planned(inputs: CountyInputs, level: ServiceLevel, relaxations: Sequence[str]) -> PlannedCounty:
    """The engine's plan with the notes so far, and a note of its own when it fell back."""
    plan = plan_county(inputs, level)
    return PlannedCounty(plan, (*relaxations, FELL_BACK) if plan.fell_back else tuple(relaxations))


def plan_with_relaxations(
    code: str,
    name: str,
    servers: Sequence[ExistingServer],
    rooms: Sequence[Room],
    rules: Sequence[PlacementRule],
    host_models: Sequence[HostModel],
    externals: Sequence[ExternalRoomOption],
    params: Params,
    room_names: dict[str, str] | None = None,
    level: ServiceLevel = ServiceLevel.POLICY,
    unchanged: bool = False,
) -> PlannedCounty:
    """Plan the county at a service level; when no plan exists, relax one kind of rule at a time
    and retry."""
    names = room_names or {}
    servers = tuple(servers)
    rooms = tuple(rooms)
    rules = tuple(rules)
    relaxations: list[str] = []
    own = [r for r in rooms if r.kind == RoomKind.OWN]
    pinned = _pinned_count(servers)
    if pinned and not own:
        servers = _unpin(servers)
        relaxations.append(
            f"{pinned} workload(s) must stay on premises, but the county has no own server room: "
            "they are planned like the others")
    elif pinned:
        needed = max(_pinned_classes(servers))
        best = max(own, key=lambda r: (r.condition, r.racks, r.power_kw, r.id))
        if best.condition < needed:
            rooms = tuple(replace(r, condition=needed) if r.id == best.id else r for r in rooms)
            relaxations.append(
                f"workloads that must stay on premises need a room of class {needed.name}, which no "
                f"own room meets today: the plan assumes {names.get(best.id, best.id)} is upgraded to "
                f"class {needed.name} (the cost of the works is not included)")
    inputs = CountyInputs(code=code, name=name, servers=servers, rooms=rooms,
                          host_models=tuple(host_models), external_options=tuple(externals),
                          rules=rules, params=params, unchanged=unchanged)
    pinned_ids = _pinned_ids(servers)
    steps = (
        ("rooms_apart_pinned", lambda r: any(w in pinned_ids for w in r.workload_ids)),
        ("rooms_apart_all", lambda r: True),
    )
    for step, applies in (*steps, ("unpin", None)):
        try:
            return _planned(inputs, level, relaxations)
        except RoomPlanInfeasible as error:
            blocker = str(error)
        if step == "unpin":
            if not _pinned_count(inputs.servers):
                continue
            inputs = replace(inputs, servers=_unpin(inputs.servers))
            relaxations.append(
                "the own rooms cannot hold every workload that must stay on premises (capacity or "
                f"condition; the solver said: {blocker}): they are planned like the others")
            continue
        assert applies is not None
        which = {k for k, r in enumerate(inputs.rules)
                 if r.kind == RuleKind.SEPARATE_ROOMS and applies(r)}
        if not which:
            continue
        inputs = replace(inputs, rules=_downgrade(inputs.rules, which))
        reasons = "; ".join(inputs.rules[k].reason for k in sorted(which))
        relaxations.append(
            f"no two suitable rooms lie {params.resilience_distance_km:g} km apart for "
            f"{len(which)} group(s) that need it ({reasons}): their workloads are on separate "
            "hosts, possibly in one room")
    return _planned(inputs, level, relaxations)
