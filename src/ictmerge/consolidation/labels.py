"""The consolidation plan's money lines in the reader's language (the engine's keys)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: The engine's keys of the annual and one-off money lines (engine/consolidation/money.py).
MONEY_LABELS = {
    "power": _("power"),
    "maintenance": _("maintenance"),
    "licences": _("licences"),
    "rooms": _("rooms"),
    "external services": _("external services"),
    "new hosts": _("new hosts"),
    "moves": _("moves"),
    "migration": _("migration"),
    "service onboarding": _("service onboarding"),
}


def money_label(key: str) -> str:
    """A money line's name in the active language (an unknown key as it is)."""
    label = MONEY_LABELS.get(key)
    return str(label) if label is not None else key
