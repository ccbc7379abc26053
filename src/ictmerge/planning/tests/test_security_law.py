"""The law of the plan's date: Regulation No. 442's classes and documents for a 2021 reform,
the National Cybersecurity Law's rule set and duties for a 2026 one, in the action plan and
the systems' checklist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ictmerge.inventory.models import BusinessFunction, InformationSystem
from ictmerge.planning import services
from ictmerge.planning.models import Task
from ictmerge.reforms.models import Municipality, Reform, Succession
from ictmerge.systems.checklist import generate_checklist
from ictmerge.systems.models import ChangeTask
from ictmerge.systems.security import security_for


def _county_of_2026() -> Any:
    """A Latvian county made on 2026-07-01 from one predecessor running a finance system."""
    reform = Reform.objects.create(code="lv-2026", name="2026 reform", country="LV",
                                   effective_date=dt.date(2026, 7, 1))
    former = Municipality.objects.create(reform=reform, code="D", name="Former D",
                                         stage="former", kind="unit", population=4000)
    new = Municipality.objects.create(reform=reform, code="M", name="New M", stage="new",
                                      kind="unit", population=4000)
    Succession.objects.create(reform=reform, former=former, new=new, share=Decimal(1))
    InformationSystem.objects.create(municipality=former, name="Horizon", product="Horizon",
                                     function=BusinessFunction.objects.get(code="finance"),
                                     users=30, confidentiality="high")
    return new


def _tasks(county: Any, template: str) -> list[str]:
    return sorted(Task.objects.filter(municipality=county, template=template)
                  .values_list("title", flat=True))


@pytest.mark.django_db
def test_it_plans_2021_under_reg_442_and_2026_under_the_cybersecurity_law(north: Any) -> None:
    """GIVEN a Latvian county of 2021-07-01 and one of 2026-07-01 WHEN each is planned THEN the
    first gets Reg. 442's increased class, its five documents as tasks and checklist items and
    no NIS2 duty; the second gets the rule set of Reg. 397, its document and every duty with
    its source and deadline."""
    reform = north.world.reform
    reform.country = "LV"
    reform.save()
    InformationSystem.objects.filter(municipality__reform=reform).update(confidentiality="high")
    later = _county_of_2026()

    early_rules = security_for(north.county).rules
    late_rules = security_for(later).rules
    assert (early_rules.code, late_rules.code) == ("lv-442", "lv-nkdl")
    assert security_for(north.county).why.startswith("In force on the reform's effective date")

    services.generate_action_plan(north.county)
    services.generate_action_plan(later)
    early_documents = _tasks(north.county, "planning.security_document")
    assert len(early_documents) == 5
    assert all("of 1 increased-security system [Cabinet Regulation No. 442" in t
               for t in early_documents)
    assert any("system recovery plan" in t for t in early_documents)
    assert _tasks(north.county, "planning.cyber_duty") == []

    late_documents = _tasks(later, "planning.security_document")
    assert len(late_documents) == 1 and "Regulation No. 397" in late_documents[0]
    duties = _tasks(later, "planning.cyber_duty")
    registration = next(t for t in duties if "National Cyber Security Centre" in t)
    assert "Transitional provision 7" in registration and "due 2026-07-01" in registration
    assert "statutory 2025-04-01 passed" in registration
    assert any("cybersecurity manager" in t for t in duties)
    assert any("self-assessment" in t and "Section 22(1)" in t for t in duties)
    assert any("Regulation No. 397" in t for t in duties)

    generate_checklist(north.county, None)
    generate_checklist(later, None)
    early_items = set(ChangeTask.objects.filter(municipality=north.county,
                                                template_code__startswith="security.")
                      .values_list("template_code", flat=True))
    assert early_items == {"security.security_policy", "security.internal_rules",
                           "security.usage_rules", "security.risk_management_plan",
                           "security.recovery_plan"}
    late_items = list(ChangeTask.objects.filter(municipality=later,
                                                template_code__startswith="security."))
    assert [i.template_code for i in late_items] == ["security.minimum_requirements_record"]
    assert "likumi.lv/ta/id/361481" in late_items[0].text


@pytest.mark.django_db
def test_a_county_that_chooses_another_rule_set_is_planned_under_it(north: Any) -> None:
    """GIVEN a 2021 Latvian county that chose FIPS 199 WHEN re-assessed THEN FIPS 199 applies,
    the page's reason says the county chose it, and no Reg. 442 document is planned."""
    from ictmerge.systems.security import choose_rule_set

    reform = north.world.reform
    reform.country = "LV"
    reform.save()
    choose_rule_set(north.county, "fips199", "Audit against NIST", None)
    security = security_for(north.county)
    assert security.rules.code == "fips199" and security.chosen_by_county
    assert "Audit against NIST" in security.why
    services.generate_action_plan(north.county)
    assert _tasks(north.county, "planning.security_document") == []
