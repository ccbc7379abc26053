"""Gartner TIME label (tolerate, invest, migrate, eliminate) for every system of a function.

Rule (stated so that every label can be checked):
- a system not kept for the new municipality is ELIMINATE: its users and data move to the kept one;
- a kept national system is TOLERATE: the law mandates it and the municipality cannot change it;
- a kept system with functional fit >= the functional threshold and technical fit >= the technical
  threshold is INVEST;
- a kept system with good functional fit but poor technical fit (old platform, support ending) is
  MIGRATE: keep its function and data, move it to a supported version or hosting;
- a kept system with poor functional fit is TOLERATE: the best available for the reform date,
  to be replaced later.
Functional fit is the functional coverage (0-1); technical fit is half the expert technical score
(0-5) and half the years of vendor support left (capped at 5), both scaled to 0-1. This follows
the TIME quadrants (functional fit x technical fit) with "keep one system per function" on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ictmerge.engine.systems.model import InformationSystem

SUPPORT_YEARS_CAP = 5.0


class TimeLabel(StrEnum):
    """The four TIME dispositions."""

    TOLERATE = "tolerate"
    INVEST = "invest"
    MIGRATE = "migrate"
    ELIMINATE = "eliminate"


@dataclass(frozen=True)
class TimeThresholds:
    """Where the TIME quadrants split; an assumption of ictmerge, editable."""

    functional: float = 0.6
    technical: float = 0.5


DEFAULT_THRESHOLDS = TimeThresholds()


@dataclass(frozen=True)
class TimeClassification:
    """A system's TIME label with the rule that gave it."""

    system_id: str
    label: TimeLabel
    functional_fit: float
    technical_fit: float
    reason: str


def technical_fit(system: InformationSystem) -> float:
    """Return technical fit in [0, 1]: half expert score, half remaining vendor support."""
    score = min(max(system.technical_fit, 0.0), 5.0) / 5.0
    support = min(max(system.support_years_left, 0.0), SUPPORT_YEARS_CAP) / SUPPORT_YEARS_CAP
    return 0.5 * score + 0.5 * support


def classify(
    system: InformationSystem,
    kept_system_id: str,
    thresholds: TimeThresholds = DEFAULT_THRESHOLDS,
) -> TimeClassification:
    """Return the TIME label of `system` when `kept_system_id` is the function's chosen system."""
    functional = min(max(system.functional_coverage, 0.0), 1.0)
    technical = technical_fit(system)
    fits = f"functional fit {functional:.2f}, technical fit {technical:.2f}"
    if system.system_id != kept_system_id:
        label = TimeLabel.ELIMINATE
        reason = (
            f"not kept: {kept_system_id} is chosen for this function; users and data move there"
        )
    elif system.is_national:
        label = TimeLabel.TOLERATE
        reason = "kept: national system required by law, outside the municipality's control"
    elif functional >= thresholds.functional and technical >= thresholds.technical:
        label = TimeLabel.INVEST
        reason = (
            f"kept; {fits} both at or above thresholds "
            f"({thresholds.functional:.2f}, {thresholds.technical:.2f})"
        )
    elif functional >= thresholds.functional:
        label = TimeLabel.MIGRATE
        reason = (
            f"kept; {fits}: good functional fit on a weak platform or ending support "
            f"(technical below {thresholds.technical:.2f}): move to a supported version or hosting"
        )
    else:
        label = TimeLabel.TOLERATE
        reason = (
            f"kept as the best available; {fits}: functional fit below "
            f"{thresholds.functional:.2f}, plan its replacement after the reform"
        )
    return TimeClassification(system.system_id, label, functional, technical, reason)
