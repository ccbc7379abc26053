"""Planning pages: the counties, governance, action plan (list, board, Gantt) and budget."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from ictmerge.core import charts as core_charts
from ictmerge.core import scoping
from ictmerge.core.jobs import start_job
from ictmerge.core.views import redirect_back
from ictmerge.engine.planning.budget import CostKind
from ictmerge.engine.planning.staff import accounts_csv, accounts_ldif
from ictmerge.engine.planning.tasks import working_days_between
from ictmerge.inventory.choices import GovernanceModel
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Device
from ictmerge.planning import charts, exports, services
from ictmerge.planning.calendar import holidays_between
from ictmerge.planning.choices import Phase, TaskStatus
from ictmerge.planning.costs import register_json
from ictmerge.planning.forms import ChoiceForm, ParameterForm
from ictmerge.planning.governance import (
    INVENTORY_BASIS,
    GovernanceError,
    assess_county,
    governance_after,
    governance_json,
    parameter_rows,
    parameters_for,
    reset_parameter,
    set_parameter,
)
from ictmerge.planning.jobs import start_plan_all
from ictmerge.planning.labels import (
    BASIS,
    CATEGORIES,
    COST_LINES,
    KINDS,
    SOURCES,
    label,
    quantity_text,
)
from ictmerge.planning.models import ActionPlan, GovernanceChoice, Task
from ictmerge.reforms.counties import County, CountyViewMixin, county_url
from ictmerge.reforms.models import Municipality
from ictmerge.reforms.views import reform_from


def _is_demo(county: Municipality) -> bool:
    return held_before(Device, County.of(county).ids).filter(is_demo=True).exists()


def _labels() -> dict[str, str]:
    return {str(value): str(label) for value, label in GovernanceModel.choices}


class PlanningIndexView(LoginRequiredMixin, View):
    """Every new municipality the user sees, with its plan's state."""

    def get(self, request: HttpRequest) -> HttpResponse:
        reform = reform_from(request)
        visible = scoping.visible_ids(request.user)
        counties = services.counties_of(reform)
        if visible is not None:
            counties = [c for c in counties if c.pk in visible]
        plans = {p.municipality_id: p for p in ActionPlan.objects.filter(
            municipality__in=counties)}
        governance = governance_after(counties)
        budgets = services.budget_summaries(counties)
        labels = _labels()
        rows: list[dict[str, Any]] = []
        for county in counties:
            model, chosen = governance.get(county.pk, (None, False))
            budget = budgets.get(county.pk, {})
            rows.append({"county": county, "plan": plans.get(county.pk),
                         "governance": labels.get(model.value, "") if model else "",
                         "chosen": chosen, "one_off": budget.get("one_off_cost_eur"),
                         "annual": budget.get("annual_cost_change_eur")})
        total = sum(r["one_off"] or 0 for r in rows)
        return render(request, "planning/index.html", {
            "reform": reform, "rows": rows, "one_off_total": total,
            "may_plan_all": scoping.may_act_on_every_county(request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        if not scoping.may_act_on_every_county(request.user):
            return HttpResponseForbidden()
        reform = reform_from(request)
        job = start_plan_all(reform, _("Plan every new municipality of %(reform)s")
                             % {"reform": reform.name}, request.user)
        return redirect(job.get_absolute_url())


class GovernanceView(CountyViewMixin, View):
    """The five governance models side by side, the recommendation and the choice."""

    def get(self, request: HttpRequest, *args: Any, parameter_form: Any = None,
            choice_form: Any = None, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        try:
            result = assess_county(county)
        except GovernanceError as error:
            return render(request, "planning/governance.html",
                          {"county": county, "error": str(error)})
        labels = _labels()
        alternatives = sorted(result.recommendation.alternatives,
                              key=lambda a: a.comparison_cost_eur)
        chart = charts.bars([(labels[a.model.value], a.annual_cost_eur, a.comparison_cost_eur,
                              a.comparison_cost_eur) for a in alternatives])
        rec = result.recommendation
        rows = [{"a": a, "label": labels[a.model.value], "recommended": a.model == rec.recommended,
                 "runner_up": a.model == rec.runner_up} for a in alternatives]
        return render(request, "planning/governance.html", {
            "county": county, "result": result, "alternatives": rows,
            "recommended_label": labels[rec.recommended.value],
            "runner_up_label": labels[rec.runner_up.value], "chart": chart, "parameters": parameter_rows(county),
            "inventory_basis": INVENTORY_BASIS,
            "choices": GovernanceChoice.objects.filter(municipality=county).order_by(
                "-chosen_at", "-pk"),
            "may_change": services.may_plan(request.user, county),
            "parameter_form": parameter_form or ParameterForm(),
            "choice_form": choice_form or ChoiceForm(
                initial={"model": result.recommendation.recommended.value}),
            "is_demo": _is_demo(county),
            "users": sum(s.users for s in result.inventory.sites),
            "servers": sum(s.servers for s in result.inventory.sites),
            "priced": governance_json(result),
        })

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        if "model" in request.POST:
            choice_form = ChoiceForm(request.POST)
            if not choice_form.is_valid():
                return self.get(request, choice_form=choice_form)
            services.record_choice(county, choice_form.cleaned_data["model"],
                                   choice_form.cleaned_data["reason"], request.user)
            messages.success(request, _("The choice is recorded."))
            return redirect(county_url("planning_governance", county))
        form = ParameterForm(request.POST)
        if not form.is_valid():
            return self.get(request, parameter_form=form)
        data = form.cleaned_data
        try:
            if data["reset"]:
                reset_parameter(county, data["name"], request.user)
            else:
                set_parameter(county, data["name"], data["value"], data["source"],
                              request.user)
        except GovernanceError as error:
            form.add_error("value", str(error))
            return self.get(request, parameter_form=form)
        messages.success(request, _("The parameter is saved."))
        return redirect(county_url("planning_governance", county))


def reform_day(county: Municipality, plan: ActionPlan | None) -> int | None:
    """The reform's effective date in working days from the project start (the chart's x)."""
    if plan is None:
        return None
    reform_date = county.reform.effective_date
    holidays = holidays_between(county.reform.country, plan.project_start, reform_date)
    return working_days_between(plan.project_start, reform_date, holidays)


#: Tasks a page of the action plan's list shows (the Gantt chart and the board show all).
TASKS_PER_PAGE = 30


class ActionPlanView(CountyViewMixin, View):
    """The action plan: figures, capacities, Gantt chart, board by phase, task list."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        plan = ActionPlan.of(county)
        tasks = list(Task.objects.filter(municipality=county).select_related("assignee")
                     .order_by("start_day", "pk"))
        board = [{"phase": label, "value": value,
                  "tasks": [t for t in tasks if t.phase == value]}
                 for value, label in Phase.choices]
        counts = {value: sum(1 for t in tasks if t.status == value)
                  for value, _label in TaskStatus.choices}
        phase, status = request.GET.get("phase", ""), request.GET.get("status", "")
        predecessor = request.GET.get("predecessor", "")
        group = "predecessor" if request.GET.get("group") == "predecessor" else "phase"
        query = request.GET.get("q", "").strip().casefold()
        about = services.task_predecessors(county, tasks)
        whole = _("Whole county")
        listed = [t for t in tasks if (not phase or t.phase == phase)
                  and (not status or t.status == status)
                  and (not predecessor or (about[t.pk].code if t.pk in about else "")
                       == predecessor)
                  and (not query or query in t.title.casefold()
                      or query in t.display_title.casefold())]
        order = {value: index for index, (value, _label) in enumerate(Phase.choices)}
        formers = sorted({m.pk: m for m in about.values()}.values(), key=lambda m: m.name)
        if group == "predecessor":
            rank = {m.pk: index for index, m in enumerate(formers)}

            def key(t: Task) -> Any:
                return rank[about[t.pk].pk] if t.pk in about else -1

            def label(value: Any) -> str:
                return formers[value].name if value >= 0 else whole
        else:
            def key(t: Task) -> Any:
                return order.get(t.phase, len(order))

            def label(value: Any) -> str:
                return str(Phase.choices[value][1]) if value < len(order) else ""
        listed.sort(key=lambda t: (key(t), order.get(t.phase, len(order)), t.start_day or 0,
                                   t.pk))
        page = Paginator(listed, TASKS_PER_PAGE).get_page(request.GET.get("page"))
        filters = request.GET.copy()
        filters.pop("page", None)
        groups = [{"label": label(value), "tasks": [
            {"task": t, "other": t.get_phase_display() if group == "predecessor"
             else (about[t.pk].name if t.pk in about else whole)} for t in rows]}
            for value, rows in groupby(page.object_list, key=key)]
        return render(request, "planning/action_plan.html", {
            "county": county, "plan": plan, "tasks": tasks, "board": board,
            "page": page, "groups": groups, "group": group, "filters": filters.urlencode(),
            "matching": len(listed), "phase": phase, "status": status,
            "predecessor": predecessor, "predecessors": formers,
            "q": request.GET.get("q", ""), "phases": Phase.choices,
            "statuses": TaskStatus.choices,
            "counts": counts, "overdue": sum(1 for t in tasks if t.is_overdue),
            "gantt": charts.gantt(tasks, reform_day(county, plan)),
            "capacities": services.capacities_for(county),
            "may_change": services.may_plan(request.user, county),
            "is_demo": _is_demo(county),
            "late": [t for t in tasks if t.late_days],
        })

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        if request.POST.get("action") == "set_status":
            ids = [int(v) for v in request.POST.getlist("task") if v.isdigit() and len(v) < 19]
            try:
                changed = services.set_task_status(county, ids, request.POST.get("status", ""),
                                                   request.user)
            except services.PlanningError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, ngettext("%(count)d task changed.",
                                                   "%(count)d tasks changed.", changed)
                                 % {"count": changed})
            return redirect_back(request, county_url("planning_action_plan", county))
        if request.POST.get("action") == "generate":
            result = services.generate_action_plan(county, request.user)
            messages.success(request, _("%(created)d tasks created, %(updated)d updated, "
                                        "%(deleted)d deleted.") % {
                "created": result.created, "updated": result.updated,
                "deleted": result.deleted})
            return redirect(county_url("planning_action_plan", county))
        services.action_plan_for(county, request.user)
        job = start_job("planning.schedule", _("Schedule the action plan of %(county)s")
                        % {"county": county.name}, {"county": county.pk},
                        request.user, county)
        return redirect(job.get_absolute_url())


class ActionPlanExportView(CountyViewMixin, View):
    """The scheduled plan as XLSX or iCalendar."""

    def get(self, request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in ("xlsx", "ics"):
            raise Http404
        county = self.county.municipality
        tasks = list(Task.objects.filter(municipality=county).select_related("assignee")
                     .order_by("start_day", "pk"))
        if fmt == "xlsx":
            response = HttpResponse(
                exports.tasks_xlsx(county, tasks),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        else:
            response = HttpResponse(exports.tasks_ics(county, tasks),
                                    content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="action-plan-{county.code}.{fmt}"')
        return response


class BudgetView(CountyViewMixin, View):
    """One-off and annual budget by category, low / expected / high, with its lines."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        result = services.budget_for(county)
        data = services.budget_json(result)
        one_off = [c for c in data["by_category"] if c["kind"] == CostKind.ONE_OFF]
        annual = [c for c in data["by_category"] if c["kind"] == CostKind.ANNUAL]
        # The engine's codes shown by their labels in the reader's language.
        categories: list[dict[str, Any]] = [
            {**c, "kind_label": label(KINDS, c["kind"]),
             "category_label": label(CATEGORIES, c["category"])} for c in data["by_category"]]
        chart = charts.bars([(f"{c['category_label']} ({c['kind_label']})", c["low"],
                              c["expected"], c["high"]) for c in categories])
        return render(request, "planning/budget.html", {
            "county": county, "data": data, "one_off": one_off, "annual": annual,
            "categories": categories,
            "governance_after_label": _labels().get(data["governance_after"] or "", ""),
            # Shares as percentages, written as the language writes numbers.
            "shares": {key: value * 100 if value is not None else None for key, value in (
                ("one_off_ict", data["one_off_share_of_ict_spend"]),
                ("annual_change_ict", data["annual_change_share_of_ict_spend"]),
                ("one_off_total", data["one_off_share_of_total_expenditure"]))},
            "lines": [line | {"kind_label": label(KINDS, line["kind"]),
                              "quantity_text": quantity_text(line["quantity"], line["unit"])}
                      for line in data["lines"]],
            "cost_lines": [c | {"label": label(COST_LINES, c["line"])}
                           for c in data["cost_lines"]],
            "by_source": [(label(SOURCES, source), value)
                          for source, value in data["annual_change_by_source"].items()],
            "basis": [(label(BASIS, kind), text) for kind, text in data["basis"].items()],
            "drivers": {kind: [{**d, "source": label(SOURCES, d["source"])} for d in rows]
                        for kind, rows in (("one_off", data["drivers"]["one_off"]),
                                           ("annual", data["drivers"]["annual"]))},
            "chart": chart, "is_demo": _is_demo(county),
            "action_plan_url": county_url("planning_action_plan", county),
            "waterfall": core_charts.waterfall([w | {"label": label(SOURCES, w["label"])}
                                                for w in data["waterfall"]]),
            "tornado": core_charts.tornado(data["annual_cost_change_eur"]["expected"],
                                           data["tornado"]),
            "parameters_url": county_url("planning_parameters", county),
        })


class ParametersView(CountyViewMixin, View):
    """The cost model's parameters with their sources, and the assumptions to confirm."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        data = register_json(county, parameters_for(county))
        return render(request, "planning/parameters.html", {
            "county": county, "data": data,
            "to_confirm": [e for e in data["parameters"] if e["confirm"]],
            "is_demo": _is_demo(county),
            "governance_url": county_url("planning_governance", county),
        })


class NationalParametersView(LoginRequiredMixin, View):
    """The shipped parameters of the cost model with their sources, and the assumptions to
    confirm, before any county sets its own (the national view links here)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data = register_json(None)
        return render(request, "planning/parameters.html", {
            "county": None, "data": data,
            "to_confirm": [e for e in data["parameters"] if e["confirm"]],
        })


#: Accounts a page of the account plan lists, and collisions it shows (the CSV has all).
ACCOUNTS_PER_PAGE = 100
COLLISIONS_SHOWN = 50


def account_predecessor(account: Mapping[str, Any]) -> str:
    """The code of the former municipality an account comes from (its first old account's);
    empty for an account that replaces none."""
    replaces = account.get("replaces") or []
    return str(replaces[0]).partition(":")[0] if replaces else ""


class AccountsView(CountyViewMixin, View):
    """The account plan (accounts, collisions, groups) and the network plan of a county."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from ictmerge.planning.accounts import accounts_json, county_accounts

        county = self.county.municipality
        data = accounts_json(county_accounts(county))
        predecessor = request.GET.get("predecessor", "")
        action = request.GET.get("action", "")
        query = request.GET.get("q", "").strip().casefold()
        accounts = [a for a in data["accounts"]
                    if (not predecessor or account_predecessor(a) == predecessor)
                    and (not action or a["action"] == action)
                    and (not query or any(query in text.casefold() for text in (
                        a["username"], a["email"], a["given_name"], a["family_name"],
                        *a["replaces"])))]
        accounts.sort(key=lambda a: (account_predecessor(a), a["username"]))
        page = Paginator(accounts, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
        filters = request.GET.copy()
        filters.pop("page", None)
        names = {item["code"]: item["name"] for item in data["lists"]}
        groups = [{"predecessor": code, "name": names.get(code, code), "accounts": list(rows)}
                  for code, rows in groupby(page.object_list, key=account_predecessor)]
        return render(request, "planning/accounts.html", {
            "county": county, "data": data, "is_demo": data["is_demo"] or _is_demo(county),
            "csv_url": county_url("planning_accounts_export", county, "csv"),
            "ldif_url": county_url("planning_accounts_export", county, "ldif"),
            "page": page, "groups": groups, "filters": filters.urlencode(),
            "matching": len(accounts), "predecessor": predecessor, "action": action,
            "q": request.GET.get("q", ""),
            "collisions": data["collisions"][:COLLISIONS_SHOWN],
            "more_collisions": max(len(data["collisions"]) - COLLISIONS_SHOWN, 0),
        })


class AccountsExportView(CountyViewMixin, View):
    """The account plan as CSV or LDIF for the directory."""

    def get(self, request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        from ictmerge.planning.accounts import county_accounts

        county = self.county.municipality
        if fmt not in ("csv", "ldif"):
            raise Http404
        plan = county_accounts(county).plan
        text = accounts_csv(plan) if fmt == "csv" else accounts_ldif(plan)
        kind = "text/csv" if fmt == "csv" else "text/x-ldif"
        response = HttpResponse(text, content_type=f"{kind}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="accounts-{county.code}.{fmt}"'
        return response
