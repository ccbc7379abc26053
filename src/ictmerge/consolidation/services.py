"""Consolidation operations: catalogues, scenarios, runs, results; called by views, API, CLI and jobs."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Collection, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ictmerge.consolidation.choices import RunStatus
from ictmerge.consolidation.inputs import county_data
from ictmerge.consolidation.models import ExternalRoomEntry, HostModelEntry, Scenario
from ictmerge.consolidation.payloads import (
    AssignmentRow,
    CountyListRow,
    CountyRow,
    ExplanationRow,
    ExternalServiceRow,
    LevelSummary,
    Money,
    PlannedHostRow,
    ReasonRow,
    RoomRow,
    ScenarioParameters,
    ScenarioResult,
    Totals,
)
from ictmerge.consolidation.planner import PlannedCounty, plan_with_relaxations
from ictmerge.core import scoping
from ictmerge.core.history import acting_as
from ictmerge.core.payloads import AfterFigures
from ictmerge.core.providers import AFTER_PROVIDERS
from ictmerge.engine.consolidation import (
    CountyPlan,
    ExternalRoomOption,
    HostModel,
    Params,
    RoomKind,
    SecurityClass,
    ServiceLevel,
    load_external_rooms,
    load_host_catalogue,
)
from ictmerge.engine.explain import Explanation, to_json
from ictmerge.inventory.choices import DeviceKind
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Device, ServerRoom
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import County, successions_from
from ictmerge.reforms.models import Municipality, Reform

Progress = Callable[[float, str], None]

#: The keys of one county in `plan run --format json` (the issue's contract). Rooms are the
#: municipality's own server rooms; hosting bought as a service is in `external_services`.
COUNTY_KEYS = ("code", "name", "servers_before", "servers_after", "lower_bound",
               "proven_optimal", "rooms_before", "rooms_after", "own_rooms_before",
               "own_rooms_after", "external_services", "reasons", "service_level")
DEFAULT_SCENARIO_NAME = "Default"


class ConsolidationError(Exception):
    """A plan cannot be made (no inventory, a rule that cannot hold); the message says why."""


# Catalogues --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    """How many catalogue entries a seed created."""

    host_models: int
    external_rooms: int


def seed_catalogues() -> SeedResult:
    """Create the catalogue entries shipped with the engine that are not there yet (by name/code)."""
    created_hosts = created_rooms = 0
    known_hosts = set(HostModelEntry.objects.values_list("name", flat=True))
    for m in load_host_catalogue():
        if m.name in known_hosts:
            continue
        HostModelEntry.objects.create(
            name=m.name, cores=m.cores, ram_gb=round(m.ram_gb), storage_gb=round(m.storage_gb),
            power_kw=Decimal(str(m.power_kw)), rack_units=m.rack_units,
            price_eur=Decimal(str(m.price_eur)),
            maintenance_eur_per_year=Decimal(str(m.maintenance_eur_per_year)),
            licence_eur_per_core_per_year=Decimal(str(m.licence_eur_per_core_per_year)),
            source=m.source)
        created_hosts += 1
    known_rooms = {e.code: e for e in ExternalRoomEntry.objects.all()}
    for o in load_external_rooms():
        prices = {"eur_per_vcpu_month": Decimal(str(o.eur_per_vcpu_month)),
                  "eur_per_gb_ram_month": Decimal(str(o.eur_per_gb_ram_month)),
                  "eur_per_tb_storage_month": Decimal(str(o.eur_per_tb_storage_month))}
        entry = known_rooms.get(o.id)
        if entry is not None:
            if not _priced(entry):  # an option stored before services were priced per resource
                for key, value in prices.items():
                    setattr(entry, key, value)
                entry.source = o.source
                entry.save()
            continue
        ExternalRoomEntry.objects.create(
            code=o.id, name=o.name, operation=o.kind.value,
            latitude=Decimal(str(o.latitude)).quantize(Decimal("0.000001")),
            longitude=Decimal(str(o.longitude)).quantize(Decimal("0.000001")),
            condition=o.condition.name, annual_fixed_eur=Decimal(str(o.annual_fixed_eur)),
            onboarding_eur=Decimal(str(o.onboarding_eur)), source=o.source, **prices)
        created_rooms += 1
    return SeedResult(created_hosts, created_rooms)


def _priced(entry: ExternalRoomEntry) -> bool:
    """Whether a hosting service has its three prices per resource."""
    return None not in (entry.eur_per_vcpu_month, entry.eur_per_gb_ram_month,
                        entry.eur_per_tb_storage_month)


def ensure_catalogues() -> None:
    """Seed the catalogues on first use, so a fresh installation plans without a setup step.

    Workers planning counties at once may both find them empty: the one whose insert loses
    (a unique code or name) finds them seeded by the other."""
    shipped = [o.id for o in load_external_rooms()]
    if (not HostModelEntry.objects.exists() or not ExternalRoomEntry.objects.exists()
            or ExternalRoomEntry.objects.filter(code__in=shipped, eur_per_vcpu_month__isnull=True).exists()):
        try:
            with transaction.atomic():
                seed_catalogues()
        except IntegrityError:
            seed_catalogues()  # what the other worker has not written yet, if anything


def host_model_of(entry: HostModelEntry) -> HostModel:
    """The engine's view of a catalogue entry."""
    return HostModel(
        name=entry.name, cores=entry.cores, ram_gb=float(entry.ram_gb),
        storage_gb=float(entry.storage_gb), power_kw=float(entry.power_kw),
        rack_units=entry.rack_units, price_eur=float(entry.price_eur),
        maintenance_eur_per_year=float(entry.maintenance_eur_per_year),
        licence_eur_per_core_per_year=float(entry.licence_eur_per_core_per_year),
        source=entry.source)


