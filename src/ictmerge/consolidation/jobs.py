"""Background jobs of the consolidation app: run one scenario, or every county of a reform."""

from __future__ import annotations

from typing import Any

from ictmerge.core.choices import JobStatus
from ictmerge.core.jobs import ChildJob, JobContext, job_handler, start_fan_out, start_job
from ictmerge.reforms.counties import county_url
from ictmerge.reforms.models import Municipality, Reform

RUN = "consolidation.run"
RUN_ALL = "consolidation.run_all"
RUN_COUNTY = "consolidation.run_county"


@job_handler(RUN)
def run_scenario_job(context: JobContext) -> dict[str, Any]:
    """Compute one scenario and store its result (params: scenario)."""
    from ictmerge.consolidation import services
    from ictmerge.consolidation.models import Scenario

    scenario = Scenario.objects.select_related("municipality__reform", "host_model").get(
        pk=int(context.params["scenario"]))
    services.run(scenario, context.progress)
    return {"scenario": scenario.pk, "servers_before": scenario.servers_before,
            "servers_after": scenario.servers_after, "lower_bound": scenario.lower_bound,
            "rooms_before": scenario.rooms_before, "rooms_after": scenario.rooms_after,
            "url": county_url("consolidation_county", scenario.municipality)
            + f"?scenario={scenario.pk}"}


@job_handler(RUN_COUNTY)
def run_county_job(context: JobContext) -> dict[str, Any]:
    """Plan one county of a plan of every county with its scenario to run (params: county,
    time_limit); run again, it computes the same scenario again (idempotent)."""
    from ictmerge.consolidation import services

    county = Municipality.objects.select_related("reform").get(pk=int(context.params["county"]))
    limit = context.params.get("time_limit")
    scenario = services.run(services.scenario_to_run(county, None if limit is None
                                                     else float(limit)), context.progress)
    return {"county": county.code, "scenario": scenario.pk,
            "servers_before": scenario.servers_before, "servers_after": scenario.servers_after,
            "lower_bound": scenario.lower_bound, "proven_optimal": scenario.proven_optimal}


@job_handler(RUN_ALL)
def run_all_job(context: JobContext) -> dict[str, Any]:
    """The fan-in of a plan of every county (params: reform): the national figures over the
    counties planned by its parts."""
    from ictmerge.consolidation import services

    reform = Reform.objects.get(code=str(context.params["reform"]))
    parts = context.job.children.select_related("municipality")
    counties = list(Municipality.objects.filter(
        pk__in=parts.values("municipality_id")).select_related("reform").order_by("name"))
    planned = services.plans_of_record(counties, figures_only=True)
    rows = [services.county_row(c, planned.get(c.pk)) for c in counties]
    failed = sorted(p.municipality.code for p in parts if p.status == JobStatus.FAILED)
    return {"reform": reform.code, "totals": services.totals(rows), "failed": failed}


def start_run(user: Any, scenario: Any) -> Any:
    """Queue the computation of a scenario."""
    from ictmerge.consolidation.choices import RunStatus

    scenario.status = RunStatus.QUEUED
    scenario.save()
    return start_job(RUN, f"Consolidation plan: {scenario.municipality.name} — {scenario.name}",
                     {"scenario": scenario.pk}, user=user, municipality=scenario.municipality)


def start_run_all(user: Any, reform: Any, time_limit_s: float | None = None) -> Any:
    """Queue the plan of every surveyed county of a reform: one job per county, for any
    number of workers to share, summed up by the last to finish."""
    from ictmerge.consolidation import services

    services.ensure_catalogues()  # once, before the workers start on the counties
    parts = [ChildJob(RUN_COUNTY, f"Consolidation plan: {county.name}",
                      {"county": county.pk, "time_limit": time_limit_s}, municipality=county)
             for county in services.surveyed_counties(reform)]
    return start_fan_out(RUN_ALL, f"Consolidation plans: {reform.name}",
                         {"reform": reform.code}, parts, user=user)


@job_handler("consolidation.national")
def national_job(context: JobContext) -> dict[str, Any]:
    """Plan national scenarios of a reform (params: reform, scenarios); the results are stored here."""
    from ictmerge.consolidation import national

    reform = Reform.objects.get(code=str(context.params["reform"]))
    names = list(context.params.get("scenarios") or national.SCENARIOS)
    results = national.compute_national(reform, names, context.progress)
    return {"reform": reform.code, "results": results}


def start_national(user: Any, reform: Any, scenarios: list[str] | None = None) -> Any:
    """Queue the national optimisation of a reform (every scenario unless some are named)."""
    from ictmerge.consolidation import national

    names = scenarios or list(national.SCENARIOS)
    return start_job(national.NATIONAL, f"National optimisation: {reform.name}",
                     {"reform": reform.code, "scenarios": names}, user=user)
