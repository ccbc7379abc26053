"""Cross-field invariants of the inventory records: the one place each rule is written.

`Model.clean()` and the importer both call these functions, on plain values, so that a
million imported rows are validated without building a million model instances and the
form, the API and the import refuse the same record with the same message. A rule
answers field → `Message`: an English msgid with named parameters, translated by the
Django layer where it is shown (the engine imports nothing of Django).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


def gettext_noop(text: str) -> str:
    """Mark a msgid for `makemessages` (xgettext's gettext_noop keyword); translated later."""
    return text


@dataclass(frozen=True)
class Message:
    """A rule's message: a msgid with named `%(name)s` parameters."""

    text: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """The message in the language of `translate` (a gettext), else in English."""
        text = translate(self.text) if translate is not None else self.text
        return text % dict(self.params) if self.params else text

    def __str__(self) -> str:
        return self.render()


Verdict = dict[str, Message]
Rule = Callable[[Mapping[str, Any]], Verdict]

SPEND_CATEGORIES = ("spend_hardware_eur", "spend_software_eur", "spend_services_eur",
                    "spend_communications_eur", "spend_staff_eur")

BOTH_COORDINATES = gettext_noop("Give both latitude and longitude, or neither.")
ONLY_SERVERS_VIRTUAL = gettext_noop("Only a server can be virtual.")
WARRANTY_BEFORE_PURCHASE = gettext_noop("The warranty cannot end before the purchase.")
CONTRACT_ENDS_EARLY = gettext_noop("A contract cannot end before it starts.")
LICENCE_EMPTY = gettext_noop("A licence covers at least one unit.")
INSTALLATION_COUNT = gettext_noop("An installation on one device counts 1.")
CATEGORIES_SUM = gettext_noop("The categories sum to %(sum)s, not to the ICT spend.")
SPEND_EXCEEDS = gettext_noop("ICT spend exceeds total expenditure.")
NOT_SURVEYED = gettext_noop("A municipality that was not surveyed reported no spend.")
#: Every message a rule gives (the tests hold each against the model's `full_clean()`).
MESSAGES = (BOTH_COORDINATES, ONLY_SERVERS_VIRTUAL, WARRANTY_BEFORE_PURCHASE, CONTRACT_ENDS_EARLY,
            LICENCE_EMPTY, INSTALLATION_COUNT, CATEGORIES_SUM, SPEND_EXCEEDS, NOT_SURVEYED)


def coordinates(row: Mapping[str, Any]) -> Verdict:
    """Both coordinates or neither."""
    latitude, longitude = row.get("latitude"), row.get("longitude")
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        return {missing: Message(BOTH_COORDINATES)}
    return {}


def device(row: Mapping[str, Any]) -> Verdict:
    """Only a server is virtual; the warranty does not end before the purchase."""
    errors: Verdict = {}
    if row.get("is_virtual") and row.get("kind") != "server":
        errors["is_virtual"] = Message(ONLY_SERVERS_VIRTUAL)
    bought, warranty = row.get("purchase_date"), row.get("warranty_until")
    if bought and warranty and warranty < bought:
        errors["warranty_until"] = Message(WARRANTY_BEFORE_PURCHASE)
    return errors


def contract(row: Mapping[str, Any]) -> Verdict:
    """A contract does not end before it starts."""
    start, end = row.get("start_date"), row.get("end_date")
    if start and end and end < start:
        return {"end_date": Message(CONTRACT_ENDS_EARLY)}
    return {}


def licence(row: Mapping[str, Any]) -> Verdict:
    """A licence covers at least one unit."""
    if row.get("quantity") == 0:
        return {"quantity": Message(LICENCE_EMPTY)}
    return {}


def installation(row: Mapping[str, Any]) -> Verdict:
    """An installation on one device counts 1."""
    if row.get("device") and row.get("count", 1) != 1:
        return {"count": Message(INSTALLATION_COUNT)}
    return {}


def finance(row: Mapping[str, Any]) -> Verdict:
    """Categories add up to the ICT spend, which is within total expenditure."""
    errors: Verdict = {}
    spend = row.get("ict_spend_eur")
    if spend is not None:
        parts = [row.get(name) for name in SPEND_CATEGORIES]
        if all(p is not None for p in parts):
            total = sum((p for p in parts if p is not None), Decimal(0))
            if total != spend:
                errors["ict_spend_eur"] = Message(CATEGORIES_SUM, {"sum": total})
        expenditure = row.get("total_expenditure_eur")
        if expenditure is not None and spend > expenditure:
            errors["ict_spend_eur"] = Message(SPEND_EXCEEDS)
    if not row.get("surveyed", True) and spend is not None:
        errors["surveyed"] = Message(NOT_SURVEYED)
    return errors


#: Rules per model label: what `Model.clean()` and an import of that model both check.
RULES: dict[str, tuple[Rule, ...]] = {
    "inventory.Device": (device,),
    "inventory.Site": (coordinates,),
    "inventory.ServerRoom": (coordinates,),
    "inventory.Contract": (contract,),
    "inventory.Licence": (licence,),
    "inventory.Installation": (installation,),
    "inventory.IctFinance": (finance,),
}

#: The fields each rule reads (a reference by its id): a rule's verdict is the same for the
#: same values of these, so an import checks each distinct combination once.
READS: dict[Rule, tuple[str, ...]] = {
    coordinates: ("latitude", "longitude"),
    device: ("is_virtual", "kind", "purchase_date", "warranty_until"),
    contract: ("start_date", "end_date"),
    licence: ("quantity",),
    installation: ("device", "count"),
    finance: ("ict_spend_eur", *SPEND_CATEGORIES, "total_expenditure_eur", "surveyed"),
}


def check(label: str, row: Mapping[str, Any]) -> Verdict:
    """Every rule of a model (by its label) on one row's values: field → message."""
    errors: Verdict = {}
    for rule in RULES.get(label, ()):
        errors.update(rule(row))
    return errors
