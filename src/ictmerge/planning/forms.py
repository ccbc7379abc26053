"""Forms of the planning pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmerge.inventory.choices import GovernanceModel
from ictmerge.planning.choices import GovernanceParameterName


class ParameterForm(forms.Form):
    """Set (or reset) one governance parameter of the county."""

    name = forms.ChoiceField(label=_("parameter"), choices=GovernanceParameterName.choices)
    value = forms.DecimalField(label=_("value"), required=False, max_digits=14,
                               decimal_places=4)
    source = forms.CharField(label=_("source or assumption"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    reset = forms.BooleanField(label=_("back to the default"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("reset") and data.get("value") is None:
            self.add_error("value", _("Give a value, or tick 'back to the default'."))
        return data


class ChoiceForm(forms.Form):
    """Record the governance model the county chooses."""

    model = forms.ChoiceField(label=_("governance model"), choices=GovernanceModel.choices)
    reason = forms.CharField(label=_("reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