def external_option_of(entry: ExternalRoomEntry) -> ExternalRoomOption | None:
    """The engine's view of a hosting service; None when it is not priced per resource."""
    if not _priced(entry):
        return None
    return ExternalRoomOption(
        id=entry.code, name=entry.name, kind=RoomKind(entry.operation),
        latitude=float(entry.latitude), longitude=float(entry.longitude),
        condition=SecurityClass[entry.condition],
        eur_per_vcpu_month=float(entry.eur_per_vcpu_month or 0),
        eur_per_gb_ram_month=float(entry.eur_per_gb_ram_month or 0),
        eur_per_tb_storage_month=float(entry.eur_per_tb_storage_month or 0),
        annual_fixed_eur=float(entry.annual_fixed_eur),
        onboarding_eur=float(entry.onboarding_eur), source=entry.source)


# Scenarios ---------------------------------------------------------------------------------


def parameters_of(scenario: Scenario) -> ScenarioParameters:
    """A scenario's parameters as JSON: stored with its result to tell when it is stale."""
    return {
        "cpu_headroom_pct": scenario.cpu_headroom_pct,
        "ram_headroom_pct": scenario.ram_headroom_pct,
        "failover_hosts": scenario.failover_hosts,
        "host_model": scenario.host_model.name if scenario.host_model is not None else None,
        "allowed_external": None if scenario.any_external else sorted(scenario.allowed_external),
        "horizon_years": scenario.horizon_years,
        "electricity_eur_per_kwh": float(scenario.electricity_eur_per_kwh),
        "move_cost_per_host_eur": float(scenario.move_cost_per_host_eur),
        "migration_cost_per_workload_eur": float(scenario.migration_cost_per_workload_eur),
        "resilience_distance_km": scenario.resilience_distance_km,
        "time_limit_s": float(scenario.time_limit_s),
        "meets_policy": scenario.meets_policy,
    }


