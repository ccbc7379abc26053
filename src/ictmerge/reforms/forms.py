"""Forms of the reform register."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReformImportForm(forms.Form):
    """A succession CSV and what names the reform."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.CharField(label=_("Country (ISO 3166-1 alpha-2)"), max_length=2)
    effective_date = forms.DateField(label=_("Effective date"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("Succession CSV"))
