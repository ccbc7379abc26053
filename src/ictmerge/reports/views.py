"""The national page and the county page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.views import View

from ictmerge.core import charts, scoping
from ictmerge.core.pagecache import page_cache, rendered_once
from ictmerge.inventory.choices import DeviceKind
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import (
    Contract,
    Device,
    IctFinance,
    InformationSystem,
    Licence,
    ServerRoom,
)
from ictmerge.reforms import counties
from ictmerge.reforms.counties import County, CountyViewMixin, county_url
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.reforms.views import reform_from
from ictmerge.reports.cockpit import answers, cockpit
from ictmerge.reports.payloads import NationalReport
from ictmerge.reports.search import MIN_LENGTH, search
from ictmerge.reports.services import (
    cached_county,
    county_report,
    county_stamp,
    national_report,
)


class NationalView(LoginRequiredMixin, View):
    """The audit's picture recomputed from records, and every new municipality before/after."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not Reform.objects.exists():
            return render(request, "reports/no_reform.html")
        reform = reform_from(request)
        visible = scoping.visible_ids(request.user)
        report = national_report(reform, visible)
        context = {
            "reform": reform, "report": report, "open_data": visible is None,
            "reforms": Reform.objects.all(),
            "national_figures": rendered_once(
                "national", (reform.pk, reform.code, reform.name, report),
                lambda: national_figures(reform, report)),
        }
        return render(request, "reports/national.html", context)


def national_figures(reform: Reform, report: NationalReport) -> SafeString:
    """The national page's figures, money, histogram and county table, as HTML: most of the
    page's cost (about 11 ms of 14), rendered once per report (core.pagecache)."""
    return render_to_string("reports/_national_body.html", {
        "reform": reform, "report": report,
        "chart": charts.histogram(report["share_histogram"], report["share_threshold_pct"]),
        "spend_meur": report["ict_spend_eur"] / 1_000_000,
    })


class CountyView(CountyViewMixin, View):
    """One new municipality: its predecessors side by side and merged."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = county_report(self.county)
        county = self.county
        # Read before the figures, never older than them; only where they are cached.
        stamp = county_stamp(county) if page_cache() is not None else None
        context = cached_county("context", county,
                                lambda: county_context(county.municipality, county.formers),
                                stamp)
        context |= {"report": report, "answers": answers(report, self.county, request.user)}
        # The records' figures are as fresh as the context (cached under the same version
        # sum); the report and the answers are the request's own.
        inputs = (county.pk, stamp, report,
                  [tuple(_plain(getattr(a, f.name)) for f in fields(a)) for a in context["answers"]])
        return render(request, "reports/county.html", {
            **context, "cockpit_url": county_url("county_cockpit", self.county),
            "county_figures": rendered_once("county", inputs, lambda: render_to_string(
                "reports/_county_body.html", context))})


def _plain(value: Any) -> Any:
    """A lazily translated text as the text itself (its repr would be an address)."""
    return str(value) if isinstance(value, Promise) else value


def cockpit_county(user: Any, reform: str, code: str) -> County:
    """The county whose cockpit the user may read (scoping.may_view_county_summary): one
    they see, or the one their former municipality goes into; Http404 otherwise."""
    try:
        return counties.county_for(user, code, "view", reform)
    except Http404:
        try:
            county = counties.resolve_county(code, reform)
        except counties.CountyError as error:
            raise Http404(str(error)) from error
        if not scoping.may_view_county_summary(user, county.former_ids):
            raise
        return county


class CockpitView(CountyViewMixin, View):
    """A county's cockpit: the four answers, the money, progress, next actions, jobs and
    what is missing, each linked to its page. A steward of a predecessor reads it too."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.county = cockpit_county(request.user, kwargs["reform"], kwargs["code"])
        request.ictmerge_county = self.county  # type: ignore[attr-defined]  # for the job banner
        # The county is resolved: on to the view itself, past the mixin's own resolution.
        return super(CountyViewMixin, self).dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, "reports/cockpit.html", {
            "county": self.county.municipality, **cockpit(self.county, request.user)})