def engine_params(scenario: Scenario) -> Params:
    """The engine's parameters of a scenario (the engine's defaults for everything else)."""
    return Params(
        cpu_headroom=scenario.cpu_headroom_pct / 100,
        ram_headroom=scenario.ram_headroom_pct / 100,
        failover_hosts=scenario.failover_hosts,
        host_model=scenario.host_model.name if scenario.host_model is not None else None,
        allowed_external=None if scenario.any_external else tuple(scenario.allowed_external),
        horizon_years=scenario.horizon_years,
        electricity_eur_per_kwh=float(scenario.electricity_eur_per_kwh),
        move_cost_per_host_eur=float(scenario.move_cost_per_host_eur),
        migration_cost_per_workload_eur=float(scenario.migration_cost_per_workload_eur),
        resilience_distance_km=float(scenario.resilience_distance_km),
        time_limit_s=float(scenario.time_limit_s),
        num_workers=2,
        seed=0,
    )


def may_view(user: Any, municipality: Municipality) -> bool:
    """Whether the user may see the municipality's plans."""
    visible = scoping.visible_ids(user)
    return visible is None or municipality.pk in visible


def may_change(user: Any, municipality: Municipality) -> bool:
    """Whether the user may change the municipality's plans (its county lead, administrators)."""
    return scoping.may_change_municipality(user, municipality.pk)


def scenarios_of(municipality: Municipality) -> list[Scenario]:
    """A municipality's scenarios, the chosen one first."""
    return list(Scenario.objects.filter(municipality=municipality)
                .select_related("host_model").order_by("-is_chosen", "name", "pk"))


def plans_of_record(municipalities: Iterable[Municipality] | QuerySet[Municipality],
                    figures_only: bool = False) -> dict[int, Scenario]:
    """The plan of record of each municipality that has one (by municipality id), in one query.

    The plan of record is the scenario the county chose, if its computation completed; else
    the latest completed computation of any of its scenarios (by the time it was computed).
    A scenario not run, queued or failed is never the plan of record. This one rule gives
    the "after" servers and rooms of the county page, the national view, the documents, the
    API and the CLI.
    """
    scenarios = (Scenario.objects.filter(municipality__in=municipalities,
                                         status=RunStatus.DONE, result__isnull=False)
                 .select_related("municipality", "host_model")
                 .order_by("municipality_id", "-is_chosen", "-run_at", "-pk"))
    if figures_only:  # the stored figures without the full result (read on access)
        scenarios = scenarios.defer("result", "run_parameters")
    found: dict[int, Scenario] = {}
    for scenario in scenarios:
        found.setdefault(scenario.municipality_id, scenario)
    return found


def plan_of_record(municipality: Municipality) -> Scenario | None:
    """The county's plan of record (see plans_of_record), or None before a completed run."""
    return plans_of_record([municipality]).get(municipality.pk)


def scenario_to_run(municipality: Municipality, time_limit_s: float | None = None) -> Scenario:
    """The scenario `plan run` computes: the chosen one, else the plan of record, else the
    first one made, else a new chosen "Default" one with default parameters."""
    found = (Scenario.objects.filter(municipality=municipality, is_chosen=True).first()
             or plan_of_record(municipality)
             or Scenario.objects.filter(municipality=municipality).order_by("pk").first())
    if found is not None:
        return found
    scenario = Scenario(municipality=municipality, name=DEFAULT_SCENARIO_NAME, is_chosen=True)
    if time_limit_s is not None:
        scenario.time_limit_s = Decimal(str(time_limit_s))
    scenario.full_clean()
    scenario.save()
    return scenario


def choose(scenario: Scenario) -> Scenario:
    """Make a scenario the chosen one of its municipality (the others are unchosen)."""
    with transaction.atomic():
        for other in Scenario.objects.select_for_update().filter(
                municipality_id=scenario.municipality_id, is_chosen=True).exclude(pk=scenario.pk):
            other.is_chosen = False
            other.save()
        scenario.is_chosen = True
        scenario.full_clean()
        scenario.save()
    return scenario


# Running -----------------------------------------------------------------------------------


def has_inventory(municipality: Municipality) -> bool:
    """Whether any predecessor of the new municipality has servers or server rooms."""
    # What they held before the takeover (the handover log): after the acts the records
    # belong to the new municipality, and the plan still reads them by predecessor.
    formers = County.of(municipality).former_ids
    return (held_before(Device, formers).filter(kind=DeviceKind.SERVER,
                                                is_virtual=False).exists()
            or held_before(ServerRoom, formers).exists())


