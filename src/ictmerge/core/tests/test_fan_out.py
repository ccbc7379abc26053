"""Fan-out jobs: one job per part for any number of workers, summed up by the last to end;
a failing part fails alone, a retry redoes only the failed parts; a worker on another machine
is taken for dead only when its heartbeat stops."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

import pytest
from django.utils import timezone

from ictmerge.core import jobs
from ictmerge.core.choices import JobStatus
from ictmerge.core.jobs import ChildJob, job_handler, retry_job, run_job, run_queued, start_fan_out
from ictmerge.core.models import Job

#: Parts told to fail (by their number) until a test clears it.
FAILING: set[int] = set()


@job_handler("test.part")
def _part(context: jobs.JobContext) -> dict[str, Any]:
    number = int(context.params["number"])
    if number in FAILING:
        raise RuntimeError(f"part {number} broke")
    context.progress(50, f"part {number}")
    return {"square": number * number}


@job_handler("test.sum")
def _sum(context: jobs.JobContext) -> dict[str, Any]:
    parts = context.job.children.filter(status=JobStatus.SUCCEEDED)
    return {"sum": sum(p.result["square"] for p in parts), "parts": parts.count()}


def _fan_out(numbers: range) -> Any:
    return start_fan_out("test.sum", "Sum of squares", {}, [
        ChildJob("test.part", f"Part {n}", {"number": n}) for n in numbers])


@pytest.fixture(autouse=True)
def _no_failing_parts() -> Any:
    FAILING.clear()
    yield
    FAILING.clear()


@pytest.mark.django_db
def test_it_runs_every_part_once_and_sums_them_up_at_the_end() -> None:
    """GIVEN a fan-out of 4 parts WHEN a worker runs the queue THEN each part ran once and the
    parent holds the sum, with its progress following the parts."""
    parent = _fan_out(range(1, 5))
    assert parent.status == JobStatus.RUNNING and parent.children.count() == 4
    assert run_queued(limit=2) == 2
    parent.refresh_from_db()
    assert parent.status == JobStatus.RUNNING and parent.progress == 50
    assert run_queued() == 2
    parent.refresh_from_db()
    assert parent.status == JobStatus.SUCCEEDED, parent.error
    assert parent.result == {"sum": 1 + 4 + 9 + 16, "parts": 4}
    assert [p.attempts for p in parent.children.all()] == [1, 1, 1, 1]
    assert all(p.worker_pid == os.getpid() and p.worker_host for p in parent.children.all())


@pytest.mark.django_db
def test_it_lets_one_failing_part_fail_alone_and_retries_only_it() -> None:
    """GIVEN part 2 of 3 failing WHEN the queue runs THEN parts 1 and 3 succeed and the parent
    fails naming part 2; WHEN retried after the cause is gone THEN only part 2 runs again."""
    FAILING.add(2)
    parent = _fan_out(range(1, 4))
    run_queued()
    parent.refresh_from_db()
    assert parent.status == JobStatus.FAILED
    assert "1 of 3 parts failed" in parent.error and "Part 2: RuntimeError: part 2 broke" in parent.error
    assert parent.result == {"sum": 1 + 9, "parts": 2}
    statuses = dict(parent.children.values_list("title", "status"))
    assert statuses == {"Part 1": "succeeded", "Part 2": "failed", "Part 3": "succeeded"}
    FAILING.clear()
    retry_job(parent)
    parent.refresh_from_db()
    assert parent.status == JobStatus.RUNNING and parent.result is None
    assert run_queued() == 1
    parent.refresh_from_db()
    assert parent.status == JobStatus.SUCCEEDED and parent.result == {"sum": 14, "parts": 3}
    attempts = dict(parent.children.values_list("title", "attempts"))
    assert attempts == {"Part 1": 1, "Part 2": 2, "Part 3": 1}


@pytest.mark.django_db
def test_it_runs_a_job_handed_to_two_workers_once() -> None:
    """GIVEN a part already claimed by a worker WHEN another worker is handed it THEN it does
    not run it again."""
    parent = _fan_out(range(3, 4))
    part = parent.children.get()
    Job.objects.filter(pk=part.pk).update(status=JobStatus.RUNNING, worker_host="elsewhere",
                                          worker_pid=1)
    again = run_job(part.pk)
    assert again.status == JobStatus.RUNNING and again.attempts == 0 and again.result is None
    assert run_job(parent.pk).status == JobStatus.RUNNING  # a waiting parent is not run either


@pytest.mark.django_db
def test_it_sums_up_a_fan_out_without_parts_at_once(django_capture_on_commit_callbacks: Any) -> None:
    """GIVEN a fan-out with no part WHEN it commits THEN the parent is summed up at once."""
    with django_capture_on_commit_callbacks(execute=True):
        parent = _fan_out(range(0))
    parent.refresh_from_db()
    assert parent.status == JobStatus.SUCCEEDED and parent.result == {"sum": 0, "parts": 0}


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])  # nosec B603 # this Python
    process.wait()
    return process.pid


@pytest.mark.django_db
def test_it_reaps_a_dead_worker_here_and_a_silent_one_elsewhere_but_not_a_live_one() -> None:
    """GIVEN parts running on this machine in a dead process, on another machine with a fresh
    heartbeat and on another with none for longer than the lease THEN the first and the last
    are failed, the fan-in runs, and the live one is left alone."""
    parent = _fan_out(range(1, 5))
    first, live, silent, done = parent.children.order_by("pk")
    old = timezone.now() - dt.timedelta(seconds=jobs.LEASE_SECONDS + 1)
    Job.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING, worker_host=jobs.worker_host(),
                                           worker_pid=_dead_pid())
    Job.objects.filter(pk=live.pk).update(status=JobStatus.RUNNING, worker_host="other-machine",
                                          worker_pid=os.getpid(), heartbeat=timezone.now())
    Job.objects.filter(pk=silent.pk).update(status=JobStatus.RUNNING, worker_host="third-machine",
                                            worker_pid=os.getpid(), heartbeat=old, started=old)
    run_job(done.pk)
    assert jobs.fail_abandoned_jobs() == 2
    statuses = dict(parent.children.values_list("pk", "status"))
    assert statuses == {first.pk: "failed", live.pk: "running", silent.pk: "failed",
                        done.pk: "succeeded"}
    assert "third-machine" in Job.objects.get(pk=silent.pk).error
    parent.refresh_from_db()
    assert parent.status == JobStatus.RUNNING and parent.progress == 75  # waits for the live one
    Job.objects.filter(pk=live.pk).update(heartbeat=old)
    assert jobs.fail_abandoned_jobs() == 1
    parent.refresh_from_db()
    assert parent.status == JobStatus.FAILED and "3 of 4 parts failed" in parent.error


@pytest.mark.django_db
def test_the_job_page_and_the_api_show_the_parts_and_their_workers(world: Any) -> None:
    """GIVEN a fan-out of 3 parts, one run and one failed WHEN the administrator opens the
    job's page and asks the API for its parts THEN both give each part's status and worker."""
    from rest_framework.test import APIClient

    FAILING.add(2)
    parent = _fan_out(range(1, 4))
    run_queued(limit=2)
    client = APIClient()
    client.force_login(world.users["admin"])
    page = client.get(parent.get_absolute_url()).content.decode()
    assert "Pabeigtas 2 no 3 daļām" in page and "Part 2" in page and "Part 3" in page
    assert "Part 1<" not in page  # the succeeded part is counted, not listed
    assert f"{jobs.worker_host()}:{os.getpid()}" in page
    rows = client.get(f"/api/jobs/?parent={parent.pk}").json()["results"]
    assert sorted((r["title"], r["status"], r["worker_pid"]) for r in rows) == [
        ("Part 1", "succeeded", os.getpid()), ("Part 2", "failed", os.getpid()),
        ("Part 3", "queued", None)]
