"""The OpenAPI schema admits every value the API answers for a choice field."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import serializers

from ictmerge.core.api.generic import resource_serializer
from ictmerge.core.resources import REGISTRY


def _blank_choice_fields() -> list[tuple[str, str]]:
    found = []
    for resource in REGISTRY.values():
        fields = resource_serializer(resource)().fields
        for name, field in fields.items():
            if not isinstance(field, serializers.ChoiceField):
                continue
            model_field: Any = resource.model._meta.get_field(name)
            if model_field.blank:
                found.append((resource.slug, name))
    return found


def test_every_blank_choice_field_may_be_answered_blank() -> None:
    """GIVEN a model choice field that may be blank (read-only ones included: DRF drops
    allow_blank for those) THEN its serializer field allows "" (so the schema's enum has it)."""
    blank = _blank_choice_fields()
    assert ("takeover-acts", "handed_over_by") in blank
    for slug, name in blank:
        resource = REGISTRY[slug]
        assert resource_serializer(resource)().fields[name].allow_blank, (slug, name)


@pytest.mark.django_db
def test_the_schema_admits_a_blank_handover_cause() -> None:
    """GIVEN the takeover act's read-only "handed over by", blank until a handover
    THEN the schema lets it be "" (schemathesis found the answer violating the enum)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    prop = schema["components"]["schemas"]["TakeoverAct"]["properties"]["handed_over_by"]
    refs = [option.get("$ref", "") for option in prop.get("oneOf", [])]
    assert any(ref.endswith("/BlankEnum") for ref in refs), prop
