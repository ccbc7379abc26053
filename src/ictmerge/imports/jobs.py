"""Background jobs of the imports app: a large file imported with progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ictmerge.core.jobs import JobContext, job_handler


@job_handler("imports.run")
def import_job(context: JobContext) -> dict[str, Any]:
    """Import an uploaded file (params: path, filename, type, municipality, dry_run, valid_only)."""
    from ictmerge.core.history import current_actor
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
