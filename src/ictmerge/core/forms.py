"""Form helpers shared by every resource."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from ictmerge.core import scoping
from ictmerge.core.resources import Resource


def _formfield(user: Any, resource: Resource) -> Any:
    def callback(field: models.Field[Any, Any], **kwargs: Any) -> Any:
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if isinstance(field, models.ForeignKey) and field.name in resource.raw_id_fields:
            kwargs["widget"] = forms.NumberInput()
        formfield = field.formfield(**kwargs)
        if isinstance(field, models.ForeignKey) and formfield is not None:
            # Offer only targets the user may see; the owner only among writable ones.
            action = "change" if field.name == "municipality" else "view"
            formfield.queryset = scoping.restrict_related(formfield.queryset, user, action)
        return formfield

    return callback


def resource_form(resource: Resource, user: Any) -> type[forms.ModelForm[Any]]:
    """A model form for the resource, with choices limited to the user's scope."""
    return forms.modelform_factory(  # type: ignore[no-any-return]
        resource.model,
        fields=list(resource.fields),
        formfield_callback=_formfield(user, resource),
    )
