"""Governance alternatives of a new municipality, computed from its predecessors' inventory."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ictmerge.core.history import acting_as
from ictmerge.engine.planning.budget import CatalogueItem, load_catalogue
from ictmerge.engine.planning.costmodel import CURRENT
from ictmerge.engine.planning.governance import (
    GovernanceInventory,
    GovernanceModel,
    GovernanceParameters,
    GovernanceRecommendation,
    Site,
    parameter_basis,
    recommend_governance,
)
from ictmerge.inventory.choices import DeviceKind
from ictmerge.inventory.ledger import handed_over_any
from ictmerge.inventory.ledger import held_before as held
from ictmerge.inventory.models import Device, IctFinance, InformationSystem
from ictmerge.inventory.models import Site as SiteRecord
from ictmerge.planning.choices import CATALOGUE_PARAMETER_NAMES
from ictmerge.planning.costs import baseline_of, lines_json, priced_governance
from ictmerge.planning.models import GovernanceChoice, GovernanceParameter
from ictmerge.planning.payloads import Governance, GovernanceAlternative
from ictmerge.reforms.counties import counties_by_id
from ictmerge.reforms.models import Municipality

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class HeldBy(TypedDict):
        """The municipality that held the record before any handover (review.held_before)."""

        held_by: int

_DEFAULTS = GovernanceParameters()
_TYPES = {f.name: type(getattr(_DEFAULTS, f.name)) for f in dataclasses.fields(_DEFAULTS)}
#: Parameters that divide or scale: zero makes no sense.
_POSITIVE = frozenset({
    "users_per_support_fte", "devices_per_support_fte", "servers_per_admin_fte",
    "systems_per_admin_fte", "productive_hours_per_fte", "fte_granularity", "road_factor",
    "average_speed_kmh", "appraisal_years", "monthly_gross_salary_eur",
})
#: Parameters that are shares of something.
_FRACTIONS = frozenset({
    "employer_contribution_rate", "shared_service_pooling_saving", "shared_service_fee_rate",
})

#: Stated assumptions of the translation from records to the engine's inventory.
INVENTORY_BASIS = (
    _lazy("users per site: one user per computer at the site (assumption: the inventory has no "
          "user counts; replace with staff lists when imported)"),
    _lazy("devices without a site count at their municipality's largest site"),
    _lazy("sites without coordinates count at the hub"),
    _lazy("current support staff: the predecessors' ICT staff (FTE) of their latest finance "
          "year"),
    _lazy("current model: the model of the predecessor with the most ICT staff"),
)


class GovernanceError(ValueError):
    """A county that cannot be assessed (no sites), or a bad parameter."""


def check_parameter(name: str, value: Decimal | float) -> str | None:
    """Why the value is not acceptable for the parameter, or None."""
    if name not in _TYPES and name not in CATALOGUE_PARAMETER_NAMES:
        return _("Unknown parameter %(name)s.") % {"name": name}
    number = Decimal(str(value))
    if number < 0:
        return _("The value must not be negative.")
    if name not in _TYPES:
        return None  # a unit price of the catalogue
    if name in _POSITIVE and number == 0:
        return _("The value must be greater than zero.")
    if name in _FRACTIONS and number >= 1:
        return _("The value is a share: it must be below 1.")
    if _TYPES[name] is int and number != number.to_integral_value():
        return _("The value must be a whole number.")
    return None


def parameters_of(counties: list[Municipality]) -> dict[int, GovernanceParameters]:
    """Per county, the default parameters with its own values applied (one query)."""
    overrides: dict[int, dict[str, Any]] = defaultdict(dict)
    for record in GovernanceParameter.objects.filter(municipality__in=counties):
        kind = _TYPES.get(record.name)
        if kind is not None:
            overrides[record.municipality_id][record.name] = kind(record.value)
    return {c.pk: dataclasses.replace(_DEFAULTS, **overrides.get(c.pk, {})) for c in counties}


def parameters_for(county: Municipality) -> GovernanceParameters:
    """The default parameters with the county's own values applied."""
    return parameters_of([county])[county.pk]


def catalogue_for(county: Municipality) -> dict[str, CatalogueItem]:
    """The cost catalogue with the county's own unit prices (its quotes) applied: the price
    and its range become the county's value, named as set by the municipality."""
    catalogue = dict(load_catalogue())
    for record in GovernanceParameter.objects.filter(municipality=county,
                                                     name__in=CATALOGUE_PARAMETER_NAMES):
        value = float(record.value)
        item = catalogue[record.name]
        catalogue[record.name] = dataclasses.replace(
            item, low=value, expected=value, high=value,
            basis=f"source: the municipality's own value: {record.source}" if record.source
            else "assumption: the municipality's own value, without a source")
    return catalogue


