"""Pages of the IS rationalisation: counties, one function's scores, security, checklist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from ictmerge.core import scoping
from ictmerge.core.explanations import text_of
from ictmerge.core.jobs import start_job
from ictmerge.engine.systems.scoring import Method, ScoreTable
from ictmerge.reforms.counties import CountyViewMixin, county_url
from ictmerge.reforms.models import Municipality
from ictmerge.reforms.services import default_reform
from ictmerge.systems import checklist, services
from ictmerge.systems import security as county_security
from ictmerge.systems.charts import score_chart
from ictmerge.systems.models import ChangeTask, MigrationPlan, SecurityRuleChoice


def method_from(request: HttpRequest) -> Method:
    """?method=weighted_sum or topsis (the default)."""
    try:
        return Method(request.GET.get("method") or Method.TOPSIS)
    except ValueError:
        raise Http404 from None


def criterion_name(code: str) -> str:
    """A criterion's name in the active language."""
    for criterion in services.default_criteria().criteria:
        if criterion.code == code:
            lv = (get_language() or "").startswith("lv")
            return criterion.name_lv if lv else criterion.name_en
    return code


def sensitivity_note(table: ScoreTable, label: Any) -> str:
    """The sensitivity check in plain words."""
    sensitivity = table.sensitivity
    winner = label(table.winner)
    if len(table.rows) == 1:
        return _("%(winner)s is the only candidate, so no weight can change the choice.") % {
            "winner": winner}
    if sensitivity.stable:
        return _("The choice is robust: moving any single criterion's weight 20 %% down or up "
                 "(%(checks)s checks) still leaves %(winner)s first.") % {
            "checks": sensitivity.checks, "winner": winner}
    parts = []
    for flip in sensitivity.flips:
        direction = _("20 %% lower") if flip.factor < 1 else _("20 %% higher")
        parts.append(_("with the weight of %(criterion)s %(direction)s, %(other)s would come "
                       "first") % {"criterion": criterion_name(flip.criterion_code),
                                   "direction": direction, "other": label(flip.new_winner)})
    return _("The choice is sensitive to the weights: %(flips)s. Check those weights before "
             "deciding.") % {"flips": "; ".join(parts)}


class SystemsIndexView(LoginRequiredMixin, View):
    """Every visible new municipality with its information systems before and after."""

    def get(self, request: HttpRequest) -> HttpResponse:
        reform = default_reform()
        rows: list[dict[str, Any]] = []
        if reform is not None:
            visible = scoping.visible_ids(request.user)
            after = services.after_figures(reform)
            for county in services.counties_of(reform):
                if visible is not None and county.pk not in visible:
                    continue
                rows.append({"county": county, **after.get(county.pk, {})})
        return render(request, "systems/index.html", {
            "reform": reform, "rows": rows,
            "may_plan_all": scoping.may_act_on_every_county(request.user)})


class PlanAllView(LoginRequiredMixin, View):
    """Start the background job that plans every new municipality of the reform."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if not scoping.may_act_on_every_county(request.user):
            raise PermissionDenied
        reform = default_reform()
        if reform is None:
            raise Http404
        job = start_job("systems.plan_all", _("IS rationalisation of every new municipality"),
                        {"reform": reform.code}, user=request.user)
        return HttpResponseRedirect(job.get_absolute_url())


class CountySystemsView(CountyViewMixin, View):
    """A county: who uses what, one chosen system per function, weights, totals."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        return render(request, "systems/county.html", self.context(request, county))

    def context(self, request: HttpRequest, county: Municipality) -> dict[str, Any]:
        """The page's data."""
        result = services.plan_county(county, method_from(request))
        predecessors = result.inputs.predecessors
        matrix = []
        for item in result.functions:
            cells = []
            for former in predecessors:
                names = [c.system.name for k, c in sorted(result.inputs.candidates.items())
                         if c.system.function_code == item.function.code
                         and c.system.owner_code == former.code]
                cells.append(names)
            matrix.append({"item": item, "cells": cells})
        weights = [{"code": c.code, "name": criterion_name(c.code), "weight": c.weight,
                    "direction": c.direction.value}
                   for c in result.inputs.criteria.criteria]
        return {
            "county": county, "result": result, "plan": result.plan,
            "predecessors": predecessors, "matrix": matrix, "weights": weights,
            "label": result.label, "time_counts": services.time_counts(result),
            "information_systems_after": result.information_systems_after,
            "one_off": sum(f.cost.one_off_eur for f in result.functions),
            "annual": sum(f.cost.annual_change_eur for f in result.functions),
            "may_change": scoping.may_change_municipality(request.user, county.pk),
            "rows": [{"item": f, "chosen": result.label(f.chosen),
                      "recommended": result.label(f.decision.recommended_system_id),
                      "time": next((t.label for t in f.decision.time_labels
                                    if t.system_id == f.chosen), ""),
                      "verdict": f.decision.scores.sensitivity.stable
                      if f.decision.scores else None}
                     for f in result.functions],
        }


