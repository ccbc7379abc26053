"""The checklist of what the reform changes in each kept system, and the data-migration plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ictmerge.engine.systems.changes import load_change_templates, reform_changes
from ictmerge.engine.systems.model import ReformContext
from ictmerge.inventory.models import InformationSystem
from ictmerge.reforms.models import Municipality
from ictmerge.systems.choices import TaskStatus
from ictmerge.systems.models import ChangeTask, ExternalCandidate, MigrationPlan
from ictmerge.systems.security import documents_due, security_for
from ictmerge.systems.services import (
    CountyResult,
    check_may_change,
    external_key,
    municipal_migrations,
    plan_county,
    system_key,
    writes_by,
)


@dataclass(frozen=True)
class GenerateResult:
    """What generating the checklist and migration plan changed."""

    created: int
    updated: int
    deleted: int
    migrations_created: int
    migrations_updated: int
    migrations_deleted: int


def reform_context(county: Municipality, predecessors: Sequence[Municipality]) -> ReformContext:
    """The facts of the new municipality that the reform changes in every kept system."""
    return ReformContext(
        new_municipality_code=county.code, new_municipality_name=county.name,
        reform_date=county.reform.effective_date, atvk_code=county.code,
        predecessor_names=tuple(m.name for m in predecessors))


#: The checklist item of a required security document: its template code's prefix.
SECURITY_DOCUMENT = "security."


def security_documents(county: Municipality,
                       result: CountyResult) -> dict[tuple[str, str, str], dict[str, Any]]:
    """One checklist item per kept system and document its class requires under the
    county's rule set (the one of its date unless it chose another), each naming its source;
    keyed like the reform changes (system, template code, subject = the rule set)."""
    security = security_for(county, result=result)
    rules = security.rules
    reform_date = county.reform.effective_date
    items: dict[tuple[str, str, str], dict[str, Any]] = {}
    for due in documents_due(security, result):
        item, document, source = due.item, due.document, due.document.source
        where = source.citation() + (f" ({source.url})" if source.url else "")
        items[(due.system, f"{SECURITY_DOCUMENT}{document.code}", rules.code)] = {
            "text": f"Prepare the {document.name_en} of this {item.label_en} "
                    f"({rules.name}). Source: {where}; {source.status.value}.",
            "text_lv": f"Sagatavot sistēmas dokumentu “{document.name_lv}” "
                       f"({item.label_lv}; {rules.name_lv}). Avots: {where}; "
                       f"{STATUS_LV[source.status.value]}.",
            "owner": "system_owner", "due_date": reform_date}
    return items


#: The sources' statuses in Latvian, for the checklist's Latvian text.
STATUS_LV = {"confirmed": "apstiprināts", "derived": "atvasināts, nav apstiprināts",
             "unconfirmed": "nav apstiprināts", "assumption": "pieņēmums"}


def generate_checklist(county: Municipality, user: Any) -> GenerateResult:
    """Create or update the reform checklist of every kept system and the migration plans."""
    check_may_change(user, county)
    with writes_by(user), transaction.atomic():
        return _generate(county)


def _generate(county: Municipality) -> GenerateResult:
    """Generate in one transaction.

    Items that made progress are kept even when their system is no longer kept; open ones
    are removed, so that regenerating after a changed decision leaves no stale work.
    """
    result = plan_county(county)
    templates = load_change_templates()
    context = reform_context(county, result.inputs.predecessors)
    wanted: dict[tuple[str, str, str], dict[str, Any]] = {}
    migrations: dict[int, dict[str, Any]] = {}
    wanted.update(security_documents(county, result))
    for item in result.functions:
        kept = result.inputs.candidates.get(item.chosen)
        eliminated = [result.inputs.candidates[k].system for k in item.decision.eliminated_ids
                      if k in result.inputs.candidates
                      and not result.inputs.candidates[k].system.external]
        if kept is not None and not kept.system.is_national:
            registers = sorted(set(item.function.national_registers)
                               | kept.system.integrated_registers)
            for change in reform_changes(kept.system, context, templates, eliminated, registers):
                wanted[(item.chosen, change.template_code, change.subject[:200])] = {
                    "text": change.text_en, "text_lv": change.text_lv,
                    "owner": change.owner_role,
                    "due_date": change.due_date}
        for migration in municipal_migrations(item.decision, result.inputs):
            source = result.inputs.candidates[migration.source_system_id].record
            assert isinstance(source, InformationSystem)
            target_record = kept.record if kept is not None else None
            migrations[source.pk] = {
                "target_system": target_record
                if isinstance(target_record, InformationSystem) else None,
                "target_external": target_record
                if isinstance(target_record, ExternalCandidate) else None,
                "target_name": result.label(item.chosen)[:200], "records": migration.records,
                "cut_over_date": migration.cut_over_date}
    created = updated = deleted = 0
    for task in ChangeTask.objects.filter(municipality=county).exclude(template_code="custom"):
        key = (_task_key(task), task.template_code, task.subject)
        values = wanted.pop(key, None)
        if values is None:
            if task.status == TaskStatus.OPEN:
                task.delete()
                deleted += 1
            continue
        if any(getattr(task, k) != v for k, v in values.items() if k != "owner"):
            for name in ("text", "text_lv", "due_date"):
                setattr(task, name, values[name])
            task.save()
            updated += 1
    for (system, template_code, subject), values in wanted.items():
        kept_record = result.inputs.candidates[system].record
        ChangeTask(
            municipality=county, template_code=template_code, subject=subject,
            information_system=kept_record if isinstance(kept_record, InformationSystem)
            else None,
            external_candidate=kept_record if isinstance(kept_record, ExternalCandidate)
            else None, **values).save()
        created += 1
    m_created = m_updated = m_deleted = 0
    for plan in MigrationPlan.objects.filter(municipality=county):
        values = migrations.pop(plan.source_id, None)
        if values is None:
            if plan.mapping_status == "not_started" and plan.test_migration == "not_done":
                plan.delete()
                m_deleted += 1
            continue
        target_changed = (plan.target_system != values["target_system"]
                          or plan.target_external != values["target_external"])
        if target_changed or plan.records != values["records"]:
            plan.target_system = values["target_system"]
            plan.target_external = values["target_external"]
            plan.target_name = values["target_name"]
            plan.records = values["records"]
            plan.save()
            m_updated += 1
    for source_id, values in migrations.items():
        MigrationPlan(municipality=county, source_id=source_id, **values).save()
        m_created += 1
    return GenerateResult(created, updated, deleted, m_created, m_updated, m_deleted)


def _task_key(task: ChangeTask) -> str:
    if task.information_system_id:
        return system_key(task.information_system_id)
    return external_key(task.external_candidate_id or 0)