def parameter_rows(county: Municipality) -> list[dict[str, Any]]:
    """Every parameter: default, the county's value, its source or assumption."""
    own = {r.name: r for r in GovernanceParameter.objects.filter(municipality=county)}
    basis = parameter_basis()
    rows = []
    for name, default_basis in basis.items():
        record = own.get(name)
        rows.append({
            "name": name, "default": getattr(_DEFAULTS, name),
            "value": _TYPES[name](record.value) if record else getattr(_DEFAULTS, name),
            "overridden": record is not None,
            "basis": (record.source or _("set by the municipality")) if record else default_basis,
            "default_basis": default_basis, "record": record,
        })
    return rows


@dataclass(frozen=True)
class CurrentSupport:
    """How the predecessors support ICT today."""

    model: GovernanceModel | None
    support_fte: float


def _latest_finances(ids: list[int]) -> list[IctFinance]:
    """Each municipality's finance records of its latest year."""
    finances = list(IctFinance.objects.filter(municipality_id__in=ids))
    latest: dict[int, int] = {}
    for finance in finances:
        latest[finance.municipality_id] = max(latest.get(finance.municipality_id, 0),
                                              finance.year)
    return [f for f in finances if latest[f.municipality_id] == f.year]


def _support_from(finances: list[IctFinance]) -> CurrentSupport:
    fte = 0.0
    by_model: dict[str, float] = defaultdict(float)
    for finance in finances:
        staff = float(finance.ict_staff_fte or 0)
        fte += staff
        if finance.governance_model:
            by_model[finance.governance_model] += staff
    model = max(sorted(by_model), key=lambda m: by_model[m]) if by_model else None
    return CurrentSupport(GovernanceModel(model) if model else None, round(fte, 2))


def current_support(ids: list[int]) -> CurrentSupport:
    """The predecessors' staff and the model of the largest ICT team (latest year each)."""
    return _support_from(_latest_finances(ids))


def _inventory_from(ids: list[int], sites: list[WithAnnotations[SiteRecord, HeldBy]],
                    rows: list[dict[str, Any]],
                    support: CurrentSupport, systems: int) -> GovernanceInventory | None:
    """The engine's inventory of one county from its records; None without a located site."""
    located = [s for s in sites if s.latitude is not None and s.longitude is not None]
    if not located:
        return None
    computers: dict[int | None, int] = defaultdict(int)
    servers: dict[int | None, int] = defaultdict(int)
    unsited: dict[int, tuple[int, int]] = {}
    for row in rows:
        site_id = row["site_id"] or row["room__site_id"]
        if site_id is None:
            c, s = unsited.get(row["held_by"], (0, 0))
            unsited[row["held_by"]] = (c + row["computers"], s + row["servers"])
            continue
        computers[site_id] += row["computers"]
        servers[site_id] += row["servers"]
    located_ids = {s.pk for s in located}
    hub = max(located, key=lambda s: (computers[s.pk], -s.pk))
    # Devices of sites without coordinates go to the hub.
    for site in sites:
        if site.pk not in located_ids:
            computers[hub.pk] += computers.pop(site.pk, 0)
            servers[hub.pk] += servers.pop(site.pk, 0)
    for municipality_id, (c, s) in unsited.items():
        own = [x for x in located if x.held_by == municipality_id]
        target = max(own, key=lambda x: (computers[x.pk], -x.pk)) if own else hub
        computers[target.pk] += c
        servers[target.pk] += s
    # The engine keys sites by name: make names unique.
    seen = Counter(s.name for s in located)
    names = {s.pk: s.name if seen[s.name] == 1 else f"{s.name} ({s.pk})" for s in located}
    engine_sites = [
        Site(name=names[s.pk], latitude=float(s.latitude), longitude=float(s.longitude),  # type: ignore[arg-type]
             users=computers[s.pk], devices=computers[s.pk], servers=servers[s.pk])
        for s in located
    ]
    return GovernanceInventory(
        sites=engine_sites,
        information_systems=systems,
        current_model=support.model,
        current_support_fte=support.support_fte,
        hub_site=names[hub.pk],
    )


