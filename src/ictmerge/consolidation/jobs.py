"""Background jobs of the consolidation app: run one scenario, or every county of a reform."""

from __future__ import annotations

from typing import Any

from ictmerge.core.jobs import JobContext, job_handler, start_job
from ictmerge.reforms.counties import county_url
from ictmerge.reforms.models import Reform

RUN = "consolidation.run"
RUN_ALL = "consolidation.run_all"


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


@job_handler(RUN_ALL)
def run_all_job(context: JobContext) -> dict[str, Any]:
    """Compute the plan scenario of every surveyed new municipality of a reform (params: reform)."""
    from ictmerge.consolidation import services

    reform = Reform.objects.get(code=str(context.params["reform"]))
    counties = services.surveyed_counties(reform)
    services.run_counties(counties, progress=context.progress)
    planned = services.plans_of_record(counties, figures_only=True)
    rows = [services.county_row(c, planned.get(c.pk)) for c in counties]
    return {"reform": reform.code, "totals": services.totals(rows)}


def start_run(user: Any, scenario: Any) -> Any:
    """Queue the computation of a scenario."""
    from ictmerge.consolidation.choices import RunStatus

    scenario.status = RunStatus.QUEUED
    scenario.save()
    return start_job(RUN, f"Consolidation plan: {scenario.municipality.name} — {scenario.name}",
                     {"scenario": scenario.pk}, user=user, municipality=scenario.municipality)


def start_run_all(user: Any, reform: Any) -> Any:
    """Queue the plans of every county of a reform."""
    return start_job(RUN_ALL, f"Consolidation plans: {reform.name}", {"reform": reform.code},
                     user=user)
