"""Faults: a worker killed with SIGKILL in the middle of a large write leaves nothing half-done.

The demo load (about 75,000 devices and their history, written in one transaction) stands
in for a large import. The worker runs in its own process on a SQLite file; the test kills
it while the job reports progress, then checks that the database holds none of the job's
records, that the job shows as failed with its reason once a worker starts again, and that
a retry succeeds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "ictmerge.settings.dev", "DEBUG": "0",
                "ICTMERGE_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO / "src")})
    return env


def _python(code: str, env: dict[str, str]) -> Any:
    script = ("import django, json; django.setup()\n" + code)
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, check=True, cwd=REPO)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "ictmerge.cli", *args], env=env, check=True,
                   capture_output=True, cwd=REPO)


STATE = """
from ictmerge.core.models import Job
from ictmerge.inventory.models import Device
from ictmerge.core.jobs import read_live_progress
job = Job.objects.get(pk={job})
progress, messages = read_live_progress(job)
print(json.dumps({{"status": job.status, "error": job.error, "progress": progress,
                   "devices": Device.objects.count()}}))
"""


def test_a_killed_worker_leaves_no_partial_write_and_the_retry_succeeds(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _cli(env, "migrate")
    _cli(env, "reform", "load", "lv-2021")
    job_id = _python(
        "from django.db import transaction\n"
        "from ictmerge.core.jobs import start_job\n"
        "with transaction.atomic():\n"
        "    job = start_job('demo.load', 'Demo', {'reform': 'lv-2021', 'seed': 3})\n"
        "print(json.dumps(job.pk))", env)
    worker = subprocess.Popen([sys.executable, "-m", "ictmerge.cli", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        deadline = time.monotonic() + 120
        state: dict[str, Any] = {}
        while time.monotonic() < deadline:
            state = _python(STATE.format(job=job_id), env)
            if state["status"] == "running" and state["progress"] >= 20:
                break
            time.sleep(0.3)
        assert state.get("status") == "running", f"the job never got going: {state}"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    state = _python(STATE.format(job=job_id), env)
    assert state["devices"] == 0, "a killed job must leave no partial write"
    # A new worker marks the abandoned job failed, with its reason.
    _cli(env, "worker", "--batch")
    state = _python(STATE.format(job=job_id), env)
    assert state["status"] == "failed"
    assert "process died" in state["error"]
    _cli(env, "job", "retry", str(job_id))
    _cli(env, "worker", "--batch")
    state = _python(STATE.format(job=job_id), env)
    assert state["status"] == "succeeded", state
    assert state["devices"] > 68_448  # computers alone are 68,448


PLAN_STATE = """
from ictmerge.consolidation.choices import RunStatus
from ictmerge.consolidation.models import Scenario
from ictmerge.core.jobs import read_live_progress
from ictmerge.core.models import Job
job = Job.objects.get(pk={job})
progress, messages = read_live_progress(job)
done = whole = 0
for s in Scenario.objects.all():
    stored = (s.result, s.servers_after, s.rooms_after, s.annual_saving_eur, s.run_at)
    if s.status == RunStatus.DONE:
        done += 1
        whole += all(v not in (None, {{}}) for v in stored) and "servers_after" in s.result
    else:
        whole += all(v in (None, {{}}) for v in stored)
print(json.dumps({{"status": job.status, "error": job.error, "progress": progress,
                   "scenarios": Scenario.objects.count(), "done": done, "whole": whole}}))
"""


def _running_part(database: Path, parent: int) -> tuple[int | None, int]:
    """The part of a fan-out job running now (if any) and how many parts have succeeded."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
        rows = db.execute("SELECT id, status FROM core_job WHERE parent_id = ?", (parent,)).fetchall()
    running = [pk for pk, status in rows if status == "running"]
    return (running[0] if running else None), sum(status == "succeeded" for _, status in rows)


def test_a_worker_killed_while_planning_leaves_no_half_written_plan(tmp_path: Path) -> None:
    """GIVEN the Latvian demo and the consolidation plans of every county queued as one job per
    county WHEN the worker is killed with SIGKILL in the middle of a county, once a fifth of the
    counties are planned THEN every stored scenario is either complete or untouched (no
    half-written result), the killed county's part shows as failed with its reason once a worker
    starts again, the plan of every county fails naming it, and a retry plans them all."""
    env = _env(tmp_path)
    _cli(env, "migrate")
    _cli(env, "reform", "load", "lv-2021")
    _cli(env, "demo", "load", "--reform", "lv-2021", "--seed", "1")
    job_id = _python(
        "from django.db import transaction\n"
        "from ictmerge.consolidation.jobs import start_run_all\n"
        "from ictmerge.reforms.models import Reform\n"
        "with transaction.atomic():\n"
        "    job = start_run_all(None, Reform.objects.get(code='lv-2021'))\n"
        "print(json.dumps(job.pk))", env)
    worker = subprocess.Popen([sys.executable, "-m", "ictmerge.cli", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    killed_part = None
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and worker.poll() is None and killed_part is None:
            with contextlib.suppress(sqlite3.Error):
                part, succeeded = _running_part(tmp_path / "ictmerge.sqlite3", job_id)
                progress_file = tmp_path / "jobs" / f"{part}.json"  # what the running part writes
                with contextlib.suppress(OSError, ValueError):
                    progress = json.loads(progress_file.read_text())["progress"]
                    if part is not None and succeeded >= 8 and 20 <= progress < 90:
                        worker.send_signal(signal.SIGKILL)  # in the middle of this county
                        killed_part = part
            time.sleep(0.05)
        assert killed_part is not None, "the worker never got a fifth of the way"
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    state = _python(PLAN_STATE.format(job=killed_part), env)
    assert state["status"] == "running"  # as the dead worker left it
    assert state["whole"] == state["scenarios"], f"a half-written scenario: {state}"
    assert state["done"] > 0, state
    killed = state
    _cli(env, "worker", "--batch")
    state = _python(PLAN_STATE.format(job=killed_part), env)
    assert state["status"] == "failed"
    assert "process died" in state["error"]
    assert _python(PLAN_STATE.format(job=job_id), env)["status"] == "failed"
    _cli(env, "job", "retry", str(job_id))
    _cli(env, "worker", "--batch")
    state = _python(PLAN_STATE.format(job=job_id), env)
    assert state["status"] == "succeeded", state
    assert state["done"] == state["scenarios"] == state["whole"] >= 30, state
    assert killed["done"] < state["done"], "the kill came after the last plan"


