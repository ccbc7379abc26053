"""Pages of the consolidation app: every county's plan at a glance, and one county's plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from ictmerge.consolidation import services
from ictmerge.consolidation.charts import utilisation_chart
from ictmerge.consolidation.explain import bound_in_words, room_bound_in_words
from ictmerge.consolidation.forms import ScenarioForm
from ictmerge.consolidation.jobs import start_run, start_run_all
from ictmerge.consolidation.models import Scenario
from ictmerge.consolidation.reasons import reason_texts
from ictmerge.core import scoping
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import CountyViewMixin, county_url
from ictmerge.reforms.models import Municipality
from ictmerge.reforms.services import default_reform


def _levels(result: Any) -> list[dict[str, Any]]:
    """Both levels of "after" for the page, each with its reasons in the reader's language."""
    if "levels" not in result:
        return []
    found = []
    for key, label in (("today", _("At today's service level")), ("policy", _("Meeting the policy"))):
        level = dict(result["levels"][key])
        level |= {"key": key, "label": label, "reason_texts": reason_texts(level["reasons"]),
                  "is_record": result["service_level"] == key}
        found.append(level)
    return found


class IndexView(LoginRequiredMixin, View):
    """Every new municipality the user may see, with its plan's servers and rooms before and after."""

    def get(self, request: HttpRequest) -> HttpResponse:
        reform = default_reform()
        rows = []
        if reform is not None:
            visible = scoping.visible_ids(request.user)
            counties = Municipality.objects.filter(reform=reform, stage=Stage.NEW).order_by("name")
            if visible is not None:
                counties = counties.filter(pk__in=visible)
            planned = services.plans_of_record(counties, figures_only=True)
            rows = [(county, planned.get(county.pk)) for county in counties]
        computed = [(c, s) for c, s in rows if s is not None]
        context = {
            "reform": reform, "rows": rows,
            "totals": services.totals([services.county_row(c, s) for c, s in computed]),
            "is_demo": any(s.is_demo for _c, s in computed),
            "may_run_all": reform is not None and scoping.may_act_on_every_county(request.user),
            "sees_national": reform is not None and scoping.visible_ids(request.user) is None,
        }
        return render(request, "consolidation/index.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        reform = default_reform()
        if reform is None or not scoping.may_act_on_every_county(request.user):
            raise PermissionDenied
        job = start_run_all(request.user, reform)
        return HttpResponseRedirect(job.get_absolute_url())


class CountyPlanView(CountyViewMixin, View):
    """One county's plan: scenarios side by side, and the selected one in full."""

    def _scenario(self, county: Municipality, value: Any) -> Scenario | None:
        scenarios = Scenario.objects.filter(municipality=county).select_related("host_model")
        if value:
            try:
                return scenarios.filter(pk=int(value)).first()
            except (TypeError, ValueError):
                return None
        # The plan of record; before any completed run, the scenario to edit and run.
        return services.plan_of_record(county) or scenarios.order_by("-is_chosen", "pk").first()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        scenario = self._scenario(county, request.GET.get("scenario"))
        if request.GET.get("scenario") and scenario is None:
            raise Http404
        form = ScenarioForm(instance=scenario) if scenario else ScenarioForm(
            initial={"name": services.DEFAULT_SCENARIO_NAME})
        return self._render(county, scenario, form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        action = request.POST.get("action", "run")
        scenario = self._scenario(county, request.POST.get("scenario"))
        if request.POST.get("scenario") and scenario is None:
            raise Http404
        if action == "choose" and scenario is not None:
            services.choose(scenario)
            messages.success(request, _("“%(name)s” is now the chosen scenario.") % {"name": scenario.name})
            return self._redirect(county, scenario)
        if action == "delete" and scenario is not None:
            scenario.delete()
            messages.success(request, _("Deleted."))
            return HttpResponseRedirect(county_url("consolidation_county", county))
        # "new" saves the parameters as another scenario; "run" saves them and recomputes.
        instance = Scenario(municipality=county) if action == "new" or scenario is None else scenario
        if instance.pk is None and not Scenario.objects.filter(municipality=county).exists():
            instance.is_chosen = True
        form = ScenarioForm(request.POST, instance=instance)
        if not form.is_valid():
            return self._render(county, scenario, form, status=400)
        try:
            with transaction.atomic():
                saved = form.save()
                job = start_run(request.user, saved)
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(county, scenario, form, status=400)
        messages.success(request, _("The plan is being computed; this page shows it when done."))
        return HttpResponseRedirect(job.get_absolute_url())

    def _redirect(self, county: Municipality, scenario: Scenario) -> HttpResponse:
        url = county_url("consolidation_county", county)
        return HttpResponseRedirect(f"{url}?scenario={scenario.pk}")

    def _render(self, county: Municipality, scenario: Scenario | None, form: ScenarioForm,
                status: int = 200) -> HttpResponse:
        result = services.stored_result(scenario) if scenario is not None else None
        context: dict[str, Any] = {
            "county": county, "scenario": scenario, "form": form,
            "scenarios": services.scenarios_of(county),
            "may_change": services.may_change(self.request.user, county),
            "result": result,
            "is_demo": bool(result and result["is_demo"]) or any(
                s.is_demo for s in services.scenarios_of(county)),
        }
        if result is not None and scenario is not None:
            parameters = scenario.run_parameters or {}
            context |= {
                "bound_text": bound_in_words(result),
                "room_bound_text": room_bound_in_words(result, parameters.get(
                    "horizon_years", scenario.horizon_years)),
                "chart": utilisation_chart(result["hosts"],
                                           parameters.get("cpu_headroom_pct", scenario.cpu_headroom_pct),
                                           parameters.get("ram_headroom_pct", scenario.ram_headroom_pct)),
                "kept_rooms": [r for r in result["rooms"] if r["kept"]],
                "closed_rooms": [r for r in result["rooms"] if not r["kept"] and not r["is_external"]],
                "unused_external": [r for r in result["rooms"] if not r["kept"] and r["is_external"]],
                "hosts_saved_vs_ffd": result["ffd_hosts"] - result["servers_after"],
                "reason_texts": reason_texts(result.get("reasons", [])),
                "levels": _levels(result),
            }
        return render(self.request, "consolidation/county.html", context, status=status)


class NationalView(LoginRequiredMixin, View):
    """The national optimisation: scenarios side by side, the map and the counties that gain or lose."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from ictmerge.consolidation import national
        from ictmerge.consolidation.charts import national_map

        if scoping.visible_ids(request.user) is not None:
            raise PermissionDenied
        reform = default_reform()
        found = national.latest_results(reform)
        results: list[dict[str, Any]] = [{**r, "gap_pct": round(100 * r["gap"], 1)} for r in found["results"]]
        chosen: dict[str, Any] | None = next((r for r in results if r["scenario"] == request.GET.get("scenario")),
                      results[0] if results else None)
        names = {c["code"]: c["name"] for c in chosen["counties"]} if chosen else {}
        counties = sorted(chosen["counties"], key=lambda c: (c["change_eur"], c["name"])) if chosen else []
        places = {p["id"]: p for p in chosen["places"]} if chosen else {}
        flows = [{"county": names.get(f["county"], f["county"]), "place": places[f["place"]]["name"],
                  "hosts": f["hosts"]} for f in chosen["flows"]] if chosen else []
        context = {
            "reform": reform, "results": results, "chosen": chosen, "counties": counties, "flows": flows,
            "labels": scenario_labels(), "map": national_map(chosen, names) if chosen else None,
            "hubs": [p for p in chosen["places"] if p["kind"] == "hub"] if chosen else [],
            "job": national.running_job(reform),
            "may_run": reform is not None and scoping.may_act_on_every_county(request.user),
            "is_demo": any(r["is_demo"] for r in results),
            "relaxations": [national.relaxation_text(n) for n in chosen["relaxations"]] if chosen else [],
        }
        return render(request, "consolidation/national.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        from ictmerge.consolidation.jobs import start_national

        reform = default_reform()
        if reform is None or not scoping.may_act_on_every_county(request.user):
            raise PermissionDenied
        job = start_national(request.user, reform)
        return HttpResponseRedirect(job.get_absolute_url())


def scenario_labels() -> dict[str, str]:
    """Each national scenario's name in the reader's language."""
    return {
        "own_rooms": _("Own rooms only"),
        "hosting_services": _("Own rooms and hosting services"),
        "state_dc_high": _("State data centre for the high class"),
        "regional_hubs": _("Regional hubs"),
    }
