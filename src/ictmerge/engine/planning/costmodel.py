"""One cost model: today's recorded ICT spend split into cost lines, and every governance
alternative (and "keep today's model") priced from the same lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ictmerge.engine.planning.governance import GovernanceAssessment, GovernanceParameters

#: The alternative that keeps today's organisation and staff.
CURRENT = "current"


class CostLine(StrEnum):
    """The lines of annual ICT cost that the baseline and every alternative share."""

    STAFF = "staff"
    EXTERNAL_SERVICES = "external_services"
    HOSTING_ROOMS = "hosting_rooms"
    HARDWARE = "hardware"
    LICENCES = "licences"
    CONNECTIVITY = "connectivity"
    CONTRACTS = "contracts"


class ChangeSource(StrEnum):
    """What a change in annual cost comes from."""

    GOVERNANCE = "governance"
    CONSOLIDATION = "consolidation"
    LICENCES = "licences"
    CONTRACTS = "contracts"
    OTHER = "other"


@dataclass(frozen=True)
class RecordedSpend:
    """The predecessors' ICT spend of their latest year, by recorded category."""

    ict_spend_eur: float
    staff_eur: float | None = None
    hardware_eur: float | None = None
    software_eur: float | None = None
    services_eur: float | None = None
    communications_eur: float | None = None
    #: The server rooms' recorded annual running cost (part of the spend).
    rooms_eur: float = 0.0
    #: The contracts' recorded annual value (outsourcing, hosting, maintenance; part of it).
    contracts_eur: float = 0.0
    #: Licence and connectivity contracts, paid out of software and communications.
    licence_contracts_eur: float = 0.0
    connectivity_contracts_eur: float = 0.0
    #: The staff the recorded staff spend pays (of the predecessors that reported spend).
    support_fte: float = 0.0
    #: Support bought from suppliers today (outsourcing contracts; part of `contracts_eur`).
    support_contracts_eur: float = 0.0


@dataclass(frozen=True)
class LineAmount:
    """One cost line of a year, in EUR, and what it rests on."""

    line: CostLine
    eur: float
    basis: str


@dataclass(frozen=True)
class Baseline:
    """Today's annual ICT cost, split into the cost lines; sums to the recorded spend."""

    lines: tuple[LineAmount, ...]
    support_fte: float
    #: Today's support contracts (outsourcing), inside the contracts line: what a model that
    #: buys its support (outsourced, shared service) replaces with its own fees.
    support_contracts_eur: float = 0.0

    @property
    def total_eur(self) -> float:
        """Today's annual ICT cost."""
        return sum(line.eur for line in self.lines)

    def amount(self, line: CostLine) -> float:
        """The baseline's value of one line."""
        return sum(a.eur for a in self.lines if a.line is line)


def baseline_from(spend: RecordedSpend) -> Baseline:
    """Split the recorded spend into the cost lines: categories as recorded; services split
    into rooms (their recorded running cost), contracts (their recorded annual value) and the
    rest; whatever no category holds counts as external services."""
    recorded = "source: the predecessors' recorded ICT finance, latest year"
    parts = [spend.staff_eur, spend.hardware_eur, spend.software_eur, spend.services_eur,
             spend.communications_eur]
    unsplit = spend.ict_spend_eur - sum(p or 0.0 for p in parts)
    pool = (spend.services_eur or 0.0) + unsplit
    rooms = min(spend.rooms_eur, max(pool, 0.0))
    # Contracts come out of the category that pays them, never more than it holds.
    service_contracts = min(spend.contracts_eur, max(pool - rooms, 0.0))
    licence_contracts = min(spend.licence_contracts_eur, max(spend.software_eur or 0.0, 0.0))
    link_contracts = min(spend.connectivity_contracts_eur,
                         max(spend.communications_eur or 0.0, 0.0))
    lines = [
        LineAmount(CostLine.STAFF, spend.staff_eur or 0.0, f"{recorded} (staff)"),
        LineAmount(CostLine.HARDWARE, spend.hardware_eur or 0.0, f"{recorded} (hardware)"),
        LineAmount(CostLine.LICENCES, (spend.software_eur or 0.0) - licence_contracts,
                   f"{recorded} (software) less licence contracts"),
        LineAmount(CostLine.CONNECTIVITY, (spend.communications_eur or 0.0) - link_contracts,
                   f"{recorded} (communications) less connectivity contracts"),
        LineAmount(CostLine.HOSTING_ROOMS, rooms,
                   f"{recorded}: the server rooms' recorded annual cost, out of services"),
        LineAmount(CostLine.CONTRACTS, service_contracts + licence_contracts + link_contracts,
                   f"{recorded}: the contract register's annual values, out of the category "
                   "that pays each"),
        LineAmount(CostLine.EXTERNAL_SERVICES, pool - rooms - service_contracts,
                   f"{recorded}: services and outsourcing less rooms and contracts"
                   + (f", with {unsplit:.0f} EUR not split by category" if abs(unsplit) >= 0.5
                      else "")),
    ]
    return Baseline(tuple(sorted(lines, key=lambda a: list(CostLine).index(a.line))),
                    spend.support_fte,
                    min(spend.support_contracts_eur, service_contracts))


@dataclass(frozen=True)
class PricedAlternative:
    """A governance alternative priced on the baseline's lines."""

    model: str
    support_fte: float
    lines: tuple[LineAmount, ...]

    @property
    def total_eur(self) -> float:
        """The alternative's annual ICT cost."""
        return sum(line.eur for line in self.lines)

    def amount(self, line: CostLine) -> float:
        """The alternative's value of one line."""
        return sum(a.eur for a in self.lines if a.line is line)


