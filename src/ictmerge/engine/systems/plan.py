"""Rationalisation of one new municipality: one system per function, with TIME labels and reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ictmerge.engine.explain import Explanation, Names, Number, Param, define, explain
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

#: Why a function's system is chosen (the web layer translates these codes).
NATIONAL_MANDATORY = define("systems.national_mandatory", "%(system)s is mandatory for "
                            "%(function)s (%(source)s); local systems are retired into it")
OVERRIDDEN = define("systems.overridden", "overridden to %(chosen)s (recommended "
                    "%(recommended)s): %(justification)s")
OVERRIDDEN_BY = define("systems.overridden_by", "overridden to %(chosen)s (recommended "
                       "%(recommended)s) by %(decided_by)s: %(justification)s")
TOPSIS = define("systems.method.topsis", "TOPSIS")
WEIGHTED_SUM = define("systems.method.weighted_sum", "weighted sum")
EXTERNAL_CANDIDATE = define("systems.external_candidate", "external candidate")
CHOSEN = define("systems.chosen", "chosen %(system)s (%(owner)s) by %(method)s %(score)s")
ONLY_CANDIDATE = define("systems.only_candidate", "the only candidate: kept without comparison")
RUNNER_UP = define("systems.runner_up", "runner-up %(system)s %(score)s (margin %(margin)s)")
TIE = define("systems.tie", "tie with %(system)s: broken by id order; record an override if "
             "another is preferred")
CRITERION_VALUE = define("systems.criterion_value", "%(criterion)s (%(value)s)")
STRONGEST_TWO = define("systems.strongest_two", "strongest on %(first)s, %(second)s; weakest "
                       "on %(weakest)s")
STRONGEST_ONE = define("systems.strongest_one", "strongest on %(first)s; weakest on "
                       "%(weakest)s")
OTHER_METHOD = define("systems.other_method", "the other method would choose %(system)s")


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
    reasons: tuple[Explanation, ...]

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
    reasons: list[Explanation] = []
    table: ScoreTable | None = None
    if function.national_system_mandatory:
        national = national_candidate(function, candidates)
        if national not in candidates:
            candidates = [*candidates, national]
        recommended = national.system_id
        reasons.append(explain(NATIONAL_MANDATORY, system=function.mandatory_national_system or "",
                               function=Names(function.name_en, function.name_lv),
                               source=function.source))
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
            explain(OVERRIDDEN_BY, chosen=chosen, recommended=recommended,
                    decided_by=override.decided_by, justification=override.justification.strip())
            if override.decided_by else
            explain(OVERRIDDEN, chosen=chosen, recommended=recommended,
                    justification=override.justification.strip()))
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


def _score_reasons(table: ScoreTable,
                   systems: Mapping[str, InformationSystem]) -> list[Explanation]:
    winner = table.rows[0]
    method = explain(TOPSIS if table.method is Method.TOPSIS else WEIGHTED_SUM)

    def value(row: CandidateScore) -> Number:
        return Number(row.topsis if table.method is Method.TOPSIS else row.weighted_sum, 3)

    owner: Param = systems[winner.candidate_id].owner_code or explain(EXTERNAL_CANDIDATE)
    reasons = [explain(CHOSEN, system=winner.candidate_id, owner=owner, method=method,
                       score=value(winner))]
    if len(table.rows) == 1:
        reasons.append(explain(ONLY_CANDIDATE))
        return reasons
    runner = table.rows[1]
    reasons.append(explain(RUNNER_UP, system=runner.candidate_id, score=value(runner),
                           margin=Number(value(winner).value - value(runner).value, 3)))
    if table.tie:
        reasons.append(explain(TIE, system=runner.candidate_id))
    weighted = [
        (c.weight * n, n, c)
        for c, n in zip(table.criteria, winner.normalised, strict=True)
        if c.weight > 0
    ]
    strongest = sorted(weighted, key=lambda t: (-t[0], t[2].name_en))[:2]
    weakest = sorted(weighted, key=lambda t: (t[1], t[2].name_en))[0]

    def criterion(n: float, c: Criterion) -> Explanation:
        return explain(CRITERION_VALUE, criterion=Names(c.name_en, c.name_lv), value=Number(n, 2))

    found = [criterion(n, c) for _, n, c in strongest]
    reasons.append(explain(STRONGEST_TWO, first=found[0], second=found[1],
                           weakest=criterion(weakest[1], weakest[2]))
                   if len(found) == 2 else
                   explain(STRONGEST_ONE, first=found[0],
                           weakest=criterion(weakest[1], weakest[2])))
    if not table.methods_agree:
        other = (
            table.ranking_weighted_sum[0]
            if table.method is Method.TOPSIS
            else table.ranking_topsis[0]
        )
        reasons.append(explain(OTHER_METHOD, system=other))
    reasons.append(table.sensitivity.explanation())
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
