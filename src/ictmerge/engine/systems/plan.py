"""Rationalisation of one new municipality: one system per function, with TIME labels and reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ictmerge.engine.systems.migration import MigrationEstimate, MigrationRates, estimate_migration
from ictmerge.engine.systems.model import InformationSystem
from ictmerge.engine.systems.scoring import (
    CandidateScore,
    CriteriaSet,
    Criterion,
    Method,
    ScoreTable,
    score_table,
)
from ictmerge.engine.systems.security import (
    PredecessorClassification,
    Reassessment,
    RuleSet,
    reassess_function,
    room_shortfalls,
)
from ictmerge.engine.systems.taxonomy import BusinessFunction
from ictmerge.engine.systems.time_class import (
    DEFAULT_THRESHOLDS,
    TimeClassification,
    TimeThresholds,
    classify,
    technical_fit,
)


@dataclass(frozen=True)
class Override:
    """A user's choice against the recommendation, with the justification to record."""

    system_id: str
    justification: str
    decided_by: str = ""


@dataclass(frozen=True)
class FunctionDecision:
    """The kept system for one function of a new municipality, and why."""

    function_code: str
    candidate_ids: tuple[str, ...]
    recommended_system_id: str
    chosen_system_id: str
    override: Override | None
    mandatory_national_system: str | None
    scores: ScoreTable | None  # None when a mandatory national system decides
    time_labels: tuple[TimeClassification, ...]
    migrations: tuple[MigrationEstimate, ...]
    reasons: tuple[str, ...]

    @property
    def eliminated_ids(self) -> tuple[str, ...]:
        """Systems to retire."""
        return tuple(c for c in self.candidate_ids if c != self.chosen_system_id)


def criterion_value(
    criterion: Criterion,
    system: InformationSystem,
    function: BusinessFunction,
    candidates: Sequence[InformationSystem],
    hosting_scores: Mapping[str, float],
) -> float:
    """Return the raw value of `criterion` for `system` among `candidates`."""
    code = criterion.code
    if code == "functional_coverage":
        return min(max(system.functional_coverage, 0.0), 1.0)
    if code == "installed_base":
        users = sum(c.users for c in candidates)
        records = sum(c.records for c in candidates)
        user_share = system.users / users if users else 0.0
        record_share = system.records / records if records else 0.0
        return 0.5 * user_share + 0.5 * record_share
    if code == "technical_fit":
        return technical_fit(system)
    if code == "cost_per_user":
        return max(system.annual_cost_per_user_eur, 0.0)
    if code == "vendor_support":
        return min(max(system.vendor_support, 0.0), 5.0)
    if code == "national_integrations":
        wanted = set(function.national_registers)
        # A function with no national register to reach cannot separate candidates on it.
        return len(wanted & system.integrated_registers) / len(wanted) if wanted else 1.0
    if code == "hosting":
        return hosting_scores.get(system.hosting.value, 0.0)
    if code == "security_compliance":
        return min(max(system.security_compliance, 0.0), 1.0)
    raise ValueError(f"criterion {code!r} has no rule to read it from a system")


def national_candidate(
    function: BusinessFunction, candidates: Sequence[InformationSystem]
) -> InformationSystem:
    """Return the mandatory national system among candidates, or a stand-in for it."""
    name = function.mandatory_national_system or ""
    for system in candidates:
        if system.is_national and name.lower() in (system.name.lower(), system.product.lower()):
            return system
    return InformationSystem(
        system_id=f"national:{function.code}",
        name=name,
        product=name,
        vendor="state",
        function_code=function.code,
        owner_code=None,
        users=sum(c.users for c in candidates),
        records=0,
        functional_coverage=1.0,
        technical_fit=5.0,
        support_years_left=5.0,
        annual_cost_per_user_eur=0.0,
        vendor_support=5.0,
        integrated_registers=frozenset(function.national_registers),
        is_national=True,
    )