def governance_inventories(counties: list[Municipality]) -> dict[int, GovernanceInventory]:
    """The inventories of many counties in a fixed number of queries (those with a site)."""
    members = {pk: county.ids for pk, county in counties_by_id(counties).items()}
    ids = sorted({i for group in members.values() for i in group})
    sites: dict[int, list[WithAnnotations[SiteRecord, HeldBy]]] = defaultdict(list)
    # By the municipality that held each record before the takeover (the handover log), so
    # that an assessment made after the records passed reads the same inventory.
    from functools import partial


    held_before = partial(held, handed=handed_over_any(ids))  # one check for the three reads
    for site in held_before(SiteRecord, ids).order_by("pk"):
        sites[site.held_by].append(site)
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (held_before(Device, ids)
                .values("held_by", "site_id", "room__site_id")
                .annotate(computers=Count("pk", filter=Q(kind__in=DeviceKind.COMPUTER_KINDS)),
                          servers=Count("pk", filter=Q(kind=DeviceKind.SERVER,
                                                       is_virtual=False)))):
        rows[row["held_by"]].append(row)
    finances: dict[int, list[IctFinance]] = defaultdict(list)
    for finance in _latest_finances(ids):
        finances[finance.municipality_id].append(finance)
    systems = Counter(held_before(InformationSystem, ids).values_list("held_by", flat=True))
    result = {}
    for county_id, group in members.items():
        inventory = _inventory_from(
            group, sorted((s for i in group for s in sites[i]), key=lambda s: s.pk),
            [r for i in group for r in rows[i]],
            _support_from([f for i in group for f in finances[i]]),
            sum(systems.get(i, 0) for i in group))
        if inventory is not None:
            result[county_id] = inventory
    return result


def governance_inventory(county: Municipality) -> GovernanceInventory:
    """Sites with users, computers and servers, the county's systems and today's support."""
    inventory = governance_inventories([county]).get(county.pk)
    if inventory is None:
        raise GovernanceError(_("%(county)s: no site with coordinates to assess.")
                              % {"county": county.name})
    return inventory


@dataclass(frozen=True)
class GovernanceResult:
    """The recommendation, the inventory it rests on and the county's recorded choice."""

    county: Municipality
    inventory: GovernanceInventory
    recommendation: GovernanceRecommendation
    choice: GovernanceChoice | None

    @property
    def model_after(self) -> GovernanceModel:
        """The chosen model, else the recommended one."""
        return GovernanceModel(self.choice.model) if self.choice else self.recommendation.recommended

    @property
    def assessment_after(self) -> Any:
        """The calculation of the model in force after the reform."""
        return next(a for a in self.recommendation.alternatives if a.model == self.model_after)


def current_choices(counties: list[Municipality]) -> dict[int, GovernanceChoice]:
    """Per county, its choice of record: the latest recorded one (one query)."""
    choices: dict[int, GovernanceChoice] = {}
    for choice in GovernanceChoice.objects.filter(municipality__in=counties).order_by(
            "municipality_id", "-chosen_at", "-pk"):
        choices.setdefault(choice.municipality_id, choice)
    return choices


def current_choice(county: Municipality) -> GovernanceChoice | None:
    """The county's choice of record (see current_choices)."""
    return current_choices([county]).get(county.pk)


def assess_counties(counties: list[Municipality]) -> dict[int, GovernanceResult]:
    """Per county with a site: the five models assessed with its parameters, and its choice,
    in a fixed number of queries however many counties there are.

    The governance of record (GovernanceResult.model_after) is the county's latest recorded
    choice, else the recommended model: the county pages, the national view, the documents,
    the API and the CLI all read it from here.
    """
    inventories = governance_inventories(counties)
    parameters = parameters_of(counties)
    choices = current_choices(counties)
    by_id = {c.pk: c for c in counties}
    return {county_id: GovernanceResult(by_id[county_id], inventory,
                                        recommend_governance(inventory, parameters[county_id]),
                                        choices.get(county_id))
            for county_id, inventory in inventories.items()}


def assess_county(county: Municipality) -> GovernanceResult:
    """Assess the five models for the county with its parameters."""
    result = assess_counties([county]).get(county.pk)
    if result is None:
        raise GovernanceError(_("%(county)s: no site with coordinates to assess.")
                              % {"county": county.name})
    return result


def governance_after(counties: list[Municipality]) -> dict[int, tuple[GovernanceModel, bool]]:
    """Per county with a site: its governance of record and whether it was chosen (else
    recommended), in a fixed number of queries however many counties there are."""
    return {county_id: (result.model_after, result.choice is not None)
            for county_id, result in assess_counties(counties).items()}


def set_parameter(county: Municipality, name: str, value: Decimal | float, source: str,
                  user: Any) -> GovernanceParameter:
    """Store the county's value of a parameter (with history); validated like the form."""
    message = check_parameter(name, value)
    if message:
        raise GovernanceError(f"{name}: {message}")
    with acting_as(user), transaction.atomic():
        record = GovernanceParameter.objects.filter(municipality=county, name=name).first()
        if record is None:
            record = GovernanceParameter(municipality=county, name=name)
        record.value = Decimal(str(value))
        record.source = source
        record.full_clean()
        record.save()
    return record


