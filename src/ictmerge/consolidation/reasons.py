"""The engine's reasons for more own servers or rooms, in the reader's language (gettext)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _


def reason_text(reason: Mapping[str, Any]) -> str:
    """One reason ({"code", "params"}) as a sentence in the active language."""
    params = dict(reason.get("params", {}))
    code = reason.get("code", "")
    if code == "n_plus_one":
        return _("N+1: the policy adds %(failover_hosts)s spare host(s) for failover, so the servers "
                 "go from %(servers_before)s to %(servers_after)s.") % params
    if code == "resilience_separation":
        return _("Resilience: %(groups)s group(s) of workloads of high availability must run on "
                 "separate hosts in rooms at least %(distance_km)s km apart, which the predecessors "
                 "do not have today.") % params
    if code == "separate_hosts":
        return _("Separate hosts: %(groups)s anti-affinity group(s) must run on separate hosts, "
                 "which the predecessors do not have today.") % params
    if code == "security_class_rooms":
        return _("Security class: workloads of class %(security_class)s need rooms whose condition "
                 "meets it.") % params
    if code == "capacity_headroom":
        return _("Capacity: with the headroom of %(cpu_headroom_pct)s %% CPU and %(ram_headroom_pct)s "
                 "%% RAM the workloads need more hosts than the servers they run on today.") % params
    return str(code)


def reason_texts(reasons: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every reason as a sentence in the active language."""
    return [reason_text(r) for r in reasons]
