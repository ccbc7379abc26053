"""The national optimisation over every surveyed county of a reform: inputs from the inventory,
the engine's national plan per scenario, and the latest results (stored with their jobs)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _

from ictmerge.consolidation.inputs import county_data
from ictmerge.consolidation.models import ExternalRoomEntry, HostModelEntry
from ictmerge.consolidation.payloads import (
    NationalPlanRelaxation,
    NationalPlanResult,
    NationalPlanResults,
    NationalPlanSummary,
)
from ictmerge.consolidation.planner import _pinned_classes, _pinned_count, _unpin
from ictmerge.consolidation.services import (
    ensure_catalogues,
    external_option_of,
    host_model_of,
    surveyed_counties,
)
from ictmerge.core.choices import JobStatus
from ictmerge.core.models import Job
from ictmerge.engine.consolidation import CountyInputs, Params, RoomKind, RoomPlanInfeasible
from ictmerge.engine.consolidation.national import (
    SCENARIOS,
    CountyHosts,
    NationalPlan,
    as_json,
    load_centres,
    load_hubs,
    plan_national,
    prepare_counties,
)
from ictmerge.reforms.models import Municipality, Reform

Progress = Callable[[float, str], None]

__all__ = ["NATIONAL", "SCENARIOS", "NationalError", "compute_national", "latest_results", "running_job"]

#: The national job's kind.
NATIONAL = "consolidation.national"
#: The solver's time limit for one national scenario (the separate plans come first).
TIME_LIMIT_S = 90.0
#: The same rules for every county: the engine's defaults, two solver workers at most.
PARAMS = Params(num_workers=2)


class NationalError(Exception):
    """The national plan cannot be made (no county with an inventory, or no feasible plan)."""


def national_inputs(counties: Sequence[Municipality]
                    ) -> tuple[list[CountyInputs], bool, list[NationalPlanRelaxation]]:
    """Every county's engine inputs under the same parameters, whether any is demo data, and the
    rules relaxed to make each county plannable (as its county plan relaxes them)."""
    ensure_catalogues()
    models = tuple(host_model_of(e) for e in HostModelEntry.objects.filter(is_active=True))
    externals = tuple(o for o in (external_option_of(e) for e in ExternalRoomEntry.objects.filter(is_active=True))
                      if o is not None)
    found: list[CountyInputs] = []
    demo = False
    notes: list[NationalPlanRelaxation] = []
    for municipality in counties:
        data = county_data(municipality)
        if not data.servers and not data.rooms:
            continue
        demo = demo or data.is_demo
        servers, rooms = data.servers, data.rooms
        own = [r for r in rooms if r.kind == RoomKind.OWN]
        if _pinned_count(servers) and not own:
            servers = _unpin(servers)
            notes.append({"county": municipality.name, "code": "unpinned", "room": "", "security_class": ""})
        elif _pinned_count(servers):
            needed = max(_pinned_classes(servers))
            best = max(own, key=lambda r: (r.condition, r.racks, r.power_kw, r.id))
            if best.condition < needed:
                rooms = tuple(replace(r, condition=needed) if r.id == best.id else r for r in rooms)
                notes.append({"county": municipality.name, "code": "upgraded",
                              "room": data.room_names.get(best.id, best.id), "security_class": needed.name})
        found.append(CountyInputs(code=municipality.code, name=municipality.name, servers=servers, rooms=rooms,
                                  host_models=models, external_options=externals, rules=data.rules, params=PARAMS))
    return found, demo, notes


def compute_national(reform: Reform, names: Sequence[str], progress: Progress | None = None,
                     time_limit_s: float = TIME_LIMIT_S) -> list[NationalPlanResult]:
    """Plan the named national scenarios of a reform (the hosts are packed once for all)."""
    report = progress or (lambda pct, msg: None)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise NationalError(f"unknown national scenario(s): {', '.join(unknown)} (there are: {', '.join(SCENARIOS)})")
    started = time.perf_counter()
    report(1, "reading every county's inventory")
    inputs, demo, notes = national_inputs(surveyed_counties(reform))
    if not inputs:
        raise NationalError(f"{reform.name}: no county has servers or server rooms in the inventory")
    externals = inputs[0].external_options
    share = 1 / (len(names) + 1)
    counties = prepare_counties(inputs, lambda pct, msg: report(share * pct, msg))
    prepared_s = time.perf_counter() - started  # shared by every scenario: counted in each one's time
    centres = load_centres(reform.code)
    hubs = load_hubs(centres, reform.code)
    results = []
    for k, name in enumerate(names):
        begun = time.perf_counter()

        def step(pct: float, msg: str, k: int = k, name: str = name) -> None:
            report(100 * share * (k + 1 + pct / 100), f"{name}: {msg}")

        try:
            plan = plan_national(counties, externals, centres, SCENARIOS[name], PARAMS, hubs,
                                 time_limit_s=time_limit_s, progress=step)
        except RoomPlanInfeasible as error:
            raise NationalError(f"{name}: {error}") from error
        results.append(result_json(reform, plan, counties, centres, notes, demo,
                                   prepared_s + time.perf_counter() - begun))
    return results


def result_json(reform: Reform, plan: NationalPlan, counties: Sequence[CountyHosts], centres: dict[str, Any],
                notes: list[NationalPlanRelaxation], demo: bool, elapsed_s: float) -> NationalPlanResult:
    """A national plan as JSON: the summary with its places, flows and the map's centres."""
    summary = cast(NationalPlanSummary, as_json(plan))
    codes = {c.inputs.code for c in counties}
    return {
        **summary,
        "reform": reform.code,
        "rooms_before": plan.rooms_before, "rooms_separate": plan.rooms_separate,
        "hosts_separate": plan.hosts_separate,
        "one_off_eur": plan.one_off_eur, "one_off_separate_eur": plan.one_off_separate_eur,
        "running_eur": plan.running_eur, "running_separate_eur": plan.running_separate_eur,
        "proven_optimal": plan.proven_optimal, "elapsed_s": round(elapsed_s, 1),
        "horizon_years": plan.horizon_years, "max_distance_km": plan.max_distance_km,
        "places": [{"id": p.id, "name": p.name, "kind": p.kind, "owner": p.owner, "latitude": p.latitude,
                    "longitude": p.longitude, "kept": p.kept, "hosts": p.hosts, "rack_units": p.rack_units,
                    "counties": list(p.counties)} for p in plan.places],
        "flows": [{"county": f.county, "place": f.place, "hosts": f.hosts} for f in plan.flows],
        "centres": [{"code": c.code, "name": c.name, "latitude": c.latitude, "longitude": c.longitude}
                    for code, c in sorted(centres.items()) if code in codes],
        "relaxations": [*notes, *(NationalPlanRelaxation(county=c.name, code=r, room="", security_class="")
                                  for c in plan.counties for r in c.relaxations)],
        "is_demo": demo,
        "computed_at": timezone.now().isoformat(),
    }


