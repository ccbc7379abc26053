"""IS rationalisation, the plan: the engine's decisions per function with their cost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ictmerge.engine.systems.migration import (
    MigrationEstimate,
    MigrationRates,
)
from ictmerge.engine.systems.plan import (
    CountyPlan,
    FunctionDecision,
    Override,
    rationalise_county,
)
from ictmerge.engine.systems.scoring import (
    Method,
)
from ictmerge.engine.systems.taxonomy import BusinessFunction as EngineFunction
from ictmerge.reforms.models import Municipality
from ictmerge.systems.inputs import CountyInputs, load_inputs, migration_rates
from ictmerge.systems.models import (
    SystemDecision,
)
from ictmerge.systems.payloads import SystemBudgetLine

#: Training of each user who moves to a different product (assumption: half a working day).
TRAINING_HOURS_PER_SWITCHING_USER = 4.0
#: Data migration cut-over, days before the reform date (assumption, as the templates').
CUT_OVER_DAYS_BEFORE_REFORM = 14


@dataclass(frozen=True)
class ChoiceCost:
    """What choosing one system per function costs: one-off and the change in annual cost."""

    migration_eur: float
    training_eur: float
    licence_delta_eur: float
    retirement_savings_eur: float
    working: tuple[str, ...]

    @property
    def one_off_eur(self) -> float:
        """Migration plus training."""
        return round(self.migration_eur + self.training_eur, 2)

    @property
    def annual_change_eur(self) -> float:
        """Licences for the users the kept system gains, less the retired systems' cost."""
        return round(self.licence_delta_eur - self.retirement_savings_eur, 2)


@dataclass
class FunctionResult:
    """One function of a county: the engine's decision, its record, labels and cost."""

    function: EngineFunction
    decision: FunctionDecision
    record: SystemDecision | None
    basis: str  # "decided" or "recommended"
    stale_decision: bool
    cost: ChoiceCost

    @property
    def chosen(self) -> str:
        """Engine id of the kept system."""
        return self.decision.chosen_system_id


@dataclass
class CountyResult:
    """The rationalisation of one new municipality."""

    inputs: CountyInputs
    plan: CountyPlan
    functions: list[FunctionResult]
    method: Method
    notes: list[str] = field(default_factory=list)

    @property
    def county(self) -> Municipality:
        """The new municipality."""
        return self.inputs.county

    def label(self, key: str) -> str:
        """A system's name for people."""
        candidate = self.inputs.candidates.get(key)
        if candidate is not None:
            return candidate.label
        function = self.function_of_key(key)
        return f"{function.mandatory_national_system} ({_('national system')})" if function \
            else key

    def function_of_key(self, key: str) -> EngineFunction | None:
        """The function a national stand-in key belongs to."""
        code = key.removeprefix("national:")
        return next((f for f in self.inputs.functions if f.code == code), None)

    @property
    def information_systems_after(self) -> int:
        """Systems after the reform: one per function run, national systems included (the
        national view's figure, which systems.after.after_figures gives every county)."""
        return len(self.functions)

    def products_after(self) -> int:
        """Distinct products kept, national systems included."""
        products = set()
        for result in self.functions:
            candidate = self.inputs.candidates.get(result.chosen)
            products.add((candidate.system.product if candidate
                          else result.function.mandatory_national_system or "").lower())
        return len(products)

    @property
    def basis(self) -> str:
        """decided (every function), recommended (none) or partly decided."""
        decided = sum(1 for f in self.functions if f.basis == "decided")
        if decided == len(self.functions) and decided:
            return "decided"
        return "partly decided" if decided else "recommended"


def municipal_migrations(decision: FunctionDecision,
                         inputs: CountyInputs) -> list[MigrationEstimate]:
    """The engine's migrations less those between national systems (their operator merges)."""
    kept = inputs.candidates.get(decision.chosen_system_id)
    kept_national = kept is None or kept.system.is_national
    return [m for m in decision.migrations
            if not (kept_national and m.source_system_id in inputs.candidates
                    and inputs.candidates[m.source_system_id].system.is_national)]


