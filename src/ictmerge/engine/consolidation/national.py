"""National optimisation: every county's hosts placed across county borders, as one capacitated
facility-location model (the room solver's CP-SAT model), compared with the separate county plans.

Each county packs its own workloads onto its own hosts (a municipality stays the controller of
its data: no host carries two municipalities' workloads, and each rents hosting services under
its own agreement). The national model then chooses where those hosts stand: in the county's
own rooms, in a neighbour's room within the distance limit, in a regional hub, or with their
workloads rented from a hosting service, under the security classes and the resilience
separation rule. Prices are the county room plans' prices (one cost model): the same open,
rack, move, host and service costs over the same horizon. The separate plans, solved county by
county under the same rules, are a feasible national plan and the solver's starting point, so
the national plan never costs more than their sum.
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources

from ortools.sat.python import cp_model

from .model import CountyInputs, ExternalRoomOption, Params, RoomKind, RuleKind, SecurityClass
from .packing import configure_solver
from .plan import county_hosts, room_items, room_separations
from .rooms import (
    FacilityProblem,
    RoomItem,
    RoomPlanInfeasible,
    distance_km,
    facility_cost,
    facility_model,
    solve_facility_location,
)

Progress = Callable[[float, str], None]

#: A county's relaxation: no two of its places lie the resilience distance apart.
ROOMS_APART = "rooms_apart"

#: The state data centre in the shipped hosting-service catalogue.
STATE_DC = "ext-state-dc"


@dataclass(frozen=True)
class Centre:
    """A municipality's administrative centre (reference data with its source)."""

    code: str
    name: str
    latitude: float
    longitude: float
    source: str


@dataclass(frozen=True)
class Hub:
    """A regional hub that could be built: a shared server room for the counties around it."""

    id: str
    name: str
    region: str
    latitude: float
    longitude: float
    racks: int
    power_kw: float
    condition: SecurityClass
    one_off_eur: float
    annual_fixed_eur: float
    annual_per_rack_eur: float
    basis: str


@dataclass(frozen=True)
class NationalScenario:
    """Which places the national model may use, and the rules it keeps."""

    name: str
    hubs: bool
    #: Hosting services allowed (catalogue ids); None: every one a county plan may use.
    services: tuple[str, ...] | None
    #: Workloads of the high class go to this service (when they may leave their rooms).
    high_class_service: str | None = None
    #: Neighbours' rooms and hubs within this distance of a municipality's centre may serve it.
    max_distance_km: float = 100.0


#: The national scenarios, in the order they are shown.
SCENARIOS: dict[str, NationalScenario] = {
    s.name: s
    for s in (
        NationalScenario("own_rooms", hubs=False, services=()),
        NationalScenario("hosting_services", hubs=False, services=None),
        NationalScenario("state_dc_high", hubs=False, services=(STATE_DC,), high_class_service=STATE_DC),
        NationalScenario("regional_hubs", hubs=True, services=None),
    )
}


@dataclass(frozen=True)
class CountyResult:
    """One county in the separate plans and in the national plan: who gains, who loses."""

    code: str
    name: str
    rooms_before: int
    rooms_separate: int
    rooms_after: int  # its own rooms kept in the national plan
    hosts_separate: int
    hosts_after: int
    one_off_separate_eur: float
    one_off_eur: float
    running_separate_eur: float
    running_eur: float
    annual_separate_eur: float  # running cost + one-off spread over the horizon
    annual_eur: float
    relaxations: tuple[str, ...] = ()  # codes, such as ROOMS_APART

    @property
    def change_eur(self) -> float:
        """National minus separate annual cost: negative when the county gains."""
        return round(self.annual_eur - self.annual_separate_eur, 2)


@dataclass(frozen=True)
class Place:
    """A room, hub or hosting service of the national plan, and what it holds."""

    id: str
    name: str
    kind: str  # "room", "hub" or "service"
    owner: str  # county code of an own room or service agreement; "" for a hub
    latitude: float
    longitude: float
    kept: bool
    hosts: int
    rack_units: int
    counties: tuple[str, ...]