def _staff_basis(parameters: GovernanceParameters) -> str:
    return (f"{parameters.annual_cost_per_fte_eur:,.0f} EUR per FTE a year: gross wage "
            f"{parameters.monthly_gross_salary_eur:,.0f} EUR/month × 12 × (1 + "
            f"{parameters.employer_contribution_rate:.2%} employer's contribution) "
            "[monthly_gross_salary_eur, employer_contribution_rate]")


def price_current(baseline: Baseline, parameters: GovernanceParameters) -> PricedAlternative:
    """Keep today's model: the staff the recorded spend pays at the modelled cost per FTE,
    every other line as recorded (today's travel and fees are inside the recorded spend)."""
    staff = LineAmount(CostLine.STAFF, baseline.support_fte * parameters.annual_cost_per_fte_eur,
                       f"today's {baseline.support_fte:g} support FTE × "
                       + _staff_basis(parameters))
    lines = tuple(staff if a.line is CostLine.STAFF else a for a in baseline.lines)
    return PricedAlternative(CURRENT, baseline.support_fte, lines)


def replaces_support_contracts(assessment: GovernanceAssessment) -> bool:
    """Whether the model buys its support (outsourced, shared service): its fees then take
    the place of today's support contracts, which are not paid twice."""
    return assessment.external_fees_eur > 0


def price_alternative(current: PricedAlternative, assessment: GovernanceAssessment,
                      parameters: GovernanceParameters,
                      current_support_fte: float,
                      support_contracts_eur: float = 0.0) -> PricedAlternative:
    """A governance model: today's model with the model's staff in place of today's
    `current_support_fte` (every predecessor's), and its travel and external fees added to
    external services; a model that buys its support ends today's support contracts
    (`support_contracts_eur`, out of the contracts line); every other line as recorded."""
    today = current_support_fte * parameters.annual_cost_per_fte_eur
    staff = LineAmount(
        CostLine.STAFF, current.amount(CostLine.STAFF) + assessment.staff_cost_eur - today,
        f"today's staff line {assessment.support_fte - current_support_fte:+g} FTE "
        f"({assessment.support_fte:g} against today's {current_support_fte:g}) × "
        + _staff_basis(parameters))
    extra = assessment.travel_cost_eur + assessment.external_fees_eur
    services = LineAmount(
        CostLine.EXTERNAL_SERVICES, current.amount(CostLine.EXTERNAL_SERVICES) + extra,
        f"recorded services + travel {assessment.travel_cost_eur:,.0f} EUR "
        f"[travel_cost_per_km_eur] + external fees {assessment.external_fees_eur:,.0f} EUR "
        "[outsourcing_price_per_device_month_eur, outsourcing_price_per_server_month_eur, "
        "shared_service_fee_rate]")
    replaced = {CostLine.STAFF: staff, CostLine.EXTERNAL_SERVICES: services}
    ended = (min(support_contracts_eur, current.amount(CostLine.CONTRACTS))
             if replaces_support_contracts(assessment) else 0.0)
    if ended > 0:
        replaced[CostLine.CONTRACTS] = LineAmount(
            CostLine.CONTRACTS, current.amount(CostLine.CONTRACTS) - ended,
            f"recorded contracts less today's support contracts {ended:,.0f} EUR, which the "
            f"model's external fees replace")
    lines = tuple(replaced.get(a.line, a) for a in current.lines)
    return PricedAlternative(assessment.model.value, assessment.support_fte, lines)


def price_alternatives(baseline: Baseline, assessments: Sequence[GovernanceAssessment],
                       parameters: GovernanceParameters,
                       current_support_fte: float | None = None) -> tuple[PricedAlternative, ...]:
    """"Keep today's model" first, then every assessed model, all on the baseline's lines;
    a model's change against today's is the budget's governance change."""
    current = price_current(baseline, parameters)
    fte = baseline.support_fte if current_support_fte is None else current_support_fte
    return (current, *(price_alternative(current, a, parameters, fte,
                                         baseline.support_contracts_eur) for a in assessments))


@dataclass(frozen=True)
class WaterfallStep:
    """One bar of the waterfall: a start or end total, or a change by source."""

    label: str
    start_eur: float
    end_eur: float
    total: bool


def waterfall(baseline_eur: float, changes: Mapping[str, float]) -> tuple[WaterfallStep, ...]:
    """From today's annual cost, through each source's change, to the plan's."""
    steps = [WaterfallStep("today", 0.0, baseline_eur, True)]
    level = baseline_eur
    for label, change in changes.items():
        steps.append(WaterfallStep(label, level, level + change, False))
        level += change
    steps.append(WaterfallStep("plan", 0.0, level, True))
    return tuple(steps)


@dataclass(frozen=True)
class TornadoBar:
    """The annual change with one parameter at −20 % and at +20 %."""

    parameter: str
    basis: str
    at_minus_eur: float
    at_plus_eur: float

    @property
    def swing_eur(self) -> float:
        """How far the parameter moves the annual change."""
        return abs(self.at_plus_eur - self.at_minus_eur)


#: The tornado's step on each side of a parameter's value.
TORNADO_STEP = 0.20


def tornado(bars: Sequence[TornadoBar], limit: int = 10) -> tuple[TornadoBar, ...]:
    """The parameters that move the annual change, largest swing first (ties by name)."""
    moving = [b for b in bars if b.swing_eur >= 0.5]
    return tuple(sorted(moving, key=lambda b: (-b.swing_eur, b.parameter))[:limit])