class WeightsView(CountyViewMixin, View):
    """Store a county's criterion weights (only those that changed)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        current = {c.code: c.weight for c in services.plan_county(county).inputs.criteria.criteria}
        changed: dict[str, float] = {}
        errors = []
        for code in services.criterion_codes():
            raw = request.POST.get(code, "").strip().replace(",", ".")
            if not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                errors.append(_("%(criterion)s: %(value)s is not a number.")
                              % {"criterion": code, "value": raw})
                continue
            if abs(value - current[code]) > 1e-9:
                changed[code] = value
        if not errors and changed:
            try:
                services.set_weights(county, changed, request.user)
            except (services.PlanError, ValidationError) as error:
                errors.append(str(error.messages[0] if isinstance(error, ValidationError)
                                  else error))
        for message in errors:
            messages.error(request, message)
        if not errors:
            messages.success(request, _("Weights saved: %(n)s changed.") % {"n": len(changed)})
        return HttpResponseRedirect(county_url("systems_county", county))


class FunctionView(CountyViewMixin, View):
    """One function of a county: score table and chart, sensitivity, TIME, cost, decision."""

    def get(self, request: HttpRequest, *args: Any, function: str, **kwargs: Any) -> HttpResponse:
        return self.render(request, self.county.municipality, function)

    def post(self, request: HttpRequest, *args: Any, function: str, **kwargs: Any) -> HttpResponse:
        county, code = self.county.municipality, function
        try:
            services.record_decision(county, code, request.user,
                                     system=request.POST.get("system") or None,
                                     justification=request.POST.get("justification", ""))
        except services.PlanError as error:
            return self.render(request, county, code, errors=[str(error)], status=400)
        except ValidationError as error:
            return self.render(request, county, code, errors=error.messages, status=400)
        messages.success(request, _("Decision recorded."))
        return HttpResponseRedirect(county_url("systems_function", county, code))

    def render(self, request: HttpRequest, county: Municipality, code: str,
               errors: list[str] | None = None, status: int = 200) -> HttpResponse:
        """The page, with the form's errors if any."""
        result = services.plan_county(county, method_from(request))
        item = next((f for f in result.functions if f.function.code == code), None)
        if item is None:
            raise Http404
        data = services.function_json(result, item)
        table = item.decision.scores
        chart = score_chart(data["scores"]["rows"], result.method.value) if data["scores"] \
            else None
        context = {
            "county": county, "result": result, "item": item, "data": data, "table": table,
            "criteria": [criterion_name(c.code) for c in table.criteria] if table else [],
            "chart": chart, "label": result.label,
            "note": sensitivity_note(table, result.label) if table is not None else "",
            "time": [{"label": t.label, "name": result.label(t.system_id), "reason": text_of(t.reason),
                      "functional": t.functional_fit, "technical": t.technical_fit}
                     for t in item.decision.time_labels],
            "candidates": data["candidates"],
            "may_change": scoping.may_change_municipality(request.user, county.pk),
            "errors": errors or [], "posted": request.POST if errors else {},
            "history": item.record,
        }
        return render(request, "systems/function.html", context, status=status)