def county_context(county: Municipality, predecessors: list[Municipality]) -> dict[str, Any]:
    """Side-by-side figures of the predecessors, the merged column, IS per function, rooms.

    Each predecessor's column counts what it held before the takeover: a record handed over
    to the new municipality still counts for the predecessor it came from (the handover
    log), so the page reads the same before and after the acts are approved.
    """
    ids = [m.pk for m in predecessors]
    names = {m.pk: m.name for m in predecessors}
    position = {m.pk: index for index, m in enumerate(predecessors)}
    rows: dict[int, dict[str, Any]] = {m.pk: {"municipality": m} for m in predecessors}
    for row in held_before(Device, ids).values("held_by").annotate(
        computers=Count("pk", filter=Q(kind__in=DeviceKind.COMPUTER_KINDS)),
        servers=Count("pk", filter=Q(kind=DeviceKind.SERVER, is_virtual=False)),
        network=Count("pk", filter=Q(kind=DeviceKind.NETWORK)),
    ):
        rows[row.pop("held_by")].update(row)
    for model, key in ((ServerRoom, "rooms"), (InformationSystem, "systems"),
                       (Contract, "contracts")):
        for row in held_before(model, ids).values("held_by").annotate(n=Count("pk")):
            rows[row["held_by"]][key] = row["n"]
    for row in held_before(Licence, ids).values("held_by").annotate(
        licences=Sum("quantity"),
        not_transferable=Sum("quantity", filter=Q(transferable=False)),
    ):
        rows[row.pop("held_by")].update(row)
    # Finance rows are never handed over: they stay the predecessor's history.
    for finance in IctFinance.objects.filter(municipality_id__in=ids).order_by("year"):
        rows[finance.municipality_id].update(
            spend=finance.ict_spend_eur, expenditure=finance.total_expenditure_eur,
            staff=finance.ict_staff_fte, governance=finance.get_governance_model_display(),
            share=finance.ict_share)
    keys = ("computers", "servers", "network", "rooms", "systems", "contracts", "licences",
            "not_transferable", "spend", "expenditure", "staff")
    merged: dict[str, Any] = {}
    for key in keys:
        values = [r.get(key) for r in rows.values() if r.get(key) is not None]
        merged[key] = sum(values) if values else None
    if merged.get("spend") is not None and merged.get("expenditure"):
        merged["share"] = merged["spend"] / merged["expenditure"]
    systems: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for system in held_before(InformationSystem, ids).select_related("function").order_by(
            "function__code", "name", "pk"):
        systems[str(system.function)][system.held_by].append(
            f"{system.name} ({system.vendor})" if system.vendor else system.name)
    functions = [
        {"function": name, "cells": [systems[name].get(m.pk, []) for m in predecessors],
         "distinct": len({s for cell in systems[name].values() for s in cell})}
        for name in sorted(systems)
    ]
    rooms = [
        {"name": room.name, "municipality": names[room.held_by],
         "latitude": room.latitude, "longitude": room.longitude,
         "operation": room.get_operation_display(), "racks": room.racks}
        for room in sorted(held_before(ServerRoom, ids).order_by("name", "pk"),
                           key=lambda room: position[room.held_by])
    ]
    is_demo = held_before(Device, ids).filter(is_demo=True).exists()
    return {"county": county, "predecessors": predecessors,
            "rows": [rows[m.pk] for m in predecessors], "merged": merged,
            "functions": functions, "rooms": rooms, "room_map": charts.scatter(rooms),
            "is_demo": is_demo}


class SearchView(LoginRequiredMixin, View):
    """One search box over the user's scope: devices, systems, contracts and software."""

    def get(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get("q", "")
        return render(request, "reports/search.html",
                      {"q": text, "groups": search(request.user, text),
                       "too_short": 0 < len(text.strip()) < MIN_LENGTH})
