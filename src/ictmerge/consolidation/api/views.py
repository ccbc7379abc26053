"""Consolidation endpoints of the REST API (the same services as the pages and the CLI)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.consolidation import services
from ictmerge.consolidation.explain import bound_in_words, room_bound_in_words
from ictmerge.consolidation.jobs import start_run
from ictmerge.consolidation.models import Scenario
from ictmerge.consolidation.payloads import (
    CountyList,
    CountyListRow,
    CountyScenarios,
    NationalPlanResults,
    NationalPlanRunRequest,
    ScenarioResult,
    ScenarioResultAnswer,
    ScenarioSummary,
)
from ictmerge.core import scoping
from ictmerge.core.payloads import Detail, JobLink
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import CountyAPIView
from ictmerge.reforms.models import Municipality
from ictmerge.reforms.services import default_reform


def _scenario(request: Request, pk: int) -> Scenario:
    scenario = (Scenario.objects.restrict(request.user).select_related("municipality", "host_model")
                .filter(pk=pk).first())
    if scenario is None:
        raise Http404
    return scenario


def scenario_json(scenario: Scenario) -> ScenarioSummary:
    """A scenario's parameters and summary (its full result is at .../result/)."""
    return {
        "id": scenario.pk, "name": scenario.name, "is_chosen": scenario.is_chosen,
        "status": scenario.status, "is_stale": scenario.is_stale, "error": scenario.error,
        "run_at": scenario.run_at.isoformat() if scenario.run_at else None,
        "parameters": services.parameters_of(scenario),
        "servers_before": scenario.servers_before, "servers_after": scenario.servers_after,
        "lower_bound": scenario.lower_bound, "proven_optimal": scenario.proven_optimal,
        "rooms_before": scenario.rooms_before, "rooms_after": scenario.rooms_after,
        "annual_saving_eur": float(scenario.annual_saving_eur) if scenario.annual_saving_eur is not None else None,
        "one_off_eur": float(scenario.one_off_eur) if scenario.one_off_eur is not None else None,
        "is_demo": scenario.is_demo,
    }


class CountiesView(APIView):
    """Every new municipality in scope with its plan's servers and rooms, and the totals."""

    @extend_schema(operation_id="consolidation_counties_list", responses={200: CountyList})
    def get(self, request: Request) -> Response:
        reform = default_reform()
        if reform is None:
            empty: CountyList = {"counties": [], "totals": services.totals([])}
            return Response(empty)
        counties = Municipality.objects.filter(reform=reform, stage=Stage.NEW).order_by("name")
        visible = scoping.visible_ids(request.user)
        if visible is not None:
            counties = counties.filter(pk__in=visible)
        plans = services.plans_of_record(counties, figures_only=True)
        rows: list[CountyListRow] = []
        for county in counties:
            plan = plans.get(county.pk)
            rows.append({"id": county.pk, **services.county_row(county, plan),
                         "scenario": plan.pk if plan else None,
                         "is_demo": bool(plan and plan.is_demo)})
        planned = [r for r in rows if r["servers_after"] is not None]
        answer: CountyList = {"reform": reform.code, "counties": rows,
                              "totals": services.totals(planned)}
        return Response(answer)


class CountyView(CountyAPIView):
    """One new municipality's scenarios side by side, and its plan of record."""

    @extend_schema(responses={200: CountyScenarios})
    def get(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        plan = services.plan_of_record(county)
        answer: CountyScenarios = {
            "id": county.pk, "code": county.code, "name": county.name,
            "scenarios": [scenario_json(s) for s in services.scenarios_of(county)],
            "plan_scenario": plan.pk if plan else None,
        }
        return Response(answer)


class ResultView(APIView):
    """A scenario's stored result: hosts, assignment, rooms with reasons, money, bound in words."""

    @extend_schema(responses={200: ScenarioResultAnswer, 404: Detail})
    def get(self, request: Request, pk: int) -> Response:
        scenario = _scenario(request, pk)
        if not scenario.result:
            return Response({"detail": "This scenario has no computed result yet."}, status=404)
        result: ScenarioResult = scenario.result
        answer: ScenarioResultAnswer = {
            "scenario": scenario_json(scenario),
            "bound_in_words": bound_in_words(result),
            "room_bound_in_words": room_bound_in_words(
                result, (scenario.run_parameters or {}).get("horizon_years", scenario.horizon_years)),
            **result,
        }
        return Response(answer)


class RunView(APIView):
    """Queue the computation of a scenario (a background job); answers with the job."""

    @extend_schema(request=None, responses={202: JobLink, 403: Detail})
    def post(self, request: Request, pk: int) -> Response:
        scenario = _scenario(request, pk)
        if not services.may_change(request.user, scenario.municipality):
            return Response({"detail": "You may not change this municipality's plans."},
                            status=status.HTTP_403_FORBIDDEN)
        job = start_run(request.user, scenario)
        return Response({"job": job.pk, "url": reverse("job_detail", args=[job.pk])},
                        status=status.HTTP_202_ACCEPTED)


class ChooseView(APIView):
    """Make a scenario the chosen one of its municipality (it feeds the national view)."""

    @extend_schema(request=None, responses={200: ScenarioSummary, 403: Detail})
    def post(self, request: Request, pk: int) -> Response:
        scenario = _scenario(request, pk)
        if not services.may_change(request.user, scenario.municipality):
            return Response({"detail": "You may not change this municipality's plans."},
                            status=status.HTTP_403_FORBIDDEN)
        services.choose(scenario)
        return Response(scenario_json(scenario))


class NationalView(APIView):
    """The latest national optimisation of the default reform: each scenario against the separate
    county plans, with its bound, gap, places, flows and counties (for those who see every county)."""

    @extend_schema(operation_id="consolidation_national_retrieve", responses={200: NationalPlanResults, 403: Detail})
    def get(self, request: Request) -> Response:
        from ictmerge.consolidation import national

        if scoping.visible_ids(request.user) is not None:
            return Response({"detail": "Only users who see every municipality see the national plan."},
                            status=status.HTTP_403_FORBIDDEN)
        return Response(national.latest_results(default_reform()))


class NationalRunView(APIView):
    """Queue the national optimisation (every scenario, or the one named) as a background job."""

    @extend_schema(request=NationalPlanRunRequest, responses={202: JobLink, 400: Detail, 403: Detail})
    def post(self, request: Request) -> Response:
        from ictmerge.consolidation import national
        from ictmerge.consolidation.jobs import start_national

        reform = default_reform()
        if reform is None or not scoping.may_act_on_every_county(request.user):
            return Response({"detail": "Only an administrator may plan every county at once."},
                            status=status.HTTP_403_FORBIDDEN)
        name = request.data.get("scenario") if hasattr(request.data, "get") else None
        if name is not None and name not in national.SCENARIOS:
            return Response({"detail": f"scenario: one of {', '.join(national.SCENARIOS)}"},
                            status=status.HTTP_400_BAD_REQUEST)
        job = start_national(request.user, reform, [name] if name else None)
        return Response({"job": job.pk, "url": reverse("job_detail", args=[job.pk])},
                        status=status.HTTP_202_ACCEPTED)
