"""`plan run --all --background`: one job per county, shared by the workers, summed up at the
end; on PostgreSQL two real `ictmerge worker` processes share the queue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.consolidation.models import Scenario
from ictmerge.consolidation.tests.conftest import build_county
from ictmerge.core.jobs import run_queued
from ictmerge.core.models import Job

runner = CliRunner()


@pytest.mark.django_db
def test_plan_run_all_in_the_background_queues_a_job_per_county(county: Any) -> None:
    """GIVEN North with servers and South without WHEN `plan run --all --background` THEN one
    part per surveyed county is queued, and `job show` reports the parent once a worker ran
    them."""
    result = runner.invoke(app, ["plan", "run", "--all", "--reform", "test-reform",
                                 "--time-limit", "0.3", "--background", "--format", "json"])
    assert result.exit_code == 0, result.output
    queued = json.loads(result.output)
    parent = Job.objects.get(pk=queued["job"])
    assert queued["parts"] == 1 and not Scenario.objects.exists()
    assert parent.children.get().params == {"county": county.world.north.pk, "time_limit": 0.3}
    shown = runner.invoke(app, ["job", "show", str(parent.pk), "--format", "json"])
    assert shown.exit_code == 1 and json.loads(shown.output)["parts"][0]["status"] == "queued"
    run_queued()
    shown = runner.invoke(app, ["job", "show", str(parent.pk), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["status"] == "succeeded" and data["result"]["totals"]["counties"] == 1
    assert Scenario.objects.get().municipality == county.world.north


@pytest.mark.django_db
def test_plan_run_background_goes_with_all(county: Any) -> None:
    """GIVEN one county WHEN --background is asked THEN the command refuses and queues nothing."""
    result = runner.invoke(app, ["plan", "run", "--county", "N", "--reform", "test-reform",
                                 "--background"])
    assert result.exit_code == 1 and "--background goes with --all" in result.output
    assert not Job.objects.exists()


def _cli(args: list[str], environment: dict[str, str]) -> subprocess.Popen[str]:
    command = [str(Path(sys.executable).with_name("ictmerge")), *args]
    return subprocess.Popen(command, env=environment, text=True,  # nosec B603 # this venv's CLI
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
                    reason="two workers share a queue on PostgreSQL (SQLite: one worker)")
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_postgresql_share_a_plan_of_every_county(world: Any, tmp_path: Path) -> None:
    """GIVEN a county with servers, on PostgreSQL WHEN the plan of every county is queued and
    two `ictmerge worker --batch` processes run THEN every part ran exactly once and the parent
    was summed up once, with the national figures."""
    build_county(world)
    settings = connection.settings_dict
    url = (f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
           f"{settings['PORT'] or 5432}/{settings['NAME']}")
    environment = {**os.environ, "DATABASE_URL": url,
                   "DJANGO_SETTINGS_MODULE": "ictmerge.settings.dev",
                   "ICTMERGE_DATA_DIR": str(tmp_path)}
    queue = _cli(["plan", "run", "--all", "--reform", "test-reform", "--time-limit", "0.3",
                  "--background", "--format", "json"], environment)
    output, _ = queue.communicate(timeout=120)
    assert queue.returncode == 0, output
    parent = Job.objects.get(pk=json.loads(output.splitlines()[-1])["job"])
    workers = [_cli(["worker", "--batch"], environment) for _ in range(2)]
    for worker in workers:
        log, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0, log
    parent.refresh_from_db()
    assert parent.status == "succeeded", parent.error
    assert parent.result is not None
    assert parent.result["totals"]["counties"] == 1 and parent.worker_pid in {w.pid for w in workers}
    assert [(p.status, p.attempts) for p in parent.children.all()] == [("succeeded", 1)]
    assert parent.children.get().worker_pid in {w.pid for w in workers}
