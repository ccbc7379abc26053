"""Forms of the consolidation plan page: a scenario's parameters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ictmerge.consolidation.models import ExternalRoomEntry, HostModelEntry, Scenario

PARAMETER_FIELDS = ("name", "cpu_headroom_pct", "ram_headroom_pct", "failover_hosts", "host_model",
                    "any_external", "allowed_external", "horizon_years", "electricity_eur_per_kwh",
                    "move_cost_per_host_eur", "migration_cost_per_workload_eur",
                    "resilience_distance_km", "meets_policy", "time_limit_s", "notes")


class ScenarioForm(forms.ModelForm):
    """A scenario's parameters; the external options as boxes to tick."""

    allowed_external = forms.MultipleChoiceField(
        label=_("allowed external options"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Used when not every external option is offered."))

    class Meta:
        model = Scenario
        fields = PARAMETER_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = self.fields["allowed_external"]
        assert isinstance(allowed, forms.MultipleChoiceField)
        allowed.choices = [
            (e.code, e.name) for e in ExternalRoomEntry.objects.filter(is_active=True)]
        self.fields["host_model"].queryset = HostModelEntry.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["host_model"].empty_label = _("the cheapest over the horizon")  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            self.initial["allowed_external"] = list(self.instance.allowed_external)

    def clean_allowed_external(self) -> list[str]:
        return sorted(self.cleaned_data.get("allowed_external") or [])
