"""IS rationalisation, the inputs: a county's records read as the engine's candidates.

The records of many counties are read in a fixed number of queries; the inventory's
words are mapped to the engine's in one place.
"""

from __future__ import annotations

import contextlib
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ictmerge.core import scoping
from ictmerge.core.history import acting_as
from ictmerge.engine.systems.migration import (
    MigrationRates,
    load_migration_rates,
)
from ictmerge.engine.systems.model import Hosting as EngineHosting
from ictmerge.engine.systems.model import InformationSystem as EngineSystem
from ictmerge.engine.systems.scoring import (
    CriteriaSet,
    load_criteria,
    with_weight,
)
from ictmerge.engine.systems.security import CIA, Law, Level, RuleSet, load_law
from ictmerge.engine.systems.taxonomy import BusinessFunction as EngineFunction
from ictmerge.engine.systems.taxonomy import load_functions as read_taxonomy
from ictmerge.inventory.choices import Hosting, Lifecycle
from ictmerge.inventory.choices import Level as InventoryLevel
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import BusinessFunction, InformationSystem
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import counties_by_id
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.systems.models import (
    CriterionWeight,
    ExternalCandidate,
    SystemDecision,
)

# --- one place for the inventory's words versus the engine's ------------------------------------

#: The inventory says medium where FIPS 199 and the engine say moderate.
LEVEL_OF_INVENTORY: dict[str, Level] = {
    InventoryLevel.LOW: Level.LOW,
    InventoryLevel.MEDIUM: Level.MODERATE,
    InventoryLevel.HIGH: Level.HIGH,
}
INVENTORY_OF_LEVEL = {level: word for word, level in LEVEL_OF_INVENTORY.items()}

#: How the classes predecessors declared read as levels. The names of Cabinet Regulation
#: No. 442 (basic and increased security, in Latvian and English) read as the lowest level
#: of their class; numbered classes ("1. klase" the highest) are read as some predecessors
#: wrote them (which act numbered them so is unconfirmed). A, B, C are no security classes
#: (they are critical-infrastructure categories of Regulation No. 508) and are not read; an
#: unreadable class is shown as written and not compared.
DECLARED_CLASS_WORDS = {
    "low": Level.LOW, "medium": Level.MODERATE, "moderate": Level.MODERATE, "high": Level.HIGH,
    "3": Level.LOW, "2": Level.MODERATE, "1": Level.HIGH,
    "pamata drošības sistēma": Level.LOW, "pamata drošības": Level.LOW,
    "basic-security system": Level.LOW, "basic security": Level.LOW, "basic": Level.LOW,
    "paaugstinātas drošības sistēma": Level.MODERATE, "paaugstinātas drošības": Level.MODERATE,
    "increased-security system": Level.MODERATE, "increased security": Level.MODERATE,
    "increased": Level.MODERATE,
}