def compute(scenario: Scenario, progress: Progress | None = None) -> ScenarioResult:
    """Plan the scenario's municipality with its parameters; returns the result as JSON."""
    report = progress or (lambda pct, msg: None)
    municipality = scenario.municipality
    ensure_catalogues()
    started = time.perf_counter()
    report(5, f"{municipality.name}: reading the predecessors' inventory")
    data = county_data(municipality)
    if not data.servers and not data.rooms:
        raise ConsolidationError(f"{municipality.name}: no predecessor has servers or server "
                                 "rooms in the inventory")
    models = tuple(host_model_of(e) for e in HostModelEntry.objects.filter(is_active=True))
    if (scenario.host_model is not None
            and scenario.host_model.name not in {m.name for m in models}):
        models = (*models, host_model_of(scenario.host_model))
    if not models:
        raise ConsolidationError("the host catalogue offers no model")
    externals = tuple(o for o in (external_option_of(e) for e in
                                  ExternalRoomEntry.objects.filter(is_active=True)) if o is not None)
    report(20, f"{len(data.servers)} servers, {sum(len(s.vms) for s in data.servers)} workloads, "
               f"{len(data.rooms)} rooms, {len(data.rules)} placement rules: planning")
    unchanged = is_unchanged(municipality)
    levels: dict[ServiceLevel, PlannedCounty] = {}
    try:
        for level in (ServiceLevel.TODAY, ServiceLevel.POLICY):
            levels[level] = plan_with_relaxations(
                municipality.code, municipality.name, data.servers, data.rooms, data.rules, models,
                externals, engine_params(scenario), data.room_names, level=level, unchanged=unchanged)
    except ValueError as error:  # RoomPlanInfeasible, or a rule naming no workload
        raise ConsolidationError(f"{municipality.name}: {error}") from error
    chosen = levels[ServiceLevel.POLICY if scenario.meets_policy else ServiceLevel.TODAY]
    report(90, f"{chosen.plan.servers_before} servers → {chosen.plan.servers_after} hosts, "
               f"{chosen.plan.rooms_before} rooms → {chosen.plan.rooms_after}")
    return result_json(chosen.plan, data, chosen.relaxations, externals,
                       time.perf_counter() - started, levels)


def is_unchanged(municipality: Municipality) -> bool:
    """Whether the reform leaves the municipality as it was: one predecessor, wholly and only its."""
    county = County.of(municipality)
    if len(county.predecessors) != 1:
        return False
    only = county.predecessors[0]
    parts = successions_from(county.former_ids).get(only.municipality.pk, [])
    return only.share == 1 and len(parts) == 1


def run(scenario: Scenario, progress: Progress | None = None) -> Scenario:
    """Compute a scenario and store its result (a failure is stored too, with its reason)."""
    parameters = parameters_of(scenario)
    try:
        result = compute(scenario, progress)
    except Exception as error:  # stored with its reason, then raised to the caller
        scenario.status = RunStatus.FAILED
        scenario.error = str(error)
        scenario.run_at = timezone.now()
        scenario.run_parameters = parameters
        scenario.save()
        raise
    with transaction.atomic():
        scenario.status = RunStatus.DONE
        scenario.error = ""
        scenario.run_at = timezone.now()
        scenario.run_parameters = parameters
        scenario.result = result
        for key in ("servers_before", "servers_after", "lower_bound", "proven_optimal",
                    "rooms_before", "rooms_after"):
            setattr(scenario, key, result[key])
        scenario.annual_saving_eur = Decimal(str(result["money"]["annual_saving_eur"]))
        scenario.one_off_eur = Decimal(str(result["money"]["one_off_eur"]))
        scenario.is_demo = result["is_demo"]
        scenario.save()
    if progress:
        progress(100, "stored")
    return scenario


