"""Background jobs of the reports: rendering a document (PDF or XLSX) to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from ictmerge.core import scoping
from ictmerge.core.jobs import JobContext, job_handler
from ictmerge.reforms.models import Municipality, Reform

DOCUMENT_JOB = "report.document"


def document_path(job_id: int, filename: str) -> Path:
    """Where a job's document is kept (under MEDIA_ROOT)."""
    return Path(settings.MEDIA_ROOT) / "reports" / f"{job_id}-{filename}"


@job_handler(DOCUMENT_JOB)
def render_document_job(context: JobContext) -> dict[str, Any]:
    """Render a national or county document (params: kind, reform, code, format, lang)."""
    from ictmerge.reports.documents import (
        CONTENT_TYPES,
        county_document,
        document_filename,
        national_document,
    )

    params = context.params
    kind, fmt, lang = params["kind"], params["format"], params.get("lang", "lv")
    reform = Reform.objects.get(code=params["reform"])
    user = get_user_model().objects.filter(pk=context.job.user_id).first() \
        if context.job.user_id else None
    context.progress(10, "collecting the figures")
    if kind == "county":
        county = Municipality.objects.get(reform=reform, stage="new", code=params["code"])
        data = county_document(county, fmt, lang)
        filename = document_filename("county", county.code, fmt, lang)
    else:
        visible = scoping.visible_ids(user) if user is not None else None
        data = national_document(reform, fmt, lang, visible)
        filename = document_filename("national", reform.code, fmt, lang)
    context.progress(90, "saving the document")
    path = document_path(context.job.pk, filename)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"filename": filename, "bytes": len(data), "content_type": CONTENT_TYPES[fmt],
            "download_url": reverse("report_document_download", args=[context.job.pk])}
