"""Security class of a system from its C/I/A requirements, and its re-assessment after a merger."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
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
class RuleSet:
    """A named way of deriving the class, with its labels, scale raises and room needs."""

    code: str
    name: str
    source: str
    labels: Mapping[Level, str]
    scale_raises: tuple[ScaleRaise, ...]
    room_requirements: Mapping[Level, tuple[str, ...]]

    def label(self, level: Level) -> str:
        """Return the class label this rule set uses for `level` (e.g. 'A' for high)."""
        return self.labels[level]


def load_rule_sets(path: Path | None = None) -> dict[str, RuleSet]:
    """Load the rule sets from `path` or the shipped data/security_rules.json, by code."""
    where, document = read_json(path, "security_rules.json")
    rule_sets: dict[str, RuleSet] = {}
    for index, item in enumerate(entries(where, document, "rule_sets")):
        here = f"{where}: rule_sets[{index}]"
        code = text_field(here, item, "code")
        if code in rule_sets:
            raise DataFileError(f"{here}: code: duplicate rule set {code!r}")
        rule_sets[code] = RuleSet(
            code=code,
            name=text_field(here, item, "name"),
            source=text_field(here, item, "source"),
            labels=_levels_to_text(here, item.get("labels")),
            scale_raises=tuple(
                _scale_raise(f"{here}: scale_raises[{n}]", raw)
                for n, raw in enumerate(item.get("scale_raises") or [])
            ),
            room_requirements=_room_requirements(here, item.get("room_requirements")),
        )
    return rule_sets


def _parse_level(where: str, field: str, value: Any) -> Level:
    if not isinstance(value, str):
        raise DataFileError(f"{where}: {field}: expected low, moderate or high, got {value!r}")
    try:
        return Level.parse(value)
    except ValueError as exc:
        raise DataFileError(f"{where}: {field}: {exc}") from None


def _levels_to_text(where: str, raw: Any) -> dict[Level, str]:
    if not isinstance(raw, Mapping) or set(raw) != {"low", "moderate", "high"}:
        raise DataFileError(f"{where}: labels: expected labels for low, moderate and high")
    return {Level.parse(key): text_field(where, raw, key) for key in raw}


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


def _room_requirements(where: str, raw: Any) -> dict[Level, tuple[str, ...]]:
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: room_requirements: expected an object by level")
    return {
        _parse_level(where, "room_requirements", key): text_list(where, raw, key) for key in raw
    }


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
    if unified_class > derived:
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
        raised_above_predecessors=unified_class > previous_max,
        reasons=tuple(reasons),
    )


def _inconsistencies(views: Sequence[PredecessorView], rules: RuleSet) -> tuple[str, ...]:
    found: list[str] = []
    declared = {v.declared_class for v in views if v.declared_class is not None}
    if len(declared) > 1:
        side_by_side = ", ".join(
            f"{v.municipality_code}: {rules.label(v.declared_class)}"
            for v in views
            if v.declared_class is not None
        )
        found.append(f"predecessors declared different classes ({side_by_side})")
    derived = {v.derived_class for v in views}
    if len(derived) > 1:
        side_by_side = ", ".join(f"{v.municipality_code}: {v.requirements}" for v in views)
        found.append(f"predecessors set different requirements ({side_by_side})")
    for v in views:
        if v.declared_class is not None and v.declared_class != v.derived_class:
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
