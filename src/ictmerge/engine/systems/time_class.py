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

from ictmerge.engine.explain import Explanation, Number, define, explain
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
    reason: Explanation


def technical_fit(system: InformationSystem) -> float:
    """Return technical fit in [0, 1]: half expert score, half remaining vendor support."""
    score = min(max(system.technical_fit, 0.0), 5.0) / 5.0
    support = min(max(system.support_years_left, 0.0), SUPPORT_YEARS_CAP) / SUPPORT_YEARS_CAP
    return 0.5 * score + 0.5 * support


#: Why a system has its TIME label (the web layer translates these codes).
NOT_KEPT = define("time.eliminate", "not kept: %(kept)s is chosen for this function; users and "
                  "data move there")
NATIONAL = define("time.tolerate_national", "kept: national system required by law, outside "
                  "the municipality's control")
ABOVE_THRESHOLDS = define("time.invest", "kept; functional fit %(functional)s, technical fit "
                          "%(technical)s both at or above thresholds (%(functional_threshold)s, "
                          "%(technical_threshold)s)")
WEAK_PLATFORM = define("time.migrate", "kept; functional fit %(functional)s, technical fit "
                       "%(technical)s: good functional fit on a weak platform or ending support "
                       "(technical below %(technical_threshold)s): move to a supported version "
                       "or hosting")
BEST_AVAILABLE = define("time.tolerate", "kept as the best available; functional fit "
                        "%(functional)s, technical fit %(technical)s: functional fit below "
                        "%(functional_threshold)s, plan its replacement after the reform")


def classify(
    system: InformationSystem,
    kept_system_id: str,
    thresholds: TimeThresholds = DEFAULT_THRESHOLDS,
) -> TimeClassification:
    """Return the TIME label of `system` when `kept_system_id` is the function's chosen system."""
    functional = min(max(system.functional_coverage, 0.0), 1.0)
    technical = technical_fit(system)
    fits = {"functional": Number(functional, 2), "technical": Number(technical, 2)}
    limits = {"functional_threshold": Number(thresholds.functional, 2),
              "technical_threshold": Number(thresholds.technical, 2)}
    if system.system_id != kept_system_id:
        label = TimeLabel.ELIMINATE
        reason = explain(NOT_KEPT, kept=kept_system_id)
    elif system.is_national:
        label = TimeLabel.TOLERATE
        reason = explain(NATIONAL)
    elif functional >= thresholds.functional and technical >= thresholds.technical:
        label = TimeLabel.INVEST
        reason = explain(ABOVE_THRESHOLDS, **fits, **limits)
    elif functional >= thresholds.functional:
        label = TimeLabel.MIGRATE
        reason = explain(WEAK_PLATFORM, **fits, technical_threshold=limits["technical_threshold"])
    else:
        label = TimeLabel.TOLERATE
        reason = explain(BEST_AVAILABLE, **fits,
                         functional_threshold=limits["functional_threshold"])
    return TimeClassification(system.system_id, label, functional, technical, reason)
