"""IS rationalisation, the decisions: the county lead's choices and criterion weights."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ictmerge.inventory.models import BusinessFunction
from ictmerge.reforms.models import Municipality
from ictmerge.systems.inputs import (
    CountyInputs,
    PlanError,
    check_may_change,
    criterion_codes,
    default_criteria,
    writes_by,
)
from ictmerge.systems.models import (
    CriterionWeight,
    ExternalCandidate,
    SystemDecision,
)
from ictmerge.systems.plan import plan_county


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
