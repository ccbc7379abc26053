"""Reform register endpoints beyond the generic ones: the succession CSV import."""

from __future__ import annotations

import io

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core.history import acting_as
from ictmerge.core.scoping import may_change_reference
from ictmerge.reforms.services import ReformImportError, ReformInfo, import_csv


class ReformImportSerializer(serializers.Serializer[dict[str, object]]):
    """A succession CSV and what names the reform."""

    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=2, min_length=2)
    effective_date = serializers.DateField()
    file = serializers.FileField()


class ReformImportResultSerializer(serializers.Serializer[dict[str, object]]):
    """The imported reform, or every problem found."""

    id = serializers.IntegerField(required=False)
    code = serializers.CharField(required=False)
    successions = serializers.IntegerField(required=False)
    problems = serializers.ListField(child=serializers.CharField(), required=False)


class ReformImportView(APIView):
    """Import a reform from a succession CSV: all of it, or nothing with every problem listed."""

    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(request=ReformImportSerializer,
                   responses={201: ReformImportResultSerializer,
                              400: OpenApiResponse(dict[str, list[str]], description=(
                                  "The file's problems (under `problems`), or the form "
                                  "fields' errors (field name → messages)."))})
    def post(self, request: Request) -> Response:
        if not may_change_reference(request.user):
            raise PermissionDenied("Reforms are imported by administrators.")
        payload = ReformImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        upload = data["file"]
        info = ReformInfo(code=data["code"], name=data["name"], country=data["country"].upper(),
                          effective_date=data["effective_date"])
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            return Response({"problems": [f"{upload.name}: the file is not UTF-8 text"]},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            with acting_as(request.user):
                reform = import_csv(io.StringIO(text), info, source=upload.name)
        except ReformImportError as error:
            return Response({"problems": [f"{upload.name}: {p}" for p in error.problems]},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"id": reform.pk, "code": reform.code,
                         "successions": reform.successions.count()},
                        status=status.HTTP_201_CREATED)