def _cost(decision: FunctionDecision, inputs: CountyInputs,
          function: EngineFunction, rates: MigrationRates) -> ChoiceCost:
    chosen = inputs.candidates.get(decision.chosen_system_id)
    chosen_product = (chosen.system.product if chosen
                      else function.mandatory_national_system or "").strip().lower()
    per_user = chosen.system.annual_cost_per_user_eur if chosen else 0.0
    retired = [inputs.candidates[k] for k in decision.eliminated_ids if k in inputs.candidates]
    retired = [c for c in retired if not c.system.external]
    gained = sum(c.system.users for c in retired)
    switching = sum(c.system.users for c in retired
                    if c.system.product.strip().lower() != chosen_product)
    migrations = municipal_migrations(decision, inputs)
    migration = sum(m.cost_eur for m in migrations)
    training = switching * TRAINING_HOURS_PER_SWITCHING_USER * rates.hourly_rate_eur
    licence = gained * per_user
    savings = sum(c.annual_cost_eur for c in retired if not c.system.is_national)
    working = (
        f"migration {migration:,.0f} EUR ({len(migrations)} systems; national systems' data "
        f"is merged by their operator)",
        f"training {switching:,} users switching product x {TRAINING_HOURS_PER_SWITCHING_USER:g} h"
        f" x {rates.hourly_rate_eur:g} EUR/h = {training:,.0f} EUR",
        f"licences {gained:,} users gained x {per_user:,.2f} EUR/user/year = {licence:,.0f} EUR",
        f"retired systems' annual cost {savings:,.0f} EUR",
    )
    return ChoiceCost(round(migration, 2), round(training, 2), round(licence, 2),
                      round(savings, 2), working)


def _overrides(inputs: CountyInputs, plan: CountyPlan) -> tuple[dict[str, Override], set[str]]:
    """Recorded decisions that differ from the recommendation, and stale ones (not a candidate)."""
    overrides: dict[str, Override] = {}
    stale: set[str] = set()
    recommended = {d.function_code: d for d in plan.decisions}
    for code, record in inputs.decisions.items():
        decision = recommended.get(code)
        if decision is None:
            stale.add(code)
            continue
        key = record.chosen_key()
        if key not in decision.candidate_ids:
            stale.add(code)
        elif key != decision.recommended_system_id:
            overrides[code] = Override(key, record.justification or "-")
    return overrides, stale


def plan_from_inputs(inputs: CountyInputs, method: Method = Method.TOPSIS) -> CountyResult:
    """Rationalise one county: recommendation first, then the recorded decisions applied."""
    rates = migration_rates()
    reform_date = inputs.county.reform.effective_date
    cut_over = reform_date - dt.timedelta(days=CUT_OVER_DAYS_BEFORE_REFORM)
    systems = inputs.systems
    plan = rationalise_county(inputs.county.code, inputs.functions, systems, inputs.criteria,
                              rates, method=method, cut_over_date=cut_over)
    overrides, stale = _overrides(inputs, plan)
    if overrides:
        plan = rationalise_county(inputs.county.code, inputs.functions, systems,
                                  inputs.criteria, rates, method=method, overrides=overrides,
                                  cut_over_date=cut_over)
    by_code = {f.code: f for f in inputs.functions}
    results = []
    for decision in plan.decisions:
        function = by_code[decision.function_code]
        record = inputs.decisions.get(decision.function_code)
        usable = record is not None and decision.function_code not in stale
        results.append(FunctionResult(
            function=function, decision=decision, record=record if usable else None,
            basis="decided" if usable else "recommended",
            stale_decision=decision.function_code in stale,
            cost=_cost(decision, inputs, function, rates)))
    result = CountyResult(inputs=inputs, plan=plan, functions=results, method=method)
    if stale:
        result.notes.append(_("Recorded decisions no longer match a candidate (%(codes)s): the "
                              "recommendation is shown until they are recorded again.")
                            % {"codes": ", ".join(sorted(stale))})
    return result


def budget_lines(result: CountyResult) -> list[SystemBudgetLine]:
    """The cost of the county's choices as budget lines: one-off and annual, in EUR."""
    lines: list[SystemBudgetLine] = []
    for item in result.functions:
        name = item.function.name_en
        for kind, label, amount in (
            ("one_off", f"{name}: data migration", item.cost.migration_eur),
            ("one_off", f"{name}: training of users who switch", item.cost.training_eur),
            ("annual", f"{name}: licences for the users the kept system gains",
             item.cost.licence_delta_eur),
            ("annual", f"{name}: retired systems' cost saved", -item.cost.retirement_savings_eur),
        ):
            if amount:
                lines.append({"function": item.function.code, "kind": kind, "label": label,
                              "amount_eur": amount})
    return lines


def plan_counties(counties: Sequence[Municipality], method: Method = Method.TOPSIS,
                  progress: Any = None) -> list[CountyResult]:
    """Plans of many counties; a county whose predecessors list no system is left out."""
    inputs = load_inputs(counties)
    results = []
    for index, county in enumerate(counties):
        if inputs[county.pk].candidates:
            results.append(plan_from_inputs(inputs[county.pk], method))
        if progress is not None:
            progress(100 * (index + 1) / max(len(counties), 1), county.name)
    return results


def plan_county(county: Municipality, method: Method = Method.TOPSIS) -> CountyResult:
    """The rationalisation of one new municipality."""
    return plan_from_inputs(load_inputs([county])[county.pk], method)
