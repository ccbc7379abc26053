"""Background jobs: long work queued through Django tasks, with progress a user can see."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import socket
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from ictmerge.core.choices import JobStatus
from ictmerge.core.history import acting_as

JobHandler = Callable[["JobContext"], Any]
_HANDLERS: dict[str, JobHandler] = {}

#: Checks the worker runs at start and then periodically (e.g. the handover on the reform
#: date); each is cheap, and queues a job when it finds work.
PeriodicCheck = Callable[[], Any]
Check = TypeVar("Check", bound=PeriodicCheck)
_PERIODIC_CHECKS: list[PeriodicCheck] = []


class JobContext:
    """What a handler gets: its parameters and a way to report progress."""

    def __init__(self, job: Any) -> None:
        self.job = job
        self.params: dict[str, Any] = dict(job.params)

    def progress(self, percent: float, message: str | None = None) -> None:
        """Report progress (0-100) and an optional message, visible at once.

        A handler usually writes inside one transaction (all or nothing), where a progress
        update in the database would stay invisible until the end, and on SQLite could not
        be written from another connection either. So progress goes to a small file beside
        the database, which the job page reads while the job runs, and to the job record
        whenever no transaction is open.
        """
        from django.db import connection

        from ictmerge.core.models import Job

        self.job.progress = max(0, min(100, int(percent)))
        if message:
            self.job.messages = [*self.job.messages, message][-200:]
        write_live_progress(self.job.pk, self.job.progress, self.job.messages)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(
                progress=self.job.progress, messages=self.job.messages
            )


def _live_progress_path(job_id: int) -> Any:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "jobs" / f"{job_id}.json"


def write_live_progress(job_id: int, percent: int, messages: list[str]) -> None:
    """Write a running job's progress where the web process can read it at once."""
    path = _live_progress_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"progress": percent, "messages": messages}))
    temporary.replace(path)


def read_live_progress(job: Any) -> tuple[int, list[str]]:
    """A job's progress and messages: the live file while it runs, else the record."""
    from ictmerge.core.choices import JobStatus

    if job.status == JobStatus.RUNNING:
        try:
            data = json.loads(_live_progress_path(job.pk).read_text())
        except (OSError, ValueError):
            pass
        else:
            return int(data["progress"]), list(data["messages"])
    return job.progress, list(job.messages)


def job_handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    """Register the function that does the work of a job kind."""

    def register(function: JobHandler) -> JobHandler:
        _HANDLERS[kind] = function
        return function

    return register


def periodic_check(function: Check) -> Check:
    """Register a check for the worker to run at start and then every interval."""
    if function not in _PERIODIC_CHECKS:
        _PERIODIC_CHECKS.append(function)
    return function


def run_periodic_checks() -> list[Any]:
    """Run every registered check once; a failing check is logged, never stops the worker."""
    import logging

    results = []
    for check in list(_PERIODIC_CHECKS):
        try:
            results.append(check())
        except Exception:  # one broken check must not stop the jobs
            logging.getLogger(__name__).exception("periodic check %s failed", check.__name__)
    return results


def autodiscover(module: str) -> None:
    """Import a module of that name from every ictmerge app that has one."""
    for config in apps.get_app_configs():
        if config.name.startswith("ictmerge."):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.{module}":
                    raise


def start_job(
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    user: Any = None,
    municipality: Any = None,
) -> Any:
    """Create a job record and queue it; returns the job."""
    from ictmerge.core.models import Job

    if kind not in _HANDLERS:
        raise ValueError(f"Unknown job kind: {kind}")
    job = Job.objects.create(
        kind=kind,
        title=title,
        params=params or {},
        user=user if user is not None and getattr(user, "pk", None) else None,
        municipality=municipality,
    )
    transaction.on_commit(lambda: execute_job.enqueue(job.pk))
    return job


#: How often a worker on PostgreSQL marks the job it runs as alive, and how long a job on
#: another machine may go without that sign before the reaper takes its worker for dead.
HEARTBEAT_SECONDS = 30
LEASE_SECONDS = 300


@dataclass(frozen=True)
class ChildJob:
    """One part of a fan-out job (e.g. one county of a plan of every county)."""

    kind: str
    title: str
    params: dict[str, Any]
    municipality: Any = None


