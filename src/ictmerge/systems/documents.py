"""The "systems" section of a county's ICT takeover plan: one system per function and why.

The plan is what the county's systems page shows (`services.plan_county`, a fraction of a
second per county: the recommendation with the recorded decisions applied); the reform
changes and the data migrations are the stored checklist.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ictmerge.core.documents import (
    Section,
    SectionTable,
    local_number,
    not_yet_planned,
    section_title,
)
from ictmerge.core.explanations import joined_text
from ictmerge.core.providers import SECTION_PROVIDERS
from ictmerge.reforms.models import Municipality
from ictmerge.systems import services
from ictmerge.systems.models import ChangeTask, MigrationPlan


def _basis(basis: str) -> str:
    return {"decided": _("decided"), "recommended": _("recommended"),
            "partly decided": _("partly decided")}.get(basis, basis)


def _score(item: services.FunctionResult, key: str) -> tuple[float | None, float | None]:
    """The candidate's weighted sum and TOPSIS closeness, None where no scoring was needed."""
    table = item.decision.scores
    row = next((r for r in table.rows if r.candidate_id == key), None) if table else None
    return (round(row.weighted_sum, 3), round(row.topsis, 3)) if row else (None, None)


#: A system's key as the engine writes it in its reasons (a record's "is-12", a national
#: system's stand-in "national:finance"); a council reads the system's name instead.
SYSTEM_KEY = re.compile(r"\b(?:is-\d+|ext-\d+|national:[a-z_]+)")


def named(text: str, result: services.CountyResult) -> str:
    """The text with every system key replaced by the system's name (no internal id)."""
    return SYSTEM_KEY.sub(lambda match: result.label(match.group(0)), text)


def _scored_reason(result: services.CountyResult, item: services.FunctionResult) -> str:
    """Best by the method, the runner-up and its margin, and whether the weights matter."""
    table = item.decision.scores
    if table is None or not table.rows:
        return named(joined_text(item.decision.reasons[:2]), result)
    best, *rest = table.rows
    method = table.method.value
    value = best.topsis if method == "topsis" else best.weighted_sum
    text = _("best by %(method)s (%(score)s)") % {"method": method,
                                                    "score": local_number(value, 3)}
    if rest:
        second = rest[0]
        runner = second.topsis if method == "topsis" else second.weighted_sum
        text += "; " + _("runner-up %(name)s (%(score)s)") % {
            "name": result.label(second.candidate_id), "score": local_number(runner, 3)}
    sensitivity = table.sensitivity
    verdict = (_("the winner holds when any single weight moves") if sensitivity.stable
               else _("moving one weight changes the winner in %(n)d of %(checks)d checks")
               % {"n": len(sensitivity.flips), "checks": sensitivity.checks})
    return f"{text}; {verdict}"


def decision_rows(result: services.CountyResult, language: str) -> list[list[Any]]:
    """Per function: the kept system, the basis, the recommendation, TIME, score and why."""
    rows = []
    for item in result.functions:
        decision = item.decision
        chosen = decision.chosen_system_id
        time = next((t.label.value for t in decision.time_labels if t.system_id == chosen), "")
        weighted, topsis = _score(item, chosen)
        alternatives = [k for k in decision.candidate_ids if k != chosen]
        if decision.mandatory_national_system:
            why = _("mandatory national system")
        elif decision.override:
            why = _("overrides the recommendation: %(reason)s") % {
                "reason": decision.override.justification}
        else:
            why = _scored_reason(result, item)
        rows.append([
            item.function.name(language), result.label(chosen), _basis(item.basis),
            result.label(decision.recommended_system_id), time, weighted, topsis,
            "; ".join(result.label(k) for k in alternatives) or "—", why,
        ])
    return rows


def alternative_rows(result: services.CountyResult, language: str) -> list[list[Any]]:
    """Every candidate of every function with its scores, TIME label and whether it is kept."""
    rows = []
    for item in result.functions:
        decision = item.decision
        labels = {t.system_id: t.label.value for t in decision.time_labels}
        for key in decision.candidate_ids:
            weighted, topsis = _score(item, key)
            rows.append([item.function.name(language), result.label(key), weighted, topsis,
                         labels.get(key, ""),
                         _("kept") if key == decision.chosen_system_id else _("retired")])
    return rows


def systems_sections(county: Municipality) -> list[Section]:
    """The decided or recommended system per function, its alternatives, changes, migrations."""
    result = services.plan_county(county)
    if not result.functions:
        return [not_yet_planned("systems")]
    language = (get_language() or "en")[:2]
    plan = result.plan
    decided = sum(1 for f in result.functions if f.basis == "decided")
    paragraphs = [
        _("Information systems %(before)d → %(after)d, distinct products %(p_before)d → "
          "%(p_after)d, one per function (%(method)s over the weighted criteria). One-off cost "
          "%(one_off)s EUR; annual cost changes by %(annual)s EUR.") % {
            "before": plan.systems_before, "after": result.information_systems_after,
            "p_before": plan.products_before, "p_after": result.products_after(),
            "method": result.method.value,
            "one_off": local_number(sum(f.cost.one_off_eur for f in result.functions)),
            "annual": local_number(sum(f.cost.annual_change_eur for f in result.functions),
                                   signed=True)},
        _("%(decided)d of %(functions)d functions decided by the county; the rest show the "
          "recommendation until the county records its decision.") % {
            "decided": decided, "functions": len(result.functions)},
        *[named(note, result) for note in result.notes],
    ]
    if result.inputs.is_demo:
        paragraphs.append(_("Planned from generated demo data, not real municipal records."))
    decisions = SectionTable(
        title=_("System per function"),
        headers=[_("Function"), _("Kept system"), _("Basis"), _("Recommended"), _("TIME"),
                 _("Weighted sum"), _("TOPSIS"), _("Alternatives"), _("Reasoning")],
        rows=decision_rows(result, language))
    alternatives = SectionTable(
        title=_("Candidates and their scores"),
        headers=[_("Function"), _("Candidate"), _("Weighted sum"), _("TOPSIS"), _("TIME"),
                 _("Outcome")],
        rows=alternative_rows(result, language))
    tables = [decisions, alternatives]
    changes = list(ChangeTask.objects.filter(municipality=county).select_related(
        "information_system", "external_candidate").order_by("due_date", "pk"))
    migrations = list(MigrationPlan.objects.filter(municipality=county).select_related(
        "source", "target_system", "target_external").order_by("cut_over_date", "pk"))
    if changes or migrations:
        tables.append(SectionTable(
            title=_("Reform changes to make"),
            headers=[_("System"), _("What to do"), _("Owner"), _("Due"), _("Status")],
            rows=[[c.system_label(), c.localised_text(), c.owner, c.due_date,
                   str(c.get_status_display())] for c in changes]))
        tables.append(SectionTable(
            title=_("Data migrations"),
            headers=[_("Retired system"), _("Target"), _("Records"), _("Mapping"),
                     _("Test migration"), _("Cut-over")],
            rows=[[str(m.source), m.target_label(), m.records,
                   str(m.get_mapping_status_display()), str(m.get_test_migration_display()),
                   m.cut_over_date] for m in migrations]))
    else:
        paragraphs.append(_("Reform changes and data migrations: not yet planned: the county "
                            "lists them on its systems checklist page."))
    return [Section(key="systems", title=section_title("systems"), paragraphs=paragraphs, tables=tables)]


def register_sections() -> None:
    """Add the systems section to the county document (called once at start-up)."""
    if systems_sections not in SECTION_PROVIDERS:
        SECTION_PROVIDERS.append(systems_sections)
