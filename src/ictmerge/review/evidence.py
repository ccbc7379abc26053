"""Checklist evidence files: served only to users whose scope holds the checklist entry.

Uploads are stored under MEDIA_ROOT, which no URL serves: the only way to an evidence file
is the views below, after the same scope check as the entry itself (another
municipality's entry answers 404; the auditor reads every one).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest
from django.views import View

from ictmerge.core import scoping, uploads
from ictmerge.review.models import ChecklistEntry


def evidence_response(user: Any, pk: int) -> FileResponse:
    """Stream a checklist entry's evidence file to a user in scope; Http404 for anything else."""
    entry = scoping.restrict_queryset(ChecklistEntry.objects.all(), user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return uploads.file_response(entry.evidence_file)


class EvidenceFileView(LoginRequiredMixin, View):
    """A checklist entry's evidence file, for users whose scope holds the entry."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return evidence_response(request.user, pk)