def start_fan_out(kind: str, title: str, params: dict[str, Any], children: Sequence[ChildJob],
                  user: Any = None) -> Any:
    """Queue one job per part, for any number of workers on any machines to share, under a
    parent job; when the last part ends, the parent's handler sums them up (the fan-in).

    A part that fails fails alone: the others run on, and the parent then fails naming the
    parts that did, with the sum of the rest; retrying the parent queues those parts again.
    """
    from ictmerge.core.models import Job

    for kind_ in (kind, *(c.kind for c in children)):
        if kind_ not in _HANDLERS:
            raise ValueError(f"Unknown job kind: {kind_}")
    owner = user if user is not None and getattr(user, "pk", None) else None
    with transaction.atomic():  # the parent and its parts appear together
        parent = Job.objects.create(kind=kind, title=title, params=params, user=owner,
                                    status=JobStatus.RUNNING, started=timezone.now(), attempts=1)
        Job.objects.bulk_create(
            (Job(kind=c.kind, title=c.title, params=c.params, user=owner,
                 municipality=c.municipality, parent=parent) for c in children),
            batch_size=500)
        ids = list(Job.objects.filter(parent=parent).order_by("pk").values_list("pk", flat=True))

        def enqueue() -> None:
            for job_id in ids:
                execute_job.enqueue(job_id)
            if not ids:
                fan_in(parent.pk)

        transaction.on_commit(enqueue)
    return parent


def worker_host() -> str:
    """The name of this machine, as jobs record it."""
    return socket.gethostname()[:255]


def _heartbeat(job_id: int) -> threading.Event | None:
    """Mark the job alive every HEARTBEAT_SECONDS from a thread until the event is set
    (not on SQLite: one machine, where the process check suffices, and one writer at a time)."""
    from django.db import connection, connections

    from ictmerge.core.models import Job

    if connection.vendor == "sqlite":
        return None
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
                    heartbeat=timezone.now())
        finally:
            connections.close_all()  # this thread's connection

    threading.Thread(target=beat, name=f"ictmerge-heartbeat-{job_id}", daemon=True).start()
    return stop


def run_job(job_id: int) -> Any:
    """Run one queued job now, in this process; marks it succeeded or failed.

    The job is claimed by one conditional update (queued to running), so of two workers
    handed the same job (a retry queued twice) one runs it and the other returns.
    """
    from ictmerge.core.models import Job

    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started=now, heartbeat=now, attempts=F("attempts") + 1,
        worker_pid=os.getpid(), worker_host=worker_host(), error="")
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job
    context = JobContext(job)
    user = get_user_model().objects.filter(pk=job.user_id).first() if job.user_id else None
    beating = _heartbeat(job.pk)
    try:
        with acting_as(user):
            result = _HANDLERS[job.kind](context)
    except Exception as error:  # the job records every failure with its reason
        messages = list(context.job.messages)
        job.refresh_from_db()
        job.status = JobStatus.FAILED
        job.error = f"{type(error).__name__}: {error}\n\n{traceback.format_exc(limit=5)}"
    else:
        messages = list(context.job.messages)
        job.refresh_from_db()
        job.status = JobStatus.SUCCEEDED
        job.progress = 100
        job.result = result
    finally:
        if beating is not None:
            beating.set()
    job.messages = messages
    job.finished = timezone.now()
    job.save(update_fields=["status", "progress", "result", "error", "finished", "messages"])
    _live_progress_path(job.pk).unlink(missing_ok=True)
    if job.parent_id is not None:
        fan_in(job.parent_id)
    return job


