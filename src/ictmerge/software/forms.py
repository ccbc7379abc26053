"""Forms of the software register pages."""

from __future__ import annotations

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