@dataclass(frozen=True)
class Flow:
    """Hosts of one county that stand in a room or hub of another place, or are rented."""

    county: str
    place: str
    hosts: int


@dataclass(frozen=True)
class NationalPlan:
    """The national plan of one scenario against the separate county plans."""

    scenario: str
    horizon_years: int
    rooms_before: int
    rooms_separate: int
    rooms_after: int
    hosts_separate: int
    hosts_after: int
    one_off_separate_eur: float
    one_off_eur: float
    running_separate_eur: float
    running_eur: float
    annual_separate_eur: float
    annual_eur: float
    lower_bound_eur: float  # no plan under the scenario's rules has a lower annual cost
    gap: float
    proven_optimal: bool
    solver_time_s: float
    counties: tuple[CountyResult, ...]
    places: tuple[Place, ...]
    flows: tuple[Flow, ...]
    hubs: tuple[Hub, ...] = ()
    max_distance_km: float = 100.0

    @property
    def saving_eur(self) -> float:
        """What planning together saves a year against the separate plans."""
        return round(self.annual_separate_eur - self.annual_eur, 2)


@dataclass(frozen=True)
class CountyHosts:
    """One county's packed hosts as things to place, and the separation pairs among them."""

    inputs: CountyInputs
    items: tuple[RoomItem, ...]
    prices: dict[str, float]  # item id -> new host's price (one-off part of its own cost)
    separations: tuple[tuple[str, str], ...]
    relaxations: tuple[str, ...] = ()


@dataclass
class _Facility:
    id: str
    name: str
    kind: str
    owner: str
    latitude: float
    longitude: float
    rack_units: int
    power_w: int
    condition: SecurityClass
    room_kind: RoomKind
    one_off_eur: float
    annual_eur: float
    annual_per_rack_eur: float = 0.0
    service: ExternalRoomOption | None = None
    fallback: bool = False  # a service only for what nothing of the county's own can hold


@dataclass
class _Customer:
    county: str
    items: list[RoomItem] = field(default_factory=list)


def load_centres(reform: str = "lv-2021") -> dict[str, Centre]:
    """The shipped centres of a reform's new municipalities by code (empty when none is shipped)."""
    path = resources.files("ictmerge.engine.consolidation").joinpath(f"data/centres/{reform}.csv")
    if not path.is_file():
        return {}
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return {r["code"]: Centre(r["code"], r["name"], float(r["lat"]), float(r["lon"]), r["source"])
            for r in rows}


