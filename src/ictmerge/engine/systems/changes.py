"""The checklist of what the reform changes in each kept system, generated from editable templates."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ictmerge.engine.systems._data import (
    DataFileError,
    entries,
    read_json,
    text_field,
    text_list,
)
from ictmerge.engine.systems.model import InformationSystem, ReformContext

PLACEHOLDERS = frozenset(
    {
        "system",
        "municipality",
        "atvk",
        "registration_number",
        "predecessors",
        "users",
        "source",
        "records",
        "register",
    }
)
NOT_YET_KNOWN = "(not yet known)"


class ChangeScope(StrEnum):
    """What one template item is generated for."""

    SYSTEM = "system"  # once per kept system
    SOURCE = "source"  # once per eliminated system whose data moves into it
    REGISTER = "register"  # once per national register it integrates with


class ChangeStatus(StrEnum):
    """Progress of a checklist item; the engine only generates OPEN items."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class ChangeTemplate:
    """One kind of change the reform forces on a system."""

    code: str
    scope: ChangeScope
    functions: tuple[str, ...]  # ("*",) for every function
    owner_role: str
    days_before_reform: int
    text_en: str
    text_lv: str

    def applies_to(self, function_code: str) -> bool:
        """True when the template covers `function_code`."""
        return "*" in self.functions or function_code in self.functions


def load_change_templates(path: Path | None = None) -> tuple[ChangeTemplate, ...]:
    """Load templates from `path` or the shipped data/reform_changes.json, checking placeholders."""
    where, document = read_json(path, "reform_changes.json")
    templates: list[ChangeTemplate] = []
    for index, item in enumerate(entries(where, document, "templates")):
        here = f"{where}: templates[{index}]"
        scope = text_field(here, item, "per")
        if scope not in {s.value for s in ChangeScope}:
            raise DataFileError(f"{here}: per: expected system, source or register, got {scope!r}")
        days = item.get("days_before_reform")
        if isinstance(days, bool) or not isinstance(days, int):
            raise DataFileError(f"{here}: days_before_reform: expected a whole number")
        texts = {field: text_field(here, item, field) for field in ("text_en", "text_lv")}
        for field, text in texts.items():
            unknown = _placeholders(text) - PLACEHOLDERS
            if unknown:
                raise DataFileError(f"{here}: {field}: unknown placeholder {sorted(unknown)}")
        templates.append(
            ChangeTemplate(
                code=text_field(here, item, "code"),
                scope=ChangeScope(scope),
                functions=text_list(here, item, "functions"),
                owner_role=text_field(here, item, "owner_role"),
                days_before_reform=days,
                text_en=texts["text_en"],
                text_lv=texts["text_lv"],
            )
        )
    return tuple(templates)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class ChangeItem:
    """One generated checklist item for a kept system."""

    system_id: str
    template_code: str
    subject: str  # the source system or register the item is about; '' for per-system items
    text_en: str
    text_lv: str
    owner_role: str
    due_date: dt.date
    status: ChangeStatus = ChangeStatus.OPEN


def reform_changes(
    kept: InformationSystem,
    context: ReformContext,
    templates: Sequence[ChangeTemplate],
    eliminated: Sequence[InformationSystem] = (),
    registers: Sequence[str] | None = None,
) -> tuple[ChangeItem, ...]:
    """Generate the checklist of `kept`, in template order, then by subject."""
    # National systems are changed by their operator, not by the municipality.
    if kept.is_national:
        return ()
    linked = sorted(kept.integrated_registers if registers is None else set(registers))
    common: dict[str, str] = {
        "system": kept.name,
        "municipality": context.new_municipality_name,
        "atvk": context.atvk_code or NOT_YET_KNOWN,
        "registration_number": context.registration_number or NOT_YET_KNOWN,
        "predecessors": ", ".join(context.predecessor_names) or NOT_YET_KNOWN,
        "users": f"{kept.users + sum(s.users for s in eliminated):,}",
    }
    items: list[ChangeItem] = []
    for template in templates:
        if not template.applies_to(kept.function_code):
            continue
        due = context.reform_date - dt.timedelta(days=template.days_before_reform)
        subjects: list[tuple[str, Mapping[str, str]]]
        if template.scope is ChangeScope.SYSTEM:
            subjects = [("", {})]
        elif template.scope is ChangeScope.SOURCE:
            subjects = [
                (s.system_id, {"source": s.name, "records": f"{s.records:,}"})
                for s in sorted(eliminated, key=lambda s: s.system_id)
            ]
        else:
            subjects = [(register, {"register": register}) for register in linked]
        for subject, extra in subjects:
            values = {**common, **extra}
            items.append(
                ChangeItem(
                    system_id=kept.system_id,
                    template_code=template.code,
                    subject=subject,
                    text_en=template.text_en.format_map(_Blank(values)),
                    text_lv=template.text_lv.format_map(_Blank(values)),
                    owner_role=template.owner_role,
                    due_date=due,
                )
            )
    return tuple(items)


class _Blank(dict[str, str]):
    """Format values where a placeholder without a value in this scope reads as not yet known."""

    def __missing__(self, key: str) -> str:
        return NOT_YET_KNOWN
