"""Form helpers shared by every resource."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.urls import reverse

from ictmerge.core import scoping
from ictmerge.core.resources import Resource


class _ServedFile:
    """The current file of a record as the form shows it: its name, linked to its view."""

    def __init__(self, name: str, url: str) -> None:
        self.name = name
        self.url = url

    def __str__(self) -> str:
        return self.name


class ServedFileInput(forms.ClearableFileInput):
    """A file input whose "currently" link goes to the scope-checked view, not MEDIA_URL."""

    def __init__(self, url_name: str, attrs: dict[str, Any] | None = None) -> None:
        self.url_name = url_name
        super().__init__(attrs)

    def format_value(self, value: Any) -> Any:
        if value and getattr(value, "instance", None) is not None and value.instance.pk:
            return _ServedFile(PurePath(value.name).name,
                               reverse(self.url_name, args=[value.instance.pk]))
        return None


def _formfield(user: Any, resource: Resource) -> Any:
    served = {name: page_url for name, page_url, _api_url in resource.file_views}

    def callback(field: models.Field[Any, Any], **kwargs: Any) -> Any:
        if isinstance(field, models.FileField) and field.name in served:
            kwargs["widget"] = ServedFileInput(served[field.name])
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if isinstance(field, models.ForeignKey) and field.name in resource.raw_id_fields:
            kwargs["widget"] = forms.NumberInput()
        if isinstance(field, models.TextField) and field.max_length is None and not field.choices:
            kwargs["max_length"] = int(settings.ICTMERGE_TEXT_MAX_CHARS)
        formfield = field.formfield(**kwargs)
        if (isinstance(field, models.ForeignKey) and isinstance(formfield, forms.ModelChoiceField)
                and formfield.queryset is not None):
            # Offer only targets the user may see; the owner only among writable ones.
            action = "change" if field.name == "municipality" else "view"
            formfield.queryset = scoping.restrict_related(formfield.queryset, user, action)
        return formfield

    return callback


def resource_form(resource: Resource, user: Any) -> type[forms.ModelForm[Any]]:
    """A model form for the resource, with choices limited to the user's scope."""
    return forms.modelform_factory(
        resource.model,
        fields=list(resource.fields),
        formfield_callback=_formfield(user, resource),
    )
