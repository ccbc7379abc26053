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


class GovernanceAlternative(TypedDict):
    """One governance model calculated for the county."""

    model: str
    support_fte: float
    annual_cost_eur: float
    one_off_cost_eur: float
    travel_km_per_year: float
    travel_hours_per_year: float
    mean_response_hours: float
    worst_response_hours: float
    users_beyond_target: int
    response_risk: str
    single_points_of_failure: list[str]
    comparison_cost_eur: float
    calculation: list[str]


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


class PlanSummary(TypedDict, total=False):
    """The figures of a county's plan that the national view shows (empty until computed)."""

    computed_at: str
    governance_after: str | None
    governance_after_chosen: bool
    governance_recommended: str | None
    one_off_cost_eur: Range
    annual_cost_change_eur: Range
    payback_years: float | None


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
