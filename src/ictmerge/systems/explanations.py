"""The messages of the engine's explanations about information systems (TIME labels)."""

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
})