def relaxation_text(note: NationalPlanRelaxation) -> str:
    """A relaxed rule in the reader's language."""
    if note["code"] == "upgraded":
        text = _("%(room)s is assumed upgraded to class %(class)s for the workloads that must stay on "
                 "premises") % {"room": note["room"], "class": note["security_class"]}
    elif note["code"] == "unpinned":
        text = _("workloads that must stay on premises are planned like the others (no own server room)")
    else:
        text = _("no two of its places lie far enough apart for its rooms-apart groups: their workloads "
                 "are on separate hosts")
    return f"{note['county']}: {text}"


def latest_results(reform: Reform | None) -> NationalPlanResults:
    """The latest computed result of each national scenario of a reform, in the scenarios' order."""
    found: dict[str, NationalPlanResult] = {}
    if reform is not None:
        jobs = Job.objects.filter(kind=NATIONAL, status=JobStatus.SUCCEEDED, params__reform=reform.code)
        for job in jobs.order_by("-finished", "-pk"):
            for result in (job.result or {}).get("results", []):
                found.setdefault(result["scenario"], result)
    return {"reform": reform.code if reform else None, "scenarios": list(SCENARIOS),
            "results": [found[n] for n in SCENARIOS if n in found]}


def running_job(reform: Reform | None) -> Any:
    """The national job of a reform that is queued or running, if any."""
    if reform is None:
        return None
    return (Job.objects.filter(kind=NATIONAL, params__reform=reform.code,
                               status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).order_by("-pk").first())
