"""Background work of the review: the handover on the reform date, checked by the worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from ictmerge.core.choices import JobStatus
from ictmerge.core.history import current_actor
from ictmerge.core.jobs import JobContext, job_handler, periodic_check, start_job
from ictmerge.core.models import Job

HANDOVER_JOB = "review.handover_due"


@job_handler(HANDOVER_JOB)
def handover_due_job(context: JobContext) -> dict[str, Any]:
    """Hand over every former municipality whose reform date has come (params: date)."""
    from ictmerge.review.takeover import due_json, handover_due

    day = dt.date.fromisoformat(context.params.get("date") or timezone.localdate().isoformat())
    context.progress(0, f"Handover for {day.isoformat()}")
    entries = handover_due(day, user=current_actor())  # who started it, else the system
    for entry in entries:
        context.progress(100, f"{entry.name}: {sum(entry.moved.values())} record(s) handed "
                              f"over to {', '.join(entry.successors)}"
                              + (f", {entry.to_review} to divide by hand" if entry.to_review
                                 else ""))
    return {"date": day.isoformat(), "handovers": due_json(entries)}


@periodic_check
def queue_handover_when_due(today: dt.date | None = None) -> Any:
    """Queue the handover job when a reform date has come and records still wait for it.

    Only when ICTMERGE_AUTO_HANDOVER is on, and not while such a job is queued or running.
    """
    from ictmerge.review.takeover import due_formers

    if not settings.ICTMERGE_AUTO_HANDOVER:
        return None
    day = today or timezone.localdate()
    if not due_formers(day).exists():
        return None
    job, started = start_handover_job(day)
    return job if started else None


def start_handover_job(day: dt.date, user: Any = None) -> tuple[Any, bool]:
    """Queue the handover for the day (or find the one queued or running); (job, started)."""
    pending = Job.objects.filter(kind=HANDOVER_JOB,
                                 status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).first()
    if pending is not None:
        return pending, False
    return start_job(HANDOVER_JOB, f"Handover on the reform date ({day.isoformat()})",
                     {"date": day.isoformat()}, user), True