def load_hubs(centres: dict[str, Centre], reform: str = "lv-2021") -> tuple[Hub, ...]:
    """The regional hubs of the shipped catalogue, placed at their town's centre."""
    path = resources.files("ictmerge.engine.consolidation").joinpath("data/regional_hubs.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["reform"] != reform:
        return ()
    costs = data["costs"]
    basis = "; ".join(f"{k}: {v['assumption']}" for k, v in costs.items()) + f"; sites: {data['sites_basis']}"
    hubs = []
    for site in data["hubs"]:
        centre = centres.get(site["code"])
        if centre is None:
            continue
        hubs.append(Hub(
            id=f"hub-{site['code']}", name=site["name"], region=site["region"], latitude=centre.latitude,
            longitude=centre.longitude, racks=int(costs["racks"]["value"]),
            power_kw=float(costs["power_kw"]["value"]), condition=SecurityClass[data["condition"]],
            one_off_eur=float(costs["one_off_eur"]["value"]), annual_fixed_eur=float(costs["annual_fixed_eur"]["value"]),
            annual_per_rack_eur=float(costs["annual_per_rack_eur"]["value"]), basis=basis))
    return tuple(hubs)


def _downgraded(inputs: CountyInputs) -> CountyInputs:
    """The county's rooms-apart rules as separate-host rules (when no two rooms lie far apart)."""
    return replace(inputs, rules=tuple(replace(r, kind=RuleKind.SEPARATE_HOSTS) if r.kind == RuleKind.SEPARATE_ROOMS
                                       else r for r in inputs.rules))


def county_room_items(inputs: CountyInputs) -> CountyHosts:
    """Pack one county's workloads onto its hosts (as its county plan does) and list what to place."""
    hosts, workloads, model, _, inputs = county_hosts(inputs)
    by_host = {w: h.id for h in hosts for w in h.workload_ids}
    items = room_items(hosts, workloads, inputs)
    prices = {h.id: model.price_eur for h in hosts if h.reused_server_id is None}
    return CountyHosts(inputs, items, prices, room_separations(inputs.rules, by_host))


def _prefixed(code: str, item: RoomItem) -> RoomItem:
    """An item with ids unique across counties."""
    return replace(item, id=f"{code}/{item.id}",
                   pinned_room_id=f"{code}/{item.pinned_room_id}" if item.pinned_room_id else None,
                   current_room_id=f"{code}/{item.current_room_id}" if item.current_room_id else None)


def _facilities(counties: Sequence[CountyHosts], services: Sequence[ExternalRoomOption], hubs: Sequence[Hub],
                scenario: NationalScenario, params: Params) -> list[_Facility]:
    """Every county's own rooms, the hubs, and each county's own agreement with each service."""
    found = []
    for county in counties:
        for r in county.inputs.rooms:
            found.append(_Facility(f"{county.inputs.code}/{r.id}", r.name, "room", county.inputs.code, r.latitude,
                                   r.longitude, r.racks * params.rack_units_per_rack, math.floor(r.power_kw * 1000),
                                   r.condition, r.kind, 0.0, r.annual_cost_eur))
    if scenario.hubs:
        for h in hubs:
            found.append(_Facility(h.id, h.name, "hub", "", h.latitude, h.longitude, h.racks * params.rack_units_per_rack,
                                   math.floor(h.power_kw * 1000), h.condition, RoomKind.COLOCATION, h.one_off_eur,
                                   h.annual_fixed_eur, h.annual_per_rack_eur))
    for county in counties:
        for s in services:
            found.append(_Facility(f"{county.inputs.code}/{s.id}", s.name, "service", county.inputs.code, s.latitude,
                                   s.longitude, 10**9, 10**9, s.condition, s.kind, s.onboarding_eur,
                                   s.annual_fixed_eur, service=s,
                                   fallback=scenario.services is not None and s.id not in scenario.services))
    return found


def _allowed(item: RoomItem, county: str, centre: tuple[float, float] | None, facility: _Facility,
             scenario: NationalScenario) -> bool:
    """Whether a rule lets the item stand at the facility (class, service, premises, pin, distance)."""
    if item.security_class > facility.condition:
        return False
    rentable = item.service_load is not None and not item.on_premises_only and item.pinned_room_id is None
    forced = (scenario.high_class_service is not None and item.security_class == SecurityClass.HIGH and rentable)
    if facility.service is not None:
        if facility.fallback or facility.owner != county or not rentable:
            return False
        return not forced or facility.service.id == scenario.high_class_service
    if forced:
        return False
    if item.pinned_room_id is not None:
        return item.pinned_room_id == facility.id
    if item.on_premises_only:
        return facility.kind == "room" and facility.owner == county and facility.room_kind == RoomKind.OWN
    if facility.owner == county:
        return True
    return centre is not None and distance_km(*centre, facility.latitude, facility.longitude) <= scenario.max_distance_km


def _item_cost(item: RoomItem, facility: _Facility, price: float, horizon: int) -> tuple[float, float]:
    """(one-off, annual) of an item at a facility, as the county room plan prices it."""
    if facility.service is not None:
        assert item.service_load is not None
        return 0.0, facility.service.annual_fee_eur(*item.service_load)
    one_off = price
    if item.current_room_id is not None and item.current_room_id != facility.id:
        one_off += item.move_cost_eur
    return one_off, (item.own_cost_eur - price) / horizon


def _problem(customers: Sequence[_Customer], facilities: Sequence[_Facility], allowed: Sequence[Sequence[bool]],
             prices: dict[str, float], separations: Sequence[tuple[int, int]], params: Params) -> FacilityProblem:
    """The facility-location problem with integer costs over the horizon."""
    horizon = params.horizon_years

    def cost(c: _Customer, f: int) -> int:
        one_off, annual = _item_cost(c.items[0], facilities[f], prices.get(c.items[0].id, 0.0), horizon)
        return round(one_off + horizon * annual)

    return FacilityProblem(
        open_cost=tuple(round(f.one_off_eur + horizon * f.annual_eur) for f in facilities),
        capacity=tuple((f.rack_units, f.power_w) for f in facilities),
        demand=tuple((c.items[0].rack_units, math.ceil(c.items[0].power_kw * 1000)) for c in customers),
        assign_cost=tuple(tuple(cost(c, f) if allowed[k][f] else None for f in range(len(facilities)))
                          for k, c in enumerate(customers)),
        block_cost=tuple(round(horizon * f.annual_per_rack_eur) for f in facilities),
        block_size=params.rack_units_per_rack,
        separations=tuple(separations),
        far_apart=frozenset(
            (f, g) for f, a in enumerate(facilities) for g, b in enumerate(facilities)
            if f != g and distance_km(a.latitude, a.longitude, b.latitude, b.longitude) >= params.resilience_distance_km),
        multiplicity=tuple(len(c.items) for c in customers),
    )


@dataclass(frozen=True)
class _Built:
    customers: list[_Customer]
    facilities: list[_Facility]
    problem: FacilityProblem
    prices: dict[str, float]


def _build(counties: Sequence[CountyHosts], services: Sequence[ExternalRoomOption], centres: dict[str, Centre],
           scenario: NationalScenario, params: Params, hubs: Sequence[Hub]) -> _Built:
    """The customers (interchangeable hosts of one county), the places, and the problem."""
    facilities = _facilities(counties, services, hubs, scenario, params)
    customers: list[_Customer] = []
    separations: list[tuple[int, int]] = []
    prices: dict[str, float] = {}
    of_item: dict[str, int] = {}
    for county in counties:
        code = county.inputs.code
        separated = {i for pair in county.separations for i in pair}
        groups: dict[tuple[object, ...], _Customer] = {}
        for item in county.items:
            key = (item.id,) if item.id in separated else (*_item_key(item), item.id in county.prices)
            groups.setdefault(key, _Customer(code)).items.append(_prefixed(code, item))
        for group in groups.values():
            for item in group.items:
                of_item[item.id] = len(customers)
            customers.append(group)
        prices.update({f"{code}/{k}": v for k, v in county.prices.items()})
        separations += [(of_item[f"{code}/{a}"], of_item[f"{code}/{b}"]) for a, b in county.separations]
    allowed = []
    for c in customers:
        centre = centres.get(c.county)
        point = (centre.latitude, centre.longitude) if centre else None
        row = [_allowed(c.items[0], c.county, point, f, scenario) for f in facilities]
        if not any(row[f] for f, x in enumerate(facilities) if x.owner == c.county and x.service is None):
            # Nothing of the county's own can hold it: its own agreement with a service may.
            row = [ok or (x.fallback and _allowed(c.items[0], c.county, point, replace(x, fallback=False), scenario))
                   for ok, x in zip(row, facilities, strict=True)]
        if not any(row):
            raise RoomPlanInfeasible(f"{c.items[0].id}: no room, hub or service qualifies under {scenario.name}")
        allowed.append(row)
    return _Built(customers, facilities, _problem(customers, facilities, allowed, prices, separations, params), prices)


def _separate(county: CountyHosts, services: Sequence[ExternalRoomOption], scenario: NationalScenario,
              params: Params) -> tuple[CountyHosts, dict[str, str]]:
    """The county's separate plan under the scenario's rules (its own rooms and agreements):
    where each item goes; rooms-apart rules it cannot meet alone become separate-host rules."""
    alone = replace(scenario, hubs=False)
    for attempt in (county, None):
        if attempt is None:
            # No two of its places lie far enough apart: its rooms-apart groups go on separate hosts.
            attempt = replace(county_room_items(_downgraded(county.inputs)),
                              relaxations=(*county.relaxations, ROOMS_APART))
        try:
            built = _build([attempt], services, {}, alone, params, ())
            solution = solve_facility_location(built.problem, time_limit_s=params.time_limit_s,
                                               num_workers=min(2, params.num_workers), seed=params.seed)
        except RoomPlanInfeasible:
            if attempt is not county:
                raise
            continue
        return attempt, {item.id: built.facilities[f].id for c, units_at in zip(built.customers, solution.assignment,
                                                                              strict=True)
                         for item, f in zip(c.items, units_at, strict=True)}
    raise AssertionError("unreachable")


def plan_national(
    counties: Sequence[CountyHosts],
    services: Sequence[ExternalRoomOption],
    centres: dict[str, Centre],
    scenario: NationalScenario,
    params: Params,
    hubs: Sequence[Hub] = (),
    time_limit_s: float = 90.0,
    progress: Progress | None = None,
) -> NationalPlan:
    """Place every county's hosts nationally and compare with the separate plans under the same rules."""
    report = progress or (lambda pct, msg: None)
    started = time.perf_counter()
    horizon = params.horizon_years
    # The separate plans: each county alone in its own rooms and under its own agreements.
    placed: dict[str, str] = {}
    ready = []
    for n, county in enumerate(counties):
        report(5 + 55 * n / max(1, len(counties)), f"{county.inputs.name}: separate plan")
        county, where = _separate(county, services, scenario, params)
        ready.append(county)
        placed.update(where)
    counties = ready
    built = _build(counties, services, centres, scenario, params, hubs)
    customers, facilities, problem, prices = built.customers, built.facilities, built.problem, built.prices
    index = {f.id: k for k, f in enumerate(facilities)}
    start = [tuple(sorted(index[placed[item.id]] for item in c.items)) for c in customers]
    separate_cost = facility_cost(problem, start)

    report(60, f"national model: {len(customers)} groups of hosts, {len(facilities)} places")
    model_of = facility_model(problem)
    model = model_of.model
    for (c, f), var in model_of.count.items():
        count = sum(1 for g in start[c] if g == f)
        model.add_hint(var, count)
        if (c, f) in model_of.uses and model_of.uses[c, f] is not var:
            model.add_hint(model_of.uses[c, f], count > 0)
    opened = {f for units_at in start for f in units_at}
    for f, var in enumerate(model_of.is_open):
        model.add_hint(var, f in opened)
    solver = cp_model.CpSolver()
    configure_solver(solver, time_limit_s, min(2, params.num_workers), params.seed, False)
    status = solver.solve(model)
    assignment: list[tuple[int, ...]] = start
    cost = separate_cost
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) < separate_cost:
        assignment = [tuple(f for f in range(len(facilities)) if (c, f) in model_of.count
                            for _ in range(solver.value(model_of.count[c, f]))) for c in range(len(customers))]
        cost = facility_cost(problem, assignment)
    bound = cost if status == cp_model.OPTIMAL else min(cost, max(0, math.ceil(solver.best_objective_bound - 1e-6)))
    report(95, f"national plan: {cost / horizon:,.0f} EUR a year against {separate_cost / horizon:,.0f} EUR")
    national = _evaluate(customers, facilities, assignment, prices, params)
    separate = _evaluate(customers, facilities, start, prices, params)
    results = tuple(
        CountyResult(
            code=c.inputs.code, name=c.inputs.name, rooms_before=len(c.inputs.rooms),
            rooms_separate=separate.rooms.get(c.inputs.code, 0), rooms_after=national.rooms.get(c.inputs.code, 0),
            hosts_separate=separate.hosts.get(c.inputs.code, 0), hosts_after=national.hosts.get(c.inputs.code, 0),
            one_off_separate_eur=round(separate.one_off.get(c.inputs.code, 0.0), 2),
            one_off_eur=round(national.one_off.get(c.inputs.code, 0.0), 2),
            running_separate_eur=round(separate.running.get(c.inputs.code, 0.0), 2),
            running_eur=round(national.running.get(c.inputs.code, 0.0), 2),
            annual_separate_eur=round(separate.annual(c.inputs.code, horizon), 2),
            annual_eur=round(national.annual(c.inputs.code, horizon), 2),
            relaxations=c.relaxations,
        )
        for c in counties
    )
    annual = round(cost / horizon, 2)
    return NationalPlan(
        scenario=scenario.name, horizon_years=horizon,
        rooms_before=sum(len(c.inputs.rooms) for c in counties),
        rooms_separate=sum(1 for p in separate.places(facilities) if p.kept and p.kind != "service"),
        rooms_after=sum(1 for p in national.places(facilities) if p.kept and p.kind != "service"),
        hosts_separate=sum(separate.hosts.values()), hosts_after=sum(national.hosts.values()),
        one_off_separate_eur=round(sum(separate.one_off.values()), 2), one_off_eur=round(sum(national.one_off.values()), 2),
        running_separate_eur=round(sum(separate.running.values()), 2), running_eur=round(sum(national.running.values()), 2),
        annual_separate_eur=round(separate_cost / horizon, 2), annual_eur=annual,
        lower_bound_eur=round(bound / horizon, 2), gap=round((cost - bound) / cost, 4) if cost else 0.0,
        proven_optimal=bound == cost, solver_time_s=round(time.perf_counter() - started, 1),
        counties=results, places=national.places(facilities), flows=national.flows(customers, facilities),
        hubs=tuple(hubs) if scenario.hubs else (), max_distance_km=scenario.max_distance_km,
    )


