"""Cross-field invariants checked on every imported row, the same ones `Model.clean()` enforces.

Checked here on plain values so that a million rows are validated without building a
million model instances; the tests hold each rule against the model's `clean()`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

Rule = Callable[[Mapping[str, Any]], dict[str, str]]

SPEND_CATEGORIES = ("spend_hardware_eur", "spend_software_eur", "spend_services_eur",
                    "spend_communications_eur", "spend_staff_eur")


def coordinates(row: Mapping[str, Any]) -> dict[str, str]:
    """Both coordinates or neither."""
    if "latitude" in row and (row["latitude"] is None) != (row.get("longitude") is None):
        missing = "longitude" if row.get("longitude") is None else "latitude"
        return {missing: "Give both latitude and longitude, or neither."}
    return {}


def device(row: Mapping[str, Any]) -> dict[str, str]:
    """Only a server is virtual; the warranty does not end before the purchase."""
    errors: dict[str, str] = {}
    if row.get("is_virtual") and row.get("kind") != "server":
        errors["is_virtual"] = "Only a server can be virtual."
    bought, warranty = row.get("purchase_date"), row.get("warranty_until")
    if bought and warranty and warranty < bought:
        errors["warranty_until"] = "The warranty cannot end before the purchase."
    return errors


def contract(row: Mapping[str, Any]) -> dict[str, str]:
    """A contract does not end before it starts."""
    start, end = row.get("start_date"), row.get("end_date")
    if start and end and end < start:
        return {"end_date": "A contract cannot end before it starts."}
    return {}


def licence(row: Mapping[str, Any]) -> dict[str, str]:
    """A licence covers at least one unit."""
    if row.get("quantity") == 0:
        return {"quantity": "A licence covers at least one unit."}
    return {}


def installation(row: Mapping[str, Any]) -> dict[str, str]:
    """An installation on one device counts 1."""
    if row.get("device") and row.get("count") not in (None, 1):
        return {"count": "An installation on one device counts 1."}
    return {}


def finance(row: Mapping[str, Any]) -> dict[str, str]:
    """Categories add up to the ICT spend, which is within total expenditure."""
    errors: dict[str, str] = {}
    spend = row.get("ict_spend_eur")
    if spend is not None:
        parts = [row.get(name) for name in SPEND_CATEGORIES]
        if all(p is not None for p in parts):
            total = sum((p for p in parts if p is not None), Decimal(0))
            if total != spend:
                errors["ict_spend_eur"] = f"The categories sum to {total}, not to the ICT spend."
        expenditure = row.get("total_expenditure_eur")
        if expenditure is not None and spend > expenditure:
            errors["ict_spend_eur"] = "ICT spend exceeds total expenditure."
    if row.get("surveyed") is False and spend is not None:
        errors["surveyed"] = "A municipality that was not surveyed reported no spend."
    return errors


#: Rules per model label.
RULES: dict[str, tuple[Rule, ...]] = {
    "inventory.Device": (device,),
    "inventory.Site": (coordinates,),
    "inventory.ServerRoom": (coordinates,),
    "inventory.Contract": (contract,),
    "inventory.Licence": (licence,),
    "inventory.Installation": (installation,),
    "inventory.IctFinance": (finance,),
}

#: The fields each rule reads: a rule's verdict is the same for the same values of these,
#: so an import checks each distinct combination once.
READS: dict[Rule, tuple[str, ...]] = {
    coordinates: ("latitude", "longitude"),
    device: ("is_virtual", "kind", "purchase_date", "warranty_until"),
    contract: ("start_date", "end_date"),
    licence: ("quantity",),
    installation: ("device", "count"),
    finance: ("ict_spend_eur", *SPEND_CATEGORIES, "total_expenditure_eur", "surveyed"),
}
