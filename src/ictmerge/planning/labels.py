"""The budget's codes (kinds, categories, cost lines, sources, units, catalogue items) and
its lines' descriptions in the reader's language; the engine keeps its English codes."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext

from ictmerge.consolidation.labels import money_label
from ictmerge.core.explanations import text_of
from ictmerge.engine.planning.budget import BudgetLine, load_catalogue
from ictmerge.inventory.choices import GovernanceModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KINDS = {"one_off": _("one-off"), "annual": _("annual")}
CATEGORIES = {
    "hardware": _("hardware"), "software": _("software"), "services": _("services"),
    "network": _("network"), "rooms": _("rooms"), "training": _("training"),
    "staff": _("staff"), "contracts": _("contracts"),
}
COST_LINES = {
    "staff": _("staff"), "external_services": _("external services"),
    "hosting_rooms": _("hosting and server rooms"), "hardware": _("hardware"),
    "licences": _("licences"), "connectivity": _("connectivity"), "contracts": _("contracts"),
}
SOURCES = {
    "governance": _("governance"), "consolidation": _("consolidation"),
    "licences": _("licences"), "contracts": _("contracts"), "other": _("other"),
    # The waterfall's two totals.
    "today": _("today"), "plan": _("plan"),
}
#: What the decisions of the budget rest on (planning/decisions.py's basis keys).
BASIS = {
    "systems": _("systems"), "rooms": _("rooms"), "licences": _("licences"),
    "contracts": _("contracts"), "provisioning": _("provisioning"), "security": _("security"),
}


def _units(n: int) -> dict[str, str]:
    """Every unit of the cost catalogue and the engine's lines, counted (three Latvian forms)."""
    return {
        "server": npgettext("unit", "server", "servers", n),
        "system": npgettext("unit", "system", "systems", n),
        "room": npgettext("unit", "room", "rooms", n),
        "link": npgettext("unit", "link", "links", n),
        "domain": npgettext("unit", "domain", "domains", n),
        "employee": npgettext("unit", "employee", "employees", n),
        "licence": npgettext("unit", "licence", "licences", n),
        "user": npgettext("unit", "user", "users", n),
        "2-core pack": npgettext("unit", "2-core pack", "2-core packs", n),
        "seat": npgettext("unit", "seat", "seats", n),
        "session": npgettext("unit", "session", "sessions", n),
        "contract": npgettext("unit", "contract", "contracts", n),
        "plan": npgettext("unit", "plan", "plans", n),
        "FTE": npgettext("unit", "FTE", "FTE", n), "km": "km",
        "year": npgettext("unit", "year", "years", n),
    }


#: The shipped catalogue's item labels (an edited catalogue's other label stays as written).
ITEMS = {
    "hardware.server": _("Rack server, 2 sockets, 3-year warranty"),
    "hardware.server_support": _("Server hardware support after warranty, per year"),
    "service.host_move": _("Move a server between rooms"),
    "service.system_migration": _("Migrate one information system (data, configuration, tests)"),
    "room.upgrade": _("Bring a kept server room up to standard (UPS, cooling, access control, "
                      "monitoring)"),
    "room.decommission": _("Close a server room (empty, dispose of equipment, wipe disks)"),
    "room.running": _("Running cost of a small server room, per year"),
    "network.link_setup": _("Install a data link between two sites"),
    "network.link_service": _("Data link between two sites, per year"),
    "software.email_domain": _("E-mail domain registration and certificate, per year"),
    "software.service_desk": _("Service-desk tool, per employee served, per year"),
    "licence.office_suite": _("Office suite licence, perpetual, per device"),
    "licence.office_subscription": _("Office and e-mail subscription, per user, per year"),
    "licence.client_os": _("Client operating system upgrade licence, per device"),
    "licence.server_core": _("Server operating system licence, per 2 cores"),
    "licence.generic": _("Licence of a specialised program, per unit"),
    "licence.subscription": _("Subscription of a program (end-point security, PDF editor), "
                              "per seat, per year"),
    "training.session": _("Training session (one trainer-day, up to 12 participants)"),
}


def label(labels: Mapping[str, StrOrPromise], code: str) -> str:
    """A code's label in the active language (an unknown code as it is)."""
    found = labels.get(code)
    return str(found) if found is not None else code


def quantity_text(quantity: float, unit: str) -> str:
    """A quantity with its unit, counted in the active language: "30 licenču", "1 room"."""
    whole = quantity == int(quantity)
    number = number_format(quantity, decimal_pos=0 if whole else 2, force_grouping=True)
    count = abs(int(quantity)) if whole else 2
    return f"{number} {_units(count).get(unit, unit)}"


def item_label(key: str | None, english: str) -> str:
    """A catalogue item's label in the active language, while it reads as shipped."""
    shipped = _shipped().get(key or "")
    return str(ITEMS[key]) if key in ITEMS and shipped == english else english


def _shipped() -> dict[str, str]:
    """The shipped catalogue's English labels by item key."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = {key: item.label for key, item in load_catalogue().items()}
    return _SHIPPED


_SHIPPED: dict[str, str] | None = None


def _param(name: str, value: Any) -> Any:
    """A parameter shown by its label: a governance model, a consolidation money line."""
    if name == "model" and value in GovernanceModel.values:
        return str(GovernanceModel(value).label)
    if name == "line" and isinstance(value, str):
        return money_label(value)
    return value


def line_text(line: BudgetLine) -> str:
    """A budget line's description in the active language (its English without a code)."""
    if line.explained is None:
        return line.description
    params = {name: _param(name, value) for name, value in line.explained.params.items()}
    if line.item and "item" in params:
        params["item"] = item_label(line.item, str(params["item"]))
    return text_of(dataclasses.replace(line.explained, params=params))


def driver_label(text: str, lines: tuple[BudgetLine, ...]) -> str:
    """A driver's label (an item's label or a line's description) in the active language."""
    for line in lines:
        if line.item and text == _item_english(line):
            shown = line.explained.params.get("item") if line.explained else None
            return item_label(line.item, str(shown)) if isinstance(shown, str) else text
        if not line.item and text == line.description:
            return line_text(line)
    return text


def _item_english(line: BudgetLine) -> str:
    """The English item label a task line's description ends with."""
    return line.description.split(": ", 1)[-1]
