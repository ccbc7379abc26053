"""IS rationalisation of new municipalities: records in, the engine's plan out.

Views, the API, the CLI, the jobs and the national report's "after" columns all call these
functions. The records are read in a fixed number of queries however many counties are
planned; the engine (ictmerge.engine.systems) does every calculation. The work is split by
concern: `inputs` (reading the records), `plan` (the plan and its cost), `decisions` (the
county lead's choices and weights), `after` (the national report's figures); this module
turns plans into JSON and keeps every public name importable from here.
"""

from __future__ import annotations

from ictmerge.core.explanations import text_of
from ictmerge.engine.systems.time_class import TimeLabel
from ictmerge.systems.after import (
    after_figures,
    kept_systems,
    register_provider,
)
from ictmerge.systems.decisions import (
    check_decision,
    record_decision,
    set_weights,
)
from ictmerge.systems.inputs import (
    ASSUMED_FUNCTIONAL_COVERAGE,
    ASSUMED_SECURITY_COMPLIANCE,
    ASSUMED_VENDOR_SUPPORT,
    COUNTRY_RULE_SET,
    DECLARED_CLASS_WORDS,
    DEFAULT_RULE_SET,
    HOSTING_OF_INVENTORY,
    INVENTORY_OF_LEVEL,
    LEVEL_OF_INVENTORY,
    ROOM_CONDITIONS,
    SUPPORT_YEARS_OF_LIFECYCLE,
    TECHNICAL_FIT_OF_LIFECYCLE,
    Candidate,
    CountyInputs,
    PlanError,
    check_may_change,
    counties_of,
    county_criteria,
    criterion_codes,
    default_criteria,
    engine_functions,
    external_key,
    inventory_requirements,
    law,
    load_inputs,
    migration_rates,
    national_key,
    parse_declared_class,
    rule_set,
    rule_sets,
    system_key,
    writes_by,
)
from ictmerge.systems.payloads import CountyPlanPayload, FunctionDecisionPayload, ScoreTable
from ictmerge.systems.plan import (
    CUT_OVER_DAYS_BEFORE_REFORM,
    TRAINING_HOURS_PER_SWITCHING_USER,
    ChoiceCost,
    CountyResult,
    FunctionResult,
    budget_lines,
    municipal_migrations,
    plan_counties,
    plan_county,
    plan_from_inputs,
)

__all__ = [
    "ASSUMED_FUNCTIONAL_COVERAGE",
    "ASSUMED_SECURITY_COMPLIANCE",
    "ASSUMED_VENDOR_SUPPORT",
    "COUNTRY_RULE_SET",
    "CUT_OVER_DAYS_BEFORE_REFORM",
    "DECLARED_CLASS_WORDS",
    "DEFAULT_RULE_SET",
    "HOSTING_OF_INVENTORY",
    "INVENTORY_OF_LEVEL",
    "LEVEL_OF_INVENTORY",
    "ROOM_CONDITIONS",
    "SUPPORT_YEARS_OF_LIFECYCLE",
    "TECHNICAL_FIT_OF_LIFECYCLE",
    "TRAINING_HOURS_PER_SWITCHING_USER",
    "Candidate",
    "ChoiceCost",
    "CountyInputs",
    "CountyResult",
    "FunctionResult",
    "PlanError",
    "after_figures",
    "budget_lines",
    "check_decision",
    "check_may_change",
    "counties_of",
    "county_criteria",
    "county_json",
    "criterion_codes",
    "default_criteria",
    "engine_functions",
    "external_key",
    "function_json",
    "inventory_requirements",
    "kept_systems",
    "law",
    "load_inputs",
    "migration_rates",
    "municipal_migrations",
    "national_key",
    "parse_declared_class",
    "plan_counties",
    "plan_county",
    "plan_from_inputs",
    "record_decision",
    "register_provider",
    "rule_set",
    "rule_sets",
    "set_weights",
    "system_key",
    "time_counts",
    "writes_by",
]


# --- JSON for the API, the CLI and the job ----------------------------------------------------------


def _round(value: float, digits: int = 4) -> float:
    return round(value, digits)


