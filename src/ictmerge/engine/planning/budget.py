"""Budget of the takeover: one-off and annual lines priced from the shipped cost catalogue."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

from ictmerge.engine.explain import Explanation, Number, define, english, explain
from ictmerge.engine.planning.costmodel import (
    TORNADO_STEP,
    Baseline,
    ChangeSource,
    CostLine,
    TornadoBar,
    WaterfallStep,
    replaces_support_contracts,
    waterfall,
)
from ictmerge.engine.planning.governance import (
    GovernanceInventory,
    GovernanceModel,
    GovernanceParameters,
    assess_alternative,
    parameter_basis,
)
from ictmerge.engine.planning.reference import reference
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

#: The descriptions of the budget's lines (the engine's English; the web layer translates).
TASK_LINE = define("budget.task_line", "%(task)s: %(item)s")
ROOM_SAVED = define("budget.room_saved", "Running cost saved: server room %(room)s")
CONTRACT_ENDED = define("budget.contract_ended", "Contract ended: %(contract)s")
CONSOLIDATION_LINE = define("budget.consolidation_line",
                            "Servers and rooms: %(line)s (consolidation)")
SUPPORT_STAFF = define("budget.support_staff",
                       "Support staff (%(model)s): %(sign)s%(fte)s FTE against today's %(today)s")
SUPPORT_TRAVEL = define("budget.support_travel", "Travel of the support staff (%(model)s)")
SUPPORT_FEES = define("budget.support_fees", "External support fees (%(model)s)")
SUPPORT_CONTRACTS_REPLACED = define("budget.support_contracts_replaced",
                                    "Support contracts replaced by the external fees (%(model)s)")


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
    #: What the line's annual change comes from (annual_change_by_source).
    source: ChangeSource = ChangeSource.OTHER
    #: The description as a code with parameters (shown in the reader's language).
    explained: Explanation | None = None

    @property
    def cost_line(self) -> CostLine:
        """The cost line of the baseline that this line changes."""
        return CATEGORY_LINES[self.category]


#: The baseline's cost line that each budget category changes.
CATEGORY_LINES = {
    CostCategory.HARDWARE: CostLine.HARDWARE,
    CostCategory.SOFTWARE: CostLine.LICENCES,
    CostCategory.SERVICES: CostLine.EXTERNAL_SERVICES,
    CostCategory.NETWORK: CostLine.CONNECTIVITY,
    CostCategory.ROOMS: CostLine.HOSTING_ROOMS,
    CostCategory.TRAINING: CostLine.EXTERNAL_SERVICES,
    CostCategory.STAFF: CostLine.STAFF,
    CostCategory.CONTRACTS: CostLine.CONTRACTS,
}

#: Task templates whose cost belongs to the server and room consolidation or to licences.
TEMPLATE_SOURCES = {
    "provision.room_upgrade": ChangeSource.CONSOLIDATION,
    "provision.host_procurement": ChangeSource.CONSOLIDATION,
    "provision.host_install": ChangeSource.CONSOLIDATION,
    "provision.host_move": ChangeSource.CONSOLIDATION,
    "provision.room_close": ChangeSource.CONSOLIDATION,
    "planning.licence_procurement": ChangeSource.LICENCES,
}

#: Annual catalogue items that the consolidation plan's money already prices when there is one.
CONSOLIDATION_RUNNING_ITEMS = frozenset({"hardware.server_support", "room.running"})

#: The budget category of each line of the consolidation plan's annual money.
MONEY_CATEGORIES = {
    "power": CostCategory.ROOMS,
    "rooms": CostCategory.ROOMS,
    "maintenance": CostCategory.HARDWARE,
    "licences": CostCategory.SOFTWARE,
}


@dataclass(frozen=True)
class ConsolidationMoney:
    """The annual cost lines of the consolidation plan of record, before and after."""

    scenario: str
    before: Mapping[str, float]
    after: Mapping[str, float]


@dataclass(frozen=True)
class CostLineChange:
    """One cost line: today's value, the plan's change and the plan's value."""

    line: CostLine
    baseline_eur: float
    change_eur: float
    basis: str

    @property
    def plan_eur(self) -> float:
        """The line's value after the plan."""
        return self.baseline_eur + self.change_eur


