"""Background jobs of the imports app: a large file imported with progress, and the reaper
of import runs whose process died."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ictmerge.core.history import current_actor
from ictmerge.core.jobs import JobContext, job_handler, periodic_check, process_alive


@job_handler("imports.run")
def import_job(context: JobContext) -> dict[str, Any]:
    """Import an uploaded file (params: path, filename, type, municipality, dry_run, valid_only)."""
    from ictmerge.imports.services import import_file

    params = context.params
    path = Path(params["path"])
    try:
        run = import_file(path.read_bytes(), params["filename"], params["type"],
                          user=current_actor(), municipality=params.get("municipality") or None,
                          dry_run=bool(params.get("dry_run")),
                          valid_only=bool(params.get("valid_only")),
                          progress=context.progress, job=context.job)
    finally:
        path.unlink(missing_ok=True)
    return {"run": run.pk, "status": run.status, "counts": run.counts,
            "problems": run.problem_count, "url": run.get_absolute_url()}


@periodic_check
def fail_abandoned_runs() -> int:
    """Mark import runs left "running" by a process that died (a killed worker or web
    worker, whose job may already be marked failed) as failed; returns how many."""
    from ictmerge.imports.choices import RunStatus
    from ictmerge.imports.models import ImportRun

    failed = 0
    for run in ImportRun.objects.filter(status=RunStatus.RUNNING).select_related("job"):
        job_ended = run.job is not None and run.job.is_finished
        if not job_ended and run.worker_pid and process_alive(run.worker_pid):
            continue
        updated = ImportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED,
            error="The import stopped before it finished (its process died).")
        failed += updated
    return failed
