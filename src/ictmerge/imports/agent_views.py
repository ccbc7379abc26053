"""The agents' address (their own protocols) and the page of enrolments and coverage."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from ictmerge.core import scoping
from ictmerge.imports import agents
from ictmerge.imports.models import AgentReport, AgentToken
from ictmerge.inventory.models import Device


@method_decorator(csrf_exempt, name="dispatch")
class AgentReportView(View):
    """Where GLPI Agent, FusionInventory and OCS Inventory NG agents send their reports: the
    token in the address is the only credential (no session, no CSRF)."""

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        body = request.read(agents.max_bytes() + 1)
        reply = agents.handle(token, body, content_type=request.content_type or "",
                              user_agent=request.headers.get("User-Agent", ""),
                              remote_addr=request.META.get("REMOTE_ADDR", ""))
        return HttpResponse(reply.body, status=reply.status, content_type=reply.content_type)


class TokenForm(forms.Form):
    """A former municipality to enrol."""

    municipality = forms.CharField(label=gettext_lazy("Municipality code"), max_length=20)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=100, required=False)


def visible_tokens(user: Any) -> Any:
    """Tokens of the municipalities the user may see."""
    visible = scoping.visible_ids(user)
    tokens = AgentToken.objects.select_related("municipality")
    return tokens if visible is None else tokens.filter(municipality_id__in=visible)


def visible_reports(user: Any) -> Any:
    """Agent reports of the municipalities the user may see (refusals of unknown tokens are
    for those who see everything)."""
    visible = scoping.visible_ids(user)
    reports = AgentReport.objects.select_related("token")
    return reports if visible is None else reports.filter(token__municipality_id__in=visible)


def stale_devices(user: Any) -> Any:
    """Visible devices that an agent reported once but not within AGENT_STALE_DAYS."""
    return (Device.objects.restrict(user).filter(sighting__last_seen__lt=agents.stale_before())
            .select_related("municipality", "sighting").order_by("sighting__last_seen"))


class AgentsView(LoginRequiredMixin, View):
    """Coverage per municipality, enrolment tokens (make, revoke) and the latest reports."""

    def get(self, request: HttpRequest, form: TokenForm | None = None,
            new_url: str = "") -> HttpResponse:
        from django.conf import settings

        return render(request, "imports/agents.html", {
            "coverage": agents.coverage(request.user), "form": form or TokenForm(),
            "tokens": visible_tokens(request.user)[:200],
            "reports": visible_reports(request.user)[:50],
            "stale": stale_devices(request.user)[:200], "stale_days": settings.AGENT_STALE_DAYS,
            "new_url": new_url, "may_write": scoping.can_write_anything(request.user),
        })

    def post(self, request: HttpRequest) -> HttpResponse:
        if "revoke" in request.POST:
            try:
                token = agents.revoke_token(str(request.POST["revoke"]), user=request.user)
            except agents.TokenError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Token %(prefix)s… revoked.") %
                                 {"prefix": token.prefix})
            return HttpResponseRedirect(reverse("agents"))
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.get(request, form)
        try:
            _token, secret = agents.create_token(
                form.cleaned_data["municipality"].strip(), note=form.cleaned_data["note"],
                created_by=request.user.get_username(), user=request.user)
        except agents.TokenError as error:
            form.add_error("municipality", str(error))
            return self.get(request, form)
        return self.get(request, TokenForm(),
                        request.build_absolute_uri(agents.agent_path(secret)))