def _item_key(item: RoomItem) -> tuple[object, ...]:
    """What the national model sees of an item: items with the same key are interchangeable."""
    return (item.rack_units, item.power_kw, item.security_class, item.on_premises_only, item.pinned_room_id,
            item.current_room_id, item.move_cost_eur, item.is_host, item.own_cost_eur, item.service_load)


@dataclass
class _Evaluation:
    """A plan's money and counts per county, with shared rooms' costs split by the rack units used."""

    assignment: Sequence[tuple[int, ...]]
    load: dict[int, int]
    users: dict[int, dict[str, int]]
    hosts_at: dict[int, int]
    one_off: dict[str, float]
    running: dict[str, float]
    hosts: dict[str, int]
    rooms: dict[str, int]
    pairs: dict[tuple[str, int], int]

    def annual(self, code: str, horizon: int) -> float:
        """Running cost plus the one-off spread over the horizon."""
        return self.running.get(code, 0.0) + self.one_off.get(code, 0.0) / horizon

    def places(self, facilities: Sequence[_Facility]) -> tuple[Place, ...]:
        """Every room and hub, and every service agreement in use."""
        return tuple(
            Place(f.id, f.name, f.kind, f.owner, f.latitude, f.longitude, k in self.load, self.hosts_at.get(k, 0),
                  self.load.get(k, 0), tuple(sorted(self.users.get(k, {}))))
            for k, f in enumerate(facilities) if f.kind != "service" or k in self.load
        )

    def flows(self, customers: Sequence[_Customer], facilities: Sequence[_Facility]) -> tuple[Flow, ...]:
        """Hosts standing outside their county's own rooms (a neighbour's, a hub, a service), by county and place."""
        return tuple(Flow(county, facilities[f].id, n) for (county, f), n in sorted(self.pairs.items())
                     if (facilities[f].kind != "room" or facilities[f].owner != county) and n)


