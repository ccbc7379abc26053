"""Test makers for review records that a field-by-field guess cannot make valid."""

from __future__ import annotations

from typing import Any

from ictmerge.core.testing.factories import build_record, custom_maker, make_record
from ictmerge.review.models import SelfAssessment, SelfAssessmentAnswer


@custom_maker(SelfAssessmentAnswer)
def make_answer(municipality: Any, **overrides: Any) -> SelfAssessmentAnswer:
    """An answer in a draft self-assessment of the same municipality."""
    values = {"assessment": make_record(SelfAssessment, municipality), "level": 2, **overrides}
    return build_record(SelfAssessmentAnswer, municipality, custom=False, **values)
