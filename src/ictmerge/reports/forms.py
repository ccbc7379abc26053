"""The request to produce a report document, validated once for the UI and the API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from ictmerge.core import scoping
from ictmerge.core.jobs import start_job
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.reforms.services import default_reform


class DocumentRequestSerializer(serializers.Serializer[Any]):
    """What to render: the national report or a county's plan, in which format and language."""

    kind = serializers.ChoiceField(choices=["national", "county"])
    reform = serializers.CharField(required=False, allow_blank=True,
                                   help_text="Reform code (default: latest)")
    code = serializers.CharField(required=False, allow_blank=True,
                                 help_text="New municipality code (for kind=county)")
    format = serializers.ChoiceField(choices=["pdf", "xlsx"])
    lang = serializers.ChoiceField(choices=["lv", "en"], default="lv")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        code = attrs.get("reform")
        reform = Reform.objects.filter(code=code).first() if code else default_reform()
        if reform is None:
            raise serializers.ValidationError({"reform": _("No such reform is loaded.")})
        attrs["reform"] = reform
        attrs["county"] = None
        if attrs["kind"] == "county":
            county = Municipality.objects.filter(reform=reform, stage="new",
                                                 code=attrs.get("code") or "").first()
            user = self.context["user"]
            visible = scoping.visible_ids(user)
            if county is None or (visible is not None and county.pk not in visible):
                raise serializers.ValidationError(
                    {"code": _("No new municipality with that code in your scope.")})
            attrs["county"] = county
        return attrs


def start_document_job(user: Any, data: dict[str, Any]) -> Any:
    """Queue the rendering of a validated document request; returns the job."""
    from ictmerge.reports.jobs import DOCUMENT_JOB

    county = data["county"]
    name = county.name if county is not None else data["reform"].name
    title = _("Report %(name)s (%(format)s, %(lang)s)") % {
        "name": name, "format": data["format"].upper(), "lang": data["lang"]}
    params = {"kind": data["kind"], "reform": data["reform"].code, "format": data["format"],
              "lang": data["lang"], "code": county.code if county is not None else ""}
    return start_job(DOCUMENT_JOB, title, params, user=user, municipality=county)
