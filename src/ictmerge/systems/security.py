"""The security class of every function of a new municipality, re-assessed under one rule."""

from __future__ import annotations

from dataclasses import dataclass

from ictmerge.engine.systems.plan import RoomFinding, reassess_county, room_findings
from ictmerge.engine.systems.security import Reassessment, RuleSet
from ictmerge.inventory.models import InformationSystem, ServerRoom, Workload
from ictmerge.reforms.models import Municipality
from ictmerge.systems.payloads import SecurityPayload
from ictmerge.systems.services import (
    ROOM_CONDITIONS,
    CountyResult,
    plan_county,
    rule_set,
    system_key,
)


@dataclass
class SecurityResult:
    """The unified security class of every function of a county, and rooms that fall short."""

    county: Municipality
    rules: RuleSet
    reassessments: tuple[Reassessment, ...]
    findings: tuple[RoomFinding, ...]
    labels: dict[str, str]
    room_names: dict[str, str]
    declared_as_written: dict[str, str]
    is_demo: bool


def security_for(county: Municipality, rules_code: str | None = None,
                 result: CountyResult | None = None) -> SecurityResult:
    """Re-assess each function's class at the merged scale and flag rooms below the class."""
    rules = rule_set(rules_code)
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
    return SecurityResult(county=county, rules=rules, reassessments=reassessments,
                          findings=findings,
                          labels={k: c.label for k, c in result.inputs.candidates.items()},
                          room_names=room_names, declared_as_written=declared,
                          is_demo=result.inputs.is_demo)


def security_json(security: SecurityResult) -> SecurityPayload:
    """A county's security re-assessment as JSON."""
    rules = security.rules
    return {
        "county": {"code": security.county.code, "name": security.county.name},
        "demo_data": security.is_demo,
        "rule_set": {"code": rules.code, "name": rules.name, "source": rules.source},
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
            "raised_above_predecessors": r.raised_above_predecessors,
            "reasons": list(r.reasons)} for r in security.reassessments],
        "room_findings": [{"system": f.system_id, "name": security.labels.get(f.system_id, ""),
                           "room": security.room_names.get(f.room_id, f.room_id),
                           "class": f.class_label, "missing": list(f.missing)}
                          for f in security.findings],
    }
