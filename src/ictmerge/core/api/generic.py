"""REST API built from resources: one viewset per resource, with the same scoping as the UI."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request
from rest_framework.response import Response

from ictmerge.core import scoping
from ictmerge.core.api.typed import json_map_field, typed_json_field
from ictmerge.core.history import (
    StaleEdit,
    VersionRequired,
    acting_as,
    check_version,
    history_for,
    version_of,
)
from ictmerge.core.models import ChangeRecord
from ictmerge.core.payloads import Detail
from ictmerge.core.resources import Resource


class ChangeRecordSerializer(serializers.ModelSerializer[ChangeRecord]):
    """One entry of a record's history."""

    model = serializers.SerializerMethodField()
    before = json_map_field(read_only=True, allow_null=True)
    after = json_map_field(read_only=True, allow_null=True)

    class Meta:
        model = ChangeRecord
        fields = ["id", "time", "user_name", "action", "model", "object_id", "object_repr",
                  "before", "after"]
        read_only_fields = fields

    def get_model(self, record: ChangeRecord) -> str:
        return f"{record.content_type.app_label}.{record.content_type.model}"


class ScopedSerializer(serializers.ModelSerializer[Any]):
    """Limits related records to the user's scope and runs the model's clean().

    A related id outside the scope answers like an id that does not exist, so that a guess
    reveals nothing; clean() makes the API enforce the same invariants as the UI.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for name, field in self.fields.items():
            if not isinstance(field, serializers.PrimaryKeyRelatedField):
                continue
            queryset = field.get_queryset()  # None for a read-only field
            if queryset is not None:
                action = "change" if name == "municipality" else "view"
                # drf-stubs type `queryset` with Manager, whose __get__ suits only models.
                field.queryset = scoping.restrict_related(  # type: ignore[arg-type]
                    queryset, request.user, action)

    def build_standard_field(self, field_name: str,
                             model_field: Any) -> tuple[type[Any], dict[str, Any]]:
        """DRF's field, a free text (TextField) limited to ICTMERGE_TEXT_MAX_CHARS."""
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if (isinstance(model_field, models.TextField) and model_field.max_length is None
                and issubclass(field_class, serializers.CharField)
                and not kwargs.get("read_only")):
            kwargs["max_length"] = int(settings.ICTMERGE_TEXT_MAX_CHARS)
        return field_class, kwargs

    def get_fields(self) -> dict[str, Any]:
        """The fields, with a read-only choice of a blank-able model field still allowed to be
        blank (DRF drops allow_blank for read-only fields, so the schema's enum would leave
        out the "" that the API does answer)."""
        fields = super().get_fields()
        meta = self.Meta.model._meta  # type: ignore[attr-defined]
        for name, field in fields.items():
            if not (isinstance(field, serializers.ChoiceField) and field.read_only):
                continue
            try:
                model_field = meta.get_field(field.source if field.source not in (None, "*") else name)
            except FieldDoesNotExist:
                continue
            field.allow_blank = field.allow_blank or bool(getattr(model_field, "blank", False))
            field.allow_null = field.allow_null or bool(getattr(model_field, "null", False))
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model: type[models.Model] = self.Meta.model
        instance = self.instance or model()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from error
        return attrs


