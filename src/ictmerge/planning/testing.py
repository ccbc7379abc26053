"""Test makers for planning records that a field-by-field guess cannot make valid."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ictmerge.core.testing.factories import build_record, custom_maker
from ictmerge.planning.models import ActionPlan


@custom_maker(ActionPlan)
def make_action_plan(municipality: Any, **overrides: Any) -> ActionPlan:
    """An action plan whose deadline comes after its start."""
    values = {"project_start": dt.date(2021, 1, 4), "deadline": dt.date(2021, 7, 1),
              **overrides}
    return build_record(ActionPlan, municipality, custom=False, **values)