def _evaluate(customers: Sequence[_Customer], facilities: Sequence[_Facility], assignment: Sequence[tuple[int, ...]],
              prices: dict[str, float], params: Params) -> _Evaluation:
    """Split a plan's cost over the counties: own items, own agreements, shares of the rooms used."""
    horizon = params.horizon_years
    load: dict[int, int] = {}
    users: dict[int, dict[str, int]] = {}
    hosts_at: dict[int, int] = {}
    one_off: dict[str, float] = {}
    running: dict[str, float] = {}
    hosts: dict[str, int] = {}
    pairs: dict[tuple[str, int], int] = {}
    for c, units_at in zip(customers, assignment, strict=True):
        for item, f in zip(c.items, units_at, strict=True):
            facility = facilities[f]
            o, a = _item_cost(item, facility, prices.get(item.id, 0.0), horizon)
            one_off[c.county] = one_off.get(c.county, 0.0) + o
            running[c.county] = running.get(c.county, 0.0) + a
            load[f] = load.get(f, 0) + item.rack_units
            users.setdefault(f, {})[c.county] = users.get(f, {}).get(c.county, 0) + max(1, item.rack_units)
            if item.is_host:
                pairs[c.county, f] = pairs.get((c.county, f), 0) + 1
                if facility.service is None:
                    hosts[c.county] = hosts.get(c.county, 0) + 1
                    hosts_at[f] = hosts_at.get(f, 0) + 1
    rooms: dict[str, int] = {}
    for f, used in load.items():
        facility = facilities[f]
        fixed_one_off = facility.one_off_eur
        fixed_annual = facility.annual_eur + facility.annual_per_rack_eur * math.ceil(used / params.rack_units_per_rack)
        share = users[f]
        total = sum(share.values())
        for county, units in share.items():
            one_off[county] = one_off.get(county, 0.0) + fixed_one_off * units / total
            running[county] = running.get(county, 0.0) + fixed_annual * units / total
        if facility.kind == "room":
            rooms[facility.owner] = rooms.get(facility.owner, 0) + 1
    return _Evaluation(assignment, load, users, hosts_at, one_off, running, hosts, rooms, pairs)


