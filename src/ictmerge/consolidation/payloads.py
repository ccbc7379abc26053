"""The JSON the consolidation API and CLI answer, typed: scenarios, their results, counties.

The REST schema is generated from these (ictmerge.core.api.typed), so it names every field.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class ScenarioParameters(TypedDict):
    """A scenario's parameters (stored with its result to tell when it is stale)."""

    cpu_headroom_pct: int
    ram_headroom_pct: int
    failover_hosts: int
    host_model: str | None
    #: Null: any external room may be rented.
    allowed_external: list[str] | None
    horizon_years: int
    electricity_eur_per_kwh: float
    move_cost_per_host_eur: float
    migration_cost_per_workload_eur: float
    resilience_distance_km: int
    time_limit_s: float
    meets_policy: bool


class CountyRow(TypedDict):
    """One county's servers and rooms before and after (the CLI's `plan run` JSON)."""

    code: str
    name: str
    servers_before: int | None
    servers_after: int | None
    lower_bound: int | None
    proven_optimal: bool | None
    rooms_before: int | None
    rooms_after: int | None
    own_rooms_before: int | None
    own_rooms_after: int | None
    external_services: list[ExternalServiceRow]
    #: Why own servers or rooms go up (empty unless they do).
    reasons: list[ReasonRow]
    #: "today" or "policy": which level the figures are; null before a run.
    service_level: str | None


class ExternalServiceRow(TypedDict):
    """Workloads rented from a hosting service, per resource (no host is bought there)."""

    option: str
    name: str
    kind: str
    workloads: int
    vcpus: int
    ram_gb: float
    storage_tb: float
    annual_eur: float
    onboarding_eur: float
    reason: str
    #: The reason as codes with parameters; none in older results.
    reason_explained: NotRequired[list[ExplanationRow]]


class NumberParam(TypedDict):
    """A number of an explanation and the decimal places to show it with."""

    n: float
    places: int


class ExplanationRow(TypedDict):
    """An engine explanation: a stable code and its parameters (texts, whole numbers,
    numbers with their places), shown in the reader's language."""

    code: str
    params: dict[str, str | int | NumberParam]


class ReasonRow(TypedDict):
    """A rule that forces own servers or rooms up: a stable code and its parameters."""

    code: str
    params: dict[str, float | int | str]


class CountyListRow(TypedDict):
    """A county in scope with its plan's servers and rooms (null until planned)."""

    id: int
    code: str
    name: str
    servers_before: int | None
    servers_after: int | None
    lower_bound: int | None
    proven_optimal: bool | None
    rooms_before: int | None
    rooms_after: int | None
    own_rooms_before: int | None
    own_rooms_after: int | None
    external_services: list[ExternalServiceRow]
    reasons: list[ReasonRow]
    service_level: str | None
    scenario: int | None
    is_demo: bool


class Totals(TypedDict):
    """The national figures before and after, over the counties planned."""

    counties: int
    servers_before: int
    servers_after: int
    lower_bound: int
    proven_optimal_counties: int
    rooms_before: int
    rooms_after: int


class CountyList(TypedDict):
    """Every new municipality in scope with its plan's servers and rooms, and the totals."""

    #: Absent when no reform is loaded.
    reform: NotRequired[str]
    counties: list[CountyListRow]
    totals: Totals


class ScenarioSummary(TypedDict):
    """A scenario's parameters and summary (its full result is at .../result/)."""

    id: int
    name: str
    is_chosen: bool
    status: str
    is_stale: bool
    error: str
    run_at: str | None
    parameters: ScenarioParameters
    servers_before: int | None
    servers_after: int | None
    lower_bound: int | None
    proven_optimal: bool | None
    rooms_before: int | None
    rooms_after: int | None
    annual_saving_eur: float | None
    one_off_eur: float | None
    is_demo: bool


class CountyScenarios(TypedDict):
    """One new municipality's scenarios side by side, and the plan that speaks for it."""

    id: int
    code: str
    name: str
    scenarios: list[ScenarioSummary]
    plan_scenario: int | None


class PlannedHostRow(TypedDict):
    """A host of the plan and how full it is."""

    id: str
    model: str
    reused_server: str | None
    is_failover: bool
    room: str
    room_name: str
    workloads: int
    cpu_cores_used: float
    cpu_cores: float
    ram_gb_used: float
    ram_gb: float
    storage_gb_used: int
    storage_gb: float
    cpu_pct: float
    ram_pct: float
    storage_pct: float
    security_class: str


class AssignmentRow(TypedDict):
    """A workload and the host it runs on."""

    workload: str
    name: str
    server: str
    host: str
    room: str
    cpu_cores: float
    ram_gb: float
    storage_gb: int
    security_class: str
    on_premises: bool
    basis: str


class RoomRow(TypedDict):
    """A server room kept, closed or rented, and why."""

    id: str
    name: str
    kind: str
    is_external: bool
    kept: bool
    reason: str
    #: The reason as codes with parameters; none in older results.
    reason_explained: NotRequired[list[ExplanationRow]]
    hosts: int
    rack_units_used: int
    power_kw_used: float
    annual_cost_eur: float
    pk: int | None


