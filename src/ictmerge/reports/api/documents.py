"""Report documents through the REST API: queue one, then fetch its file."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.reports.document_views import document_response
from ictmerge.reports.forms import DocumentRequestSerializer, start_document_job

JobStarted = inline_serializer("DocumentJobStarted", {
    "job_id": serializers.IntegerField(),
    "status": serializers.CharField(),
    "job_url": serializers.CharField(),
    "download_url": serializers.CharField(),
})


class DocumentView(APIView):
    """Queue a PDF or XLSX document (national report or a county's takeover plan)."""

    @extend_schema(request=DocumentRequestSerializer, responses={202: JobStarted})
    def post(self, request: Request) -> Response:
        serializer = DocumentRequestSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        job = start_document_job(request.user, serializer.validated_data)
        from django.urls import reverse

        data: dict[str, Any] = {
            "job_id": job.pk, "status": job.status,
            "job_url": reverse("jobs-detail", args=[job.pk]),
            "download_url": reverse("api_report_document_file", args=[job.pk]),
        }
        return Response(data, status=status.HTTP_202_ACCEPTED)


class DocumentFileView(APIView):
    """The file of a finished document job (404 until it is ready)."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, job_id: int) -> FileResponse:
        return document_response(request.user, job_id)
