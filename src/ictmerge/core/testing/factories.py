"""Make valid records of any model from its fields, for generated tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from ictmerge.reforms.models import CountyOwnedModel, Municipality, Reform

_counter = itertools.count(1)

#: Per-model makers for records that a field-by-field guess cannot make valid.
CUSTOM_MAKERS: dict[type[models.Model], Any] = {}


def custom_maker(model: type[models.Model]) -> Any:
    """Register a function (municipality, **overrides) → unsaved instance for a model."""

    def register(function: Any) -> Any:
        CUSTOM_MAKERS[model] = function
        return function

    return register


def field_value(field: models.Field[Any, Any], municipality: Any, n: int) -> Any:
    """A valid value for a required field."""
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        return related_record(field.related_model, municipality)
    if isinstance(field, (models.SlugField,)):
        return f"t-{n}"
    if isinstance(field, models.EmailField):
        return f"t{n}@example.org"
    if isinstance(field, (models.CharField, models.TextField)):
        size = field.max_length or 40
        return f"Test {n}"[:size]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal(1)
    if isinstance(field, models.FloatField):
        return 1.0
    if isinstance(field, models.IntegerField):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return dt.date(2021, 1, 1)
    if isinstance(field, models.JSONField):
        return {}
    raise NotImplementedError(f"No test value for {field!r}")


def related_record(model: Any, municipality: Any) -> Any:
    """The record a foreign key points to: the municipality itself, or a new one of it."""
    if model is Municipality:
        return municipality
    if model is Reform:
        return municipality.reform
    from django.contrib.auth import get_user_model

    if model is get_user_model():
        return get_user_model().objects.create_user(username=f"u{next(_counter)}")
    return make_record(model, municipality)


def county_of(municipality: Any) -> Any:
    """The municipality itself when new, else the (first, by name) one it went into."""
    if municipality.stage == "new":
        return municipality
    return municipality.successors.order_by("new__name").first().new


def _county_owned(model: Any) -> bool:
    return issubclass(model, CountyOwnedModel)


def build_record(model: Any, municipality: Any, custom: bool = True, **overrides: Any) -> Any:
    """An unsaved, valid instance of the model owned by the municipality (a county-owned
    record: by the county a former municipality went into).

    A model's custom maker is used unless `custom` is False (as the maker itself does to
    fill the remaining fields).
    """
    if _county_owned(model):
        municipality = county_of(municipality)
    if custom and model in CUSTOM_MAKERS:
        return CUSTOM_MAKERS[model](municipality, **overrides)
    n = next(_counter)
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in overrides:
            continue
        if isinstance(field, models.FileField):
            continue
        if field.has_default() or field.null or (field.blank and not field.is_relation):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        values[field.name] = field_value(field, municipality, n)
    if "municipality" in {f.name for f in model._meta.concrete_fields}:
        values.setdefault("municipality", municipality)
    values.update(overrides)
    return model(**values)


def make_record(model: Any, municipality: Any, **overrides: Any) -> Any:
    """A saved, valid instance of the model owned by the municipality."""
    record = build_record(model, municipality, **overrides)
    record.full_clean()
    record.save()
    return record


def form_data(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """POST data for a model form from a record's values."""
    data: dict[str, Any] = {}
    for name in fields:
        field = record._meta.get_field(name)
        if isinstance(field, models.FileField):
            continue
        if isinstance(field, models.ManyToManyField):
            continue
        value = field.value_from_object(record)
        if isinstance(field, models.BooleanField):
            if value:
                data[name] = "on"
            continue
        if value is None:
            value = ""
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif isinstance(value, (dict, list)):
            import json

            value = json.dumps(value)
        data[name] = value
    return data


def api_data(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """JSON data for the API from a record's values."""
    data: dict[str, Any] = {}
    for name in fields:
        field = record._meta.get_field(name)
        if isinstance(field, (models.FileField, models.ManyToManyField)):
            continue
        value = field.value_from_object(record)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        data[name] = value
    return data


def editable_text_field(record: Any, fields: tuple[str, ...]) -> str | None:
    """A free-text field of the resource that an update test can change."""
    for name in fields:
        field = record._meta.get_field(name)
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices and not (
            field.unique or isinstance(field, models.SlugField)
        ):
            if name in {"code", "country"}:
                continue
            return name
    return None


def stored_version(record: Any) -> str:
    """The version of the record as stored: what an edit form or an ETag carries."""
    from ictmerge.core.history import version_of

    return version_of(type(record)._base_manager.get(pk=record.pk))


def if_match(record: Any) -> dict[str, Any]:
    """The If-Match header of an API update made on the stored record (test client kwargs)."""
    return {"HTTP_IF_MATCH": f'"{stored_version(record)}"'}