class SecurityView(CountyViewMixin, View):
    """The unified security class per function under the law of the date, each class's
    documents and rooms with their sources, inconsistencies side by side, rooms flagged."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(request)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Record the county's rule set (empty: the one in force on its reform date)."""
        county = self.county.municipality
        try:
            county_security.choose_rule_set(county, request.POST.get("rule_set") or None,
                                            request.POST.get("reason", ""), request.user)
        except ValidationError as error:
            return self._page(request, errors=[m for ms in error.message_dict.values()
                                               for m in ms], status=400)
        messages.success(request, _("The county's security rule set was recorded."))
        return HttpResponseRedirect(county_url("systems_security", county))

    def _page(self, request: HttpRequest, errors: list[str] | None = None,
              status: int = 200) -> HttpResponse:
        county = self.county.municipality
        try:
            security = county_security.security_for(county, request.GET.get("rules"))
        except services.PlanError:
            raise Http404 from None
        data = county_security.security_json(security)
        language = (get_language() or "en")[:2]
        names = {f.code: f.name(language) for f in services.engine_functions()}
        functions = [{**function, "function_name": names.get(function["function"],
                                                              function["function"])}
                     for function in data["functions"]]
        choice = SecurityRuleChoice.objects.filter(municipality=county).first()
        return render(request, "systems/security.html", {
            "county": county, "security": security, "data": {**data, "functions": functions},
            "lv": language == "lv",
            "rule_sets": sorted(services.rule_sets().values(), key=lambda r: r.code),
            "inconsistent": [f for f in functions if f["inconsistent"]],
            "choice": choice, "errors": errors or [],
            "may_change": scoping.may_change_municipality(request.user, county.pk),
        }, status=status)


class SecurityRulesView(LoginRequiredMixin, View):
    """Every security rule without a confirmed source, for a lawyer to confirm; a steward
    records a confirmation (who, when, which text) that removes the mark."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        """Record one confirmation."""
        import datetime as dt

        errors: list[str] = []
        try:
            confirmed_on = dt.date.fromisoformat(request.POST.get("confirmed_on", ""))
        except ValueError:
            return self._page(request, [_("Give the date as YYYY-MM-DD.")], 400)
        try:
            county_security.record_confirmation(
                request.POST.get("rule_id", ""), request.POST.get("confirmed_by", ""),
                confirmed_on, request.POST.get("text", ""), request.user)
        except ValidationError as error:
            errors = [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
            return self._page(request, errors, 400)
        messages.success(request, _("The confirmation was recorded."))
        return HttpResponseRedirect(request.path)

    def _page(self, request: HttpRequest, errors: list[str] | None = None,
              status: int = 200) -> HttpResponse:
        data = county_security.unconfirmed_json()
        return render(request, "systems/security_rules.html", {
            "data": data, "lv": (get_language() or "").startswith("lv"),
            "law": services.law(), "errors": errors or [], "posted": request.POST,
            "may_confirm": county_security.may_confirm(request.user),
        }, status=status)


class ChecklistView(CountyViewMixin, View):
    """The reform changes of every kept system and the migration of every retired one."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        result = services.plan_county(county)
        estimates = {m.source_system_id: m for f in result.functions
                     for m in f.decision.migrations}
        tasks = list(ChangeTask.objects.filter(municipality=county).select_related(
            "information_system", "external_candidate").order_by("due_date", "pk"))
        migrations = [{"plan": plan, "estimate": estimates.get(services.system_key(plan.source_id))}
                      for plan in MigrationPlan.objects.filter(municipality=county)
                      .select_related("source", "target_system", "target_external")]
        done = sum(1 for t in tasks if t.status in ("done", "not_applicable"))
        return render(request, "systems/checklist.html", {
            "county": county, "tasks": tasks, "migrations": migrations, "done": done,
            "is_demo": result.inputs.is_demo,
            "may_change": scoping.may_change_municipality(request.user, county.pk)})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        outcome = checklist.generate_checklist(county, request.user)
        messages.success(request, _(
            "Checklist: %(created)s created, %(updated)s updated, %(deleted)s removed; "
            "migrations: %(m_created)s created, %(m_updated)s updated, %(m_deleted)s removed.")
            % {"created": outcome.created, "updated": outcome.updated,
               "deleted": outcome.deleted, "m_created": outcome.migrations_created,
               "m_updated": outcome.migrations_updated,
               "m_deleted": outcome.migrations_deleted})
        return HttpResponseRedirect(county_url("systems_checklist", county))
