"""The OpenAPI schema of a JSON payload typed as a TypedDict: the services' return types
name the API's fields, so the schema cannot drift from what the code builds.

`extend_schema(responses=SomePayload)` takes the TypedDict itself; each TypedDict becomes a
named component (its docstring the description), a nested one a `$ref` to its own.
"""

from __future__ import annotations

import types
from typing import (
    Annotated,
    Any,
    NotRequired,
    Required,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import build_array_type, get_doc, resolve_type_hint
from drf_spectacular.utils import Direction, extend_schema_field
from rest_framework import serializers


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"allOf": [schema], "nullable": True}
    return {**schema, "nullable": True}


def hint_schema(auto_schema: Any, hint: Any, direction: Direction) -> dict[str, Any]:
    """The schema of a type hint; a TypedDict in it is registered as a component."""
    origin, args = get_origin(hint), get_args(hint)
    if is_typeddict(hint):
        return dict(auto_schema.resolve_serializer(hint, direction).ref)
    if origin in (Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        schema = (hint_schema(auto_schema, options[0], direction) if len(options) == 1 else
                  {"oneOf": [hint_schema(auto_schema, arg, direction) for arg in options]})
        return _nullable(schema) if len(options) < len(args) else schema
    if origin is list:
        return build_array_type(hint_schema(auto_schema, args[0], direction))
    if origin is dict:
        return {"type": "object",
                "additionalProperties": hint_schema(auto_schema, args[1], direction)}
    if hint is Any:
        raise TypeError("Any names no type: the schema would be a bare object")
    return dict(resolve_type_hint(hint))


class TypedDictExtension(OpenApiSerializerExtension):
    """Maps a TypedDict given as a response to a named component with its keys typed."""

    target_class = dict

    @classmethod
    def _matches(cls, target: Any) -> bool:
        return is_typeddict(target)

    def get_name(self, auto_schema: Any, direction: Direction) -> str | None:
        return str(self.target.__name__)

    def map_serializer(self, auto_schema: Any, direction: Direction) -> dict[str, Any]:
        properties, required = {}, []
        for key, hint in get_type_hints(self.target, include_extras=True).items():
            # Python 3.11 does not see NotRequired in a postponed annotation: read it here.
            needed = key in self.target.__required_keys__
            while get_origin(hint) in (NotRequired, Required, Annotated):
                needed = {NotRequired: False, Required: True}.get(get_origin(hint), needed)
                hint = get_args(hint)[0]
            properties[key] = hint_schema(auto_schema, hint, direction)
            if needed:
                required.append(key)
        schema: dict[str, Any] = {"type": "object", "description": get_doc(self.target),
                                  "properties": properties}
        if required:
            schema["required"] = sorted(required)
        return schema


#: Any JSON value, as a component that refers to itself: the values of a record's snapshot
#: in the history, or of a job's parameters, are whatever the field or the job holds.
JSON_VALUE: dict[str, Any] = {
    "description": "Any JSON value.",
    "nullable": True,
    "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"},
              {"type": "array", "items": {"$ref": "#/components/schemas/JsonValue"}},
              {"type": "object",
               "additionalProperties": {"$ref": "#/components/schemas/JsonValue"}}],
}


@extend_schema_field(JSON_VALUE, component_name="JsonValue")
class JsonValueField(serializers.JSONField):
    """Any JSON value (the schema's JsonValue)."""


def json_map_field(**kwargs: Any) -> serializers.DictField:
    """A JSON object of any values by name (a record's snapshot, a job's parameters)."""
    return serializers.DictField(child=JsonValueField(), **kwargs)


def typed_json_field(hint: Any) -> type[serializers.JSONField]:
    """A JSONField class whose schema is the type hint's (a TypedDict, list[...], dict[...])."""
    return extend_schema_field(resolve_type_hint(hint))(
        type("TypedJSONField", (serializers.JSONField,), {"__doc__": f"JSON: {hint}"}))
