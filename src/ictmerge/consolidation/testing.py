"""Test makers: a consolidation scenario belongs to a new municipality (a county)."""

from __future__ import annotations

from typing import Any

from ictmerge.consolidation.models import Scenario
from ictmerge.core.testing.factories import build_record, custom_maker


def county_of(municipality: Any) -> Any:
    """The municipality itself when new, else the (first) one it went into."""
    if municipality.stage == "new":
        return municipality
    return municipality.successors.order_by("new__name").first().new


@custom_maker(Scenario)
def make_scenario(municipality: Any, **overrides: Any) -> Scenario:
    """A scenario of the county the municipality went into."""
    county = overrides.pop("municipality", None) or county_of(municipality)
    return build_record(Scenario, county, custom=False, **overrides)  # type: ignore[no-any-return]
