"""ICT spend by category, staff and the governance model in use."""

from __future__ import annotations

from ictmerge.engine.demo.base import _BuilderBase
from ictmerge.engine.demo.draws import _pick
from ictmerge.engine.demo.records import GOVERNANCE_MODELS, DemoFinance
from ictmerge.engine.planning.reference import annual_cost_per_fte, reference
from ictmerge.engine.shares import apportion

#: A year of one ICT post at the sourced wage with the employer's contribution.
STAFF_COST_PER_FTE = annual_cost_per_fte(reference("ict_gross_wage_eur_month").value,
                                         reference("employer_contribution_rate").value)


class _Finance(_BuilderBase):
    """ICT spend by category, staff and the governance model in use."""

    def finance(self, computers: int, expenditure: int, spend: int | None) -> DemoFinance:
        rng = self.rng
        size = self.m.population
        if self.m.is_city:
            weights: tuple[float, ...] = (0.45, 0.3, 0.1, 0.1, 0.05)
        elif size < 5000:
            weights = (0.15, 0.2, 0.3, 0.1, 0.25)
        else:
            weights = (0.3, 0.3, 0.2, 0.1, 0.1)
        governance = _pick(rng, GOVERNANCE_MODELS, weights)
        parts: list[int | None] = [None] * 5
        if spend is not None:
            category_weights = [rng.uniform(0.18, 0.3), rng.uniform(0.12, 0.25),
                                rng.uniform(0.15, 0.35), rng.uniform(0.07, 0.15),
                                rng.uniform(0.15, 0.35)]
            if governance == "outsourced":
                category_weights[2] *= 2
                category_weights[4] *= 0.3
            parts = list(apportion(spend, category_weights))
        fte = max(0.5, round(computers / rng.uniform(150, 400) * 4) / 4)
        if parts[4] is not None:
            # The recorded staff spend pays the recorded staff at the sourced wage, so that
            # today's spend and today's staff rest on the same basis as the cost model.
            fte = round(parts[4] / STAFF_COST_PER_FTE, 2)
        return DemoFinance(
            year=self.spec.targets.year, total_expenditure_eur=expenditure, ict_spend_eur=spend,
            spend_hardware_eur=parts[0], spend_software_eur=parts[1],
            spend_services_eur=parts[2], spend_communications_eur=parts[3],
            spend_staff_eur=parts[4], ict_staff_fte=fte, governance_model=governance)
