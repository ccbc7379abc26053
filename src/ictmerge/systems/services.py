"""IS rationalisation of new municipalities: records in, the engine's plan out.

Views, the API, the CLI, the jobs and the national report's "after" columns all call these
functions. The records are read in a fixed number of queries however many counties are
planned; the engine (ictmerge.engine.systems) does every calculation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ictmerge.core import scoping
from ictmerge.core.history import acting_as
from ictmerge.engine.systems.migration import (
    MigrationEstimate,
    MigrationRates,
    load_migration_rates,
)
from ictmerge.engine.systems.model import Hosting as EngineHosting
from ictmerge.engine.systems.model import InformationSystem as EngineSystem
from ictmerge.engine.systems.plan import (
    CountyPlan,
    FunctionDecision,
    Override,
    criterion_value,
    national_candidate,
    rationalise_county,
)
from ictmerge.engine.systems.scoring import (
    CriteriaSet,
    Method,
    load_criteria,
    ranking,
    score,
    with_weight,
)
from ictmerge.engine.systems.security import CIA, Level, RuleSet, load_rule_sets
from ictmerge.engine.systems.taxonomy import BusinessFunction as EngineFunction
from ictmerge.engine.systems.taxonomy import load_functions as read_taxonomy
from ictmerge.engine.systems.time_class import TimeLabel
from ictmerge.inventory.choices import Hosting, Lifecycle
from ictmerge.inventory.choices import Level as InventoryLevel
from ictmerge.inventory.models import BusinessFunction, InformationSystem
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.models import Municipality, Reform, Succession
from ictmerge.systems.models import (
    CriterionWeight,
    ExternalCandidate,
    SystemDecision,
)

# --- one place for the inventory's words versus the engine's ------------------------------------

#: The inventory says medium where FIPS 199 and the engine say moderate.
LEVEL_OF_INVENTORY = {
    InventoryLevel.LOW: Level.LOW,
    InventoryLevel.MEDIUM: Level.MODERATE,
    InventoryLevel.HIGH: Level.HIGH,
}
INVENTORY_OF_LEVEL = {level: word for word, level in LEVEL_OF_INVENTORY.items()}

#: How the classes predecessors declared read as levels. Latvian "1. klase" is the highest
#: (Cabinet Regulation No. 442 numbered classes from the most demanding); "A/B/C" are the
#: labels of the "lv" rule set; an unreadable class is shown as written and not compared.
DECLARED_CLASS_WORDS = {
    "low": Level.LOW, "medium": Level.MODERATE, "moderate": Level.MODERATE, "high": Level.HIGH,
    "c": Level.LOW, "b": Level.MODERATE, "a": Level.HIGH,
    "3": Level.LOW, "2": Level.MODERATE, "1": Level.HIGH,
}

HOSTING_OF_INVENTORY = {
    Hosting.ON_PREMISES: EngineHosting.ON_PREMISES,
    Hosting.VENDOR_HOSTED: EngineHosting.VENDOR_SAAS,
    Hosting.CLOUD: EngineHosting.VENDOR_SAAS,
    Hosting.STATE: EngineHosting.STATE_DATA_CENTRE,
}

#: Values taken when a predecessor's system has no assessment, each an assumption of
#: ictmerge shown beside the result. Lifecycle stands in for technical fit and support.
ASSUMED_FUNCTIONAL_COVERAGE = 0.7
ASSUMED_VENDOR_SUPPORT = 3.0
ASSUMED_SECURITY_COMPLIANCE = 0.5
TECHNICAL_FIT_OF_LIFECYCLE = {Lifecycle.CURRENT: 4.0, Lifecycle.AGEING: 2.5,
                              Lifecycle.END_OF_LIFE: 1.0}
SUPPORT_YEARS_OF_LIFECYCLE = {Lifecycle.CURRENT: 5.0, Lifecycle.AGEING: 2.0,
                              Lifecycle.END_OF_LIFE: 0.0}
#: Training of each user who moves to a different product (assumption: half a working day).
TRAINING_HOURS_PER_SWITCHING_USER = 4.0
#: Default rule set of the security re-assessment (the issue: FIPS 199 by default).
DEFAULT_RULE_SET = "fips199"
#: Data migration cut-over, days before the reform date (assumption, as the templates').
CUT_OVER_DAYS_BEFORE_REFORM = 14

ROOM_CONDITIONS = {
    "has_access_control": "access_control", "has_ups": "ups", "has_cooling": "cooling",
    "has_monitoring": "monitoring", "has_generator": "generator",
    "has_fire_suppression": "fire_suppression",
}


class PlanError(ValueError):
    """The plan cannot be made or a decision cannot be recorded; the message says why."""


def writes_by(user: Any) -> Any:
    """Attribute the writes in the block to `user` (None keeps the current actor, e.g. the CLI's)."""
    return acting_as(user) if user is not None else contextlib.nullcontext()


def check_may_change(user: Any, county: Municipality) -> None:
    """PermissionDenied unless the user may write the county (None: the CLI's system user)."""
    if user is not None and not scoping.may_change_municipality(user, county.pk):
        raise PermissionDenied(_("You may not change %(county)s.") % {"county": county.name})


def system_key(pk: int) -> str:
    """The engine id of a predecessor's information system."""
    return f"is-{pk}"


def external_key(pk: int) -> str:
    """The engine id of an external candidate."""
    return f"ext-{pk}"


def national_key(function_code: str) -> str:
    """The engine id of the stand-in for a mandatory national system no predecessor lists."""
    return f"national:{function_code}"


def parse_declared_class(text: str) -> Level | None:
    """The level of a class as a predecessor wrote it ('2. klase', 'B', 'medium'), or None."""
    key = text.strip().lower().replace("klase", "").replace("class", "").strip(" .")
    return DECLARED_CLASS_WORDS.get(key)


def inventory_requirements(record: InformationSystem) -> CIA | None:
    """C/I/A of a record, None when none was assessed (a blank one takes the highest given)."""
    given = [record.confidentiality, record.integrity, record.availability]
    if not any(given):
        return None
    levels = [LEVEL_OF_INVENTORY[InventoryLevel(v)] for v in given if v]
    fill = max(levels)  # conservative: an unassessed objective is no lower than the others
    c, i, a = (LEVEL_OF_INVENTORY[InventoryLevel(v)] if v else fill for v in given)
    return CIA(c, i, a)


# --- taxonomy and criteria -----------------------------------------------------------------------


@functools.cache
def _shipped_functions() -> tuple[EngineFunction, ...]:
    return read_taxonomy()


def engine_functions(records: Iterable[BusinessFunction] | None = None) -> tuple[EngineFunction, ...]:
    """The taxonomy as the database holds it (editable), completed from the shipped file."""
    shipped = {f.code: f for f in _shipped_functions()}
    rows = {r.code: r for r in (records if records is not None
                                else BusinessFunction.objects.all())}
    order = [c for c in shipped if c in rows] + sorted(set(rows) - set(shipped))
    functions = []
    for code in order:
        row = rows[code]
        base = shipped.get(code)
        functions.append(EngineFunction(
            code=code, name_en=row.name_en, name_lv=row.name_lv,
            mandatory_national_system=(row.national_system or row.name_en)
            if row.national_system_mandatory else None,
            national_registers=base.national_registers if base else (),
            source=row.source or (base.source if base else ""),
            default_requirements=base.default_requirements if base
            else CIA(Level.MODERATE, Level.MODERATE, Level.MODERATE),
        ))
    return tuple(functions)


@functools.cache
def default_criteria() -> CriteriaSet:
    """The shipped criteria with their default weights."""
    return load_criteria()


def criterion_codes() -> tuple[str, ...]:
    """Codes of the rationalisation criteria."""
    return tuple(c.code for c in default_criteria().criteria)


def county_criteria(weights: Iterable[CriterionWeight]) -> CriteriaSet:
    """The default criteria with a county's stored weights applied."""
    base = default_criteria()
    criteria = base.criteria
    for weight in weights:
        if weight.criterion in criterion_codes():
            criteria = with_weight(criteria, weight.criterion, float(weight.weight))
    return CriteriaSet(criteria, base.hosting_scores)


@functools.cache
def migration_rates() -> MigrationRates:
    """The shipped data-migration rates."""
    return load_migration_rates()


@functools.cache
def rule_sets() -> dict[str, RuleSet]:
    """The security-class rule sets by code."""
    return load_rule_sets()


def rule_set(code: str | None) -> RuleSet:
    """One rule set; PlanError names the known ones."""
    sets = rule_sets()
    chosen = code or DEFAULT_RULE_SET
    if chosen not in sets:
        raise PlanError(_("Unknown rule set %(code)s; expected one of %(codes)s.")
                        % {"code": chosen, "codes": ", ".join(sorted(sets))})
    return sets[chosen]


# --- reading a county's records ------------------------------------------------------------------


@dataclass
class Candidate:
    """A candidate system as the engine sees it, with the record it came from."""

    system: EngineSystem
    label: str  # name and owner, for people
    owner_name: str
    record: InformationSystem | ExternalCandidate | None
    annual_cost_eur: float
    assumed: tuple[str, ...]  # values taken by assumption, in words
    is_demo: bool = False


@dataclass
class CountyInputs:
    """Everything the engine needs for one new municipality."""

    county: Municipality
    predecessors: list[Municipality]
    functions: tuple[EngineFunction, ...]
    candidates: dict[str, Candidate]
    criteria: CriteriaSet
    decisions: dict[str, SystemDecision]
    weights: list[CriterionWeight]

    @property
    def systems(self) -> list[EngineSystem]:
        """The engine's candidates, in key order."""
        return [c.system for _key, c in sorted(self.candidates.items())]

    @property
    def is_demo(self) -> bool:
        """True when any predecessor system is generated demo data."""
        return any(c.is_demo for c in self.candidates.values())


def _engine_system(record: InformationSystem, function: EngineFunction,
                   population: int | None) -> Candidate:
    assumed: list[str] = []
    assessment = record.assessment if _has_assessment(record) else None
    users = record.users or 0
    records = record.records or 0

    def value(name: str, fallback: float, why: str) -> float:
        if assessment is not None and getattr(assessment, name) is not None:
            return float(getattr(assessment, name))
        assumed.append(f"{name} {fallback:g} ({why})")
        return fallback

    lifecycle = Lifecycle(record.lifecycle)
    national_name = (function.mandatory_national_system or "").lower()
    is_national = record.hosting == Hosting.STATE or bool(
        national_name and national_name in (record.name.lower(), (record.product or "").lower()))
    annual = float(record.annual_cost_eur or 0)
    if record.annual_cost_eur is None:
        assumed.append("annual cost 0 (not recorded)")
    if assessment is not None and assessment.data_subjects is not None:
        subjects = assessment.data_subjects
    else:
        subjects = min(records, population) if population else records
        assumed.append(f"data subjects {subjects:,} (min of records and population)")
    system = EngineSystem(
        system_id=system_key(record.pk), name=record.name,
        product=record.product or record.name, vendor=record.vendor,
        function_code=function.code, owner_code=record.municipality.code,
        users=users, records=records,
        functional_coverage=value("functional_coverage", ASSUMED_FUNCTIONAL_COVERAGE,
                                  "not assessed"),
        technical_fit=value("technical_fit", TECHNICAL_FIT_OF_LIFECYCLE[lifecycle],
                            f"from lifecycle {lifecycle.value}"),
        support_years_left=value("support_years_left", SUPPORT_YEARS_OF_LIFECYCLE[lifecycle],
                                 f"from lifecycle {lifecycle.value}"),
        annual_cost_per_user_eur=annual / users if users else annual,
        vendor_support=value("vendor_support", ASSUMED_VENDOR_SUPPORT, "not assessed"),
        integrated_registers=frozenset(
            line.strip() for line in record.integrations.splitlines() if line.strip()),
        hosting=HOSTING_OF_INVENTORY.get(Hosting(record.hosting), EngineHosting.UNKNOWN),
        security_compliance=value("security_compliance", ASSUMED_SECURITY_COMPLIANCE,
                                  "not assessed"),
        requirements=inventory_requirements(record),
        declared_class=parse_declared_class(record.security_class),
        data_subjects=subjects,
        is_national=is_national,
    )
    return Candidate(system=system, label=f"{record.name} ({record.municipality.name})",
                     owner_name=record.municipality.name, record=record, annual_cost_eur=annual,
                     assumed=tuple(assumed), is_demo=record.is_demo)


def _has_assessment(record: InformationSystem) -> bool:
    try:
        return record.assessment is not None
    except InformationSystem.assessment.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return False


def _engine_external(record: ExternalCandidate) -> Candidate:
    system = EngineSystem(
        system_id=external_key(record.pk), name=record.name,
        product=record.product or record.name, vendor=record.vendor,
        function_code=record.function.code, owner_code=None, users=0, records=0,
        functional_coverage=float(record.functional_coverage),
        technical_fit=float(record.technical_fit),
        support_years_left=float(record.support_years_left),
        annual_cost_per_user_eur=float(record.annual_cost_per_user_eur),
        vendor_support=float(record.vendor_support),
        integrated_registers=frozenset(
            line.strip() for line in record.integrations.splitlines() if line.strip()),
        hosting=HOSTING_OF_INVENTORY.get(Hosting(record.hosting), EngineHosting.UNKNOWN),
        security_compliance=float(record.security_compliance),
        is_national=record.hosting == Hosting.STATE,
    )
    return Candidate(system=system, label=f"{record.name} ({_('external candidate')})",
                     owner_name=_("external candidate"), record=record, annual_cost_eur=0.0,
                     assumed=())


def load_inputs(counties: Sequence[Municipality]) -> dict[int, CountyInputs]:
    """Read the candidates, weights and decisions of many counties in a fixed number of queries."""
    ids = [c.pk for c in counties]
    successions = list(Succession.objects.filter(new_id__in=ids).select_related("former")
                       .order_by("former__name"))
    formers: dict[int, list[Municipality]] = defaultdict(list)
    for succession in successions:
        formers[succession.new_id].append(succession.former)
    functions = engine_functions()
    by_code = {f.code: f for f in functions}
    systems_of: dict[int, list[InformationSystem]] = defaultdict(list)
    for record in (InformationSystem.objects
                   .filter(municipality_id__in={s.former_id for s in successions})
                   .select_related("municipality", "function", "assessment")):
        systems_of[record.municipality_id].append(record)
    externals: dict[int, list[ExternalCandidate]] = defaultdict(list)
    for external in ExternalCandidate.objects.filter(municipality_id__in=ids).select_related(
            "function"):
        externals[external.municipality_id].append(external)
    weights: dict[int, list[CriterionWeight]] = defaultdict(list)
    for weight in CriterionWeight.objects.filter(municipality_id__in=ids):
        weights[weight.municipality_id].append(weight)
    decisions: dict[int, dict[str, SystemDecision]] = defaultdict(dict)
    for decision in SystemDecision.objects.filter(municipality_id__in=ids).select_related(
            "function", "chosen_system__municipality", "chosen_external"):
        decisions[decision.municipality_id][decision.function.code] = decision
    result = {}
    for county in counties:
        candidates: dict[str, Candidate] = {}
        for former in formers[county.pk]:
            for record in systems_of[former.pk]:
                function = by_code.get(record.function.code)
                if function is not None:
                    candidate = _engine_system(record, function, former.population)
                    candidates[candidate.system.system_id] = candidate
        for external in externals[county.pk]:
            if external.function.code in by_code:
                candidate = _engine_external(external)
                candidates[candidate.system.system_id] = candidate
        result[county.pk] = CountyInputs(
            county=county, predecessors=formers[county.pk], functions=functions,
            candidates=candidates, criteria=county_criteria(weights[county.pk]),
            decisions=decisions[county.pk], weights=weights[county.pk])
    return result


# --- the plan --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceCost:
    """What choosing one system per function costs: one-off and the change in annual cost."""

    migration_eur: float
    training_eur: float
    licence_delta_eur: float
    retirement_savings_eur: float
    working: tuple[str, ...]

    @property
    def one_off_eur(self) -> float:
        """Migration plus training."""
        return round(self.migration_eur + self.training_eur, 2)

    @property
    def annual_change_eur(self) -> float:
        """Licences for the users the kept system gains, less the retired systems' cost."""
        return round(self.licence_delta_eur - self.retirement_savings_eur, 2)


@dataclass
class FunctionResult:
    """One function of a county: the engine's decision, its record, labels and cost."""

    function: EngineFunction
    decision: FunctionDecision
    record: SystemDecision | None
    basis: str  # "decided" or "recommended"
    stale_decision: bool
    cost: ChoiceCost

    @property
    def chosen(self) -> str:
        """Engine id of the kept system."""
        return self.decision.chosen_system_id


@dataclass
class CountyResult:
    """The rationalisation of one new municipality."""

    inputs: CountyInputs
    plan: CountyPlan
    functions: list[FunctionResult]
    method: Method
    notes: list[str] = field(default_factory=list)

    @property
    def county(self) -> Municipality:
        """The new municipality."""
        return self.inputs.county

    def label(self, key: str) -> str:
        """A system's name for people."""
        candidate = self.inputs.candidates.get(key)
        if candidate is not None:
            return candidate.label
        function = self.function_of_key(key)
        return f"{function.mandatory_national_system} ({_('national system')})" if function \
            else key

    def function_of_key(self, key: str) -> EngineFunction | None:
        """The function a national stand-in key belongs to."""
        code = key.removeprefix("national:")
        return next((f for f in self.inputs.functions if f.code == code), None)

    def products_after(self) -> int:
        """Distinct products kept, national systems included."""
        products = set()
        for result in self.functions:
            candidate = self.inputs.candidates.get(result.chosen)
            products.add((candidate.system.product if candidate
                          else result.function.mandatory_national_system or "").lower())
        return len(products)

    @property
    def basis(self) -> str:
        """decided (every function), recommended (none) or partly decided."""
        decided = sum(1 for f in self.functions if f.basis == "decided")
        if decided == len(self.functions) and decided:
            return "decided"
        return "partly decided" if decided else "recommended"


def municipal_migrations(decision: FunctionDecision,
                         inputs: CountyInputs) -> list[MigrationEstimate]:
    """The engine's migrations less those between national systems (their operator merges)."""
    kept = inputs.candidates.get(decision.chosen_system_id)
    kept_national = kept is None or kept.system.is_national
    return [m for m in decision.migrations
            if not (kept_national and m.source_system_id in inputs.candidates
                    and inputs.candidates[m.source_system_id].system.is_national)]


def _cost(decision: FunctionDecision, inputs: CountyInputs,
          function: EngineFunction, rates: MigrationRates) -> ChoiceCost:
    chosen = inputs.candidates.get(decision.chosen_system_id)
    chosen_product = (chosen.system.product if chosen
                      else function.mandatory_national_system or "").strip().lower()
    per_user = chosen.system.annual_cost_per_user_eur if chosen else 0.0
    retired = [inputs.candidates[k] for k in decision.eliminated_ids if k in inputs.candidates]
    retired = [c for c in retired if not c.system.external]
    gained = sum(c.system.users for c in retired)
    switching = sum(c.system.users for c in retired
                    if c.system.product.strip().lower() != chosen_product)
    migrations = municipal_migrations(decision, inputs)
    migration = sum(m.cost_eur for m in migrations)
    training = switching * TRAINING_HOURS_PER_SWITCHING_USER * rates.hourly_rate_eur
    licence = gained * per_user
    savings = sum(c.annual_cost_eur for c in retired if not c.system.is_national)
    working = (
        f"migration {migration:,.0f} EUR ({len(migrations)} systems; national systems' data "
        f"is merged by their operator)",
        f"training {switching:,} users switching product x {TRAINING_HOURS_PER_SWITCHING_USER:g} h"
        f" x {rates.hourly_rate_eur:g} EUR/h = {training:,.0f} EUR",
        f"licences {gained:,} users gained x {per_user:,.2f} EUR/user/year = {licence:,.0f} EUR",
        f"retired systems' annual cost {savings:,.0f} EUR",
    )
    return ChoiceCost(round(migration, 2), round(training, 2), round(licence, 2),
                      round(savings, 2), working)


def _overrides(inputs: CountyInputs, plan: CountyPlan) -> tuple[dict[str, Override], set[str]]:
    """Recorded decisions that differ from the recommendation, and stale ones (not a candidate)."""
    overrides: dict[str, Override] = {}
    stale: set[str] = set()
    recommended = {d.function_code: d for d in plan.decisions}
    for code, record in inputs.decisions.items():
        decision = recommended.get(code)
        if decision is None:
            stale.add(code)
            continue
        key = record.chosen_key()
        if key not in decision.candidate_ids:
            stale.add(code)
        elif key != decision.recommended_system_id:
            overrides[code] = Override(key, record.justification or "-")
    return overrides, stale


def plan_from_inputs(inputs: CountyInputs, method: Method = Method.TOPSIS) -> CountyResult:
    """Rationalise one county: recommendation first, then the recorded decisions applied."""
    rates = migration_rates()
    reform_date = inputs.county.reform.effective_date
    cut_over = reform_date - dt.timedelta(days=CUT_OVER_DAYS_BEFORE_REFORM)
    systems = inputs.systems
    plan = rationalise_county(inputs.county.code, inputs.functions, systems, inputs.criteria,
                              rates, method=method, cut_over_date=cut_over)
    overrides, stale = _overrides(inputs, plan)
    if overrides:
        plan = rationalise_county(inputs.county.code, inputs.functions, systems,
                                  inputs.criteria, rates, method=method, overrides=overrides,
                                  cut_over_date=cut_over)
    by_code = {f.code: f for f in inputs.functions}
    results = []
    for decision in plan.decisions:
        function = by_code[decision.function_code]
        record = inputs.decisions.get(decision.function_code)
        usable = record is not None and decision.function_code not in stale
        results.append(FunctionResult(
            function=function, decision=decision, record=record if usable else None,
            basis="decided" if usable else "recommended",
            stale_decision=decision.function_code in stale,
            cost=_cost(decision, inputs, function, rates)))
    result = CountyResult(inputs=inputs, plan=plan, functions=results, method=method)
    if stale:
        result.notes.append(_("Recorded decisions no longer match a candidate (%(codes)s): the "
                              "recommendation is shown until they are recorded again.")
                            % {"codes": ", ".join(sorted(stale))})
    return result


def budget_lines(result: CountyResult) -> list[dict[str, Any]]:
    """The cost of the county's choices as budget lines: one-off and annual, in EUR."""
    lines = []
    for item in result.functions:
        name = item.function.name_en
        for kind, label, amount in (
            ("one_off", f"{name}: data migration", item.cost.migration_eur),
            ("one_off", f"{name}: training of users who switch", item.cost.training_eur),
            ("annual", f"{name}: licences for the users the kept system gains",
             item.cost.licence_delta_eur),
            ("annual", f"{name}: retired systems' cost saved", -item.cost.retirement_savings_eur),
        ):
            if amount:
                lines.append({"function": item.function.code, "kind": kind, "label": label,
                              "amount_eur": amount})
    return lines


def counties_of(reform: Reform) -> list[Municipality]:
    """The new municipalities of a reform, by name."""
    return list(Municipality.objects.filter(reform=reform, stage=Stage.NEW)
                .select_related("reform").order_by("name"))


def plan_counties(counties: Sequence[Municipality], method: Method = Method.TOPSIS,
                  progress: Any = None) -> list[CountyResult]:
    """Plans of many counties; a county whose predecessors list no system is left out."""
    inputs = load_inputs(counties)
    results = []
    for index, county in enumerate(counties):
        if inputs[county.pk].candidates:
            results.append(plan_from_inputs(inputs[county.pk], method))
        if progress is not None:
            progress(100 * (index + 1) / max(len(counties), 1), county.name)
    return results


def plan_county(county: Municipality, method: Method = Method.TOPSIS) -> CountyResult:
    """The rationalisation of one new municipality."""
    return plan_from_inputs(load_inputs([county])[county.pk], method)


def find_county(code: str, reform_code: str | None = None) -> Municipality:
    """A new municipality by code (in the given or the latest reform with data)."""
    from ictmerge.reports.services import default_reform

    reform = (Reform.objects.filter(code=reform_code).first() if reform_code
              else default_reform())
    if reform is None:
        raise PlanError(_("No reform %(code)s is loaded.") % {"code": reform_code or ""})
    county = (Municipality.objects.filter(reform=reform, stage=Stage.NEW, code=code)
              .select_related("reform").first())
    if county is None:
        raise PlanError(_("No new municipality with code %(code)s in %(reform)s.")
                        % {"code": code, "reform": reform.code})
    return county


def visible_county(user: Any, pk: int) -> Municipality | None:
    """The new municipality if the user may see it (None answers as not found)."""
    visible = scoping.visible_ids(user)
    if visible is not None and pk not in visible:
        return None
    return Municipality.objects.filter(pk=pk, stage=Stage.NEW).select_related("reform").first()


# --- decisions -------------------------------------------------------------------------------------


def check_decision(record: SystemDecision) -> None:
    """Fill in the recommendation and raise ValidationError unless the decision may stand."""
    county = record.municipality
    function = record.function
    result = plan_county(county)
    decision = next((d for d in result.plan.decisions if d.function_code == function.code), None)
    if decision is None:
        raise ValidationError({"function": _("No predecessor of %(county)s runs a system for "
                                             "this function.") % {"county": county.name}})
    if record.chosen_system_id and record.chosen_external_id:
        raise ValidationError({"chosen_external": _("Choose one system, not two.")})
    key = record.chosen_key()
    recommended = decision.recommended_system_id
    if key not in decision.candidate_ids:
        field_name = "chosen_external" if record.chosen_external_id else "chosen_system"
        raise ValidationError({field_name: _("%(system)s is not a candidate for %(function)s in "
                                             "%(county)s.") % {
            "system": record.chosen_label(), "function": function, "county": county.name}})
    if key != recommended and function.national_system_mandatory:
        raise ValidationError({"chosen_system": _("%(system)s is mandatory for this function and "
                                                  "cannot be overridden.") % {
            "system": function.national_system}})
    if key != recommended and not record.justification.strip():
        raise ValidationError({"justification": _(
            "The calculation recommends %(recommended)s: give the reason for choosing "
            "another system.") % {"recommended": result.label(recommended)}})
    record.recommended = result.label(recommended)[:200]
    record.overrides_recommendation = key != recommended


def _record_of_key(inputs: CountyInputs, key: str, function_code: str) -> dict[str, Any]:
    if key.startswith("national:"):
        return {"chosen_system": None, "chosen_external": None}
    candidate = inputs.candidates.get(key)
    if candidate is None or candidate.system.function_code != function_code:
        raise PlanError(_("%(key)s is not a candidate for %(function)s; candidates: %(keys)s.")
                        % {"key": key, "function": function_code,
                           "keys": ", ".join(sorted(k for k, c in inputs.candidates.items()
                                                    if c.system.function_code == function_code))})
    if isinstance(candidate.record, ExternalCandidate):
        return {"chosen_system": None, "chosen_external": candidate.record}
    return {"chosen_system": candidate.record, "chosen_external": None}


@transaction.atomic
def record_decision(county: Municipality, function_code: str, user: Any,
                    system: str | None = None, justification: str = "") -> SystemDecision:
    """Record the county lead's choice: the recommendation (system None) or an override."""
    check_may_change(user, county)
    function = BusinessFunction.objects.filter(code=function_code).first()
    if function is None:
        raise PlanError(_("Unknown function %(code)s.") % {"code": function_code})
    result = plan_county(county)
    decision = next((d for d in result.plan.decisions if d.function_code == function_code), None)
    if decision is None:
        raise PlanError(_("No predecessor of %(county)s runs a system for %(function)s.")
                        % {"county": county.name, "function": function_code})
    key = system or decision.recommended_system_id
    values = _record_of_key(result.inputs, key, function_code)
    record = (SystemDecision.objects.select_for_update()
              .filter(municipality=county, function=function).first()
              or SystemDecision(municipality=county, function=function))
    record.chosen_system = values["chosen_system"]
    record.chosen_external = values["chosen_external"]
    record.justification = justification.strip()
    record.full_clean()
    with writes_by(user):
        record.save()
    return record


@transaction.atomic
def set_weights(county: Municipality, weights: dict[str, float], user: Any) -> list[CriterionWeight]:
    """Store a county's criterion weights (each write in the history); unknown codes are refused."""
    check_may_change(user, county)
    unknown = sorted(set(weights) - set(criterion_codes()))
    if unknown:
        raise PlanError(_("Unknown criterion %(codes)s; expected one of %(known)s.")
                        % {"codes": ", ".join(unknown), "known": ", ".join(criterion_codes())})
    bad = sorted(code for code, value in weights.items() if not value >= 0)
    if bad:
        raise PlanError(_("Weight of %(codes)s: expected a number >= 0.")
                        % {"codes": ", ".join(bad)})
    current = {w.criterion: w for w in CriterionWeight.objects.filter(municipality=county)}
    merged = {c.code: c.weight for c in default_criteria().criteria}
    merged.update({code: float(w.weight) for code, w in current.items()})
    merged.update(weights)
    if not any(v > 0 for v in merged.values()):
        raise PlanError(_("At least one weight must be positive."))
    saved = []
    for code, value in weights.items():
        record = current.get(code) or CriterionWeight(municipality=county, criterion=code)
        record.weight = Decimal(str(value)).quantize(Decimal("0.001"))
        record.full_clean()
        with writes_by(user):
            record.save()
        saved.append(record)
    return saved


# --- the national report's "after" columns --------------------------------------------------------


def kept_systems(inputs: CountyInputs, method: Method = Method.TOPSIS) -> dict[str, str]:
    """Function code -> kept system id, by the engine's rules without the sensitivity check.

    The national report needs only the winners of every county; the full plan also moves
    every weight (16 more scorings per function). The result equals the full plan's choice
    (a test holds them together).
    """
    kept: dict[str, str] = {}
    by_function: dict[str, list[EngineSystem]] = defaultdict(list)
    for system in inputs.systems:
        by_function[system.function_code].append(system)
    for function in inputs.functions:
        candidates = sorted(by_function.get(function.code, []), key=lambda s: s.system_id)
        if not candidates:
            continue
        if function.national_system_mandatory:
            kept[function.code] = national_candidate(function, candidates).system_id
            continue
        ids = [s.system_id for s in candidates]
        record = inputs.decisions.get(function.code)
        if record is not None and record.chosen_key() in ids:
            kept[function.code] = record.chosen_key()
            continue
        matrix = [[criterion_value(c, s, function, candidates, inputs.criteria.hosting_scores)
                   for c in inputs.criteria.criteria] for s in candidates]
        kept[function.code] = ranking(ids, score(matrix, inputs.criteria.criteria, method))[0]
    return kept


def after_figures(reform: Reform) -> dict[int, dict[str, Any]]:
    """Per new municipality: information systems and distinct IS products after the reform."""
    counties = counties_of(reform)
    figures = {}
    for county_id, inputs in load_inputs(counties).items():
        if not inputs.candidates:
            continue
        kept = kept_systems(inputs)
        names = {f.code: f.mandatory_national_system or "" for f in inputs.functions}
        products = {(inputs.candidates[key].system.product if key in inputs.candidates
                     else names[code]).lower() for code, key in kept.items()}
        decided = sum(1 for code in kept if code in inputs.decisions)
        figures[county_id] = {
            "information_systems_after": len(kept),
            "information_system_products_after": len(products),
            "information_systems_after_basis": "decided" if decided == len(kept)
            else "partly decided" if decided else "recommended",
        }
    return figures


# --- JSON for the API, the CLI and the job ----------------------------------------------------------


def _round(value: float, digits: int = 4) -> float:
    return round(value, digits)


def function_json(result: CountyResult, item: FunctionResult) -> dict[str, Any]:
    """One function's decision as JSON."""
    decision = item.decision
    table = decision.scores
    scores = None
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
                "verdict": table.sensitivity.verdict(),
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
                  "technical_fit": _round(t.technical_fit), "reason": t.reason}
                 for t in decision.time_labels],
        "sensitivity": table.sensitivity.verdict() if table else None,
        "reasons": list(decision.reasons),
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


def county_json(result: CountyResult) -> dict[str, Any]:
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
        "information_systems_after": len(result.functions),
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


def register_provider() -> None:
    """Fill the national report's IS columns from the plans (called once at start-up)."""
    from ictmerge.reports.services import AFTER_PROVIDERS

    if after_figures not in AFTER_PROVIDERS:
        AFTER_PROVIDERS.append(after_figures)
