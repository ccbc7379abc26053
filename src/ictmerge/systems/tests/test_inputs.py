"""The national report's fast read of the predecessors' systems equals the records' read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ictmerge.systems import services
from ictmerge.systems.models import SystemAssessment
from ictmerge.systems.tests.conftest import function, system

pytestmark = pytest.mark.django_db


def test_it_reads_the_same_candidates_without_the_records(county: Any) -> None:
    """GIVEN systems with and without an assessment, a blank C/I/A and no annual cost
    WHEN the inputs are read with and without the records
    THEN the engine gets the same systems, assumptions and labels, and only the records differ."""
    SystemAssessment.objects.create(
        information_system=county.horizon, functional_coverage=Decimal("0.9"),
        technical_fit=Decimal(4), support_years_left=Decimal("6.5"), vendor_support=Decimal(3),
        security_compliance=Decimal("0.8"), data_subjects=1234)
    docs = function("documents")
    system(county.former_a, docs, "Lietvaris", annual_cost_eur=None, confidentiality="high",
           integrations="PMLP\nVID", security_class="2. klase", hosting="state")
    with_records = services.load_inputs([county.north])[county.north.pk]
    rows_only = services.load_inputs([county.north], with_records=False)[county.north.pk]
    assert sorted(with_records.candidates) == sorted(rows_only.candidates)
    assert len(rows_only.candidates) == 3
    for key, candidate in with_records.candidates.items():
        fast = rows_only.candidates[key]
        assert fast.system == candidate.system
        assert (fast.assumed, fast.label, fast.annual_cost_eur) == (
            candidate.assumed, candidate.label, candidate.annual_cost_eur)
        assert candidate.record is not None and fast.record is None
    horizon = rows_only.candidates[services.system_key(county.horizon.pk)].system
    assert (horizon.functional_coverage, horizon.data_subjects) == (0.9, 1234)
    assert services.kept_systems(rows_only) == services.kept_systems(with_records)


def test_the_after_figures_count_what_the_full_plan_keeps(county: Any) -> None:
    """The national report's IS figures equal the full plan's count of kept systems and products."""
    docs = function("documents")
    system(county.former_a, docs, "Lietvaris", users=10)
    system(county.former_b, docs, "DocLogix", users=40, lifecycle="ageing")
    figures = services.after_figures(county.reform)[county.north.pk]
    full = services.plan_county(county.north)
    assert figures["information_systems_after"] == len(full.functions) == 2
    assert figures["information_system_products_after"] == full.products_after()
