"""The JSON the planning API and CLI answer, typed: governance, action plan, budget, accounts.

The REST schema is generated from these (ictmerge.core.api.typed), so it names every field.
"""

from __future__ import annotations

from typing import TypedDict


class CountyRef(TypedDict):
    """The new municipality a plan is of."""

    id: int
    code: str
    name: str


# --- governance ---------------------------------------------------------------------------


class CostModelLine(TypedDict):
    """One line of annual ICT cost (staff, external services, hosting and rooms, ...)."""

    line: str
    eur: float
    basis: str


class CostBaseline(TypedDict):
    """Today's recorded annual ICT cost, split into the lines every alternative uses."""

    total_eur: float
    support_fte: float
    lines: list[CostModelLine]


class GovernanceAlternative(TypedDict):
    """One governance model calculated for the county ("current": keep today's model; its
    response and comparison figures are not modelled, null)."""

    model: str
    support_fte: float
    #: Support cost: staff, travel and external fees.
    annual_cost_eur: float
    one_off_cost_eur: float
    travel_km_per_year: float
    travel_hours_per_year: float
    mean_response_hours: float | None
    worst_response_hours: float | None
    users_beyond_target: int | None
    response_risk: str | None
    single_points_of_failure: list[str]
    comparison_cost_eur: float | None
    calculation: list[str]
    #: The whole annual ICT cost on the baseline's lines; null without recorded spend.
    annual_total_eur: float | None
    #: annual_total_eur minus today's recorded cost.
    annual_change_eur: float | None
    lines: list[CostModelLine]


class GovernanceInventory(TypedDict):
    """What the governance calculation counts in the county."""

    sites: int
    users: int
    computers: int
    servers: int
    information_systems: int
    current_model: str | None
    current_support_fte: float
    basis: list[str]


class ParameterValue(TypedDict):
    """A parameter of the calculation and where its value comes from."""

    value: float
    basis: str


class Governance(TypedDict):
    """The governance models calculated, the recommendation, runner-up and choice."""

    county: CountyRef
    recommended: str
    runner_up: str
    reasons: list[str]
    chosen: str | None
    chosen_reason: str | None
    governance_after: str
    alternatives: list[GovernanceAlternative]
    inventory: GovernanceInventory
    #: By parameter name.
    parameters: dict[str, ParameterValue]
    #: Today's recorded cost by line; null when the predecessors reported no spend.
    baseline: CostBaseline | None


# --- action plan --------------------------------------------------------------------------


class ScheduledTask(TypedDict):
    """A task of the action plan with its schedule and progress."""

    id: int
    key: str
    title: str
    phase: str
    role: str
    staff: int
    duration_days: int
    depends_on: list[str]
    start_day: int | None
    end_day: int | None
    planned_start: str | None
    planned_end: str | None
    critical: bool
    late_days: int
    status: str
    percent_done: int
    overdue: bool
    assignee: str | None
    origin: str
    generated: bool


class ActionPlanSchedule(TypedDict):
    """The stored action plan: schedule figures, critical path, every task."""

    county: CountyRef
    project_start: str | None
    deadline: str | None
    deadline_days: int | None
    scheduled_at: str | None
    makespan_days: int | None
    lower_bound_days: int | None
    gap: float | None
    proven_optimal: bool
    method: str | None
    solve_seconds: float | None
    meets_deadline: bool | None
    late_tasks: int
    max_lateness_days: int
    critical_path: list[str]
    tasks: list[ScheduledTask]


# --- budget -------------------------------------------------------------------------------


class Range(TypedDict):
    """An amount in euros: low, expected and high."""

    low: float
    expected: float
    high: float


class BudgetCategory(TypedDict):
    """The budget of one category and kind (one-off or annual)."""

    category: str
    kind: str
    low: float
    expected: float
    high: float


class BudgetLine(TypedDict):
    """One line of the budget and what it rests on."""

    category: str
    kind: str
    description: str
    item: str | None
    quantity: float
    unit: str
    low: float
    expected: float
    high: float
    basis: str
    task: str | None


class ChangeBySource(TypedDict):
    """The annual change by what it comes from; the five sum to the annual change."""

    governance: float
    consolidation: float
    licences: float
    contracts: float
    other: float


class CostLineChange(TypedDict):
    """A cost line: today, the plan's change, after."""

    line: str
    baseline_eur: float
    change_eur: float
    plan_eur: float
    basis: str


class WaterfallStep(TypedDict):
    """A bar of the waterfall from today's annual cost to the plan's."""

    label: str
    start_eur: float
    end_eur: float
    total: bool


class BudgetDriver(TypedDict):
    """A group of budget lines that moves the one-off or the annual cost most."""

    label: str
    source: str
    expected: float
    lines: int
    basis: str


class BudgetDrivers(TypedDict):
    """The five largest drivers of the one-off and of the annual cost (listed when the annual
    cost rises or the one-off exceeds a year's ICT spend, else empty)."""

    one_off: list[BudgetDriver]
    annual: list[BudgetDriver]


