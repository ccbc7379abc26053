"""Pages of the software register: licence position, contracts to act on, review queue."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from ictmerge.core import scoping
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import (
    CountyViewMixin,
    county_url,
    covered_ids,
    municipality_for,
    redirect_to_county,
)
from ictmerge.reforms.models import Municipality
from ictmerge.software import charts, portfolio, proofs, services
from ictmerge.software.choices import ContractAction
from ictmerge.software.forms import MapTitleForm, MapTitlesForm, NormaliseForm, PositionForm
from ictmerge.software.jobs import start_normalise

PAGES = ("position", "contracts", "portfolio")
#: Titles a page of the review queue lists.
REVIEW_TITLES_PER_PAGE = 50


def page_links(municipality: Municipality) -> dict[str, str]:
    """The addresses of a municipality's software pages: a county's under /counties/, a
    former municipality's by id."""
    if municipality.stage == Stage.NEW:
        return {page: county_url(f"software_{page}", municipality) for page in PAGES}
    return {page: reverse(f"software_municipality_{page}", args=[municipality.pk])
            for page in PAGES}


class PositionIndexView(LoginRequiredMixin, View):
    """The municipalities whose licence position the user may open."""

    def get(self, request: HttpRequest) -> HttpResponse:
        municipalities = services.visible_municipalities(request.user)
        return render(request, "software/position_index.html", {
            "rows": [(m, page_links(m)) for m in municipalities]})


