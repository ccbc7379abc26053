"""The messages of the consolidation engine's reasons: rooms kept, rented or closed, and the
placement rules (codes "rooms." and "consolidation.rule.")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ictmerge.core.explanations import Plural, register

register({
    "rooms.rented": Plural(
        "rented as a service: the workloads of %(hosts)s planned host, no host bought there",
        "rented as a service: the workloads of %(hosts)s planned hosts, no host bought there",
        "hosts"),
    "rooms.kept": Plural(
        "kept: holds %(hosts)s host and %(others)s other item(s), %(units)s of "
        "%(rack_units)s U and %(power)s of %(capacity)s kW",
        "kept: holds %(hosts)s hosts and %(others)s other item(s), %(units)s of "
        "%(rack_units)s U and %(power)s of %(capacity)s kW", "hosts"),
    "rooms.meets_class": _("its condition meets class %(security_class)s that its workloads "
                           "need"),
    "rooms.pinned": _("workloads are pinned here"),
    "rooms.on_premises": _("workloads must stay on premises"),
    "rooms.second_site": _("second site for workloads that need rooms at least %(distance)s km "
                           "apart (partner: %(partners)s)"),
    "rooms.cheaper": _("cheaper over %(years)s years than own hosts in an own room (%(vcpu)s EUR "
                       "per vCPU, %(ram)s EUR per GB of RAM and %(tb)s EUR per TB of storage a "
                       "month, %(fixed)s EUR a year)"),
    "rooms.not_used": _("not used: own hosts in the kept rooms cost less over the horizon"),
    "rooms.closed_moves": _("closed: its equipment moves to %(rooms)s; saves %(saving)s EUR a "
                            "year of running cost"),
    "rooms.closed_unused": _("closed: no host of the plan needs it; saves %(saving)s EUR a year "
                             "of running cost"),
    "rooms.kept_unchanged": _("kept as today: the reform leaves the municipality unchanged"),
    "rooms.kept_no_reduction": _("kept as today: at today's service level the consolidation "
                                 "would not reduce the servers or rooms"),
    "rooms.kept_no_room_plan": _("kept as today: no room plan for the consolidation was found in "
                                 "the solver's time, so today's servers and rooms stand"),
    "consolidation.rule.anti_affinity": _("anti-affinity group '%(group)s' of %(owner)s"),
    "consolidation.rule.anti_affinity_high": _(
        "anti-affinity group '%(group)s' of %(owner)s (high availability: rooms far apart)"),
})
