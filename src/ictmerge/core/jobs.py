"""Background jobs: long work queued through Django tasks, with progress a user can see."""

from __future__ import annotations

import importlib
import json
import os
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
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


def run_job(job_id: int) -> Any:
    """Run one queued job now, in this process; marks it succeeded or failed."""
    from ictmerge.core.models import Job

    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return job
    job.status = JobStatus.RUNNING
    job.started = timezone.now()
    job.attempts += 1
    job.worker_pid = os.getpid()
    job.error = ""
    job.save(update_fields=["status", "started", "attempts", "worker_pid", "error"])
    context = JobContext(job)
    user = get_user_model().objects.filter(pk=job.user_id).first() if job.user_id else None
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
    job.messages = messages
    job.finished = timezone.now()
    job.save(update_fields=["status", "progress", "result", "error", "finished", "messages"])
    _live_progress_path(job.pk).unlink(missing_ok=True)
    return job


def fail_abandoned_jobs() -> int:
    """Mark running jobs whose worker process is gone as failed, so they can be retried."""
    from ictmerge.core.models import Job

    failed = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if job.worker_pid and process_alive(job.worker_pid):
            continue
        job.status = JobStatus.FAILED
        job.error = "The worker stopped before the job finished (the process died)."
        job.finished = timezone.now()
        job.save(update_fields=["status", "error", "finished"])
        failed += 1
    return failed


def retry_job(job: Any) -> Any:
    """Queue a failed job again."""
    job.status = JobStatus.QUEUED
    job.progress = 0
    job.error = ""
    job.save(update_fields=["status", "progress", "error"])
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
