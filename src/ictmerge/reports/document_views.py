"""Pages that start a report document job and hand over its file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from ictmerge.core.choices import JobStatus
from ictmerge.core.views import redirect_back, visible_jobs
from ictmerge.reports.forms import DocumentRequestSerializer, start_document_job
from ictmerge.reports.jobs import DOCUMENT_JOB, document_path


class DocumentStartView(LoginRequiredMixin, View):
    """Queue a PDF or XLSX document and go to its job page."""

    def post(self, request: HttpRequest) -> HttpResponse:
        serializer = DocumentRequestSerializer(data=request.POST.dict(),
                                               context={"user": request.user})
        if not serializer.is_valid():
            for field, errors in serializer.errors.items():
                messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
            return redirect_back(request)
        job = start_document_job(request.user, serializer.validated_data)
        messages.success(request, _("The document is being produced."))
        return HttpResponseRedirect(job.get_absolute_url())


def document_response(user: object, job_id: int) -> FileResponse:
    """The finished document of a job the user may see (404 otherwise)."""
    job = get_object_or_404(visible_jobs(user), pk=job_id, kind=DOCUMENT_JOB)
    if job.status != JobStatus.SUCCEEDED or not job.result:
        raise Http404(_("The document is not ready."))
    path = document_path(job.pk, job.result["filename"])
    if not path.exists():
        raise Http404(_("The document file is gone; produce it again."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result["filename"],
                        content_type=job.result["content_type"])


class DocumentDownloadView(LoginRequiredMixin, View):
    """The file a document job produced."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return document_response(request.user, pk)