HOSTING_OF_INVENTORY: dict[str, EngineHosting] = {
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
TECHNICAL_FIT_OF_LIFECYCLE: dict[str, float] = {
    Lifecycle.CURRENT: 4.0, Lifecycle.AGEING: 2.5, Lifecycle.END_OF_LIFE: 1.0}
SUPPORT_YEARS_OF_LIFECYCLE: dict[str, float] = {
    Lifecycle.CURRENT: 5.0, Lifecycle.AGEING: 2.0, Lifecycle.END_OF_LIFE: 0.0}
#: The generic rule set, used where no country's rule set was in force on the reform date.
DEFAULT_RULE_SET = "fips199"
#: Asking for this code means the country's rule set in force on the reform date.
COUNTRY_RULE_SET = "lv"

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
    """The level of a class as a predecessor wrote it ('2. klase', 'pamata drošības sistēma')."""
    key = text.strip().lower().replace("klase", "").replace("class", "").strip(" .")
    return DECLARED_CLASS_WORDS.get(key)


def inventory_requirements(record: InformationSystem | SystemRow) -> CIA | None:
    """C/I/A of a record, None when none was assessed (a blank one takes the highest given)."""
    given = [record.confidentiality, record.integrity, record.availability]
    if not any(given):
        return None
    # The choices are str enums: the stored text finds its member without a conversion.
    levels = [LEVEL_OF_INVENTORY[v] for v in given if v]
    fill = max(levels)  # conservative: an unassessed objective is no lower than the others
    c, i, a = (LEVEL_OF_INVENTORY[v] if v else fill for v in given)
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
def law() -> Law:
    """The shipped security rule sets and duties."""
    return load_law()


def rule_sets() -> dict[str, RuleSet]:
    """The security-class rule sets by code."""
    return dict(law().rule_sets)


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


@dataclass(frozen=True, slots=True)
class SystemRow:
    """The columns of a predecessor's system the engine reads (assessment ones None if unassessed).

    Read from a record for the plan pages, which keep the record, or straight from one
    values_list query for the national report, which needs thousands of them and no record.
    """

    pk: int
    name: str
    product: str
    vendor: str
    users: int | None
    records: int | None
    lifecycle: str
    hosting: str
    annual_cost_eur: Decimal | None
    integrations: str
    security_class: str
    confidentiality: str
    integrity: str
    availability: str
    is_demo: bool
    municipality_id: int
    function_code: str
    assessed: bool
    functional_coverage: Decimal | None
    technical_fit: Decimal | None
    support_years_left: Decimal | None
    vendor_support: Decimal | None
    security_compliance: Decimal | None
    data_subjects: int | None

    @classmethod
    def of_record(cls, record: InformationSystem) -> SystemRow:
        """The row of a record read with its function and assessment."""
        assessment = record.assessment if _has_assessment(record) else None
        return cls(
            record.pk, record.name, record.product, record.vendor, record.users, record.records,
            record.lifecycle, record.hosting, record.annual_cost_eur, record.integrations,
            record.security_class, record.confidentiality, record.integrity,
            record.availability, record.is_demo, record.municipality_id, record.function.code,
            assessment is not None,
            *((getattr(assessment, name) if assessment is not None else None)
              for name in ASSESSMENT_COLUMNS))


#: The assessment's columns in SystemRow, in order.
ASSESSMENT_COLUMNS = ("functional_coverage", "technical_fit", "support_years_left",
                      "vendor_support", "security_compliance", "data_subjects")
#: SystemRow's columns as one values_list query reads them.
SYSTEM_ROW_QUERY = (
    "pk", "name", "product", "vendor", "users", "records", "lifecycle", "hosting",
    "annual_cost_eur", "integrations", "security_class", "confidentiality", "integrity",
    "availability", "is_demo", "municipality_id", "function__code", "assessment__pk",
    *(f"assessment__{name}" for name in ASSESSMENT_COLUMNS),
)


def _engine_system(row: SystemRow, owner: Municipality, function: EngineFunction,
                   record: InformationSystem | None = None) -> Candidate:
    assumed: list[str] = []
    users = row.users or 0
    records = row.records or 0

    def value(name: str, fallback: float, why: str) -> float:
        if row.assessed and getattr(row, name) is not None:
            return float(getattr(row, name))
        assumed.append(f"{name} {fallback:g} ({why})")
        return fallback

    lifecycle = row.lifecycle  # stored text, a key of the Lifecycle-keyed tables as it is
    national_name = (function.mandatory_national_system or "").lower()
    is_national = row.hosting == Hosting.STATE or bool(
        national_name and national_name in (row.name.lower(), (row.product or "").lower()))
    annual = float(row.annual_cost_eur or 0)
    if row.annual_cost_eur is None:
        assumed.append("annual cost 0 (not recorded)")
    population = owner.population
    if row.assessed and row.data_subjects is not None:
        subjects = row.data_subjects
    else:
        subjects = min(records, population) if population else records
        assumed.append(f"data subjects {subjects:,} (min of records and population)")
    system = EngineSystem(
        system_id=system_key(row.pk), name=row.name,
        product=row.product or row.name, vendor=row.vendor,
        function_code=function.code, owner_code=owner.code,
        users=users, records=records,
        functional_coverage=value("functional_coverage", ASSUMED_FUNCTIONAL_COVERAGE,
                                  "not assessed"),
        technical_fit=value("technical_fit", TECHNICAL_FIT_OF_LIFECYCLE[lifecycle],
                            f"from lifecycle {lifecycle}"),
        support_years_left=value("support_years_left", SUPPORT_YEARS_OF_LIFECYCLE[lifecycle],
                                 f"from lifecycle {lifecycle}"),
        annual_cost_per_user_eur=annual / users if users else annual,
        vendor_support=value("vendor_support", ASSUMED_VENDOR_SUPPORT, "not assessed"),
        integrated_registers=frozenset(
            line.strip() for line in row.integrations.splitlines() if line.strip()),
        hosting=HOSTING_OF_INVENTORY.get(row.hosting, EngineHosting.UNKNOWN),
        security_compliance=value("security_compliance", ASSUMED_SECURITY_COMPLIANCE,
                                  "not assessed"),
        requirements=inventory_requirements(row),
        declared_class=parse_declared_class(row.security_class),
        data_subjects=subjects,
        is_national=is_national,
    )
    return Candidate(system=system, label=f"{row.name} ({owner.name})",
                     owner_name=owner.name, record=record, annual_cost_eur=annual,
                     assumed=tuple(assumed), is_demo=row.is_demo)


def _has_assessment(record: InformationSystem) -> bool:
    try:
        return record.assessment is not None
    except InformationSystem.assessment.RelatedObjectDoesNotExist:
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


def _system_rows(former_ids: set[int], with_records: bool
                 ) -> dict[int, list[tuple[SystemRow, InformationSystem | None]]]:
    """The predecessors' systems by owner: rows with their records, or rows alone (faster).

    The owner is the predecessor that held the system before the takeover (a system handed
    over to the new municipality stays its predecessor's candidate).
    """
    rows: dict[int, list[tuple[SystemRow, InformationSystem | None]]] = defaultdict(list)
    systems = held_before(InformationSystem, list(former_ids))
    if with_records:
        for record in systems.select_related("municipality", "function", "assessment"):
            rows[record.held_by].append((SystemRow.of_record(record), record))
        return rows
    query = ["held_by" if c == "municipality_id" else c for c in SYSTEM_ROW_QUERY]
    for values in systems.order_by().values_list(*query):
        (pk, name, product, vendor, users, records, lifecycle, hosting, annual, integrations,
         security_class, confidentiality, integrity, availability, is_demo, owner_id,
         function_code, assessment_pk, *assessment) = values
        row = SystemRow(pk, name, product, vendor, users, records, lifecycle, hosting, annual,
                        integrations, security_class, confidentiality, integrity, availability,
                        is_demo, owner_id, function_code, assessment_pk is not None, *assessment)
        rows[owner_id].append((row, None))
    return rows


def load_inputs(counties: Sequence[Municipality],
                with_records: bool = True) -> dict[int, CountyInputs]:
    """Read the candidates, weights and decisions of many counties in a fixed number of queries.

    with_records=False leaves the candidates' records out (Candidate.record is None for the
    predecessors' systems) and reads their columns in one plain query: what the national
    report's figures need, several times faster at Latvian scale.
    """
    ids = [c.pk for c in counties]
    formers = {pk: county.formers for pk, county in counties_by_id(counties).items()}
    functions = engine_functions()
    by_code = {f.code: f for f in functions}
    systems_of = _system_rows({f.pk for group in formers.values() for f in group}, with_records)
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
            for row, record in systems_of[former.pk]:
                function = by_code.get(row.function_code)
                if function is not None:
                    candidate = _engine_system(row, former, function, record)
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


def counties_of(reform: Reform) -> list[Municipality]:
    """The new municipalities of a reform, by name."""
    return list(Municipality.objects.filter(reform=reform, stage=Stage.NEW)
                .select_related("reform").order_by("name"))