def rationalise_function(
    function: BusinessFunction,
    systems: Sequence[InformationSystem],
    criteria: CriteriaSet,
    rates: MigrationRates,
    *,
    method: Method = Method.TOPSIS,
    thresholds: TimeThresholds = DEFAULT_THRESHOLDS,
    override: Override | None = None,
    cut_over_date: dt.date | None = None,
) -> FunctionDecision:
    """Choose one system for `function` among `systems` (those of other functions are ignored)."""
    candidates = sorted(
        (s for s in systems if s.function_code == function.code), key=lambda s: s.system_id
    )
    if not candidates and not function.national_system_mandatory:
        raise ValueError(f"{function.code}: no candidate system")
    reasons: list[str] = []
    table: ScoreTable | None = None
    if function.national_system_mandatory:
        national = national_candidate(function, candidates)
        if national not in candidates:
            candidates = [*candidates, national]
        recommended = national.system_id
        reasons.append(
            f"{function.mandatory_national_system} is mandatory for {function.name_en} "
            f"({function.source}); local systems are retired into it"
        )
    else:
        ids = [s.system_id for s in candidates]
        matrix = [
            [
                criterion_value(c, s, function, candidates, criteria.hosting_scores)
                for c in criteria.criteria
            ]
            for s in candidates
        ]
        table = score_table(ids, matrix, criteria.criteria, method)
        recommended = table.winner
        reasons.extend(_score_reasons(table, {s.system_id: s for s in candidates}))
    chosen = recommended
    if override is not None:
        chosen = _apply_override(function, override, recommended, [s.system_id for s in candidates])
        reasons.append(
            f"overridden to {chosen} (recommended {recommended})"
            + (f" by {override.decided_by}" if override.decided_by else "")
            + f": {override.justification.strip()}"
        )
    by_id = {s.system_id: s for s in candidates}
    labels = tuple(classify(s, chosen, thresholds) for s in candidates)
    migrations = tuple(
        estimate_migration(s, by_id[chosen], rates, cut_over_date)
        for s in candidates
        if s.system_id != chosen and not s.external and (s.records or s.users)
    )
    return FunctionDecision(
        function_code=function.code,
        candidate_ids=tuple(s.system_id for s in candidates),
        recommended_system_id=recommended,
        chosen_system_id=chosen,
        override=override,
        mandatory_national_system=function.mandatory_national_system,
        scores=table,
        time_labels=labels,
        migrations=migrations,
        reasons=tuple(reasons),
    )


def _apply_override(
    function: BusinessFunction, override: Override, recommended: str, candidate_ids: Sequence[str]
) -> str:
    if not override.justification.strip():
        raise ValueError(f"{function.code}: an override needs a justification")
    if override.system_id not in candidate_ids:
        raise ValueError(f"{function.code}: override {override.system_id!r} is not a candidate")
    if function.national_system_mandatory and override.system_id != recommended:
        raise ValueError(
            f"{function.code}: {function.mandatory_national_system} is mandatory and cannot be overridden"
        )
    return override.system_id


def _score_reasons(table: ScoreTable, systems: Mapping[str, InformationSystem]) -> list[str]:
    winner = table.rows[0]
    method = "TOPSIS" if table.method is Method.TOPSIS else "weighted sum"

    def value(row: CandidateScore) -> float:
        return row.topsis if table.method is Method.TOPSIS else row.weighted_sum

    owner = systems[winner.candidate_id].owner_code or "external candidate"
    reasons = [f"chosen {winner.candidate_id} ({owner}) by {method} {value(winner):.3f}"]
    if len(table.rows) == 1:
        reasons.append("the only candidate: kept without comparison")
        return reasons
    runner = table.rows[1]
    reasons.append(
        f"runner-up {runner.candidate_id} {value(runner):.3f} (margin {value(winner) - value(runner):.3f})"
    )
    if table.tie:
        reasons.append(
            f"tie with {runner.candidate_id}: broken by id order; record an override if another is preferred"
        )
    weighted = [
        (c.weight * n, n, c.name_en)
        for c, n in zip(table.criteria, winner.normalised, strict=True)
        if c.weight > 0
    ]
    strongest = sorted(weighted, key=lambda t: (-t[0], t[2]))[:2]
    weakest = sorted(weighted, key=lambda t: (t[1], t[2]))[0]
    reasons.append(
        "strongest on "
        + ", ".join(f"{name} ({n:.2f})" for _, n, name in strongest)
        + f"; weakest on {weakest[2]} ({weakest[1]:.2f})"
    )
    if not table.methods_agree:
        other = (
            table.ranking_weighted_sum[0]
            if table.method is Method.TOPSIS
            else table.ranking_topsis[0]
        )
        reasons.append(f"the other method would choose {other}")
    reasons.append(table.sensitivity.verdict())
    return reasons