def reset_parameter(county: Municipality, name: str, user: Any) -> bool:
    """Go back to the default value of a parameter; True if there was a county value."""
    with acting_as(user), transaction.atomic():
        record = GovernanceParameter.objects.filter(municipality=county, name=name).first()
        if record is None:
            return False
        record.delete()
    return True


def choose_governance(county: Municipality, model: str, reason: str, user: Any) -> GovernanceChoice:
    """Record the county's choice of model, with the recommendation it was made against."""
    try:
        chosen = GovernanceModel(model)
    except ValueError as error:
        raise GovernanceError(_("Unknown governance model %(model)s.") % {"model": model}) from error
    recommended = assess_county(county).recommendation.recommended
    with acting_as(user), transaction.atomic():
        choice = GovernanceChoice(municipality=county, model=chosen.value,
                                  recommended=recommended.value, reason=reason)
        choice.full_clean()
        choice.save()
    return choice


def governance_json(result: GovernanceResult) -> Governance:
    """The recommendation as JSON (API and CLI): the five models and "keep today's model"
    (model "current"), each priced on today's recorded cost lines where there are any."""
    rec = result.recommendation
    basis = parameter_basis()
    baseline = baseline_of(counties_by_id([result.county])[result.county.pk])
    priced = ({p.model: p for p in priced_governance(result, baseline).alternatives}
              if baseline is not None else {})

    def on_lines(alternative: GovernanceAlternative) -> GovernanceAlternative:
        found = priced.get(alternative["model"])
        if found is not None and baseline is not None:
            alternative["annual_total_eur"] = round(found.total_eur, 2)
            alternative["annual_change_eur"] = round(found.total_eur - baseline.total_eur, 2)
            alternative["lines"] = lines_json(found.lines)
        return alternative

    fte = result.inventory.current_support_fte
    staff = fte * rec.parameters.annual_cost_per_fte_eur
    current: GovernanceAlternative = {
        "model": CURRENT, "support_fte": fte, "annual_cost_eur": round(staff, 2),
        "one_off_cost_eur": 0.0, "travel_km_per_year": 0.0, "travel_hours_per_year": 0.0,
        "mean_response_hours": None, "worst_response_hours": None,
        "users_beyond_target": None, "response_risk": None, "single_points_of_failure": [],
        "comparison_cost_eur": None,
        "calculation": [f"today's staff {fte:g} FTE × {rec.parameters.annual_cost_per_fte_eur:.0f}"
                        f" EUR = {staff:.0f} EUR/yr",
                        "travel and fees of today's support are inside the recorded spend"],
        "annual_total_eur": None, "annual_change_eur": None, "lines": [],
    }
    return {
        "county": {"id": result.county.pk, "code": result.county.code,
                   "name": result.county.name},
        "recommended": rec.recommended.value,
        "runner_up": rec.runner_up.value,
        "reasons": list(rec.reasons),
        "chosen": result.choice.model if result.choice else None,
        "chosen_reason": result.choice.reason if result.choice else None,
        "governance_after": result.model_after.value,
        "alternatives": [on_lines(current), *(on_lines(
            {"model": a.model.value, "support_fte": a.support_fte,
             "annual_cost_eur": a.annual_cost_eur, "one_off_cost_eur": a.one_off_cost_eur,
             "travel_km_per_year": a.travel_km_per_year,
             "travel_hours_per_year": a.travel_hours_per_year,
             "mean_response_hours": a.mean_response_hours,
             "worst_response_hours": a.worst_response_hours,
             "users_beyond_target": a.users_beyond_target,
             "response_risk": a.response_risk.value,
             "single_points_of_failure": list(a.single_points_of_failure),
             "comparison_cost_eur": a.comparison_cost_eur,
             "calculation": list(a.calculation), "annual_total_eur": None,
             "annual_change_eur": None, "lines": []})
            for a in rec.alternatives
        )],
        "inventory": {
            "sites": len(result.inventory.sites),
            "users": sum(s.users for s in result.inventory.sites),
            "computers": sum(s.devices for s in result.inventory.sites),
            "servers": sum(s.servers for s in result.inventory.sites),
            "information_systems": result.inventory.information_systems,
            "current_model": (result.inventory.current_model.value
                              if result.inventory.current_model else None),
            "current_support_fte": result.inventory.current_support_fte,
            "basis": [str(line) for line in INVENTORY_BASIS],
        },
        "parameters": {
            name: {"value": getattr(rec.parameters, name), "basis": basis[name]}
            for name in basis
        },
        "baseline": ({"total_eur": round(baseline.total_eur, 2),
                      "support_fte": baseline.support_fte,
                      "lines": lines_json(baseline.lines)} if baseline is not None else None),
    }
