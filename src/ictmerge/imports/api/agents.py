"""Agent enrolment endpoints: tokens (make, list, revoke), coverage, reports."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core.payloads import Detail
from ictmerge.imports import agents
from ictmerge.imports.agent_views import visible_reports, visible_tokens
from ictmerge.imports.models import AgentReport, AgentToken
from ictmerge.imports.payloads import CoverageRow


class TokenSerializer(serializers.ModelSerializer[AgentToken]):
    """An enrolment token (its secret is never shown again)."""

    municipality = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = AgentToken
        fields = ["id", "prefix", "municipality", "note", "created", "created_by", "revoked"]
        read_only_fields = fields


class NewTokenSerializer(serializers.Serializer[dict[str, Any]]):
    """The former municipality to enrol."""

    municipality = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=100, required=False, allow_blank=True)


class CreatedTokenSerializer(serializers.Serializer[dict[str, Any]]):
    """The new token and the agents' address with its secret (shown this once)."""

    id = serializers.IntegerField()
    prefix = serializers.CharField()
    municipality = serializers.CharField()
    url = serializers.CharField()


class ReportSerializer(serializers.ModelSerializer[AgentReport]):
    """One agent request and what came of it."""

    class Meta:
        model = AgentReport
        fields = ["id", "received", "municipality_code", "protocol", "action", "agent",
                  "agent_version", "device_id", "size", "http_status", "message",
                  "import_run"]
        read_only_fields = fields


class TokenListView(APIView):
    """Enrolment tokens of the visible municipalities; POST enrols a former municipality."""

    @extend_schema(responses={200: TokenSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(TokenSerializer(visible_tokens(request.user)[:1000], many=True).data)

    @extend_schema(request=NewTokenSerializer,
                   responses={201: CreatedTokenSerializer, 400: Detail | dict[str, list[str]]})
    def post(self, request: Request) -> Response:
        payload = NewTokenSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            token, secret = agents.create_token(
                payload.validated_data["municipality"].strip(),
                note=payload.validated_data.get("note", ""),
                created_by=request.user.get_username(), user=request.user)
        except agents.TokenError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"id": token.pk, "prefix": token.prefix,
                         "municipality": token.municipality.code,
                         "url": request.build_absolute_uri(agents.agent_path(secret))},
                        status=status.HTTP_201_CREATED)


class TokenRevokeView(APIView):
    """Revoke a token: its agents are refused from now on."""

    @extend_schema(request=None, responses={200: TokenSerializer, 400: Detail})
    def post(self, request: Request, pk: int) -> Response:
        try:
            token = agents.revoke_token(str(pk), user=request.user)
        except agents.TokenError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(TokenSerializer(token).data)


class CoverageView(APIView):
    """Per visible municipality: devices in the register, reporting, and not seen for
    AGENT_STALE_DAYS."""

    @extend_schema(responses={200: list[CoverageRow]})
    def get(self, request: Request) -> Response:
        return Response(agents.coverage(request.user))


class ReportListView(APIView):
    """The latest 200 agent requests of the visible municipalities."""

    @extend_schema(responses={200: ReportSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(ReportSerializer(visible_reports(request.user)[:200], many=True).data)
