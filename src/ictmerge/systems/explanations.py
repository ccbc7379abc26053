"""The messages of the engine's explanations about information systems: TIME labels, why a
system is chosen, how stable the choice is."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ictmerge.core.explanations import register

register({
    "time.eliminate": _("not kept: %(kept)s is chosen for this function; users and data move "
                        "there"),
    "time.tolerate_national": _("kept: national system required by law, outside the "
                                "municipality's control"),
    "time.invest": _("kept; functional fit %(functional)s, technical fit %(technical)s both at "
                     "or above thresholds (%(functional_threshold)s, %(technical_threshold)s)"),
    "time.migrate": _("kept; functional fit %(functional)s, technical fit %(technical)s: good "
                      "functional fit on a weak platform or ending support (technical below "
                      "%(technical_threshold)s): move to a supported version or hosting"),
    "time.tolerate": _("kept as the best available; functional fit %(functional)s, technical "
                       "fit %(technical)s: functional fit below %(functional_threshold)s, plan "
                       "its replacement after the reform"),
    "systems.national_mandatory": _("%(system)s is mandatory for %(function)s (%(source)s); "
                                    "local systems are retired into it"),
    "systems.overridden": _("overridden to %(chosen)s (recommended %(recommended)s): "
                            "%(justification)s"),
    "systems.overridden_by": _("overridden to %(chosen)s (recommended %(recommended)s) by "
                               "%(decided_by)s: %(justification)s"),
    "systems.method.topsis": _("TOPSIS"),
    "systems.method.weighted_sum": _("weighted sum"),
    "systems.external_candidate": _("external candidate"),
    "systems.chosen": _("chosen %(system)s (%(owner)s) by %(method)s %(score)s"),
    "systems.only_candidate": _("the only candidate: kept without comparison"),
    "systems.runner_up": _("runner-up %(system)s %(score)s (margin %(margin)s)"),
    "systems.tie": _("tie with %(system)s: broken by id order; record an override if another "
                     "is preferred"),
    "systems.criterion_value": _("%(criterion)s (%(value)s)"),
    "systems.strongest_two": _("strongest on %(first)s, %(second)s; weakest on %(weakest)s"),
    "systems.strongest_one": _("strongest on %(first)s; weakest on %(weakest)s"),
    "systems.other_method": _("the other method would choose %(system)s"),
    "systems.stable": _("stable: the winner holds when any single weight moves %(spread)s"),
    "systems.sensitive": _("sensitive: %(moves)s"),
})
