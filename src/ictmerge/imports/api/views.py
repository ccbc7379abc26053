"""Import endpoints: run an import, read a run, templates, duplicates and merge."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core.api.typed import typed_json_field
from ictmerge.core.payloads import Detail, ListFieldErrors
from ictmerge.imports.duplicates import (
    MAX_ID,
    MergeError,
    find_duplicates,
    merge_devices,
    merge_selected,
)
from ictmerge.imports.forms import import_type_choices, upload_refusal
from ictmerge.imports.models import ImportRun
from ictmerge.imports.payloads import DevicesMerged, ProblemRow
from ictmerge.imports.services import (
    ImportTypeError,
    problem_lines,
    start_import,
    template_file,
    visible_runs,
)
from ictmerge.imports.templates import documentation, templates


class ImportRequestSerializer(serializers.Serializer[dict[str, Any]]):
    """A file and how to import it."""

    type = serializers.ChoiceField(choices=import_type_choices())
    file = serializers.FileField()
    municipality = serializers.CharField(max_length=20, required=False, allow_blank=True)
    dry_run = serializers.BooleanField(required=False, default=False)
    valid_only = serializers.BooleanField(required=False, default=False)

    def validate_file(self, upload: Any) -> Any:
        """The upload, unless it is too large to import."""
        refusal = upload_refusal(upload)
        if refusal:
            raise serializers.ValidationError(refusal)
        return upload


class ImportRunSerializer(serializers.ModelSerializer[ImportRun]):
    """What an import did, with every problem as `file, row N, column: message`."""

    problem_lines = serializers.SerializerMethodField()
    rejected_rows_url = serializers.SerializerMethodField()
    counts = typed_json_field(dict[str, int])(read_only=True)
    problems = typed_json_field(list[ProblemRow])(read_only=True)

    class Meta:
        model = ImportRun
        fields = ["id", "created", "import_type", "source", "municipality_code", "dry_run",
                  "valid_only", "status", "rows", "counts", "problems", "problem_count",
                  "problem_lines", "rejected_rows_url", "job", "error"]
        read_only_fields = fields

    def get_problem_lines(self, run: ImportRun) -> list[str]:
        return list(problem_lines(run))

    def get_rejected_rows_url(self, run: ImportRun) -> str:
        from django.urls import reverse

        return reverse("import_rejected", args=[run.pk])


#: A 400 answer: either the run an import recorded as rejected (its problems listed), or
#: the request itself refused before any run (DRF's field name → messages map).
IMPORT_REFUSED = {"oneOf": [
    {"$ref": "#/components/schemas/ImportRun"},
    {"type": "object", "description": "Field name (or non_field_errors) → messages",
     "additionalProperties": {"type": "array", "items": {"type": "string"}}},
]}


class QueuedSerializer(serializers.Serializer[dict[str, Any]]):
    """A large file queued as a background job."""

    job = serializers.IntegerField()
    job_url = serializers.CharField()


class ImportListView(APIView):
    """Import a file (small: at once; large: a background job), or list your imports."""

    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(responses={200: ImportRunSerializer(many=True)})
    def get(self, request: Request) -> Response:
        runs = visible_runs(request.user)[:100]
        return Response(ImportRunSerializer(runs, many=True).data)

    @extend_schema(request=ImportRequestSerializer,
                   responses={201: ImportRunSerializer, 202: QueuedSerializer,
                              400: IMPORT_REFUSED})
    def post(self, request: Request) -> Response:
        payload = ImportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        upload = data["file"]
        try:
            run, job = start_import(upload.read(), upload.name, data["type"], user=request.user,
                                    municipality=data.get("municipality") or None,
                                    dry_run=data["dry_run"], valid_only=data["valid_only"])
        except ImportTypeError as error:
            raise serializers.ValidationError({"type": [str(error)]}) from None
        if job is not None:
            return Response({"job": job.pk, "job_url": f"/api/jobs/{job.pk}/"},
                            status=status.HTTP_202_ACCEPTED)
        code = status.HTTP_400_BAD_REQUEST if run.status == "rejected" else \
            status.HTTP_201_CREATED
        return Response(ImportRunSerializer(run).data, status=code)


class ImportDetailView(APIView):
    """One import run."""

    @extend_schema(responses={200: ImportRunSerializer})
    def get(self, request: Request, pk: int) -> Response:
        run = visible_runs(request.user).filter(pk=pk).first()
        if run is None:
            raise Http404
        return Response(ImportRunSerializer(run).data)


class ColumnSerializer(serializers.Serializer[dict[str, Any]]):
    """One documented column of a template."""

    name = serializers.CharField()
    # The API's key "required" shadows Field.required (a bool) on this output serializer.
    required = serializers.BooleanField()  # type: ignore[assignment]
    type = serializers.CharField()
    meaning = serializers.CharField()


class TemplateSerializer(serializers.Serializer[dict[str, Any]]):
    """A template type and its columns."""

    type = serializers.CharField()
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)


class TemplateListView(APIView):
    """Every import template with its columns (natural keys, never ids)."""

    @extend_schema(responses={200: TemplateSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response([
            {"type": tpl.slug, "title": str(tpl.title),
             "columns": [{"name": n, "required": bool(r), "type": k, "meaning": m}
                         for n, r, k, m in documentation(tpl)]}
            for tpl in templates().values()])


class TemplateFileView(APIView):
    """An empty template file, CSV or XLSX (`file_format`)."""

    @extend_schema(parameters=[OpenApiParameter("file_format", str, enum=["csv", "xlsx"])],
                   responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request: Request, slug: str) -> HttpResponse:
        tpl = templates().get(slug)
        file_format = request.query_params.get("file_format", "csv")
        if tpl is None or file_format not in ("csv", "xlsx"):
            raise Http404
        content_type = "text/csv; charset=utf-8" if file_format == "csv" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(template_file(tpl, file_format), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{slug}.{file_format}"'
        return response


class DuplicateDeviceSerializer(serializers.Serializer[dict[str, Any]]):
    """A device in a duplicate group."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    municipality = serializers.CharField()
    serial = serializers.CharField()


