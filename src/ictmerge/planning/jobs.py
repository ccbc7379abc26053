"""Background jobs of the planning app: scheduling one county, or every county of a reform."""

from __future__ import annotations

from typing import Any

from ictmerge.core.choices import JobStatus
from ictmerge.core.jobs import ChildJob, JobContext, job_handler, start_fan_out
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


@job_handler("planning.plan_county")
def plan_county_job(context: JobContext) -> dict[str, Any]:
    """Generate, schedule and sum up one county's plan, a part of a plan of every county
    (params: county); run again, it plans the county again (idempotent)."""
    from django.contrib.auth import get_user_model

    from ictmerge.planning import services

    county = Municipality.objects.select_related("reform").get(pk=context.params["county"])
    user = (get_user_model().objects.filter(pk=context.job.user_id).first()
            if context.job.user_id else None)
    outcome = services.plan_county(county, user, progress=context.progress)
    return {"county": county.code, "makespan_days": outcome.schedule.makespan,
            "late_tasks": len(outcome.schedule.late_tasks)}


@job_handler("planning.plan_all")
def plan_all_job(context: JobContext) -> dict[str, Any]:
    """The fan-in of the plan of every new municipality (params: reform): each county's
    makespan and late tasks, from its part."""
    reform = Reform.objects.get(pk=context.params["reform"])
    parts = context.job.children.filter(status=JobStatus.SUCCEEDED).order_by("pk")
    results = {part.result["county"]: {"makespan_days": part.result["makespan_days"],
                                       "late_tasks": part.result["late_tasks"]}
               for part in parts if part.result}
    failed = sorted(p.municipality.code for p in context.job.children.filter(
        status=JobStatus.FAILED).select_related("municipality") if p.municipality)
    return {"reform": reform.code, "counties": results, "failed": failed}


def start_plan_all(reform: Reform, title: str, user: Any = None) -> Any:
    """Queue the plan of every new municipality of a reform: one job per county, for any
    number of workers to share, summed up by the last to finish."""
    from ictmerge.planning import services

    parts = [ChildJob("planning.plan_county", f"Action plan: {county.name}",
                      {"county": county.pk}, municipality=county)
             for county in services.counties_of(reform)]
    return start_fan_out("planning.plan_all", title, {"reform": reform.pk}, parts, user=user)