@dataclass(frozen=True)
class Driver:
    """A group of budget lines that moves the one-off or the annual cost."""

    label: str
    source: ChangeSource
    expected: float
    lines: int
    basis: str


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
    by_source: Mapping[ChangeSource, Amount] = dataclasses.field(default_factory=dict)
    #: Today's cost lines with the plan's change (empty without a recorded baseline).
    cost_lines: tuple[CostLineChange, ...] = ()
    baseline_eur: float | None = None
    annual_change_share_of_ict_spend: float | None = None

    @property
    def waterfall(self) -> tuple[WaterfallStep, ...]:
        """Today's annual cost, each source's change, the plan's annual cost."""
        if self.baseline_eur is None:
            return ()
        return waterfall(self.baseline_eur, {s.value: self.by_source.get(s, ZERO).expected
                                             for s in ChangeSource})

    @property
    def needs_explanation(self) -> bool:
        """Annual cost rises, or the one-off exceeds a year's ICT spend."""
        over = (self.one_off_share_of_ict_spend is not None
                and self.one_off_share_of_ict_spend > 1)
        return self.annual_change.expected > 0 or over

    def drivers(self, kind: CostKind, limit: int = 5) -> tuple[Driver, ...]:
        """The largest groups of lines of a kind (same item or description), largest first."""
        groups: dict[str, list[BudgetLine]] = {}
        for line in self.lines:
            if line.kind is kind:
                label = line.description.split(": ", 1)[-1] if line.item else line.description
                groups.setdefault(label, []).append(line)
        found = [Driver(label, lines[0].source, round(sum(x.amount.expected for x in lines), 2),
                        len(lines), lines[0].basis) for label, lines in groups.items()]
        return tuple(sorted(found, key=lambda d: (-d.expected, d.label))[:limit])


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


def _places(value: float) -> int:
    """The decimal places a number is written with (3 → 0, 2.5 → 1, 0.25 → 2)."""
    return next((places for places in range(3) if round(value, places) == value), 2)


def _priced(
    item: CatalogueItem, quantity: float, description: str, task_key: str | None,
    source: ChangeSource = ChangeSource.OTHER, explained: Explanation | None = None,
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
        basis=f"{item.basis} [{item.key}]",
        task_key=task_key,
        source=source,
        explained=explained,
    )


def build_budget(
    tasks: Sequence[PlannedTask],
    decisions: TakeoverDecisions,
    catalogue: Mapping[str, CatalogueItem] | None = None,
    governance: Sequence[BudgetLine] = (),
    annual_ict_spend_eur: float | None = None,
    total_expenditure_eur: float | None = None,
    consolidation: ConsolidationMoney | None = None,
    baseline: Baseline | None = None,
) -> Budget:
    """Price every task's cost items and every decision's annual effect; the governance lines
    (governance_lines) and the consolidation plan's running costs join as given."""
    catalogue = catalogue if catalogue is not None else load_catalogue()
    lines: list[BudgetLine] = []
    internal_days = 0.0
    for task in tasks:
        source = TEMPLATE_SOURCES.get(task.template, ChangeSource.OTHER)
        for use in task.cost_uses:
            if use.item not in catalogue:
                raise ValueError(f"task {task.key!r}: cost item {use.item!r} not in the catalogue")
            item = catalogue[use.item]
            if (consolidation is not None and item.kind is CostKind.ANNUAL
                    and item.key in CONSOLIDATION_RUNNING_ITEMS):
                continue  # priced by the consolidation plan's annual money below
            title: Explanation | str = task.title
            if (task.title_explanation is not None
                    and english(task.title_explanation)[:300] == task.title):
                title = task.title_explanation  # not edited by hand: in the reader's language
            lines.append(_priced(item, use.quantity, f"{task.title}: {item.label}", task.key,
                                 source, explain(TASK_LINE, task=title, item=item.label)))
        if task.role not in EXTERNAL_ROLES:
            internal_days += task.duration_days * task.staff
    lines.extend(_annual_effects(decisions, catalogue, consolidation is None))
    if consolidation is not None:
        lines.extend(consolidation_lines(consolidation))
    lines.extend(governance)
    return _totals(lines, internal_days, annual_ict_spend_eur, total_expenditure_eur, baseline)


def consolidation_lines(money: ConsolidationMoney) -> list[BudgetLine]:
    """The consolidation plan's change in running cost, line by line (after minus before)."""
    lines = []
    for key in sorted(set(money.before) | set(money.after)):
        before, after = money.before.get(key, 0.0), money.after.get(key, 0.0)
        change = round(after - before, 2)
        if not change:
            continue
        lines.append(BudgetLine(
            MONEY_CATEGORIES.get(key, CostCategory.ROOMS), CostKind.ANNUAL,
            f"Servers and rooms: {key} (consolidation)", None, 1.0, "plan",
            Amount(change, change, change),
            f"source: the consolidation plan of record “{money.scenario}”: {key} "
            f"{before:,.0f} → {after:,.0f} EUR a year", None, ChangeSource.CONSOLIDATION,
            explain(CONSOLIDATION_LINE, line=key)))
    return lines