def fan_in(parent_id: int) -> Any:
    """After a part of a fan-out job ends: update the parent's progress and, once every part
    has ended, run the parent's handler (one worker does: it claims the parent first)."""
    from ictmerge.core.models import Job

    parts = Job.objects.filter(parent_id=parent_id)
    total = parts.count()
    done = parts.filter(status__in=(JobStatus.SUCCEEDED, JobStatus.FAILED)).count()
    waiting = Job.objects.filter(pk=parent_id, status=JobStatus.RUNNING, worker_host="")
    waiting.update(progress=min(99, 100 * done // max(total, 1)))
    if done < total:
        return None
    # Of the workers that ended the last parts at once, the one whose update lands sums up.
    if not waiting.update(worker_host=worker_host(), worker_pid=os.getpid(),
                          heartbeat=timezone.now()):
        return None
    parent = Job.objects.get(pk=parent_id)
    failed = list(parts.filter(status=JobStatus.FAILED).order_by("pk"))
    context = JobContext(parent)
    user = get_user_model().objects.filter(pk=parent.user_id).first() if parent.user_id else None
    try:
        with acting_as(user):
            parent.result = _HANDLERS[parent.kind](context)
    except Exception as error:  # the fan-in records its failure like any job
        parent.status = JobStatus.FAILED
        parent.error = f"{type(error).__name__}: {error}\n\n{traceback.format_exc(limit=5)}"
    else:
        parent.status = JobStatus.FAILED if failed else JobStatus.SUCCEEDED
        parent.error = ("" if not failed else
                        f"{len(failed)} of {total} parts failed (retry the job to run them "
                        "again): " + "; ".join(f"{job.title}: {job.error.splitlines()[0]}"
                                               for job in failed))
    parent.progress = 100
    parent.messages = list(context.job.messages)
    parent.finished = timezone.now()
    parent.save(update_fields=["status", "progress", "result", "error", "finished", "messages"])
    return parent


def run_queued(limit: int | None = None) -> int:
    """Run the queued jobs in this process, oldest first (tests, and one worker on SQLite
    without the task queue); returns how many ran."""
    from ictmerge.core.models import Job

    ran = 0
    while limit is None or ran < limit:
        job_id = (Job.objects.filter(status=JobStatus.QUEUED).order_by("pk")
                  .values_list("pk", flat=True).first())
        if job_id is None:
            break
        run_job(job_id)
        ran += 1
    return ran


def fail_abandoned_jobs() -> int:
    """Mark running jobs whose worker is gone as failed, so they can be retried: on this
    machine, when the worker's process is gone; on another, when its heartbeat is older
    than LEASE_SECONDS. A fan-out job waiting for its parts has no worker of its own."""
    from ictmerge.core.models import Job

    here = worker_host()
    stale = timezone.now() - dt.timedelta(seconds=LEASE_SECONDS)
    failed = 0
    parents: set[int] = set()
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if job.worker_host == "" and job.children.exists():
            continue  # a fan-out job waiting for its parts
        if job.worker_host in ("", here):
            if job.worker_pid and process_alive(job.worker_pid):
                continue
            reason = "The worker stopped before the job finished (the process died)."
        else:
            if (job.heartbeat or job.started or timezone.now()) > stale:
                continue
            reason = (f"The worker on {job.worker_host} stopped before the job finished "
                      f"(no sign of life for {LEASE_SECONDS} s).")
        job.status = JobStatus.FAILED
        job.error = reason
        job.finished = timezone.now()
        job.save(update_fields=["status", "error", "finished"])
        failed += 1
        if job.parent_id is not None:
            parents.add(job.parent_id)
    for parent_id in sorted(parents):
        fan_in(parent_id)
    return failed


def retry_job(job: Any) -> Any:
    """Queue a failed job again; of a fan-out job, the parts that failed (the others keep
    their results, so a retry redoes no finished work)."""
    from ictmerge.core.models import Job

    parts = list(Job.objects.filter(parent=job, status=JobStatus.FAILED).order_by("pk"))
    if job.parent_id is None and Job.objects.filter(parent=job).exists():
        job.status = JobStatus.RUNNING
        job.progress = 0
        job.error = ""
        job.result = None
        job.finished = None
        job.worker_host = ""
        job.worker_pid = None
        job.attempts += 1
        job.save(update_fields=["status", "progress", "error", "result", "finished",
                                "worker_host", "worker_pid", "attempts"])
        for part in parts:
            retry_job(part)
        if not parts:
            transaction.on_commit(lambda: fan_in(job.pk))
        return job
    job.status = JobStatus.QUEUED
    job.progress = 0
    job.error = ""
    job.save(update_fields=["status", "progress", "error"])
    if job.parent_id is not None:  # the parent waits for this part again
        Job.objects.filter(pk=job.parent_id).exclude(status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, worker_host="", worker_pid=None, finished=None, error="")
    transaction.on_commit(lambda: execute_job.enqueue(job.pk))
    return job


def process_alive(pid: int) -> bool:
    """True while a process of that id runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@task()
def execute_job(job_id: int) -> None:
    """The Django task that runs an ictmerge job."""
    run_job(job_id)


def running_jobs(municipality_ids: Iterable[int],
                 reform_keys: Iterable[int | str] | None = ()) -> list[Any]:
    """Jobs queued or running for any of the municipalities (a county's ids), or for a whole
    reform (named in their parameters by id or code; None: any reform), oldest first, with
    live progress.

    The banner of every county page and the cockpit read them; a job's existence and progress
    say nothing of records, so they show to everyone who sees the county.
    """
    from django.db.models import Q

    from ictmerge.core.models import Job

    condition = Q(municipality_id__in=list(municipality_ids))
    if reform_keys is None:
        condition |= Q(municipality__isnull=True, params__has_key="reform")
    for key in reform_keys or ():
        condition |= Q(municipality__isnull=True, params__reform=key)
    jobs = list(Job.objects.filter(condition, status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
                .order_by("created", "pk")[:10])
    for job in jobs:
        job.progress, job.messages = read_live_progress(job)
    return jobs
