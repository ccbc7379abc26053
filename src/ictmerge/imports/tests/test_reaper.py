"""Import runs left "running" by a process that died are marked failed (issue 19, finding 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.core import management
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.choices import JobStatus
from ictmerge.core.jobs import run_periodic_checks
from ictmerge.core.models import Job
from ictmerge.imports.choices import RunStatus
from ictmerge.imports.models import ImportRun
from ictmerge.imports.services import import_file


def _dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])  # nosec B603 # this Python
    process.wait()
    return process.pid


def _runs() -> dict[str, ImportRun]:
    """A run of each kind: a dead web worker's, a failed job's, a live process's, a finished one."""
    dead_job = Job.objects.create(kind="imports.run", title="Import", status=JobStatus.FAILED)
    live_job = Job.objects.create(kind="imports.run", title="Import", status=JobStatus.RUNNING,
                                  worker_pid=os.getpid())
    return {
        "dead web worker": ImportRun.objects.create(import_type="devices", source="a.csv",
                                                    worker_pid=_dead_pid()),
        "failed job": ImportRun.objects.create(import_type="devices", source="b.csv",
                                               job=dead_job, worker_pid=os.getpid()),
        "live": ImportRun.objects.create(import_type="devices", source="c.csv", job=live_job,
                                         worker_pid=os.getpid()),
        "done": ImportRun.objects.create(import_type="devices", source="d.csv",
                                         status=RunStatus.IMPORTED, worker_pid=_dead_pid()),
    }


def _statuses(runs: dict[str, ImportRun]) -> dict[str, str]:
    return {name: ImportRun.objects.get(pk=run.pk).status for name, run in runs.items()}


@pytest.mark.django_db
def test_it_marks_runs_of_dead_processes_failed_at_worker_start(monkeypatch: Any) -> None:
    """GIVEN import runs left running by a killed web worker and by a job marked failed
    WHEN `ictmerge worker` starts THEN they are failed with a reason; a live run and a
    finished one stay as they were."""
    runs = _runs()
    monkeypatch.setattr(management, "call_command", lambda name, **options: None)

    result = CliRunner().invoke(app, ["worker", "--batch"])

    assert result.exit_code == 0, result.output
    assert _statuses(runs) == {"dead web worker": "failed", "failed job": "failed",
                               "live": "running", "done": "imported"}
    assert "process died" in ImportRun.objects.get(pk=runs["failed job"].pk).error


@pytest.mark.django_db
def test_it_marks_runs_of_dead_processes_failed_periodically() -> None:
    """GIVEN a run whose process died after the worker started WHEN the periodic checks run
    THEN it is failed, once."""
    runs = _runs()
    assert 2 in run_periodic_checks()
    assert _statuses(runs)["dead web worker"] == "failed"
    assert 0 in run_periodic_checks()


@pytest.mark.django_db
def test_it_records_the_process_of_an_import(world: Any) -> None:
    """GIVEN an import WHEN it runs THEN its run names this process (for the reaper)."""
    run = import_file(b"name\n", "devices.csv", "devices", municipality="A", dry_run=True)
    assert run.worker_pid == os.getpid()