def _governance_parts(inventory: GovernanceInventory, parameters: GovernanceParameters,
                      model: GovernanceModel) -> tuple[float, float, float]:
    """Staff change, travel and external fees of the model against today's staff (EUR/yr)."""
    assessment = assess_alternative(model, inventory, parameters)
    today = inventory.current_support_fte * parameters.annual_cost_per_fte_eur
    return (assessment.staff_cost_eur - today,
            assessment.travel_cost_eur, assessment.external_fees_eur)


def _named_basis(text: str) -> str:
    """The text prefixed "source:" when every parameter it names in [brackets] is sourced,
    else "assumption:" (the named parameters' own bases say which)."""
    bases = parameter_basis()
    names = [n.strip() for part in text.split("[")[1:] for n in part.split("]")[0].split(",")]
    sourced = names and all(bases.get(n, "").startswith("source") for n in names)
    return f"{'source' if sourced else 'assumption'}: {text}"


def governance_lines(inventory: GovernanceInventory, parameters: GovernanceParameters,
                     model: GovernanceModel,
                     support_contracts_eur: float = 0.0) -> list[BudgetLine]:
    """The governance model's change against today's model, by cost line: staff (range from
    the wage's sourced low and high), travel and external fees; a model that buys its support
    ends today's support contracts (`support_contracts_eur`), so they are not paid twice."""
    wage = reference("ict_gross_wage_eur_month")
    expected = _governance_parts(inventory, parameters, model)
    ends = [_governance_parts(inventory, dataclasses.replace(
        parameters, monthly_gross_salary_eur=parameters.monthly_gross_salary_eur * bound
        / wage.value), model) for bound in (wage.low, wage.high)]
    assessment = assess_alternative(model, inventory, parameters)
    fte = round(assessment.support_fte - inventory.current_support_fte, 2)
    explained = (
        explain(SUPPORT_STAFF, model=model.value, sign="+" if fte > 0 else "",
                fte=Number(fte, _places(fte)),
                today=Number(inventory.current_support_fte,
                             _places(inventory.current_support_fte))),
        explain(SUPPORT_TRAVEL, model=model.value),
        explain(SUPPORT_FEES, model=model.value),
    )
    labels = (
        (CostCategory.STAFF, f"Support staff ({model.value}): {fte:+g} FTE against today's "
                             f"{inventory.current_support_fte:g}", fte, "FTE",
         f"{parameters.annual_cost_per_fte_eur:,.0f} EUR per FTE a year: gross wage "
         f"{parameters.monthly_gross_salary_eur:,.0f} EUR/month × 12 × (1 + "
         f"{parameters.employer_contribution_rate:.2%}); low–high: the wage's sourced range "
         "[monthly_gross_salary_eur, employer_contribution_rate]"),
        (CostCategory.SERVICES, f"Travel of the support staff ({model.value})",
         assessment.travel_km_per_year, "km",
         f"{parameters.travel_cost_per_km_eur:.2f} EUR/km [travel_cost_per_km_eur], today's "
         "travel inside the recorded spend"),
        (CostCategory.SERVICES, f"External support fees ({model.value})", 1.0, "year",
         "[outsourcing_price_per_device_month_eur, outsourcing_price_per_server_month_eur, "
         "shared_service_fee_rate]"),
    )
    lines = []
    for index, (category, description, quantity, unit, text) in enumerate(labels):
        basis = _named_basis(text)
        values = sorted((ends[0][index], ends[1][index]))
        amount = Amount(round(min(values[0], expected[index]), 2), round(expected[index], 2),
                        round(max(values[1], expected[index]), 2))
        if amount == ZERO:
            continue
        lines.append(BudgetLine(category, CostKind.ANNUAL, description, None, quantity, unit,
                                amount, basis, None, ChangeSource.GOVERNANCE, explained[index]))
    ended = round(support_contracts_eur, 2) if replaces_support_contracts(assessment) else 0.0
    if ended > 0:
        lines.append(BudgetLine(
            CostCategory.CONTRACTS, CostKind.ANNUAL,
            f"Support contracts replaced by the external fees ({model.value})", None, -1.0,
            "year", Amount(-ended, -ended, -ended),
            "source: the contract register's annual values of today's outsourcing contracts, "
            "which the model's external fees replace", None, ChangeSource.GOVERNANCE,
            explain(SUPPORT_CONTRACTS_REPLACED, model=model.value)))
    return lines


