"""Report endpoints of the REST API."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core import scoping
from ictmerge.reforms.counties import CountyAPIView
from ictmerge.reforms.views import reform_from
from ictmerge.reports.opendata import package_zip
from ictmerge.reports.payloads import CountyReport, NationalReport
from ictmerge.reports.search import SearchGroup, search
from ictmerge.reports.services import county_report, national_report

REFORM = OpenApiParameter("reform", str, description="Reform code (default: latest)")


class NationalReportView(APIView):
    """The national figures recomputed from records (the same as `ictmerge report national`)."""

    @extend_schema(
        parameters=[REFORM],
        responses={200: NationalReport},
    )
    def get(self, request: Request) -> Response:
        reform = reform_from(request._request)
        return Response(national_report(reform, scoping.visible_ids(request.user)))


class NationalOpenDataView(APIView):
    """The national picture as open data: a zip of a Frictionless Data Package (CSV tables,
    datapackage.json) with DCAT-AP metadata (dcat.jsonld), licence CC BY 4.0; the same as
    `ictmerge export open-data --output DIR`. For users who see every municipality."""

    @extend_schema(operation_id="reports_national_open_data", parameters=[REFORM],
                   responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request: Request) -> HttpResponse:
        if scoping.visible_ids(request.user) is not None:
            raise PermissionDenied("Open data is the whole country's: it is for users who "
                                   "see every municipality.")
        reform = reform_from(request._request)
        response = HttpResponse(package_zip(reform), content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="ictmerge-{reform.code}-open-data.zip"')
        return response


class CountyReportView(CountyAPIView):
    """One county's figures before and after (the same as `ictmerge report county CODE
    --format json`); null where there is no plan yet."""

    @extend_schema(operation_id="reports_county", parameters=[REFORM],
                   responses={200: CountyReport})
    def get(self, request: Request, code: str) -> Response:
        return Response(county_report(self.county))


class SearchView(APIView):
    """Records of the caller's scope matching ?q= (the search box): devices by name, serial,
    asset tag or MAC address, information systems, contracts, software titles."""

    @extend_schema(operation_id="search",
                   parameters=[OpenApiParameter("q", str, description="Text to find "
                                                "(at least two characters)")],
                   responses={200: list[SearchGroup]})
    def get(self, request: Request) -> Response:
        return Response(search(request.user, request.query_params.get("q", "")))
