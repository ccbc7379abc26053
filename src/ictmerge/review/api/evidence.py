"""The checklist evidence file endpoint: the file itself, 404 outside the caller's scope."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from ictmerge.review.evidence import evidence_response


class EvidenceFileView(APIView):
    """A checklist entry's evidence file; 404 outside the caller's scope or without a file."""

    @extend_schema(operation_id="review_checklist_evidence_file",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> Any:
        return evidence_response(request.user, pk)
