"""The security class of every function of a new municipality, re-assessed under the law of
its date: the rule set in force on the reform's effective date unless the county chose
another, with each class's documents and room conditions and their sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ictmerge.core import scoping
from ictmerge.engine.systems.plan import RoomFinding, reassess_county, room_findings
from ictmerge.engine.systems.security import (
    ClassRule,
    Duty,
    Reassessment,
    RequiredDocument,
    RoomRequirement,
    RuleSet,
    Source,
)
from ictmerge.inventory.models import InformationSystem, ServerRoom, Workload
from ictmerge.reforms.models import Municipality
from ictmerge.systems.models import RuleConfirmation, SecurityRuleChoice
from ictmerge.systems.payloads import (
    ClassRef,
    DocumentRef,
    LawRule,
    SecurityPayload,
    SourceRef,
    UnconfirmedPayload,
)
from ictmerge.systems.services import (
    COUNTRY_RULE_SET,
    DEFAULT_RULE_SET,
    ROOM_CONDITIONS,
    CountyResult,
    PlanError,
    check_may_change,
    law,
    plan_county,
    rule_set,
    system_key,
    writes_by,
)


@dataclass(frozen=True)
class RuleSetUsed:
    """The rule set a county's re-assessment uses, and why that one."""

    rules: RuleSet
    why: str
    chosen_by_county: bool


def rule_set_for(county: Municipality, code: str | None = None) -> RuleSetUsed:
    """The rule set asked for (`code`), else the county's choice, else the one in force on
    the reform's effective date; FIPS 199 where the country has none. PlanError for an
    unknown code."""
    reform = county.reform
    date = reform.effective_date
    in_force = law().rule_set_on(reform.country, date)
    if code == COUNTRY_RULE_SET:
        latvian = law().rule_set_on(COUNTRY_RULE_SET, date)
        if latvian is None:
            raise PlanError(_("No Latvian rule set was in force on %(date)s.")
                            % {"date": date.isoformat()})
        return RuleSetUsed(latvian, _(
            "The Latvian rule set in force on the reform's effective date, %(date)s (valid "
            "%(valid)s).") % {"date": date.isoformat(), "valid": _validity(latvian)}, False)
    if code:
        return RuleSetUsed(rule_set(code), _("Chosen for this view."), False)
    choice = None if code else SecurityRuleChoice.objects.filter(municipality=county).first()
    if choice is not None and choice.rule_set in law().rule_sets:
        return RuleSetUsed(rule_set(choice.rule_set), _(
            "The county chose this rule set instead of the one in force on its reform date "
            "(%(date)s): %(reason)s") % {"date": date.isoformat(), "reason": choice.reason},
            True)
    if in_force is not None:
        return RuleSetUsed(in_force, _(
            "In force on the reform's effective date, %(date)s (valid %(valid)s).")
            % {"date": date.isoformat(), "valid": _validity(in_force)}, False)
    return RuleSetUsed(rule_set(DEFAULT_RULE_SET), _(
        "No rule set of country %(country)s was in force on the reform's effective date "
        "(%(date)s); FIPS 199 is the generic alternative.")
        % {"country": reform.country or "—", "date": date.isoformat()}, False)


def _validity(rules: RuleSet) -> str:
    start = rules.valid_from.isoformat() if rules.valid_from else "…"
    end = rules.valid_to.isoformat() if rules.valid_to else "…"
    return f"{start} – {end}"


def choose_rule_set(county: Municipality, code: str | None, reason: str,
                    user: Any) -> SecurityRuleChoice | None:
    """Record the county's rule set (None or "" returns it to the one of its date)."""
    check_may_change(user, county)
    with writes_by(user), transaction.atomic():
        existing = SecurityRuleChoice.objects.filter(municipality=county).first()
        if not code:
            if existing is not None:
                existing.delete()
            return None
        choice = existing or SecurityRuleChoice(municipality=county)
        choice.rule_set, choice.reason = code, reason
        choice.full_clean()
        choice.save()
        return choice


@dataclass
class SecurityResult:
    """The unified security class of every function of a county, and rooms that fall short."""

    county: Municipality
    rules: RuleSet
    why: str
    chosen_by_county: bool
    reassessments: tuple[Reassessment, ...]
    findings: tuple[RoomFinding, ...]
    labels: dict[str, str]
    room_names: dict[str, str]
    declared_as_written: dict[str, str]
    kept_by_function: dict[str, str]
    is_demo: bool