def run_counties(municipalities: Iterable[Municipality], user: Any = None,
                 time_limit_s: float | None = None,
                 progress: Progress | None = None) -> list[Scenario]:
    """Run the plan scenario of each municipality (a chosen "Default" one is made when none)."""
    chosen = list(municipalities)
    done = []
    with acting_as(user) if user is not None else nullcontext():
        for k, municipality in enumerate(chosen):
            scenario = scenario_to_run(municipality, time_limit_s)
            if progress:
                progress(100 * k / max(1, len(chosen)), f"{municipality.name}")
            done.append(run(scenario))
    return done


def surveyed_counties(reform: Reform) -> list[Municipality]:
    """The new municipalities of a reform whose predecessors have servers or rooms."""
    news = Municipality.objects.filter(reform=reform, stage=Stage.NEW).select_related("reform")
    return [m for m in news.order_by("name") if has_inventory(m)]


# Results as JSON ---------------------------------------------------------------------------


def _pct(used: float, total: float) -> float:
    return round(100 * used / total, 1) if total else 0.0


def _named(text: str, names: dict[str, str]) -> str:
    """A reason with the engine's room ids replaced by the rooms' names."""
    if not names:
        return text
    ids = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w-])")
    return pattern.sub(lambda m: names[m.group(1)], text)


def _row(explanation: Explanation) -> ExplanationRow:
    """An explanation as its JSON (the consolidation's have no nested explanation)."""
    return cast(ExplanationRow, to_json(explanation))


def _named_params(explanation: Explanation, names: dict[str, str]) -> Explanation:
    """An explanation with the engine's room ids in its texts replaced by the rooms' names."""
    return dataclasses.replace(explanation, params={
        name: _named(value, names) if isinstance(value, str) else value
        for name, value in explanation.params.items()})


def _services_json(plan: CountyPlan) -> list[ExternalServiceRow]:
    """The hosting services a plan rents, per resource."""
    return [{"option": u.option_id, "name": u.name, "kind": u.kind.value,
             "workloads": len(u.workload_ids), "vcpus": u.vcpus, "ram_gb": u.ram_gb,
             "storage_tb": u.storage_tb, "annual_eur": u.annual_eur,
             "onboarding_eur": u.onboarding_eur, "reason": u.reason,
             "reason_explained": [_row(e) for e in u.explained]}
            for u in plan.external_services]


def _reasons_json(plan: CountyPlan) -> list[ReasonRow]:
    """Why own servers or rooms go up, as stable codes with their parameters."""
    return [{"code": r.code, "params": dict(r.params)} for r in plan.reasons]


def _money_json(plan: CountyPlan) -> Money:
    money = plan.money
    return {
        "annual_before_eur": money.annual_before_eur, "annual_after_eur": money.annual_after_eur,
        "one_off_eur": money.one_off_eur, "annual_saving_eur": money.annual_saving_eur,
        "payback_years": money.payback_years,
        "annual_before_lines": money.annual_before_lines,
        "annual_after_lines": money.annual_after_lines, "one_off_lines": money.one_off_lines,
    }


def level_json(planned: PlannedCounty) -> LevelSummary:
    """One level of "after": servers, own rooms, services, reasons and money."""
    plan = planned.plan
    return {
        "service_level": plan.service_level.value,
        "servers_before": plan.servers_before, "servers_after": plan.servers_after,
        "own_rooms_before": plan.own_rooms_before, "own_rooms_after": plan.own_rooms_after,
        "external_services": _services_json(plan), "reasons": _reasons_json(plan),
        "kept_estate": plan.kept_estate, "fell_back": plan.fell_back, "relaxations": list(planned.relaxations),
        "money": _money_json(plan),
    }


