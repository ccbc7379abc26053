"""The bound and the gap of a plan, in words a non-specialist understands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _number(value: Any, decimals: int = 0) -> str:
    """A figure in the active language's format ("104 252" in Latvian, "104,252" in English)."""
    return str(formats.number_format(round(float(value), decimals), decimal_pos=decimals,
                                     use_l10n=True, force_grouping=True))


def bound_in_words(result: Mapping[str, Any]) -> str:
    """What the host count's lower bound means for this plan."""
    hosts, bound = result["servers_after"], result["lower_bound"]
    if result.get("fell_back"):
        return _("The municipality keeps its %(hosts)d servers as they are: no room plan for the "
                 "consolidation was found in the solver's time, so no bound is claimed.") % {"hosts": hosts}
    if result.get("kept_estate"):
        return _("The municipality keeps its %(hosts)d servers as they are: at today's service level "
                 "the consolidation would not reduce them, or the reform leaves it unchanged.") % {
            "hosts": hosts}
    failover = sum(1 for h in result["hosts"] if h["is_failover"])
    spare = ngettext("including %(n)d spare host for failover", "including %(n)d spare hosts for failover",
                     failover) % {"n": failover} if failover else _("with no spare host")
    if result["proven_optimal"] or hosts <= bound:
        return _("The plan needs %(hosts)d hosts (%(spare)s). No plan can do with fewer under the same "
                 "rules and headroom, so this is the smallest possible number.") % {
            "hosts": hosts, "spare": spare}
    gap = hosts - bound
    return ngettext(
        "The plan needs %(hosts)d hosts (%(spare)s). No plan can do with fewer than %(bound)d, so a "
        "better plan could save at most %(gap)d host, and perhaps none: the solver ran out of time "
        "before it could prove which.",
        "The plan needs %(hosts)d hosts (%(spare)s). No plan can do with fewer than %(bound)d, so a "
        "better plan could save at most %(gap)d hosts, and perhaps none: the solver ran out of time "
        "before it could prove which.", gap) % {"hosts": hosts, "spare": spare, "bound": bound,
                                                "gap": gap}


def room_bound_in_words(result: Mapping[str, Any], horizon_years: int) -> str:
    """What the room plan's cost bound means."""
    cost, bound = result["room_cost_eur"], result["room_lower_bound_eur"]
    values = {"cost": _number(cost), "bound": _number(bound), "years": horizon_years,
              "gap": _number(100 * result["room_gap"], 1)}
    if result["room_proven_optimal"] or cost <= bound:
        return _("Rooms: the chosen rooms cost %(cost)s EUR over %(years)s years (running, hosts, "
                 "hosting services and moving); no other choice of rooms costs less.") % values
    return _("Rooms: the chosen rooms cost %(cost)s EUR over %(years)s years (running, hosts, "
             "hosting services and moving); no choice of rooms can cost less than %(bound)s EUR, so a better choice could "
             "save at most %(gap)s %% of it.") % values