def security_for(county: Municipality, rules_code: str | None = None,
                 result: CountyResult | None = None) -> SecurityResult:
    """Re-assess each function's class at the merged scale and flag rooms below the class."""
    used = rule_set_for(county, rules_code)
    rules = used.rules
    result = result or plan_county(county)
    own = [c.system for c in result.inputs.candidates.values() if not c.system.external]
    reassessments = reassess_county(result.inputs.functions, own, rules)
    kept_ids = [int(f.chosen[3:]) for f in result.functions if f.chosen.startswith("is-")]
    room_of: dict[str, str] = {}
    for system_id, room_id in (Workload.objects
                               .filter(information_system_id__in=kept_ids,
                                       server__room__isnull=False)
                               .order_by("information_system_id", "server__room_id")
                               .values_list("information_system_id", "server__room_id")):
        room_of.setdefault(system_key(system_id), str(room_id))
    rooms = ServerRoom.objects.filter(pk__in={int(r) for r in room_of.values()})
    conditions = {str(r.pk): frozenset(name for attr, name in ROOM_CONDITIONS.items()
                                       if getattr(r, attr)) for r in rooms}
    room_names = {str(r.pk): r.name for r in rooms}
    findings = room_findings(result.plan, reassessments, rules, room_of, conditions)
    declared = {k: c.record.security_class for k, c in result.inputs.candidates.items()
                if isinstance(c.record, InformationSystem) and c.record.security_class}
    return SecurityResult(county=county, rules=rules, why=used.why,
                          chosen_by_county=used.chosen_by_county, reassessments=reassessments,
                          findings=findings,
                          labels={k: c.label for k, c in result.inputs.candidates.items()},
                          room_names=room_names, declared_as_written=declared,
                          kept_by_function={f.function.code: f.chosen for f in result.functions
                                            if f.chosen},
                          is_demo=result.inputs.is_demo)


@dataclass(frozen=True)
class DocumentDue:
    """A document a kept system's class requires under the county's rule set."""

    system: str  # the engine id of the kept system
    item: ClassRule
    document: RequiredDocument


def documents_due(security: SecurityResult, result: CountyResult) -> list[DocumentDue]:
    """Every document each kept system (not a national one) needs for its unified class."""
    due: list[DocumentDue] = []
    for reassessment in security.reassessments:
        chosen = security.kept_by_function.get(reassessment.function_code, "")
        kept = result.inputs.candidates.get(chosen)
        if kept is None or kept.system.is_national or kept.record is None:
            continue
        item = security.rules.class_of(reassessment.unified_class)
        due.extend(DocumentDue(chosen, item, document) for document in item.documents)
    return due


def duties_for(county: Municipality, planned_until: dt.date) -> tuple[Duty, ...]:
    """The organisation's duties (registration, a cybersecurity manager, self-assessment,
    minimum requirements) of the reform's country in force by the plan's last date."""
    return tuple(d for d in law().duties_on(county.reform.country, planned_until) if d.task)


def confirmations() -> dict[str, RuleConfirmation]:
    """The latest confirmation of each confirmed rule, by rule id."""
    latest: dict[str, RuleConfirmation] = {}
    for item in RuleConfirmation.objects.order_by("rule_id", "-confirmed_on", "-pk"):
        latest.setdefault(item.rule_id, item)
    return latest


def source_json(source: Source, rule_id: str,
                confirmed: dict[str, RuleConfirmation] | None = None) -> SourceRef:
    """A rule's source as JSON; a later confirmation by a person marks it confirmed."""
    done = (confirmed or {}).get(rule_id)
    if done is not None and not source.confirmed:
        return {"act": source.act, "point": source.point, "url": source.url,
                "status": "confirmed", "note": done.text,
                "confirmed_by": f"{done.confirmed_by}, {done.confirmed_on.isoformat()}"}
    return {"act": source.act, "point": source.point, "url": source.url,
            "status": source.status.value, "note": source.note, "confirmed_by": ""}


def document_json(rules: RuleSet, item: ClassRule, document: RequiredDocument,
                  confirmed: dict[str, RuleConfirmation]) -> DocumentRef:
    """A required document as JSON."""
    rule_id = f"{rules.code}/{item.code}/document/{document.code}"
    return {"code": document.code, "name": document.name_en, "name_lv": document.name_lv,
            "source": source_json(document.source, rule_id, confirmed)}


def _room_json(rules: RuleSet, item: ClassRule, room: RoomRequirement,
               confirmed: dict[str, RuleConfirmation]) -> Any:
    rule_id = f"{rules.code}/{item.code}/room/{room.condition}"
    return {"condition": room.condition, "name": room.name_en, "name_lv": room.name_lv,
            "applies_to": room.applies_to,
            "source": source_json(room.source, rule_id, confirmed)}


def class_json(rules: RuleSet, item: ClassRule,
               confirmed: dict[str, RuleConfirmation]) -> ClassRef:
    """One class of a rule set as JSON, every part with its source."""
    here = f"{rules.code}/{item.code}"
    return {"code": item.code, "levels": [level.word for level in item.levels],
            "label": item.label_en, "label_lv": item.label_lv,
            "source": source_json(item.source, here, confirmed),
            "criterion": item.criterion_en, "criterion_lv": item.criterion_lv,
            "criterion_source": source_json(item.criterion_source, f"{here}/criterion",
                                            confirmed),
            "documents": [document_json(rules, item, d, confirmed) for d in item.documents],
            "rooms": [_room_json(rules, item, r, confirmed) for r in item.rooms]}