class TornadoEntry(TypedDict):
    """The annual change with one parameter at −20 % and at +20 %."""

    parameter: str
    basis: str
    at_minus_eur: float
    at_plus_eur: float


class ParameterEntry(TypedDict):
    """A parameter of the cost model: value, range, unit, source and date or assumption."""

    name: str
    #: reference (sourced values), governance (calculation), catalogue (unit prices),
    #: consolidation (a scenario's money), hosting (services per resource) or hosts (models).
    group: str
    value: float
    low: float | None
    high: float | None
    unit: str
    basis: str
    url: str | None
    #: A stated assumption, on the list to confirm.
    confirm: bool
    #: The county set its own value.
    overridden: bool


class ParameterRegister(TypedDict):
    """Every parameter of the cost model and those to confirm."""

    county: CountyRef | None
    parameters: list[ParameterEntry]
    to_confirm: list[str]


class BudgetPayload(TypedDict):
    """One-off and annual budget, low / expected / high, by category and line."""

    county: CountyRef
    one_off_cost_eur: Range
    annual_cost_change_eur: Range
    annual_savings_eur: Range
    payback_years: float | None
    internal_person_days: float
    one_off_share_of_ict_spend: float | None
    one_off_share_of_total_expenditure: float | None
    ict_spend_eur: float | None
    total_expenditure_eur: float | None
    support_fte_change: float
    governance_after: str | None
    from_stored_tasks: bool
    by_category: list[BudgetCategory]
    lines: list[BudgetLine]
    #: What each part rests on, by part (systems, rooms, licences, ...).
    basis: dict[str, str]
    notes: list[str]
    annual_change_by_source: ChangeBySource
    #: Today's recorded annual ICT cost (null when not reported).
    baseline_eur: float | None
    annual_change_share_of_ict_spend: float | None
    cost_lines: list[CostLineChange]
    waterfall: list[WaterfallStep]
    needs_explanation: bool
    drivers: BudgetDrivers
    tornado: list[TornadoEntry]


class PlanSummary(TypedDict, total=False):
    """The figures of a county's plan that the national view shows (empty until computed)."""

    computed_at: str
    governance_after: str | None
    governance_after_chosen: bool
    governance_recommended: str | None
    one_off_cost_eur: Range
    annual_cost_change_eur: Range
    payback_years: float | None
    annual_change_by_source: ChangeBySource
    baseline_eur: float | None
    drivers: BudgetDrivers


class PlanMoney(TypedDict):
    """The plans of record summed over counties (the national view)."""

    counties_planned: int
    one_off_eur: Range
    annual_change_eur: Range
    #: Today's recorded annual ICT cost of the counties planned.
    baseline_eur: float
    one_off_share_of_ict_spend: float | None
    annual_change_share_of_ict_spend: float | None
    annual_change_by_source: ChangeBySource
    drivers: BudgetDrivers


# --- accounts and network -----------------------------------------------------------------


class StaffList(TypedDict):
    """A predecessor's list of employees and where it comes from."""

    code: str
    name: str
    basis: str
    employees: int


class AccountTotals(TypedDict):
    """How many accounts are created, merged, disabled, and the name collisions."""

    create: int
    merge: int
    disable: int
    collisions: int


class CollisionHolder(TypedDict):
    """An account holding a colliding name."""

    source: str
    username: str


class Collision(TypedDict):
    """A user name that more than one person would get."""

    base: str
    holders: list[CollisionHolder]


class GroupMapping(TypedDict):
    """An old group and the new group its members join."""

    old_group: str
    new_group: str
    members: int


class PlannedAccount(TypedDict):
    """An account to create, merge or disable."""

    action: str
    username: str
    email: str
    given_name: str
    family_name: str
    department: str
    groups: list[str]
    replaces: list[str]
    note: str


class NetworkSite(TypedDict):
    """A site of the network plan."""

    name: str
    former: str
    hub: bool
    address_range: str


class NetworkLink(TypedDict):
    """A link between two sites."""

    a: str
    z: str
    km: float | None
    kind: str


class AddressOverlap(TypedDict):
    """Two sites with overlapping address ranges, and the range to renumber to."""

    site: str
    range: str
    other_site: str
    other_range: str
    renumber: str


class NetworkPayload(TypedDict):
    """Links and overlapping address ranges of the county's sites."""

    rule: str
    #: What each part rests on (hubs, ranges).
    basis: dict[str, str]
    sites: list[NetworkSite]
    links: list[NetworkLink]
    overlaps: list[AddressOverlap]


class AccountsPlan(TypedDict):
    """The account plan (create, merge, disable; collisions; groups) and the network plan."""

    county: CountyRef
    is_demo: bool
    email_domain: str
    rule: str
    lists: list[StaffList]
    totals: AccountTotals
    collisions: list[Collision]
    groups: list[GroupMapping]
    accounts: list[PlannedAccount]
    network: NetworkPayload


class TasksChanged(TypedDict):
    """How many of the selected tasks had their status changed."""

    changed: int
