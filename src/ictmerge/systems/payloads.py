"""The JSON the information-system API and CLI answer, typed: the county's plan, one
function's decision, the security re-assessment.

The REST schema is generated from these (ictmerge.core.api.typed), so it names every field.
"""

from __future__ import annotations

from typing import TypedDict


class SystemsCounty(TypedDict):
    """The new municipality planned and its reform."""

    code: str
    name: str
    reform: str


class WeightedCriterion(TypedDict):
    """A criterion and its weight."""

    code: str
    weight: float


class SystemBudgetLine(TypedDict):
    """The cost of a choice as a budget line (kind: one_off or annual), in EUR."""

    function: str
    kind: str
    label: str
    amount_eur: float


class Candidate(TypedDict):
    """A system that could serve the function, with what was assumed about it."""

    system: str
    name: str
    assumed: list[str]


class ScoredCriterion(TypedDict):
    """A criterion of the score table."""

    code: str
    name: str
    direction: str
    weight: float


class ScoreRow(TypedDict):
    """A candidate's values per criterion (in the criteria's order) and its scores."""

    system: str
    name: str
    raw: list[float]
    normalised: list[float]
    weighted_sum: float
    topsis: float


class Flip(TypedDict):
    """A change of one weight that would make another candidate win."""

    criterion: str
    factor: float
    new_winner: str


class Sensitivity(TypedDict):
    """Whether the winner holds when the weights change."""

    stable: bool
    checks: int
    verdict: str
    flips: list[Flip]


class ScoreTable(TypedDict):
    """How the candidates scored, by both methods."""

    method: str
    criteria: list[ScoredCriterion]
    rows: list[ScoreRow]
    ranking_weighted_sum: list[str]
    ranking_topsis: list[str]
    tie: bool
    methods_agree: bool
    sensitivity: Sensitivity


class Override(TypedDict):
    """Why the county chose another system than the recommended one."""

    justification: str


class TimeLabelPayload(TypedDict):
    """A system's TIME label (tolerate, invest, migrate, eliminate) and why."""

    system: str
    label: str
    functional_fit: float
    technical_fit: float
    reason: str


class MigrationPayload(TypedDict):
    """The data migration from a retired system to the kept one, with its arithmetic."""

    source: str
    target: str
    records: int
    hours: float
    cost_eur: float
    cut_over_date: str | None
    working: str


class FunctionCost(TypedDict):
    """What the choice for a function costs, one-off and annual, with its arithmetic."""

    migration_eur: float
    training_eur: float
    licence_delta_eur: float
    retirement_savings_eur: float
    one_off_eur: float
    annual_change_eur: float
    working: list[str]


class FunctionDecisionPayload(TypedDict):
    """One function's decision: the candidates, scores, recommendation, choice and cost."""

    function: str
    name: str
    mandatory_national_system: str | None
    candidates: list[Candidate]
    scores: ScoreTable | None
    recommended: str
    chosen: str
    chosen_name: str
    basis: str
    stale_decision: bool
    override: Override | None
    time: list[TimeLabelPayload]
    sensitivity: str | None
    reasons: list[str]
    migrations: list[MigrationPayload]
    cost: FunctionCost


class CountyPlanPayload(TypedDict):
    """The rationalisation of one new municipality: one system per function, with reasons."""

    county: SystemsCounty
    demo_data: bool
    method: str
    predecessors: list[str]
    criteria: list[WeightedCriterion]
    systems_before: int
    systems_after: int
    products_before: int
    products_after: int
    information_systems_after: int
    information_system_products_after: int
    basis: str
    one_off_eur: float
    annual_change_eur: float
    notes: list[str]
    budget_lines: list[SystemBudgetLine]
    functions: list[FunctionDecisionPayload]


class Weights(TypedDict):
    """The criterion weights stored, by criterion code."""

    weights: dict[str, float]


class ChecklistGenerated(TypedDict):
    """What generating the checklist and migration plan changed."""

    created: int
    updated: int
    deleted: int
    migrations_created: int
    migrations_updated: int
    migrations_deleted: int


# --- security -----------------------------------------------------------------------------


class SecurityCounty(TypedDict):
    """The new municipality re-assessed."""

    code: str
    name: str


class SourceRef(TypedDict):
    """Where a rule comes from and how sure that is (confirmed, derived, unconfirmed,
    assumption); confirmed_by names the person who confirmed it since, if anyone did."""

    act: str
    point: str
    url: str
    status: str
    note: str
    confirmed_by: str


class DocumentRef(TypedDict):
    """A document a class of system requires, with its source."""

    code: str
    name: str
    name_lv: str
    source: SourceRef


class RoomRuleRef(TypedDict):
    """A room condition a class requires (applies_to: '' every system of the class,
    'critical_state_is' only designated critical state information systems)."""

    condition: str
    name: str
    name_lv: str
    applies_to: str
    source: SourceRef


class ClassRef(TypedDict):
    """One class of the rule set, as the act names it, with its criterion, documents, rooms."""

    code: str
    levels: list[str]
    label: str
    label_lv: str
    source: SourceRef
    criterion: str
    criterion_lv: str
    criterion_source: SourceRef
    documents: list[DocumentRef]
    rooms: list[RoomRuleRef]


class RuleSetRef(TypedDict):
    """The classification rules applied, their validity and sources, and why these."""

    code: str
    name: str
    name_lv: str
    country: str
    valid_from: str | None
    valid_to: str | None
    source: SourceRef
    validity_source: SourceRef
    why: str
    chosen_by_county: bool
    in_force_on: str
    classes: list[ClassRef]


class PredecessorClass(TypedDict):
    """A predecessor's system for the function, its declared and derived class."""

    municipality: str
    system: str
    name: str
    requirements: str
    declared_class: str | None
    declared_as_written: str
    derived_class: str


class FunctionSecurity(TypedDict):
    """The unified security class of a function and its inconsistencies."""

    function: str
    predecessors: list[PredecessorClass]
    inconsistent: bool
    inconsistencies: list[str]
    unified_requirements: str
    unified_class: str
    unified_class_lv: str
    raised_above_predecessors: bool
    reasons: list[str]
    documents: list[DocumentRef]


RoomFindingPayload = TypedDict("RoomFindingPayload", {
    "system": str, "name": str, "room": str, "class": str, "missing": list[str],
    "sources": list[str]})
RoomFindingPayload.__doc__ = "A system in a server room below its class, and what the room lacks."


class SecurityPayload(TypedDict):
    """The unified security class per function, inconsistencies and rooms below the class."""

    county: SecurityCounty
    demo_data: bool
    rule_set: RuleSetRef
    functions: list[FunctionSecurity]
    room_findings: list[RoomFindingPayload]


class LawRule(TypedDict):
    """One shipped rule (a rule set, class, criterion, document, room condition, duty or
    deadline) with its id and source."""

    rule_id: str
    rule_set: str
    kind: str
    name: str
    name_lv: str
    source: SourceRef


class ConfirmationRef(TypedDict):
    """A person's confirmation of a rule: who, when, which text, and who recorded it."""

    id: int
    rule_id: str
    confirmed_by: str
    confirmed_on: str
    text: str


class UnconfirmedPayload(TypedDict):
    """Every rule without a confirmed source, and the confirmations recorded so far."""

    rules: list[LawRule]
    confirmations: list[ConfirmationRef]
