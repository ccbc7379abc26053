"""Background jobs of the planning app: scheduling one county, or every county of a reform."""

from __future__ import annotations

from typing import Any

from ictmerge.core.jobs import JobContext, job_handler
from ictmerge.reforms.models import Municipality, Reform


@job_handler("planning.schedule")
def schedule_job(context: JobContext) -> dict[str, Any]:
    """Generate (when asked or when empty) and schedule one county's plan (params: county)."""
    from django.contrib.auth import get_user_model

    from ictmerge.planning import services

    county = Municipality.objects.select_related("reform").get(pk=context.params["county"])
    user = (get_user_model().objects.filter(pk=context.job.user_id).first()
            if context.job.user_id else None)
    if context.params.get("generate"):
        context.progress(2, f"Generating the tasks of {county.name}.")
        services.generate_action_plan(county, user)
    outcome = services.schedule_action_plan(county, user, progress=context.progress)
    return {"county": county.code, "tasks": outcome.tasks,
            "makespan_days": outcome.schedule.makespan,
            "lower_bound_days": outcome.schedule.lower_bound,
            "deadline_days": outcome.deadline_days,
            "late_tasks": len(outcome.schedule.late_tasks),
            "proven_optimal": outcome.schedule.proven_optimal}


@job_handler("planning.plan_all")
def plan_all_job(context: JobContext) -> dict[str, Any]:
    """Generate, schedule and sum up the plan of every new municipality (params: reform)."""
    from django.contrib.auth import get_user_model

    from ictmerge.planning import services

    reform = Reform.objects.get(pk=context.params["reform"])
    user = (get_user_model().objects.filter(pk=context.job.user_id).first()
            if context.job.user_id else None)
    counties = services.counties_of(reform)
    results = {}
    for index, county in enumerate(counties):
        context.progress(100 * index / max(len(counties), 1), f"{county.name}")
        outcome = services.plan_county(county, user)
        results[county.code] = {"makespan_days": outcome.schedule.makespan,
                                "late_tasks": len(outcome.schedule.late_tasks)}
    return {"reform": reform.code, "counties": results}
