"""Test makers: records of the systems app belong to a new municipality (a county).

Asked for a record of a former municipality, a maker makes it for the county that former
municipality went into, with its predecessor's systems as the candidates.
"""

from __future__ import annotations

import itertools
from typing import Any

from ictmerge.core.testing.factories import build_record, county_of, custom_maker, make_record
from ictmerge.inventory.models import BusinessFunction, InformationSystem
from ictmerge.systems.models import (
    ChangeTask,
    CriterionWeight,
    ExternalCandidate,
    MigrationPlan,
    RuleConfirmation,
    SecurityRuleChoice,
    SystemDecision,
)

_counter = itertools.count()


def _system(municipality: Any) -> InformationSystem:
    """A system of `municipality` (a former one) for a function of its own."""
    former = municipality if municipality.stage == "former" else \
        municipality.predecessors.order_by("former__name").first().former
    return make_record(InformationSystem, former,
                       function=make_record(BusinessFunction, former))


@custom_maker(CriterionWeight)
def make_weight(municipality: Any, **overrides: Any) -> CriterionWeight:
    """A weight of a criterion the county has no weight for yet."""
    from ictmerge.systems.services import criterion_codes

    county = overrides.pop("municipality", None) or county_of(municipality)
    taken = set(CriterionWeight.objects.filter(municipality=county)
                .values_list("criterion", flat=True))
    free = [c for c in criterion_codes() if c not in taken] or list(criterion_codes())
    values = {"criterion": free[next(_counter) % len(free)], **overrides}
    return build_record(CriterionWeight, county, custom=False,
                        **values)


@custom_maker(ExternalCandidate)
def make_external(municipality: Any, **overrides: Any) -> ExternalCandidate:
    """An external candidate for the county."""
    county = overrides.pop("municipality", None) or county_of(municipality)
    return build_record(ExternalCandidate, county, custom=False,
                        **overrides)


@custom_maker(SystemDecision)
def make_decision(municipality: Any, **overrides: Any) -> SystemDecision:
    """The county's decision for a function whose only candidate is a predecessor's system."""
    county = overrides.pop("municipality", None) or county_of(municipality)
    system = overrides.pop("chosen_system", None) or _system(municipality)
    values = {"function": system.function, "chosen_system": system, **overrides}
    return build_record(SystemDecision, county, custom=False,
                        **values)


@custom_maker(ChangeTask)
def make_change_task(municipality: Any, **overrides: Any) -> ChangeTask:
    """A checklist item of a predecessor's system kept by the county."""
    county = overrides.pop("municipality", None) or county_of(municipality)
    values = {"information_system": _system(municipality), "text": "Set the new code",
              "owner": "system_owner", **overrides}
    return build_record(ChangeTask, county, custom=False,
                        **values)


@custom_maker(MigrationPlan)
def make_migration(municipality: Any, **overrides: Any) -> MigrationPlan:
    """A migration of a predecessor's system retired by the county."""
    county = overrides.pop("municipality", None) or county_of(municipality)
    values = {"source": _system(municipality), "target_name": "Kept system", **overrides}
    return build_record(MigrationPlan, county, custom=False,
                        **values)


@custom_maker(SecurityRuleChoice)
def make_rule_choice(municipality: Any, **overrides: Any) -> SecurityRuleChoice:
    """The county's choice of the generic rule set, with its reason."""
    county = overrides.pop("municipality", None) or county_of(municipality)
    values = {"rule_set": "fips199", "reason": "Audit against NIST", **overrides}
    return build_record(SecurityRuleChoice, county, custom=False, **values)


@custom_maker(RuleConfirmation)
def make_confirmation(municipality: Any, **overrides: Any) -> RuleConfirmation:
    """A lawyer's confirmation of a shipped rule."""
    import datetime as dt

    values = {"rule_id": "lv-442/increased/criterion", "confirmed_by": "A lawyer",
              "confirmed_on": dt.date(2026, 12, 1), "text": "Regulation No. 442", **overrides}
    return build_record(RuleConfirmation, municipality, custom=False, **values)