class ServedFileField(serializers.FileField):
    """A file answered as the absolute URL of the scope-checked view serving it; null if none."""

    def __init__(self, url_name: str, **kwargs: Any) -> None:
        self.url_name = url_name
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        url = reverse(self.url_name, args=[value.instance.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


def resource_serializer(resource: Resource) -> type[serializers.ModelSerializer[Any]]:
    """A serializer over the resource's fields, named after the model for the schema."""
    served = {name: api_url for name, _page_url, api_url in resource.file_views}

    def build_standard_field(self: Any, field_name: str,
                             model_field: Any) -> tuple[type[Any], dict[str, Any]]:
        field_class, kwargs = ScopedSerializer.build_standard_field(self, field_name,
                                                                    model_field)
        if field_name in served:
            return ServedFileField, {**kwargs, "url_name": served[field_name]}
        if field_name in resource.json_types:
            return typed_json_field(resource.json_types[field_name]), kwargs
        return field_class, kwargs

    meta = type(
        "Meta",
        (),
        {
            "model": resource.model,
            "fields": ["id", *resource.fields, *resource.read_only_fields],
            "read_only_fields": list(resource.read_only_fields),
        },
    )
    return type(f"{resource.model.__name__}Serializer", (ScopedSerializer,),
                {"Meta": meta, "build_standard_field": build_standard_field})


class ResourcePermission(permissions.BasePermission):
    """Reads for every signed-in user in scope; writes only within the writable scope."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not view.resource.scoped:
            return scoping.may_change_reference(request.user)
        if getattr(view, "detail", False):
            # A write to one record: a record the user cannot see answers 404 (the lookup
            # in the user's view scope), one they see but may not change 403 (below).
            return True
        return scoping.can_write_anything(request.user)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not view.resource.scoped:
            return scoping.may_change_reference(request.user)
        return scoping.may_change_municipality(request.user, obj.scope_municipality_id())


class PreconditionFailed(APIException):
    """The record changed since the client read it (If-Match does not match its ETag)."""

    status_code = 412
    default_detail = ("The record changed since you read it: fetch it again (new ETag) and "
                      "reapply your change.")
    default_code = "stale_version"


class PreconditionRequired(APIException):
    """An update without the version it was made on (no If-Match, no `version`)."""

    status_code = 428
    default_detail = ("Send the version you read: the record's ETag in an If-Match header (or "
                      "it in a `version` field), so that you cannot overwrite another user's "
                      "change unseen.")
    default_code = "version_required"


#: The version an update is made on, as the OpenAPI schema documents it.
IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=("The ETag of the record as read (GET answers it). Required for an update, "
                 "unless the body has it as `version`: without either the update answers 428, "
                 "with an old one (someone changed the record since) 412."))
VERSION_RESPONSES = {
    412: OpenApiResponse(Detail, description="The record changed since you read it: fetch it "
                         "again (new ETag) and reapply your change."),
    428: OpenApiResponse(Detail, description="No If-Match header (nor `version`)."),
}


def sent_version(request: Request) -> str | None:
    """The version an update was made on: If-Match (quotes and W/ left out), else `version`."""
    header = request.headers.get("If-Match", "").strip()
    if header.startswith("W/"):
        header = header[2:]
    header = header.strip('"')
    if header:
        return header
    body = request.data.get("version") if hasattr(request.data, "get") else None
    return str(body) if body else None


class ResourceViewSet(viewsets.ModelViewSet[Any]):
    """List, retrieve, create, update and delete records of one resource, and their history."""

    resource: Resource
    permission_classes = [ResourcePermission]
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]

    def get_queryset(self) -> Any:
        queryset = self.resource.model.objects.restrict(  # type: ignore[attr-defined]
            self.request.user, "view"
        )
        if self.resource.select_related:
            queryset = queryset.select_related(*self.resource.select_related)
        return queryset.order_by(*self.resource.ordering)

    def _check_owner(self, instance: Any) -> None:
        if self.resource.scoped and not scoping.may_change_municipality(
            self.request.user, instance.scope_municipality_id()
        ):
            raise PermissionDenied("You may not write records of that municipality.")

    def perform_create(self, serializer: Any) -> None:
        with acting_as(self.request.user), transaction.atomic():
            instance = serializer.save()
            self._check_owner(instance)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The record, with its version as ETag (send it back in If-Match to update safely)."""
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{version_of(self.get_object())}"'
        return response

    def perform_update(self, serializer: Any) -> None:
        expected = sent_version(self.request)
        with acting_as(self.request.user), transaction.atomic():
            try:
                check_version(self.resource.model, serializer.instance.pk, expected)
            except StaleEdit as error:
                raise PreconditionFailed() from error
            except VersionRequired as error:
                raise PreconditionRequired() from error
            instance = serializer.save()
            self._check_owner(instance)

    def perform_destroy(self, instance: Any) -> None:
        with acting_as(self.request.user), transaction.atomic():
            try:
                instance.delete()
            except models.ProtectedError as error:
                raise PermissionDenied("Other records still refer to this one.") from error

    @extend_schema(responses=ChangeRecordSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Every change of this record, newest first."""
        record = self.get_object()
        changes = scoping.history_as_seen_by(history_for(record), request.user)
        serializer = ChangeRecordSerializer(changes, many=True)
        return Response(serializer.data)


def resource_viewset(resource: Resource) -> type[ResourceViewSet]:
    """A viewset class for the resource."""
    from ictmerge.core.views import resource_filterset

    serializer = resource_serializer(resource)
    updates = extend_schema(parameters=[IF_MATCH],
                            responses={200: serializer, **VERSION_RESPONSES})
    viewset = type(
        f"{resource.model.__name__}ViewSet",
        (ResourceViewSet,),
        {
            "resource": resource,
            "serializer_class": serializer,
            "filterset_class": resource_filterset(resource),
            "search_fields": list(resource.search_fields),
            "ordering_fields": ["id", *resource.list_columns],
            "queryset": resource.model.objects.none(),  # type: ignore[attr-defined]
        },
    )
    return extend_schema_view(update=updates, partial_update=updates)(viewset)