class RuleRow(TypedDict):
    """A placement rule and how many workloads it binds."""

    kind: str
    workloads: int
    reason: str
    #: The reason as a code with parameters ({"code", "params"}); none in older results.
    explained: NotRequired[ExplanationRow | None]


class Money(TypedDict):
    """One-off and annual cost before and after, in EUR, with their lines by name."""

    annual_before_eur: float
    annual_after_eur: float
    one_off_eur: float
    annual_saving_eur: float
    payback_years: float | None
    annual_before_lines: dict[str, float]
    annual_after_lines: dict[str, float]
    one_off_lines: dict[str, float]


class LevelSummary(TypedDict):
    """One level of "after": today's service level, or the plan meeting the policy."""

    service_level: str
    servers_before: int
    servers_after: int
    own_rooms_before: int
    own_rooms_after: int
    external_services: list[ExternalServiceRow]
    reasons: list[ReasonRow]
    kept_estate: bool
    fell_back: bool
    relaxations: list[str]
    money: Money


class Levels(TypedDict):
    """Both levels of "after"."""

    today: LevelSummary
    policy: LevelSummary


class Uplift(TypedDict):
    """What meeting the policy costs on top of today's service level."""

    annual_eur: float
    one_off_eur: float


class ScenarioResult(TypedDict):
    """A computed plan: hosts, assignment, rooms with reasons, money (stored on the scenario)."""

    code: str
    name: str
    host_model: str
    servers_before: int
    servers_after: int
    ffd_hosts: int
    lower_bound: int
    gap_hosts: int
    proven_optimal: bool
    packing_method: str
    solver_time_s: float
    wall_s: float
    rooms_before: int
    rooms_after: int
    own_rooms_before: int
    own_rooms_after: int
    service_level: str
    kept_estate: bool
    fell_back: bool
    external_services: list[ExternalServiceRow]
    reasons: list[ReasonRow]
    levels: Levels
    uplift: Uplift
    room_cost_eur: float
    room_lower_bound_eur: float
    room_gap: float
    room_proven_optimal: bool
    workloads: int
    hosts: list[PlannedHostRow]
    assignment: list[AssignmentRow]
    rooms: list[RoomRow]
    rules: list[RuleRow]
    money: Money
    relaxations: list[str]
    assumptions: list[str]
    is_demo: bool


class ScenarioResultAnswer(ScenarioResult):
    """A scenario's stored result with its summary and the bounds in words."""

    scenario: ScenarioSummary
    bound_in_words: str
    room_bound_in_words: str


class NationalPlanCounty(TypedDict):
    """One county in the separate plans and in the national plan (negative change: it gains)."""

    code: str
    name: str
    rooms_before: int
    rooms_separate: int
    rooms_after: int
    hosts_separate: int
    hosts_after: int
    one_off_separate_eur: float
    one_off_eur: float
    #: Running cost a year plus the one-off spread over the horizon.
    annual_separate_eur: float
    annual_eur: float
    change_eur: float


class NationalPlanSummary(TypedDict):
    """A national scenario against the sum of the separate county plans (the CLI's JSON)."""

    scenario: str
    rooms_after: int
    hosts_after: int
    #: Running cost a year plus the one-off spread over the horizon, all counties.
    annual_cost_eur: float
    separate_plans_annual_cost_eur: float
    saving_eur: float
    #: No plan under the scenario's rules has a lower annual cost.
    lower_bound_eur: float
    gap: float
    counties: list[NationalPlanCounty]


class NationalPlanPlace(TypedDict):
    """A room, regional hub or hosting-service agreement of the national plan."""

    id: str
    name: str
    kind: str
    owner: str
    latitude: float
    longitude: float
    kept: bool
    hosts: int
    rack_units: int
    counties: list[str]


class NationalPlanFlow(TypedDict):
    """Hosts of a county standing in a neighbour's room or a hub, or rented from a service."""

    county: str
    place: str
    hosts: int


class NationalPlanCentre(TypedDict):
    """A municipality's administrative centre (reference data)."""

    code: str
    name: str
    latitude: float
    longitude: float


class NationalPlanRelaxation(TypedDict):
    """A rule relaxed to make a county plannable: `upgraded` (a room assumed upgraded to a class),
    `unpinned` (workloads on premises planned like the others) or `rooms_apart`."""

    county: str
    code: str
    room: str
    security_class: str


class NationalPlanResult(NationalPlanSummary):
    """A national scenario in full: the summary, its places, flows and the map's centres."""

    reform: str
    rooms_before: int
    rooms_separate: int
    hosts_separate: int
    one_off_eur: float
    one_off_separate_eur: float
    running_eur: float
    running_separate_eur: float
    proven_optimal: bool
    elapsed_s: float
    horizon_years: int
    max_distance_km: float
    places: list[NationalPlanPlace]
    flows: list[NationalPlanFlow]
    centres: list[NationalPlanCentre]
    relaxations: list[NationalPlanRelaxation]
    is_demo: bool
    computed_at: str


class NationalPlanResults(TypedDict):
    """The latest computed national scenarios of a reform, and the scenarios there are."""

    reform: str | None
    scenarios: list[str]
    results: list[NationalPlanResult]


class NationalPlanRunRequest(TypedDict):
    """Which national scenario to plan (all of them when left out)."""

    scenario: NotRequired[str]
