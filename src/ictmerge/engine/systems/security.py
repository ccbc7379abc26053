"""Security class of a system from its C/I/A requirements, and its re-assessment after a merger."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any

from ictmerge.engine.systems._data import (
    DataFileError,
    entries,
    read_json,
    text_field,
    text_list,
)


class Level(IntEnum):
    """Impact level of one security objective; ordered so that max() is the high-water mark."""

    LOW = 1
    MODERATE = 2
    HIGH = 3

    @classmethod
    def parse(cls, text: str) -> Level:
        """Return the level named `text` ('low', 'moderate' or 'high'; 'medium' = moderate)."""
        key = text.strip().lower()
        if key == "medium":
            key = "moderate"
        try:
            return cls[key.upper()]
        except KeyError:
            raise ValueError(f"unknown level {text!r}; expected low, moderate or high") from None

    @property
    def word(self) -> str:
        """Lower-case English name."""
        return self.name.lower()


OBJECTIVES = ("confidentiality", "integrity", "availability")


@dataclass(frozen=True)
class CIA:
    """Confidentiality, integrity and availability requirements of a system."""

    confidentiality: Level
    integrity: Level
    availability: Level

    def get(self, objective: str) -> Level:
        """Return the level of one objective by name."""
        return {
            "confidentiality": self.confidentiality,
            "integrity": self.integrity,
            "availability": self.availability,
        }[objective]

    def raised(self, objective: str, at_least: Level) -> CIA:
        """Return a copy with `objective` raised to at least `at_least`."""
        values = {name: self.get(name) for name in OBJECTIVES}
        values[objective] = max(values[objective], at_least)
        return CIA(**values)

    @classmethod
    def highest(cls, items: Sequence[CIA]) -> CIA:
        """Return the element-wise maximum (every objective at its highest requirement)."""
        return cls(*(max(item.get(name) for item in items) for name in OBJECTIVES))

    def __str__(self) -> str:
        return "C={} I={} A={}".format(*(self.get(n).word for n in OBJECTIVES))


class Status(StrEnum):
    """How far a rule's source is established."""

    CONFIRMED = "confirmed"  # read in the act or an official page
    DERIVED = "derived"  # follows from confirmed facts or a secondary source
    UNCONFIRMED = "unconfirmed"  # not found in the sources read; the note says what is missing
    ASSUMPTION = "assumption"  # ictmerge's own choice, not law


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: the act, its point, an address, and how sure that is."""

    act: str
    point: str
    url: str
    status: Status
    note: str

    @property
    def confirmed(self) -> bool:
        """True when the rule was read in its source (anything else needs a lawyer's look)."""
        return self.status is Status.CONFIRMED

    def citation(self) -> str:
        """The act and its point in one line, e.g. 'Cabinet Regulation No. 1445, point 3.1'."""
        if not self.point:
            return self.act
        # "Section 22(1)" and "Transitional provision 7" name themselves; "3.1" is a point.
        return (
            f"{self.act}, {self.point}"
            if self.point[0].isalpha()
            else (f"{self.act}, point {self.point}")
        )


@dataclass(frozen=True)
class RequiredDocument:
    """A document a class of system must have."""

    code: str
    name_en: str
    name_lv: str
    source: Source

    def name(self, language: str) -> str:
        """The name in 'en' or 'lv'."""
        return self.name_lv if language == "lv" else self.name_en


#: Room requirements that bind every system of the class; others bind only the systems
#: the value names (CRITICAL_STATE_IS: designated critical state information systems).
ALL_SYSTEMS = ""
CRITICAL_STATE_IS = "critical_state_is"


@dataclass(frozen=True)
class RoomRequirement:
    """A condition the room of a system of the class must meet."""

    condition: str
    name_en: str
    name_lv: str
    applies_to: str
    source: Source

    def name(self, language: str) -> str:
        """The name in 'en' or 'lv'."""
        return self.name_lv if language == "lv" else self.name_en


@dataclass(frozen=True)
class ClassRule:
    """One class of a rule set: its names, the levels it covers, its documents and rooms."""

    code: str
    levels: tuple[Level, ...]
    label_en: str
    label_lv: str
    source: Source
    criterion_en: str
    criterion_lv: str
    criterion_source: Source
    documents: tuple[RequiredDocument, ...]
    rooms: tuple[RoomRequirement, ...]

    def label(self, language: str) -> str:
        """The class's name in 'en' or 'lv', as the act names it."""
        return self.label_lv if language == "lv" else self.label_en


@dataclass(frozen=True)
class ScaleRaise:
    """Lift one objective to at least a level once the system reaches a size."""

    objective: str
    at_least: Level
    min_data_subjects: int | None
    min_users: int | None

    def applies(self, users: int, data_subjects: int) -> bool:
        """True when the merged scale meets every threshold given."""
        if self.min_data_subjects is None and self.min_users is None:
            return False
        if self.min_data_subjects is not None and data_subjects < self.min_data_subjects:
            return False
        return self.min_users is None or users >= self.min_users


@dataclass(frozen=True)
class Duty:
    """A duty of the organisation (not of one system) under a law in force from a date."""

    code: str
    country: str
    in_force_from: date
    deadline: date | None
    name_en: str
    name_lv: str
    source: Source
    deadline_source: Source | None
    task: bool  # False: a finding that frames the duties, not work of its own

    def name(self, language: str) -> str:
        """The name in 'en' or 'lv'."""
        return self.name_lv if language == "lv" else self.name_en


@dataclass(frozen=True)
class Rule:
    """One rule of the shipped law with its id, for the list of what needs confirming."""

    rule_id: str
    rule_set: str
    kind: str  # rule_set, validity, class, criterion, document, room, scale, duty, deadline
    name_en: str
    name_lv: str
    source: Source


@dataclass(frozen=True)
class RuleSet:
    """A named way of deriving the class, with its validity, classes, sources and raises."""

    code: str
    name: str
    name_lv: str
    country: str  # ISO 3166-1 alpha-2 in upper case; "" for a generic rule set
    valid_from: date | None
    valid_to: date | None
    source: Source
    validity_source: Source
    classes: tuple[ClassRule, ...]
    scale_raises: tuple[ScaleRaise, ...]
    scale_source: Source

    def class_of(self, level: Level) -> ClassRule:
        """The class that covers `level`."""
        for item in self.classes:
            if level in item.levels:
                return item
        raise KeyError(f"{self.code}: no class covers {level.word}")

    def label(self, level: Level, language: str = "en") -> str:
        """The class name this rule set uses for `level` (e.g. 'increased-security system')."""
        return self.class_of(level).label(language)

    @property
    def labels(self) -> dict[Level, str]:
        """The English class name of every level."""
        return {level: self.label(level) for level in Level}

    @property
    def room_requirements(self) -> dict[Level, tuple[str, ...]]:
        """The room conditions every system of each level's class needs."""
        return {
            level: tuple(
                r.condition for r in self.class_of(level).rooms if r.applies_to == ALL_SYSTEMS
            )
            for level in Level
        }

    def in_force(self, on: date) -> bool:
        """True when the rule set applied on `on` (a generic rule set always applies)."""
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    def display_name(self, language: str = "en") -> str:
        """The rule set's name in 'en' or 'lv'."""
        return self.name_lv if language == "lv" else self.name

    def rules(self) -> tuple[Rule, ...]:
        """Every rule of the set with its id and source, in file order."""
        found = [
            Rule(self.code, self.code, "rule_set", self.name, self.name_lv, self.source),
            Rule(
                f"{self.code}/validity",
                self.code,
                "validity",
                f"{self.name}: in force {_period(self.valid_from, self.valid_to)}",
                f"{self.name_lv}: spēkā {_period(self.valid_from, self.valid_to)}",
                self.validity_source,
            ),
            Rule(
                f"{self.code}/scale",
                self.code,
                "scale",
                f"{self.name}: merged-scale raises",
                f"{self.name_lv}: apvienotā mēroga paaugstinājumi",
                self.scale_source,
            ),
        ]
        for item in self.classes:
            here = f"{self.code}/{item.code}"
            found.append(Rule(here, self.code, "class", item.label_en, item.label_lv, item.source))
            found.append(
                Rule(
                    f"{here}/criterion",
                    self.code,
                    "criterion",
                    f"{item.label_en}: {item.criterion_en}",
                    f"{item.label_lv}: {item.criterion_lv}",
                    item.criterion_source,
                )
            )
            found.extend(
                Rule(
                    f"{here}/document/{d.code}",
                    self.code,
                    "document",
                    f"{item.label_en}: {d.name_en}",
                    f"{item.label_lv}: {d.name_lv}",
                    d.source,
                )
                for d in item.documents
            )
            found.extend(
                Rule(
                    f"{here}/room/{r.condition}",
                    self.code,
                    "room",
                    f"{item.label_en}: {r.name_en}",
                    f"{item.label_lv}: {r.name_lv}",
                    r.source,
                )
                for r in item.rooms
            )
        return tuple(found)


def _period(start: date | None, end: date | None) -> str:
    return f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"


@dataclass(frozen=True)
class Law:
    """The shipped rule sets and the organisation's duties."""

    rule_sets: Mapping[str, RuleSet]
    duties: tuple[Duty, ...]

    def rule_set_on(self, country: str, on: date) -> RuleSet | None:
        """The country's rule set in force on `on`, or None when the country has none."""
        for rules in self.rule_sets.values():
            if rules.country and rules.country == country.upper() and rules.in_force(on):
                return rules
        return None

    def duties_on(self, country: str, planned_until: date) -> tuple[Duty, ...]:
        """The country's duties in force by `planned_until` (the plan's last date)."""
        return tuple(
            d
            for d in self.duties
            if d.country == country.upper() and d.in_force_from <= planned_until
        )

    def rules(self) -> tuple[Rule, ...]:
        """Every rule (rule sets, classes, criteria, documents, rooms, duties) with its id."""
        found = [rule for rules in self.rule_sets.values() for rule in rules.rules()]
        for duty in self.duties:
            found.append(
                Rule(f"duty/{duty.code}", "", "duty", duty.name_en, duty.name_lv, duty.source)
            )
            if duty.deadline_source is not None:
                when = duty.deadline.isoformat() if duty.deadline else "—"
                found.append(
                    Rule(
                        f"duty/{duty.code}/deadline",
                        "",
                        "deadline",
                        f"{duty.name_en}: deadline {when}",
                        f"{duty.name_lv}: termiņš {when}",
                        duty.deadline_source,
                    )
                )
        return tuple(found)

    def unconfirmed(self, confirmed_ids: Set[str] = frozenset()) -> tuple[Rule, ...]:
        """The rules whose source is not confirmed, less those a person has since confirmed."""
        return tuple(
            r for r in self.rules() if not r.source.confirmed and r.rule_id not in confirmed_ids
        )


def load_law(path: Path | None = None) -> Law:
    """Load the rule sets and duties from `path` or the shipped data/security_rules.json."""
    where, document = read_json(path, "security_rules.json")
    rule_sets: dict[str, RuleSet] = {}
    for index, item in enumerate(entries(where, document, "rule_sets")):
        here = f"{where}: rule_sets[{index}]"
        code = text_field(here, item, "code")
        if code in rule_sets:
            raise DataFileError(f"{here}: code: duplicate rule set {code!r}")
        classes = tuple(
            _class_rule(f"{here}: classes[{n}]", raw)
            for n, raw in enumerate(_objects(here, item, "classes"))
        )
        covered = [level for c in classes for level in c.levels]
        if sorted(covered) != list(Level):
            raise DataFileError(
                f"{here}: classes: every level (low, moderate, high) must be in exactly one class"
            )
        rule_sets[code] = RuleSet(
            code=code,
            name=text_field(here, item, "name"),
            name_lv=text_field(here, item, "name_lv"),
            country=str(item.get("country") or "").upper(),
            valid_from=_date(here, item, "valid_from"),
            valid_to=_date(here, item, "valid_to"),
            source=_source(f"{here}: source", item.get("source")),
            validity_source=_source(f"{here}: validity_source", item.get("validity_source")),
            classes=classes,
            scale_raises=tuple(
                _scale_raise(f"{here}: scale_raises[{n}]", raw)
                for n, raw in enumerate(item.get("scale_raises") or [])
            ),
            scale_source=_source(f"{here}: scale_source", item.get("scale_source")),
        )
    duties = []
    for index, item in enumerate(
        entries(where, document, "duties") if "duties" in document else []
    ):
        here = f"{where}: duties[{index}]"
        in_force = _date(here, item, "in_force_from")
        if in_force is None:
            raise DataFileError(f"{here}: in_force_from: expected a date YYYY-MM-DD")
        raw_deadline_source = item.get("deadline_source")
        duties.append(
            Duty(
                code=text_field(here, item, "code"),
                country=text_field(here, item, "country").upper(),
                in_force_from=in_force,
                deadline=_date(here, item, "deadline"),
                name_en=text_field(here, item, "name_en"),
                name_lv=text_field(here, item, "name_lv"),
                source=_source(f"{here}: source", item.get("source")),
                deadline_source=None
                if raw_deadline_source is None
                else _source(f"{here}: deadline_source", raw_deadline_source),
                task=bool(item.get("task", True)),
            )
        )
    return Law(rule_sets, tuple(duties))


def load_rule_sets(path: Path | None = None) -> dict[str, RuleSet]:
    """Load the rule sets from `path` or the shipped data/security_rules.json, by code."""
    return dict(load_law(path).rule_sets)


def _objects(where: str, item: Mapping[str, Any], field: str) -> list[Mapping[str, Any]]:
    raw = item.get(field)
    if not isinstance(raw, list) or not all(isinstance(x, Mapping) for x in raw):
        raise DataFileError(f"{where}: {field}: expected a list of objects")
    return raw


def _date(where: str, item: Mapping[str, Any], field: str) -> date | None:
    value = item.get(field)
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _bad_date()
    except ValueError:
        raise DataFileError(
            f"{where}: {field}: expected a date YYYY-MM-DD or null, got {value!r}"
        ) from None


def _bad_date() -> date:
    raise ValueError("not a text")


def _source(where: str, raw: Any) -> Source:
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: expected an object with act, point, url, status, note")
    try:
        status = Status(str(raw.get("status")))
    except ValueError:
        raise DataFileError(
            f"{where}: status: expected one of {', '.join(s.value for s in Status)}"
        ) from None
    return Source(
        act=text_field(where, raw, "act"),
        point=_optional_text(where, raw, "point"),
        url=_optional_text(where, raw, "url"),
        status=status,
        note=text_field(where, raw, "note"),
    )


def _optional_text(where: str, item: Mapping[str, Any], field: str) -> str:
    value = item.get(field)
    if value is None or value == "":
        return ""
    return text_field(where, item, field)


def _class_rule(where: str, raw: Mapping[str, Any]) -> ClassRule:
    levels = tuple(_parse_level(where, "levels", v) for v in text_list(where, raw, "levels"))
    if not levels:
        raise DataFileError(f"{where}: levels: expected at least one level")
    return ClassRule(
        code=text_field(where, raw, "code"),
        levels=levels,
        label_en=text_field(where, raw, "label_en"),
        label_lv=text_field(where, raw, "label_lv"),
        source=_source(f"{where}: source", raw.get("source")),
        criterion_en=text_field(where, raw, "criterion_en"),
        criterion_lv=text_field(where, raw, "criterion_lv"),
        criterion_source=_source(f"{where}: criterion_source", raw.get("criterion_source")),
        documents=tuple(
            RequiredDocument(
                text_field(f"{where}: documents[{n}]", d, "code"),
                text_field(f"{where}: documents[{n}]", d, "name_en"),
                text_field(f"{where}: documents[{n}]", d, "name_lv"),
                _source(f"{where}: documents[{n}]: source", d.get("source")),
            )
            for n, d in enumerate(_objects(where, raw, "documents"))
        ),
        rooms=tuple(
            RoomRequirement(
                text_field(f"{where}: rooms[{n}]", r, "condition"),
                text_field(f"{where}: rooms[{n}]", r, "name_en"),
                text_field(f"{where}: rooms[{n}]", r, "name_lv"),
                _optional_text(f"{where}: rooms[{n}]", r, "applies_to"),
                _source(f"{where}: rooms[{n}]: source", r.get("source")),
            )
            for n, r in enumerate(_objects(where, raw, "rooms"))
        ),
    )


def _parse_level(where: str, field: str, value: Any) -> Level:
    if not isinstance(value, str):
        raise DataFileError(f"{where}: {field}: expected low, moderate or high, got {value!r}")
    try:
        return Level.parse(value)
    except ValueError as exc:
        raise DataFileError(f"{where}: {field}: {exc}") from None


def _scale_raise(where: str, raw: Any) -> ScaleRaise:
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: expected an object")
    objective = text_field(where, raw, "requirement")
    if objective not in OBJECTIVES:
        raise DataFileError(f"{where}: requirement: expected one of {', '.join(OBJECTIVES)}")
    thresholds: dict[str, int | None] = {}
    for field in ("min_data_subjects", "min_users"):
        value = raw.get(field)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise DataFileError(f"{where}: {field}: expected a whole number >= 0 or null")
        thresholds[field] = value
    return ScaleRaise(
        objective=objective,
        at_least=_parse_level(where, "at_least", raw.get("at_least")),
        min_data_subjects=thresholds["min_data_subjects"],
        min_users=thresholds["min_users"],
    )


def security_class(requirements: CIA) -> Level:
    """Return the class as the highest of the three requirements (the high-water mark)."""
    return max(requirements.get(name) for name in OBJECTIVES)


def apply_scale(
    requirements: CIA, rules: RuleSet, users: int, data_subjects: int
) -> tuple[CIA, tuple[str, ...]]:
    """Raise requirements for the merged scale; return them and one reason per raise applied."""
    reasons: list[str] = []
    # Strongest raise first, so a requirement jumps straight to its final level with one reason.
    for rule in sorted(rules.scale_raises, key=lambda r: -r.at_least):
        if not rule.applies(users, data_subjects):
            continue
        before = requirements.get(rule.objective)
        if before >= rule.at_least:
            continue
        requirements = requirements.raised(rule.objective, rule.at_least)
        reasons.append(
            f"{rule.objective} raised from {before.word} to {rule.at_least.word}: merged system has "
            f"{users:,} users and data on {data_subjects:,} persons "
            f"(threshold {_threshold_text(rule)})"
        )
    return requirements, tuple(reasons)


def _threshold_text(rule: ScaleRaise) -> str:
    parts = []
    if rule.min_users is not None:
        parts.append(f"users >= {rule.min_users:,}")
    if rule.min_data_subjects is not None:
        parts.append(f"persons >= {rule.min_data_subjects:,}")
    return " and ".join(parts)


@dataclass(frozen=True)
class PredecessorClassification:
    """How one former municipality classified its system for a function."""

    municipality_code: str
    system_id: str
    requirements: CIA
    declared_class: Level | None = None
    requirements_assumed: bool = False  # True when taken from the taxonomy default, not assessed


@dataclass(frozen=True)
class PredecessorView:
    """A predecessor's declared class beside the class its own requirements give."""

    municipality_code: str
    system_id: str
    requirements: CIA
    declared_class: Level | None
    derived_class: Level


@dataclass(frozen=True)
class Reassessment:
    """Unified security class of one function in a new municipality, with its reasoning."""

    function_code: str
    rule_set: str
    predecessors: tuple[PredecessorView, ...]
    inconsistencies: tuple[str, ...]
    unified_requirements: CIA
    unified_class: Level
    unified_label: str
    raised_above_predecessors: bool
    reasons: tuple[str, ...]

    @property
    def inconsistent(self) -> bool:
        """True when predecessors classified the same function differently."""
        return bool(self.inconsistencies)


def reassess_function(
    function_code: str,
    classifications: Sequence[PredecessorClassification],
    rules: RuleSet,
    merged_users: int,
    merged_data_subjects: int,
) -> Reassessment:
    """Derive the unified class: at least every predecessor's, raised for the merged scale."""
    if not classifications:
        raise ValueError(f"{function_code}: no predecessor classification to re-assess")
    ordered = sorted(classifications, key=lambda c: (c.municipality_code, c.system_id))
    views = tuple(
        PredecessorView(
            c.municipality_code,
            c.system_id,
            c.requirements,
            c.declared_class,
            security_class(c.requirements),
        )
        for c in ordered
    )
    inconsistencies = _inconsistencies(views, rules)
    reasons = [
        f"{c.municipality_code} ({c.system_id}) has no assessed requirements: "
        f"the function's default {c.requirements} is assumed"
        for c in ordered
        if c.requirements_assumed
    ]
    combined = CIA.highest([v.requirements for v in views])
    for objective in OBJECTIVES:
        level = combined.get(objective)
        holders = [v.municipality_code for v in views if v.requirements.get(objective) == level]
        reasons.append(
            f"{objective} {level.word}: highest of the predecessors ({', '.join(holders)})"
        )
    unified, scale_reasons = apply_scale(combined, rules, merged_users, merged_data_subjects)
    reasons.extend(scale_reasons)
    derived = security_class(unified)
    reasons.append(
        f"high-water mark of {unified}: class {rules.label(derived)} ({derived.word}) "
        f"under {rules.name}"
    )
    declared = [v.declared_class for v in views if v.declared_class is not None]
    unified_class = max([derived, *declared])
    if rules.label(unified_class) != rules.label(derived):
        reasons.append(
            f"kept at class {rules.label(unified_class)}: a predecessor declared it, and the "
            f"unified system is never classed below any predecessor's"
        )
    previous_max = max([*declared, *(v.derived_class for v in views)])
    return Reassessment(
        function_code=function_code,
        rule_set=rules.code,
        predecessors=views,
        inconsistencies=inconsistencies,
        unified_requirements=unified,
        unified_class=unified_class,
        unified_label=rules.label(unified_class),
        # Under a rule set with fewer classes than levels a higher level may be the same class.
        raised_above_predecessors=(
            unified_class > previous_max and rules.label(unified_class) != rules.label(previous_max)
        ),
        reasons=tuple(reasons),
    )


def _inconsistencies(views: Sequence[PredecessorView], rules: RuleSet) -> tuple[str, ...]:
    found: list[str] = []
    declared = {rules.label(v.declared_class) for v in views if v.declared_class is not None}
    if len(declared) > 1:
        side_by_side = ", ".join(
            f"{v.municipality_code}: {rules.label(v.declared_class)}"
            for v in views
            if v.declared_class is not None
        )
        found.append(f"predecessors declared different classes ({side_by_side})")
    derived = {rules.label(v.derived_class) for v in views}
    if len(derived) > 1:
        side_by_side = ", ".join(f"{v.municipality_code}: {v.requirements}" for v in views)
        found.append(f"predecessors set different requirements ({side_by_side})")
    for v in views:
        if v.declared_class is not None and rules.label(v.declared_class) != rules.label(
            v.derived_class
        ):
            found.append(
                f"{v.municipality_code} declared class {rules.label(v.declared_class)} but its "
                f"requirements ({v.requirements}) give {rules.label(v.derived_class)}"
            )
    return tuple(found)


def room_shortfalls(
    room_conditions: frozenset[str], level: Level, rules: RuleSet
) -> tuple[str, ...]:
    """Return the room conditions a system of class `level` needs but the room lacks, sorted."""
    needed = rules.room_requirements.get(level, ())
    return tuple(sorted(set(needed) - room_conditions))