def security_json(security: SecurityResult) -> SecurityPayload:
    """A county's security re-assessment as JSON."""
    rules = security.rules
    confirmed = confirmations()
    return {
        "county": {"code": security.county.code, "name": security.county.name},
        "demo_data": security.is_demo,
        "rule_set": {
            "code": rules.code, "name": rules.name, "name_lv": rules.name_lv,
            "country": rules.country,
            "valid_from": rules.valid_from.isoformat() if rules.valid_from else None,
            "valid_to": rules.valid_to.isoformat() if rules.valid_to else None,
            "source": source_json(rules.source, rules.code, confirmed),
            "validity_source": source_json(rules.validity_source, f"{rules.code}/validity",
                                           confirmed),
            "why": security.why, "chosen_by_county": security.chosen_by_county,
            "in_force_on": security.county.reform.effective_date.isoformat(),
            "classes": [class_json(rules, c, confirmed) for c in rules.classes]},
        "functions": [{
            "function": r.function_code,
            "predecessors": [{
                "municipality": v.municipality_code, "system": v.system_id,
                "name": security.labels.get(v.system_id, v.system_id),
                "requirements": str(v.requirements),
                "declared_class": rules.label(v.declared_class) if v.declared_class else None,
                "declared_as_written": security.declared_as_written.get(v.system_id, ""),
                "derived_class": rules.label(v.derived_class)} for v in r.predecessors],
            "inconsistent": r.inconsistent,
            "inconsistencies": list(r.inconsistencies),
            "unified_requirements": str(r.unified_requirements),
            "unified_class": r.unified_label,
            "unified_class_lv": rules.label(r.unified_class, "lv"),
            "raised_above_predecessors": r.raised_above_predecessors,
            "reasons": list(r.reasons),
            "documents": [document_json(rules, rules.class_of(r.unified_class), d, confirmed)
                          for d in rules.class_of(r.unified_class).documents]}
            for r in security.reassessments],
        "room_findings": [{"system": f.system_id, "name": security.labels.get(f.system_id, ""),
                           "room": security.room_names.get(f.room_id, f.room_id),
                           "class": f.class_label, "missing": list(f.missing),
                           "sources": _room_sources(rules, f)}
                          for f in security.findings],
    }


def _room_sources(rules: RuleSet, finding: RoomFinding) -> list[str]:
    """The citation of each missing condition's rule, in the order of `missing`."""
    item = next(c for c in rules.classes if c.label_en == finding.class_label)
    by_condition = {r.condition: r.source for r in item.rooms if not r.applies_to}
    return [by_condition[m].citation() + f" ({by_condition[m].status.value})"
            for m in finding.missing if m in by_condition]




# --- what a lawyer still has to confirm ----------------------------------------------------------


def unconfirmed_json() -> UnconfirmedPayload:
    """Every rule whose source is not confirmed (and no person has confirmed since), and the
    confirmations recorded, oldest rule first."""
    confirmed = confirmations()
    rules: list[LawRule] = [
        {"rule_id": r.rule_id, "rule_set": r.rule_set, "kind": r.kind, "name": r.name_en,
         "name_lv": r.name_lv, "source": source_json(r.source, r.rule_id)}
        for r in law().unconfirmed(set(confirmed))]
    return {"rules": rules, "confirmations": [
        {"id": c.pk, "rule_id": c.rule_id, "confirmed_by": c.confirmed_by,
         "confirmed_on": c.confirmed_on.isoformat(), "text": c.text}
        for c in RuleConfirmation.objects.order_by("rule_id", "-confirmed_on", "-pk")]}


def may_confirm(user: Any) -> bool:
    """Stewards, county leads and administrators record confirmations; auditors and
    viewers read them."""
    return user is not None and scoping.can_write_anything(user)


def record_confirmation(rule_id: str, confirmed_by: str, confirmed_on: dt.date, text: str,
                        user: Any) -> RuleConfirmation:
    """Record that `confirmed_by` read `text` on `confirmed_on` and it confirms the rule;
    the rule leaves the unconfirmed list (the record's history keeps who recorded it)."""
    if not may_confirm(user):
        raise PermissionDenied(_("You may not record confirmations."))
    with writes_by(user), transaction.atomic():
        item = RuleConfirmation(rule_id=rule_id.strip(), confirmed_by=confirmed_by.strip(),
                                confirmed_on=confirmed_on, text=text.strip())
        item.full_clean()
        item.save()
    return item
