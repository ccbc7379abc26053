"""Forms of the software register pages."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmerge.inventory.choices import ProductCategory
from ictmerge.reforms.models import Municipality


class MapTitleForm(forms.Form):
    """A steward's answer for one title of the review queue."""

    name = forms.CharField(label=_("Title"), max_length=300, widget=forms.HiddenInput)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False,
                                widget=forms.HiddenInput)
    vendor = forms.CharField(label=_("Vendor"), max_length=200)
    product = forms.CharField(label=_("Product"), max_length=200)
    major_version = forms.CharField(label=_("Major version"), max_length=40, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=ProductCategory.choices)
    any_publisher = forms.BooleanField(label=_("Any publisher"), required=False)


class MapTitlesForm(forms.Form):
    """The one product the selected titles of the review queue are."""

    # Each a checkbox of the queue's rows: the JSON pair [name, publisher].
    titles = forms.Field(label=_("Titles"), widget=forms.MultipleHiddenInput,
                         error_messages={"required": _("Choose the titles to map.")})
    vendor = forms.CharField(label=_("Vendor"), max_length=200)
    product = forms.CharField(label=_("Product"), max_length=200)
    major_version = forms.CharField(label=_("Major version"), max_length=40, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=ProductCategory.choices)
    any_publisher = forms.BooleanField(label=_("Any publisher"), required=False)

    def clean_titles(self) -> list[tuple[str, str]]:
        """Each selected title as (name, publisher), from the checkbox's JSON pair."""
        values = self.cleaned_data["titles"]
        if len(values) > 500:
            raise forms.ValidationError(_("Choose the titles to map."))
        titles = []
        for value in values:
            try:
                name, publisher = json.loads(value)
            except (ValueError, TypeError) as error:
                raise forms.ValidationError(_("Choose the titles to map.")) from error
            if not isinstance(name, str) or not isinstance(publisher, str) or \
                    len(name) > 300 or len(publisher) > 200 or "\x00" in name + publisher:
                raise forms.ValidationError(_("Choose the titles to map."))
            titles.append((name, publisher))
        return titles


class PositionForm(forms.Form):
    """The date the position is taken on and the expiry horizon."""

    as_of = forms.DateField(label=_("As of"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("Default: the reform date."))
    months = forms.IntegerField(label=_("Expiring within (months)"), min_value=0, max_value=120,
                                required=False, initial=12)


class NormaliseForm(forms.Form):
    """Which municipality's (or county's) installations to normalise."""

    municipality = forms.ModelChoiceField(label=_("Municipality or county"),
                                          queryset=Municipality.objects.none())

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = municipalities if municipalities is not None else Municipality.objects.none()
