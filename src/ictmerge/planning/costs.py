"""The cost model's inputs from records: today's baseline, the consolidation plan's money, the
governance alternatives priced on the baseline's lines, and the register of parameters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Sum

from ictmerge.consolidation.models import ExternalRoomEntry, HostModelEntry, Scenario
from ictmerge.consolidation.services import plan_of_record
from ictmerge.engine.consolidation.catalogue import load_external_rooms, load_host_catalogue
from ictmerge.engine.consolidation.model import PARAMS_BASIS, Params
from ictmerge.engine.planning.budget import CatalogueItem, ConsolidationMoney, load_catalogue
from ictmerge.engine.planning.costmodel import (
    Baseline,
    PricedAlternative,
    RecordedSpend,
    baseline_from,
    price_alternatives,
)
from ictmerge.engine.planning.governance import GovernanceParameters, parameter_basis
from ictmerge.engine.planning.reference import reference_parameters
from ictmerge.inventory.choices import ContractKind
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Contract, IctFinance, ServerRoom
from ictmerge.planning.payloads import CostModelLine, ParameterEntry, ParameterRegister
from ictmerge.reforms.counties import County
from ictmerge.reforms.models import Municipality

if TYPE_CHECKING:
    from ictmerge.planning.governance import GovernanceResult

#: Contract kinds paid out of services (connectivity and licences sit in their own categories).
SERVICE_CONTRACTS = (ContractKind.OUTSOURCING, ContractKind.HOSTING, ContractKind.MAINTENANCE,
                     ContractKind.OTHER)


def _dec(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def shares_of(county: County) -> dict[int, float]:
    """Each predecessor's share in the county (a split municipality's part, else 1)."""
    return {p.municipality.pk: float(p.share) for p in county.predecessors}


def recorded_spend(ids: list[int], shares: Mapping[int, float] | None = None
                   ) -> RecordedSpend | None:
    """The predecessors' ICT spend of their latest year by category, their rooms' running cost
    and their contracts' annual value, each predecessor's by its share in the county (a split
    municipality's part, as the national view divides it); None when none reported spend."""
    share = shares or {}
    latest = {r["municipality_id"]: r["year"] for r in IctFinance.objects.filter(
        municipality_id__in=ids).values("municipality_id").annotate(year=Max("year"))}
    finances = [f for f in IctFinance.objects.filter(municipality_id__in=ids)
                if latest.get(f.municipality_id) == f.year]
    reporting = [f for f in finances if f.ict_spend_eur is not None]
    if not reporting:
        return None

    def part(name: str) -> float | None:
        values = [(getattr(f, name), share.get(f.municipality_id, 1.0)) for f in reporting]
        if all(v is None for v, _s in values):
            return None
        return sum(_dec(v) * s for v, s in values)

    # Rooms and contracts of the predecessors whose spend is recorded: the same basis.
    owners = sorted({f.municipality_id for f in reporting})
    rooms = sum(_dec(row["total"]) * share.get(row["held_by"], 1.0)
                for row in held_before(ServerRoom, owners).order_by().values("held_by")
                .annotate(total=Sum("annual_cost_eur")))
    contracts: dict[str, float] = defaultdict(float)
    for row in (held_before(Contract, owners).order_by().values("held_by", "kind")
                .annotate(total=Sum("annual_value_eur"))):
        contracts[row["kind"]] += _dec(row["total"]) * share.get(row["held_by"], 1.0)
    return RecordedSpend(
        ict_spend_eur=sum(_dec(f.ict_spend_eur) * share.get(f.municipality_id, 1.0)
                          for f in reporting),
        staff_eur=part("spend_staff_eur"), hardware_eur=part("spend_hardware_eur"),
        software_eur=part("spend_software_eur"), services_eur=part("spend_services_eur"),
        communications_eur=part("spend_communications_eur"),
        rooms_eur=rooms,
        contracts_eur=sum(contracts[kind] for kind in SERVICE_CONTRACTS),
        licence_contracts_eur=contracts[ContractKind.LICENCE],
        connectivity_contracts_eur=contracts[ContractKind.CONNECTIVITY],
        support_contracts_eur=contracts[ContractKind.OUTSOURCING],
        support_fte=round(sum(_dec(f.ict_staff_fte) * share.get(f.municipality_id, 1.0)
                              for f in reporting), 2))


def baseline_of(county: County) -> Baseline | None:
    """Today's annual ICT cost split into the cost lines (engine costmodel.baseline_from)."""
    spend = recorded_spend(county.ids, shares_of(county))
    return baseline_from(spend) if spend is not None else None


def consolidation_money(county: Municipality) -> ConsolidationMoney | None:
    """The annual running cost of servers and rooms before and after, from the consolidation
    plan of record's money (the figures its page shows); None before a plan."""
    scenario = plan_of_record(county)
    result = scenario.result if scenario is not None else None
    money = result.get("money") if isinstance(result, dict) else None
    if not money or scenario is None:
        return None
    return ConsolidationMoney(
        scenario.name,
        {str(k): float(v) for k, v in (money.get("annual_before_lines") or {}).items()},
        {str(k): float(v) for k, v in (money.get("annual_after_lines") or {}).items()})


@dataclass(frozen=True)
class PricedGovernance:
    """The county's baseline and every alternative (today's model first) priced on it."""

    baseline: Baseline
    alternatives: tuple[PricedAlternative, ...]


def priced_governance(result: GovernanceResult, baseline: Baseline) -> PricedGovernance:
    """Every governance alternative and "keep today's model" on the baseline's lines."""
    return PricedGovernance(baseline, price_alternatives(
        baseline, result.recommendation.alternatives, result.recommendation.parameters,
        result.inventory.current_support_fte))


def lines_json(lines: Any) -> list[CostModelLine]:
    """Cost lines as JSON rows."""
    return [{"line": a.line.value, "eur": round(a.eur, 2), "basis": a.basis} for a in lines]


# --- the register of parameters ------------------------------------------------------------


def parameter_register(parameters: GovernanceParameters | None = None,
                       scenario: Scenario | None = None,
                       catalogue: Mapping[str, CatalogueItem] | None = None
                       ) -> list[ParameterEntry]:
    """Every parameter the cost model uses, its value (the county's own, or the consolidation
    plan of record's `scenario`, where it set one), its source and date or its stated
    assumption; `confirm` marks the assumptions."""
    entries: list[ParameterEntry] = []
    for value in reference_parameters().values():
        entries.append({"name": value.name, "group": "reference", "value": value.value,
                        "low": value.low, "high": value.high, "unit": value.unit,
                        "basis": value.basis, "url": value.url or None,
                        "confirm": not value.source, "overridden": False})
    parameters = parameters or GovernanceParameters()
    defaults = GovernanceParameters()
    for name, basis in parameter_basis().items():
        number = float(getattr(parameters, name))
        overridden = number != float(getattr(defaults, name))
        entries.append({"name": name, "group": "governance", "value": number, "low": None,
                        "high": None, "unit": "", "basis": basis, "url": None,
                        "confirm": _unconfirmed(basis) and not overridden,
                        "overridden": overridden})
    shipped = load_catalogue()
    for key, default in shipped.items():
        item = (catalogue or shipped).get(key, default)
        own = item != default
        entries.append({"name": item.key, "group": "catalogue", "value": item.expected,
                        "low": item.low, "high": item.high, "unit": f"EUR/{item.unit}",
                        "basis": item.basis, "url": None,
                        "confirm": _unconfirmed(item.basis), "overridden": own})
    entries.extend(_consolidation_entries(scenario))
    entries.extend(_hosting_entries())
    return entries


def _stated(text: str) -> str:
    """A catalogue entry's text as a basis: "assumption: …" as written, else "source: …"."""
    text = text.strip()
    if text.startswith(("source:", "assumption:")):
        return text
    return f"source: {text}" if text else "assumption: no source recorded"


def _unconfirmed(basis: str) -> bool:
    """A basis that rests on an assumption anywhere is on the list to confirm."""
    return "assumption" in basis.lower()


def _consolidation_entries(scenario: Scenario | None) -> list[ParameterEntry]:
    """The consolidation scenarios' money parameters (the plan of record's where it set one)."""
    defaults = Params()
    entries: list[ParameterEntry] = []
    for name, basis in PARAMS_BASIS.items():
        default = float(getattr(defaults, name))
        value = default
        if scenario is not None and name == "electricity_eur_per_kwh":
            value = float(scenario.electricity_eur_per_kwh)
        overridden = value != default
        entries.append({"name": name, "group": "consolidation", "value": value, "low": None,
                        "high": None, "unit": "", "basis": basis, "url": None,
                        "confirm": _unconfirmed(basis) and not overridden,
                        "overridden": overridden})
    return entries


#: Prices of a hosting service and of a host model that the plans use, with their units.
HOSTING_PRICES = (("eur_per_vcpu_month", "EUR/vCPU/month"), ("eur_per_gb_ram_month",
                  "EUR/GB RAM/month"), ("eur_per_tb_storage_month", "EUR/TB/month"),
                  ("annual_fixed_eur", "EUR/year"), ("onboarding_eur", "EUR"))
HOST_PRICES = (("price_eur", "EUR"), ("maintenance_eur_per_year", "EUR/year"),
               ("licence_eur_per_core_per_year", "EUR/core/year"))


def _hosting_entries() -> list[ParameterEntry]:
    """The prices of the hosting services and host models offered to the plans (reference
    data, editable; the shipped catalogues until they are stored), each with its source or
    stated assumption."""
    rooms = [(r.code, r.source, {f: getattr(r, f) for f, _u in HOSTING_PRICES})
             for r in ExternalRoomEntry.objects.filter(is_active=True).order_by("code")]
    if not ExternalRoomEntry.objects.exists():
        rooms = [(o.id, o.source, {f: getattr(o, f) for f, _u in HOSTING_PRICES})
                 for o in load_external_rooms()]
    hosts = [(h.name, h.source, {f: getattr(h, f) for f, _u in HOST_PRICES})
             for h in HostModelEntry.objects.filter(is_active=True).order_by("cores", "name")]
    if not HostModelEntry.objects.exists():
        hosts = [(m.name, m.source, {f: getattr(m, f) for f, _u in HOST_PRICES})
                 for m in load_host_catalogue()]
    entries: list[ParameterEntry] = []
    for group, rows, units in (("hosting", rooms, dict(HOSTING_PRICES)),
                               ("hosts", hosts, dict(HOST_PRICES))):
        for code, source, values in rows:
            basis = _stated(source)
            for field, value in values.items():
                if value is None:
                    continue
                entries.append({"name": f"{code}.{field}", "group": group,
                                "value": float(value), "low": None, "high": None,
                                "unit": units[field], "basis": basis, "url": None,
                                "confirm": _unconfirmed(basis), "overridden": False})
    return entries


def parameters_to_confirm(parameters: GovernanceParameters | None = None,
                          scenario: Scenario | None = None,
                          catalogue: Mapping[str, CatalogueItem] | None = None
                          ) -> list[ParameterEntry]:
    """The parameters whose value is a stated assumption, to confirm or replace."""
    return [e for e in parameter_register(parameters, scenario, catalogue) if e["confirm"]]


def register_json(county: Municipality | None,
                  parameters: GovernanceParameters | None = None) -> ParameterRegister:
    """Every parameter with its source or assumption, and the names of those to confirm
    (page, API and CLI)."""
    from ictmerge.planning.governance import catalogue_for

    entries = parameter_register(parameters,
                                 plan_of_record(county) if county is not None else None,
                                 catalogue_for(county) if county is not None else None)
    return {"county": ({"id": county.pk, "code": county.code, "name": county.name}
                       if county is not None else None),
            "parameters": entries,
            "to_confirm": [e["name"] for e in entries if e["confirm"]]}