class DuplicateGroupSerializer(serializers.Serializer[dict[str, Any]]):
    """Devices of different municipalities sharing an identifier."""

    kind = serializers.CharField()
    value = serializers.CharField()
    devices = DuplicateDeviceSerializer(many=True)


class MergeSerializer(serializers.Serializer[dict[str, Any]]):
    """The device to keep and the one merged into it."""

    keep = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    remove = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class MergeResultSerializer(serializers.Serializer[dict[str, Any]]):
    """The kept device, or why the merge was refused."""

    id = serializers.IntegerField(required=False)
    detail = serializers.CharField(required=False)


class DuplicateListView(APIView):
    """Duplicates across predecessors (junk identifiers ignored)."""

    @extend_schema(responses={200: DuplicateGroupSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response([
            {"kind": g.kind, "value": g.value,
             "devices": [{"id": d.pk, "name": d.name, "municipality": d.municipality.code,
                          "serial": d.serial} for d in g.devices]}
            for g in find_duplicates(request.user)])


class MergeView(APIView):
    """Merge two devices: references move to the kept one, both histories stay."""

    @extend_schema(request=MergeSerializer,
                   responses={200: MergeResultSerializer, 400: MergeResultSerializer})
    def post(self, request: Request) -> Response:
        payload = MergeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            kept = merge_devices(payload.validated_data["keep"],
                                 payload.validated_data["remove"], request.user)
        except MergeError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"id": kept.pk})


class MergeSelectedSerializer(serializers.Serializer[dict[str, Any]]):
    """The selected pairs, each the device to keep and the one merged into it."""

    pairs = serializers.ListField(child=MergeSerializer(), allow_empty=False, max_length=10_000)


class MergeSelectedView(APIView):
    """Merge the selected pairs at once, all or nothing: a pair that cannot be merged is named
    and nothing changes."""

    @extend_schema(request=MergeSelectedSerializer, responses={200: DevicesMerged, 400: Detail | ListFieldErrors})
    def post(self, request: Request) -> Response:
        payload = MergeSelectedSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        pairs = [(p["keep"], p["remove"]) for p in payload.validated_data["pairs"]]
        try:
            kept = merge_selected(pairs, request.user)
        except MergeError as error:
            return Response(Detail(detail=str(error)), status=status.HTTP_400_BAD_REQUEST)
        return Response(DevicesMerged(merged=len(kept), kept=[device.pk for device in kept]))
