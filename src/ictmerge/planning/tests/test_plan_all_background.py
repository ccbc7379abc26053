"""`ictmerge actions plan-all --background` queues the job instead of planning at once."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.models import Job


@pytest.mark.django_db
def test_plan_all_in_the_background_queues_one_job(world: Any, monkeypatch: Any) -> None:
    """GIVEN a reform WHEN plan-all runs with --background THEN one planning job is queued
    with the reform, and nothing is planned in the command itself."""
    from ictmerge.planning import services

    monkeypatch.setattr(services, "plan_county", lambda *a, **k: pytest.fail("planned at once"))
    result = CliRunner().invoke(app, ["actions", "plan-all", "--reform", world.reform.code,
                                      "--background"])
    assert result.exit_code == 0, result.output
    job = Job.objects.get(kind="planning.plan_all")
    assert job.params == {"reform": world.reform.pk}


@pytest.mark.django_db
def test_plan_all_fans_out_one_job_per_county_and_sums_them_up(world: Any) -> None:
    """GIVEN plan-all queued in the background WHEN a worker runs the queue THEN each new
    municipality was planned by a job of its own and the plan-all job lists every county."""
    from ictmerge.core.jobs import run_queued
    from ictmerge.planning import services

    result = CliRunner().invoke(app, ["actions", "plan-all", "--reform", world.reform.code,
                                      "--background"])
    assert result.exit_code == 0, result.output
    job = Job.objects.get(kind="planning.plan_all")
    counties = services.counties_of(world.reform)
    assert [p.municipality for p in job.children.order_by("municipality__name")] == counties
    assert run_queued() == len(counties)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result is not None and sorted(job.result["counties"]) == sorted(
        c.code for c in counties)