def prepare_counties(inputs: Sequence[CountyInputs], progress: Progress | None = None) -> tuple[CountyHosts, ...]:
    """Pack every county's hosts once (shared by all scenarios), relaxing what its county plan relaxes."""
    report = progress or (lambda pct, msg: None)
    prepared = []
    for n, county in enumerate(inputs):
        report(100 * n / max(1, len(inputs)), f"{county.name}: packing its hosts")
        prepared.append(county_room_items(county))
    return tuple(prepared)


def as_json(plan: NationalPlan) -> dict[str, object]:
    """The CLI's and the API's summary: the plan's figures and its counties."""
    return {
        "scenario": plan.scenario,
        "rooms_after": plan.rooms_after,
        "hosts_after": plan.hosts_after,
        "annual_cost_eur": plan.annual_eur,
        "separate_plans_annual_cost_eur": plan.annual_separate_eur,
        "saving_eur": plan.saving_eur,
        "lower_bound_eur": plan.lower_bound_eur,
        "gap": plan.gap,
        "counties": [
            {"code": c.code, "name": c.name, "rooms_before": c.rooms_before, "rooms_separate": c.rooms_separate,
             "rooms_after": c.rooms_after, "hosts_separate": c.hosts_separate, "hosts_after": c.hosts_after,
             "one_off_separate_eur": c.one_off_separate_eur, "one_off_eur": c.one_off_eur,
             "annual_separate_eur": c.annual_separate_eur, "annual_eur": c.annual_eur, "change_eur": c.change_eur}
            for c in plan.counties
        ],
    }