@dataclass(frozen=True)
class CountyPlan:
    """Decisions for every function a new municipality's predecessors run, with before/after counts."""

    county_code: str
    decisions: tuple[FunctionDecision, ...]
    systems_before: int
    systems_after: int
    products_before: int
    products_after: int
    functions_without_system: tuple[str, ...] = field(default=())


def rationalise_county(
    county_code: str,
    functions: Sequence[BusinessFunction],
    systems: Sequence[InformationSystem],
    criteria: CriteriaSet,
    rates: MigrationRates,
    *,
    method: Method = Method.TOPSIS,
    thresholds: TimeThresholds = DEFAULT_THRESHOLDS,
    overrides: Mapping[str, Override] | None = None,
    cut_over_date: dt.date | None = None,
) -> CountyPlan:
    """Rationalise every function of the taxonomy that some predecessor runs a system for."""
    overrides = overrides or {}
    used = {s.function_code for s in systems}
    decisions = tuple(
        rationalise_function(
            f,
            systems,
            criteria,
            rates,
            method=method,
            thresholds=thresholds,
            override=overrides.get(f.code),
            cut_over_date=cut_over_date,
        )
        for f in functions
        if f.code in used
    )
    own = [s for s in systems if not s.external and not s.is_national]
    by_id = {s.system_id: s for s in systems}
    kept = [by_id[d.chosen_system_id] for d in decisions if d.chosen_system_id in by_id]
    kept_local = [s for s in kept if not s.is_national]
    return CountyPlan(
        county_code=county_code,
        decisions=decisions,
        systems_before=len(own),
        systems_after=len(kept_local),
        products_before=len({s.product.lower() for s in own}),
        products_after=len({s.product.lower() for s in kept_local}),
        functions_without_system=tuple(f.code for f in functions if f.code not in used),
    )


def reassess_county(
    functions: Sequence[BusinessFunction],
    systems: Sequence[InformationSystem],
    rules: RuleSet,
) -> tuple[Reassessment, ...]:
    """Re-assess the class of every function run by a predecessor, at the merged scale."""
    reassessments = []
    for function in functions:
        own = sorted(
            (
                s
                for s in systems
                if s.function_code == function.code and not s.external and s.owner_code
            ),
            key=lambda s: s.system_id,
        )
        if not own:
            continue
        classifications = [
            PredecessorClassification(
                municipality_code=s.owner_code or "",
                system_id=s.system_id,
                # Unassessed systems take the taxonomy's default so the rule still has an input.
                requirements=s.requirements or function.default_requirements,
                declared_class=s.declared_class,
                requirements_assumed=s.requirements is None,
            )
            for s in own
        ]
        reassessments.append(
            reassess_function(
                function.code,
                classifications,
                rules,
                merged_users=sum(s.users for s in own),
                # Predecessor territories do not overlap, so their data subjects add up.
                merged_data_subjects=sum(s.data_subjects for s in own),
            )
        )
    return tuple(reassessments)


@dataclass(frozen=True)
class RoomFinding:
    """A kept system hosted in a room that lacks conditions its class needs."""

    system_id: str
    room_id: str
    class_label: str
    missing: tuple[str, ...]


def room_findings(
    plan: CountyPlan,
    reassessments: Sequence[Reassessment],
    rules: RuleSet,
    room_of_system: Mapping[str, str],
    room_conditions: Mapping[str, frozenset[str]],
) -> tuple[RoomFinding, ...]:
    """Flag each kept system whose room does not meet its function's unified class."""
    class_of = {r.function_code: r.unified_class for r in reassessments}
    findings = []
    for decision in plan.decisions:
        level = class_of.get(decision.function_code)
        room = room_of_system.get(decision.chosen_system_id)
        if level is None or room is None:
            continue
        missing = room_shortfalls(room_conditions.get(room, frozenset()), level, rules)
        if missing:
            findings.append(
                RoomFinding(decision.chosen_system_id, room, rules.label(level), missing)
            )
    return tuple(findings)