def governance_tornado(inventory: GovernanceInventory, parameters: GovernanceParameters,
                       model: GovernanceModel, annual_change: float,
                       basis: Mapping[str, str]) -> list[TornadoBar]:
    """The annual change with each numeric governance parameter at −20 % and +20 %."""
    base = sum(_governance_parts(inventory, parameters, model))
    bars = []
    for f in dataclasses.fields(parameters):
        value = getattr(parameters, f.name)
        ends = []
        for factor in (1 - TORNADO_STEP, 1 + TORNADO_STEP):
            moved: float = value * factor
            if isinstance(value, int):
                moved = max(1, round(moved))
            changed = dataclasses.replace(parameters, **{f.name: moved})  # type: ignore[arg-type]
            try:
                ends.append(annual_change - base + sum(_governance_parts(inventory, changed,
                                                                         model)))
            except (ValueError, ZeroDivisionError):
                ends.append(annual_change)
        bars.append(TornadoBar(f.name, basis.get(f.name, ""), round(ends[0], 2),
                               round(ends[1], 2)))
    return bars


def catalogue_tornado(budget: Budget, catalogue: Mapping[str, CatalogueItem]) -> list[TornadoBar]:
    """The annual change with each annual catalogue price at −20 % and +20 % (lines scale)."""
    by_item: dict[str, float] = {}
    for line in budget.lines:
        if line.kind is CostKind.ANNUAL and line.item:
            by_item[line.item] = by_item.get(line.item, 0.0) + line.amount.expected
    change = budget.annual_change.expected
    return [TornadoBar(item, catalogue[item].basis if item in catalogue else "",
                       round(change - TORNADO_STEP * total, 2),
                       round(change + TORNADO_STEP * total, 2))
            for item, total in sorted(by_item.items())]


def _annual_effects(
    decisions: TakeoverDecisions, catalogue: Mapping[str, CatalogueItem], rooms: bool = True
) -> list[BudgetLine]:
    """Savings from closed rooms (unless the consolidation plan prices them) and ended
    contracts."""
    lines: list[BudgetLine] = []
    running = catalogue["room.running"]
    for room in decisions.rooms if rooms else ():
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
                    ChangeSource.CONSOLIDATION,
                    explain(ROOM_SAVED, room=room.room),
                )
            )
        else:
            lines.append(
                _priced(running, -1.0, f"Running cost saved: server room {room.room}", None,
                        ChangeSource.CONSOLIDATION, explain(ROOM_SAVED, room=room.room))
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
                    ChangeSource.CONTRACTS,
                    explain(CONTRACT_ENDED, contract=contract.contract),
                )
            )
    return lines


def _totals(
    lines: Sequence[BudgetLine],
    internal_days: float,
    annual_ict_spend_eur: float | None,
    total_expenditure_eur: float | None,
    baseline: Baseline | None = None,
) -> Budget:
    """Sum lines by kind, category and source; payback when the annual change is a saving."""
    one_off = ZERO
    annual = ZERO
    savings = ZERO
    by_category: dict[tuple[CostCategory, CostKind], Amount] = {}
    by_source: dict[ChangeSource, Amount] = dict.fromkeys(ChangeSource, ZERO)
    by_line: dict[CostLine, float] = dict.fromkeys(CostLine, 0.0)
    for line in lines:
        key = (line.category, line.kind)
        by_category[key] = by_category.get(key, ZERO) + line.amount
        if line.kind is CostKind.ONE_OFF:
            one_off = one_off + line.amount
        else:
            annual = annual + line.amount
            by_source[line.source] = by_source[line.source] + line.amount
            by_line[line.cost_line] += line.amount.expected
            if line.amount.expected < 0:
                savings = savings + line.amount.scaled(-1.0)
    payback = round(one_off.expected / -annual.expected, 2) if annual.expected < 0 else None
    cost_lines = tuple(
        CostLineChange(a.line, a.eur, round(by_line[a.line], 2), a.basis)
        for a in baseline.lines) if baseline is not None else ()
    spend = baseline.total_eur if baseline is not None and baseline.lines else annual_ict_spend_eur
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
        by_source=by_source,
        cost_lines=cost_lines,
        baseline_eur=spend,
        annual_change_share_of_ict_spend=annual.expected / spend if spend else None,
    )