class MunicipalityPage(CountyViewMixin, View):
    """A software page of one municipality: a county at its address under /counties/, or a
    former municipality by id (the id of a new municipality redirects to its county's page)."""

    county_page: ClassVar[str] = ""
    former: Municipality | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if "pk" not in kwargs:
            return super().dispatch(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        municipality = municipality_for(request.user, int(kwargs["pk"]))
        if municipality.stage == Stage.NEW:
            return redirect_to_county(request, self.county_page, municipality)
        self.former = municipality
        return View.dispatch(self, request, *args, **kwargs)

    @property
    def municipality(self) -> Municipality:
        """The former municipality, else the county's new municipality."""
        return self.former if self.former is not None else self.county.municipality


class PositionView(MunicipalityPage):
    """The licence position of a new municipality, with the shortfall/surplus chart."""

    county_page = "software_position"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        municipality = self.municipality
        form = PositionForm(request.GET or None)
        as_of, months = None, services.DEFAULT_EXPIRY_MONTHS
        if form.is_bound and form.is_valid():
            as_of = form.cleaned_data["as_of"]
            months = form.cleaned_data["months"] if form.cleaned_data["months"] is not None else months
        report = services.licence_position(municipality, as_of=as_of, months=months)
        contracts = services.contracts_to_act_on(municipality)
        return render(request, "software/position.html", {
            "municipality": municipality, "report": report, "totals": report.totals,
            "form": form, "chart": charts.shortfall_surplus(report.products),
            "contracts": contracts, "reasons": dict(ContractAction.choices),
            "links": page_links(municipality),
        })


class ContractsView(MunicipalityPage):
    """Every contract to act on before the reform date, as a table and a timeline."""

    county_page = "software_contracts"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        municipality = self.municipality
        items = services.contracts_to_act_on(municipality)
        data = services.contracts_json(municipality, items)
        return render(request, "software/contracts.html", {
            "municipality": municipality, "items": items, "summary": data,
            "reasons": dict(ContractAction.choices),
            "timeline": charts.contract_timeline(items, municipality.reform.effective_date),
            "links": page_links(municipality),
        })


class PortfolioView(MunicipalityPage):
    """The register per predecessor and merged; products of one function with the one to keep."""

    county_page = "software_portfolio"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        municipality = self.municipality
        result = portfolio.portfolio(municipality)
        return render(request, "software/portfolio.html", {
            "municipality": municipality, "result": result,
            "chart": charts.portfolio_groups(result.groups),
            "links": page_links(municipality),
        })


class ProofView(LoginRequiredMixin, View):
    """A licence's proof document, streamed only to users whose scope holds the licence."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return proofs.proof_response(request.user, pk)


class ReviewQueueView(LoginRequiredMixin, View):
    """Unknown and low-confidence titles; a steward maps each once, for every inventory."""

    def _municipality(self, request: HttpRequest) -> Municipality | None:
        value = request.GET.get("municipality") or request.POST.get("municipality")
        if not value:
            return None
        try:
            return municipality_for(request.user, int(value))
        except ValueError as error:
            raise Http404 from error

    def _render(self, request: HttpRequest, status: int = 200, failed: Any = None,
                bulk: MapTitlesForm | None = None) -> HttpResponse:
        municipality = self._municipality(request)
        if municipality is not None:
            ids: set[int] | None = set(covered_ids(municipality))
        else:
            ids = scoping.visible_ids(request.user)
        queue = services.review_queue(ids)
        page = Paginator(queue, REVIEW_TITLES_PER_PAGE).get_page(request.GET.get("page"))
        filters = request.GET.copy()
        filters.pop("page", None)
        rows = []
        for item in page.object_list:
            form = MapTitleForm(initial={
                "name": item.name, "publisher": item.publisher, "vendor": item.suggestion.vendor,
                "product": item.suggestion.product, "major_version": "",
                "category": item.suggestion.category.value})
            if failed is not None and failed.data.get("name") == item.name and \
                    failed.data.get("publisher", "") == item.publisher:
                form = failed
            rows.append({"item": item, "form": form,
                         "key": json.dumps([item.name, item.publisher], ensure_ascii=False)})
        return render(request, "software/review.html", {
            "rows": rows, "municipality": municipality, "page": page,
            "filters": filters.urlencode(), "total": len(queue),
            "bulk": bulk if bulk is not None else MapTitlesForm(prefix="bulk"),
            "municipalities": services.visible_municipalities(request.user),
            "may_map": scoping.can_write_anything(request.user),
        }, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not scoping.can_write_anything(request.user):
            raise Http404
        if request.POST.get("action") == "map_selected":
            return self._map_selected(request)
        form = MapTitleForm(request.POST)
        if not form.is_valid():
            return self._render(request, 400, form)
        data = form.cleaned_data
        try:
            result = services.map_title(request.user, data["name"], data["publisher"] or "",
                                        data["vendor"], data["product"], data["category"],
                                        data["major_version"] or "",
                                        any_publisher=data["any_publisher"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return self._render(request, 400, form)
        except services.SoftwareError as error:
            form.add_error(None, str(error))
            return self._render(request, 400, form)
        messages.success(request, _("Mapped “%(title)s” to %(vendor)s %(product)s; %(changed)s "
                                    "installations updated in %(count)s municipalities.") % {
            "title": data["name"], "vendor": result.rule.vendor, "product": result.rule.product,
            "changed": result.applied.changed, "count": result.municipalities})
        return redirect(request.get_full_path())


    def _map_selected(self, request: HttpRequest) -> HttpResponse:
        """Map the selected titles to one product, all or nothing."""
        form = MapTitlesForm(request.POST, prefix="bulk")
        if not form.is_valid():
            return self._render(request, 400, bulk=form)
        data = form.cleaned_data
        try:
            results = services.map_titles(request.user, data["titles"], data["vendor"],
                                          data["product"], data["category"],
                                          data["major_version"] or "",
                                          any_publisher=data["any_publisher"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return self._render(request, 400, bulk=form)
        except services.SoftwareError as error:
            form.add_error(None, str(error))
            return self._render(request, 400, bulk=form)
        changed = sum(r.applied.changed for r in results)
        messages.success(request, ngettext(
            "Mapped %(count)d title to %(vendor)s %(product)s; %(changed)s installations "
            "updated.", "Mapped %(count)d titles to %(vendor)s %(product)s; %(changed)s "
            "installations updated.", len(results)) % {
            "count": len(results), "vendor": data["vendor"], "product": data["product"],
            "changed": changed})
        return redirect(request.get_full_path())


class NormaliseView(LoginRequiredMixin, View):
    """Start normalising a municipality's or a county's installations in the background."""

    def _municipalities(self, request: HttpRequest) -> Any:
        writable = scoping.writable_ids(request.user)
        found = services.visible_municipalities(request.user)
        return found if writable is None else found.filter(pk__in=writable)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = NormaliseForm(municipalities=self._municipalities(request))
        return render(request, "software/normalise.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NormaliseForm(request.POST, municipalities=self._municipalities(request))
        if not form.is_valid():
            return render(request, "software/normalise.html", {"form": form}, status=400)
        municipality = form.cleaned_data["municipality"]
        if not services.may_normalise(request.user, municipality):
            form.add_error("municipality", _("You may not change every municipality of this county."))
            return render(request, "software/normalise.html", {"form": form}, status=400)
        job = start_normalise(request.user, municipality)
        return redirect(reverse("job_detail", args=[job.pk]))