def result_json(plan: CountyPlan, data: Any, relaxations: Iterable[str],
                externals: Iterable[ExternalRoomOption], wall_s: float,
                levels: dict[ServiceLevel, PlannedCounty] | None = None) -> ScenarioResult:
    """Everything the plan page, the API and the CLI show, in names a reader knows."""
    external_names = {e.id: e.name for e in externals}
    room_names = {**external_names, **data.room_names}
    by_workload = {w.id: w for w in plan.workloads}
    hosts: list[PlannedHostRow] = [{
        "id": h.id, "model": h.model,
        "reused_server": data.server_names.get(h.reused_server_id or "", None),
        "is_failover": h.is_failover, "room": h.room_id, "room_name": room_names.get(h.room_id, h.room_id),
        "workloads": len(h.workload_ids),
        "cpu_cores_used": round(h.cpu_cores_used, 2), "cpu_cores": h.cpu_cores,
        "ram_gb_used": round(h.ram_gb_used, 1), "ram_gb": h.ram_gb,
        "storage_gb_used": round(h.storage_gb_used), "storage_gb": h.storage_gb,
        "cpu_pct": _pct(h.cpu_cores_used, h.cpu_cores), "ram_pct": _pct(h.ram_gb_used, h.ram_gb),
        "storage_pct": _pct(h.storage_gb_used, h.storage_gb),
        "security_class": h.security_class.name,
    } for h in plan.hosts]
    host_room = {h.id: h.room_id for h in plan.hosts}
    assignment: list[AssignmentRow] = [{
        "workload": wid, "name": data.workload_names.get(wid, data.server_names.get(wid, wid)),
        "server": data.server_names.get(by_workload[wid].source_server_id, ""),
        "host": host_id, "room": room_names.get(host_room[host_id], host_room[host_id]),
        "cpu_cores": round(by_workload[wid].cpu_cores, 2),
        "ram_gb": round(by_workload[wid].ram_gb, 1),
        "storage_gb": round(by_workload[wid].storage_gb),
        "security_class": by_workload[wid].security_class.name,
        "on_premises": by_workload[wid].must_stay_on_premises,
        "basis": by_workload[wid].demand_basis,
    } for wid, host_id in sorted(plan.assignment.items(), key=lambda a: (a[1], a[0]))]
    # Workloads rented from a hosting service: no host of the plan, the service as the place.
    assignment += [{
        "workload": wid, "name": data.workload_names.get(wid, data.server_names.get(wid, wid)),
        "server": data.server_names.get(by_workload[wid].source_server_id, ""),
        "host": "", "room": service.name,
        "cpu_cores": round(by_workload[wid].cpu_cores, 2),
        "ram_gb": round(by_workload[wid].ram_gb, 1),
        "storage_gb": round(by_workload[wid].storage_gb),
        "security_class": by_workload[wid].security_class.name,
        "on_premises": by_workload[wid].must_stay_on_premises,
        "basis": by_workload[wid].demand_basis,
    } for service in plan.external_services for wid in sorted(service.workload_ids)]
    rooms: list[RoomRow] = [{
        "id": d.room_id, "name": d.name, "kind": d.kind.value, "is_external": d.is_external,
        "kept": d.kept, "reason": _named(d.reason, room_names),
        "reason_explained": [_row(_named_params(e, room_names)) for e in d.explained],
        "hosts": d.hosts, "rack_units_used": d.rack_units_used,
        "power_kw_used": d.power_kw_used, "annual_cost_eur": round(d.annual_cost_eur, 2),
        "pk": data.room_pks.get(d.room_id),
    } for d in plan.rooms]
    both = levels or {plan.service_level: PlannedCounty(plan, tuple(relaxations))}
    today = level_json(both.get(ServiceLevel.TODAY) or both[plan.service_level])
    policy = level_json(both.get(ServiceLevel.POLICY) or both[plan.service_level])
    return {
        "code": plan.code, "name": plan.name, "host_model": plan.host_model,
        "servers_before": plan.servers_before, "servers_after": plan.servers_after,
        "ffd_hosts": plan.ffd_hosts, "lower_bound": plan.lower_bound, "gap_hosts": plan.gap_hosts,
        "proven_optimal": plan.proven_optimal, "packing_method": plan.packing_method,
        "solver_time_s": round(plan.solver_time_s, 3), "wall_s": round(wall_s, 3),
        "rooms_before": plan.rooms_before,
        # The municipality's own server rooms kept; hosting services are in external_services.
        "rooms_after": plan.rooms_after,
        "own_rooms_before": plan.own_rooms_before, "own_rooms_after": plan.own_rooms_after,
        "service_level": plan.service_level.value, "kept_estate": plan.kept_estate,
        "fell_back": plan.fell_back,
        "external_services": _services_json(plan), "reasons": _reasons_json(plan),
        "levels": {"today": today, "policy": policy},
        "uplift": {
            "annual_eur": round(policy["money"]["annual_after_eur"] - today["money"]["annual_after_eur"], 2),
            "one_off_eur": round(policy["money"]["one_off_eur"] - today["money"]["one_off_eur"], 2),
        },
        "room_cost_eur": plan.room_cost_eur, "room_lower_bound_eur": plan.room_lower_bound_eur,
        "room_gap": round(plan.room_gap, 4), "room_proven_optimal": plan.room_proven_optimal,
        "workloads": len(plan.workloads),
        "hosts": hosts, "assignment": assignment, "rooms": rooms,
        "rules": [{"kind": r.kind.value, "workloads": len(r.workload_ids), "reason": r.reason,
                   "explained": _row(r.explained) if r.explained else None}
                  for r in data.rules],
        "money": _money_json(plan),
        "relaxations": list(relaxations),
        "assumptions": data.assumptions,
        "is_demo": data.is_demo,
    }


