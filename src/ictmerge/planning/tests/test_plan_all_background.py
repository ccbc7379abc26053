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
