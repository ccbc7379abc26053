"""Core API endpoints: the change log and jobs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core import scoping
from ictmerge.core.api.generic import ChangeRecordSerializer
from ictmerge.core.api.typed import json_map_field
from ictmerge.core.glossary import GlossaryEntry, glossary_json
from ictmerge.core.models import ChangeRecord, Job
from ictmerge.core.views import visible_jobs


class ChangeRecordViewSet(viewsets.ReadOnlyModelViewSet[ChangeRecord]):
    """The change history of the records the user may see; read only."""

    serializer_class = ChangeRecordSerializer
    queryset = ChangeRecord.objects.none()
    filterset_fields = ["action", "object_id", "user_name"]

    def get_queryset(self) -> Any:
        return scoping.visible_changes(ChangeRecord.objects.select_related("content_type"),
                                       self.request.user)


class JobSerializer(serializers.ModelSerializer[Job]):
    """A background job and its progress (live while it runs)."""

    messages = serializers.ListField(child=serializers.CharField(), read_only=True)
    params = json_map_field(read_only=True)
    result = json_map_field(read_only=True, allow_null=True)

    def to_representation(self, instance: Job) -> dict[str, Any]:
        from ictmerge.core.jobs import read_live_progress

        data: dict[str, Any] = super().to_representation(instance)
        data["progress"], data["messages"] = read_live_progress(instance)
        return data

    class Meta:
        model = Job
        fields = ["id", "kind", "title", "status", "progress", "messages", "params", "result",
                  "error", "created", "started", "finished", "attempts", "parent",
                  "worker_host", "worker_pid", "heartbeat"]
        read_only_fields = fields


class JobViewSet(viewsets.ReadOnlyModelViewSet[Job]):
    """Background jobs the user may see; `?parent=ID` lists the parts of a fan-out job (one
    per county of a plan of every county), each with its status, progress and worker."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()
    filterset_fields = ["status", "kind", "parent"]

    def get_queryset(self) -> Any:
        return visible_jobs(self.request.user)


class GlossaryView(APIView):
    """The glossary of figures: name, definition, unit and the one function computing each
    (the same as `ictmerge glossary --format json`), in the request's language."""

    @extend_schema(operation_id="glossary", responses={200: list[GlossaryEntry]})
    def get(self, request: Request) -> Response:
        return Response(glossary_json())