def stored_result(scenario: Scenario) -> ScenarioResult | None:
    """The scenario's computed result as run() stored it; None until it is computed."""
    # The JSON field holds what result_json() built; the database knows it only as JSON.
    return cast("ScenarioResult | None", scenario.result or None)


def county_row(municipality: Municipality, scenario: Scenario | None) -> CountyRow:
    """One county in the CLI's JSON, exactly the issue's keys (COUNTY_KEYS): its plan of
    record's figures (None before a completed run); rooms are own rooms."""
    result = stored_result(scenario) if scenario is not None else None
    return {"code": municipality.code, "name": municipality.name,
            "servers_before": scenario.servers_before if scenario else None,
            "servers_after": scenario.servers_after if scenario else None,
            "lower_bound": scenario.lower_bound if scenario else None,
            "proven_optimal": scenario.proven_optimal if scenario else None,
            "rooms_before": scenario.rooms_before if scenario else None,
            "rooms_after": scenario.rooms_after if scenario else None,
            "own_rooms_before": scenario.rooms_before if scenario else None,
            "own_rooms_after": scenario.rooms_after if scenario else None,
            "external_services": list(result.get("external_services", [])) if result else [],
            "reasons": list(result.get("reasons", [])) if result else [],
            "service_level": result.get("service_level") if result else None}


def totals(rows: Iterable[CountyRow | CountyListRow]) -> Totals:
    """The national figures before and after, over the counties planned."""
    rows = list(rows)
    return {
        "counties": len(rows),
        "servers_before": sum(r["servers_before"] or 0 for r in rows),
        "servers_after": sum(r["servers_after"] or 0 for r in rows),
        "lower_bound": sum(r["lower_bound"] or 0 for r in rows),
        "proven_optimal_counties": sum(1 for r in rows if r["proven_optimal"]),
        "rooms_before": sum(r["rooms_before"] or 0 for r in rows),
        "rooms_after": sum(r["rooms_after"] or 0 for r in rows),
    }


def after_figures(reform: Reform, only: Collection[int] | None = None
                  ) -> dict[int, AfterFigures]:
    """The national view's "after" servers and rooms: each county's plan of record (of the
    counties `only` names)."""
    counties = Municipality.objects.filter(reform=reform, stage=Stage.NEW)
    if only is not None:
        counties = counties.filter(pk__in=sorted(only))
    return {pk: {"servers_after": s.servers_after, "server_rooms_after": s.rooms_after,
                 "servers_after_chosen": s.is_chosen}
            for pk, s in plans_of_record(counties, figures_only=True).items()}


def register_provider() -> None:
    """Add the consolidation figures to the national report (called once at start-up)."""
    if after_figures not in AFTER_PROVIDERS:
        AFTER_PROVIDERS.append(after_figures)
