"""Budget of the takeover: one-off and annual lines priced from the shipped cost catalogue."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

from ictmerge.engine.planning.tasks import PlannedTask, Role, TakeoverDecisions


class CostKind(StrEnum):
    """Paid once, or every year."""

    ONE_OFF = "one_off"
    ANNUAL = "annual"


class CostCategory(StrEnum):
    """Budget categories, matching the ICT spend categories of the finance records."""

    HARDWARE = "hardware"
    SOFTWARE = "software"
    SERVICES = "services"
    NETWORK = "network"
    ROOMS = "rooms"
    TRAINING = "training"
    STAFF = "staff"
    CONTRACTS = "contracts"


@dataclass(frozen=True)
class CatalogueItem:
    """A unit price with its range and where it comes from."""

    key: str
    label: str
    category: CostCategory
    kind: CostKind
    unit: str
    low: float
    expected: float
    high: float
    # "source: …" or "assumption: …"
    basis: str


@dataclass(frozen=True)
class Amount:
    """Low, expected and high values of one figure, in EUR."""

    low: float
    expected: float
    high: float

    def __add__(self, other: Amount) -> Amount:
        """Sum two ranges."""
        return Amount(self.low + other.low, self.expected + other.expected, self.high + other.high)

    def scaled(self, factor: float) -> Amount:
        """Multiply by a quantity; a negative factor (a saving) keeps low ≤ high."""
        values = sorted((self.low * factor, self.high * factor))
        return Amount(round(values[0], 2), round(self.expected * factor, 2), round(values[1], 2))


ZERO = Amount(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class BudgetLine:
    """One priced line; savings are negative annual lines."""

    category: CostCategory
    kind: CostKind
    description: str
    item: str | None
    quantity: float
    unit: str
    amount: Amount
    basis: str
    task_key: str | None


@dataclass(frozen=True)
class Budget:
    """Lines, totals, savings, payback and the budget's weight in the municipality's spend."""

    lines: tuple[BudgetLine, ...]
    one_off: Amount
    annual_change: Amount
    annual_savings: Amount
    by_category: Mapping[tuple[CostCategory, CostKind], Amount]
    # Work by the municipality's own staff, in person-days: not extra money, but time.
    internal_person_days: float
    payback_years: float | None
    one_off_share_of_ict_spend: float | None
    one_off_share_of_total_expenditure: float | None


# Roles whose work is paid for through catalogue items rather than counted as staff time.
EXTERNAL_ROLES = frozenset({Role.SUPPLIER, Role.TRAINER, Role.NONE})


def load_catalogue(data: Mapping[str, Any] | None = None) -> dict[str, CatalogueItem]:
    """Catalogue items by key, from the shipped JSON or an edited copy of it."""
    if data is None:
        text = resources.files("ictmerge.engine.planning").joinpath("data/cost_catalogue.json")
        data = json.loads(text.read_text(encoding="utf-8"))
    items: dict[str, CatalogueItem] = {}
    for key, row in data["items"].items():
        basis = (
            f"source: {row['source']}"
            if "source" in row
            else f"assumption: {row.get('assumption')}"
        )
        if "source" not in row and "assumption" not in row:
            raise ValueError(
                f"cost catalogue {key!r}: price has neither a source nor an assumption"
            )
        low, expected, high = float(row["low"]), float(row["expected"]), float(row["high"])
        if not low <= expected <= high:
            raise ValueError(f"cost catalogue {key!r}: needs low <= expected <= high")
        items[key] = CatalogueItem(
            key=key,
            label=row["label"],
            category=CostCategory(row["category"]),
            kind=CostKind(row["kind"]),
            unit=row["unit"],
            low=low,
            expected=expected,
            high=high,
            basis=basis,
        )
    return items


def _priced(
    item: CatalogueItem, quantity: float, description: str, task_key: str | None
) -> BudgetLine:
    """A budget line for a quantity of a catalogue item."""
    return BudgetLine(
        category=item.category,
        kind=item.kind,
        description=description,
        item=item.key,
        quantity=quantity,
        unit=item.unit,
        amount=Amount(item.low, item.expected, item.high).scaled(quantity),
        basis=item.basis,
        task_key=task_key,
    )


def build_budget(
    tasks: Sequence[PlannedTask],
    decisions: TakeoverDecisions,
    catalogue: Mapping[str, CatalogueItem] | None = None,
    support_fte_change: float = 0.0,
    annual_ict_spend_eur: float | None = None,
    total_expenditure_eur: float | None = None,
) -> Budget:
    """Price every task's cost items and every decision's annual effect."""
    catalogue = catalogue if catalogue is not None else load_catalogue()
    lines: list[BudgetLine] = []
    internal_days = 0.0
    for task in tasks:
        for use in task.cost_uses:
            if use.item not in catalogue:
                raise ValueError(f"task {task.key!r}: cost item {use.item!r} not in the catalogue")
            item = catalogue[use.item]
            lines.append(_priced(item, use.quantity, f"{task.title}: {item.label}", task.key))
        if task.role not in EXTERNAL_ROLES:
            internal_days += task.duration_days * task.staff
    lines.extend(_annual_effects(decisions, catalogue, support_fte_change))
    return _totals(lines, internal_days, annual_ict_spend_eur, total_expenditure_eur)


def _annual_effects(
    decisions: TakeoverDecisions, catalogue: Mapping[str, CatalogueItem], support_fte_change: float
) -> list[BudgetLine]:
    """Savings from closed rooms and ended contracts, and the cost of a staff change."""
    lines: list[BudgetLine] = []
    running = catalogue["room.running"]
    for room in decisions.rooms:
        if room.keep:
            continue
        if room.annual_running_cost_eur is not None:
            cost = room.annual_running_cost_eur
            lines.append(
                BudgetLine(
                    CostCategory.ROOMS,
                    CostKind.ANNUAL,
                    f"Running cost saved: server room {room.room}",
                    None,
                    -1.0,
                    "room",
                    Amount(-cost, -cost, -cost),
                    "source: the room's recorded annual running cost",
                    None,
                )
            )
        else:
            lines.append(
                _priced(running, -1.0, f"Running cost saved: server room {room.room}", None)
            )
    for contract in decisions.contracts:
        if contract.annual_value_eur:
            value = contract.annual_value_eur
            lines.append(
                BudgetLine(
                    CostCategory.CONTRACTS,
                    CostKind.ANNUAL,
                    f"Contract ended: {contract.contract}",
                    None,
                    -1.0,
                    "contract",
                    Amount(-value, -value, -value),
                    "source: the contract register's annual value",
                    None,
                )
            )
    if support_fte_change:
        staff = catalogue["staff.support_fte"]
        lines.append(
            _priced(staff, support_fte_change, "Change in ICT support staff (governance)", None)
        )
    return lines


def _totals(
    lines: Sequence[BudgetLine],
    internal_days: float,
    annual_ict_spend_eur: float | None,
    total_expenditure_eur: float | None,
) -> Budget:
    """Sum lines by kind and category; payback when the annual change is a saving."""
    one_off = ZERO
    annual = ZERO
    savings = ZERO
    by_category: dict[tuple[CostCategory, CostKind], Amount] = {}
    for line in lines:
        key = (line.category, line.kind)
        by_category[key] = by_category.get(key, ZERO) + line.amount
        if line.kind is CostKind.ONE_OFF:
            one_off = one_off + line.amount
        else:
            annual = annual + line.amount
            if line.amount.expected < 0:
                savings = savings + line.amount.scaled(-1.0)
    payback = round(one_off.expected / -annual.expected, 2) if annual.expected < 0 else None
    return Budget(
        lines=tuple(lines),
        one_off=one_off,
        annual_change=annual,
        annual_savings=savings,
        by_category=by_category,
        internal_person_days=internal_days,
        payback_years=payback,
        one_off_share_of_ict_spend=(
            one_off.expected / annual_ict_spend_eur if annual_ict_spend_eur else None
        ),
        one_off_share_of_total_expenditure=(
            one_off.expected / total_expenditure_eur if total_expenditure_eur else None
        ),
    )