def function_json(result: CountyResult, item: FunctionResult) -> FunctionDecisionPayload:
    """One function's decision as JSON."""
    decision = item.decision
    table = decision.scores
    scores: ScoreTable | None = None
    if table is not None:
        scores = {
            "method": table.method.value,
            "criteria": [{"code": c.code, "name": c.name_en, "direction": c.direction.value,
                          "weight": c.weight} for c in table.criteria],
            "rows": [{"system": r.candidate_id, "name": result.label(r.candidate_id),
                      "raw": [_round(v) for v in r.raw],
                      "normalised": [_round(v) for v in r.normalised],
                      "weighted_sum": _round(r.weighted_sum), "topsis": _round(r.topsis)}
                     for r in table.rows],
            "ranking_weighted_sum": list(table.ranking_weighted_sum),
            "ranking_topsis": list(table.ranking_topsis),
            "tie": table.tie,
            "methods_agree": table.methods_agree,
            "sensitivity": {
                "stable": table.sensitivity.stable, "checks": table.sensitivity.checks,
                "verdict": text_of(table.sensitivity.explanation()),
                "flips": [{"criterion": f.criterion_code, "factor": f.factor,
                           "new_winner": f.new_winner} for f in table.sensitivity.flips]},
        }
    return {
        "function": item.function.code,
        "name": item.function.name_en,
        "mandatory_national_system": item.function.mandatory_national_system,
        "candidates": [{"system": k, "name": result.label(k),
                        "assumed": list(result.inputs.candidates[k].assumed)
                        if k in result.inputs.candidates else []}
                       for k in decision.candidate_ids],
        "scores": scores,
        "recommended": decision.recommended_system_id,
        "chosen": decision.chosen_system_id,
        "chosen_name": result.label(decision.chosen_system_id),
        "basis": item.basis,
        "stale_decision": item.stale_decision,
        "override": {"justification": decision.override.justification}
        if decision.override else None,
        "time": [{"system": t.system_id, "label": t.label.value,
                  "functional_fit": _round(t.functional_fit),
                  "technical_fit": _round(t.technical_fit), "reason": text_of(t.reason)}
                 for t in decision.time_labels],
        "sensitivity": text_of(table.sensitivity.explanation()) if table else None,
        "reasons": [text_of(r) for r in decision.reasons],
        "migrations": [{"source": m.source_system_id, "target": m.target_system_id,
                        "records": m.records, "hours": m.hours, "cost_eur": m.cost_eur,
                        "cut_over_date": m.cut_over_date.isoformat() if m.cut_over_date
                        else None, "working": m.working}
                       for m in municipal_migrations(decision, result.inputs)],
        "cost": {"migration_eur": item.cost.migration_eur,
                 "training_eur": item.cost.training_eur,
                 "licence_delta_eur": item.cost.licence_delta_eur,
                 "retirement_savings_eur": item.cost.retirement_savings_eur,
                 "one_off_eur": item.cost.one_off_eur,
                 "annual_change_eur": item.cost.annual_change_eur,
                 "working": list(item.cost.working)},
    }


def county_json(result: CountyResult) -> CountyPlanPayload:
    """A county's plan as JSON (the API, `ictmerge systems plan --format json`, the job)."""
    plan = result.plan
    return {
        "county": {"code": result.county.code, "name": result.county.name,
                   "reform": result.county.reform.code},
        "demo_data": result.inputs.is_demo,
        "method": result.method.value,
        "predecessors": [m.name for m in result.inputs.predecessors],
        "criteria": [{"code": c.code, "weight": c.weight}
                     for c in result.inputs.criteria.criteria],
        "systems_before": plan.systems_before,
        "systems_after": plan.systems_after,
        "products_before": plan.products_before,
        "products_after": plan.products_after,
        "information_systems_after": result.information_systems_after,
        "information_system_products_after": result.products_after(),
        "basis": result.basis,
        "one_off_eur": round(sum(f.cost.one_off_eur for f in result.functions), 2),
        "annual_change_eur": round(sum(f.cost.annual_change_eur for f in result.functions), 2),
        "notes": result.notes,
        "budget_lines": budget_lines(result),
        "functions": [function_json(result, item) for item in result.functions],
    }


def time_counts(result: CountyResult) -> dict[str, int]:
    """How many systems got each TIME label."""
    counts = {label.value: 0 for label in TimeLabel}
    for item in result.functions:
        for label in item.decision.time_labels:
            counts[label.label.value] += 1
    return counts
