"""Report endpoints of the REST API."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core import scoping
from ictmerge.reforms.views import reform_from
from ictmerge.reports.payloads import NationalReport
from ictmerge.reports.services import national_report


class NationalReportView(APIView):
    """The national figures recomputed from records (the same as `ictmerge report national`)."""

    @extend_schema(
        parameters=[OpenApiParameter("reform", str, description="Reform code (default: latest)")],
        responses={200: NationalReport},
    )
    def get(self, request: Request) -> Response:
        reform = reform_from(request._request)
        return Response(national_report(reform, scoping.visible_ids(request.user)))
