"""Background jobs of the systems app: plan every new municipality of a reform."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ictmerge.core.jobs import JobContext, job_handler
from ictmerge.engine.systems.scoring import Method
from ictmerge.reforms.models import Reform


@job_handler("systems.plan_all")
def plan_all_job(context: JobContext) -> dict[str, Any]:
    """Rationalise every new municipality of a reform (params: reform, method)."""
    from ictmerge.systems import services

    reform = Reform.objects.get(code=str(context.params.get("reform", "lv-2021")))
    method = Method(str(context.params.get("method", Method.TOPSIS)))
    results = services.plan_counties(services.counties_of(reform), method,
                                     progress=context.progress)
    return {"reform": reform.code, "method": method.value,
            "counties": [summary(services.county_json(r)) for r in results]}


def summary(plan: Mapping[str, Any]) -> dict[str, Any]:
    """One county's plan without its per-function detail."""
    return {key: value for key, value in plan.items() if key not in ("functions", "criteria", "budget_lines")}
