"""Planning endpoints of the REST API: governance, action plan and schedule, budget."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core.jobs import start_job
from ictmerge.core.payloads import Detail
from ictmerge.engine.planning.staff import UserListError, read_user_list
from ictmerge.inventory.choices import GovernanceModel
from ictmerge.planning import services
from ictmerge.planning.choices import TaskStatus
from ictmerge.planning.costs import register_json
from ictmerge.planning.governance import (
    GovernanceError,
    assess_county,
    governance_json,
    parameters_for,
)
from ictmerge.planning.payloads import (
    AccountsPlan,
    ActionPlanSchedule,
    BudgetPayload,
    Governance,
    ParameterRegister,
    TasksChanged,
)
from ictmerge.reforms.counties import CountyAPIView

#: The largest id a database row can have (a bigger number is refused, not looked up).
MAX_ID = 2**63 - 1


class GovernanceView(CountyAPIView):
    """The five governance models calculated, the recommendation, runner-up and choice."""

    @extend_schema(responses={200: Governance})
    def get(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        try:
            return Response(governance_json(assess_county(county)))
        except GovernanceError as error:
            raise ValidationError({"county": str(error)}) from error


class ChoiceInput(serializers.Serializer[Any]):
    """The model chosen and why."""

    model = serializers.ChoiceField(choices=GovernanceModel.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class GovernanceChoiceView(CountyAPIView):
    """Record the governance model the municipality chooses."""

    @extend_schema(request=ChoiceInput, responses={201: inline_serializer(
        "GovernanceChoiceResult", {"id": serializers.IntegerField(),
                                   "model": serializers.CharField(),
                                   "recommended": serializers.CharField(),
                                   "reason": serializers.CharField()})})
    def post(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        data = ChoiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            choice = services.record_choice(county, data.validated_data["model"],
                                            data.validated_data["reason"], request.user)
        except GovernanceError as error:
            raise ValidationError({"county": str(error)}) from error
        return Response({"id": choice.pk, "model": choice.model,
                         "recommended": choice.recommended, "reason": choice.reason},
                        status=201)


class ActionPlanView(CountyAPIView):
    """The stored action plan: schedule figures, critical path, late tasks, every task."""

    @extend_schema(responses={200: ActionPlanSchedule})
    def get(self, request: Request, pk: int) -> Response:
        return Response(services.schedule_json(self.county.municipality))


class GenerateView(CountyAPIView):
    """Generate the tasks from the decisions (kept tracking, hand-added tasks untouched)."""

    @extend_schema(request=None, responses={200: inline_serializer(
        "GenerateResult", {"created": serializers.IntegerField(),
                           "updated": serializers.IntegerField(),
                           "deleted": serializers.IntegerField(),
                           "kept": serializers.IntegerField(),
                           "basis": serializers.DictField(child=serializers.CharField())})})
    def post(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        result = services.generate_action_plan(county, request.user)
        return Response({"created": result.created, "updated": result.updated,
                         "deleted": result.deleted, "kept": result.kept,
                         "basis": result.basis})


class TaskStatusInput(serializers.Serializer[Any]):
    """The selected tasks of the county and the status to give them."""

    tasks = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                  max_length=10_000, help_text="Ids of the county's tasks.")
    status = serializers.ChoiceField(choices=TaskStatus.choices)


class TaskStatusView(CountyAPIView):
    """Set the status of the selected tasks at once (ids of other counties' tasks are ignored;
    each change is in the task's history)."""

    @extend_schema(request=TaskStatusInput, responses={200: TasksChanged, 400: Detail})
    def post(self, request: Request, pk: int) -> Response:
        data = TaskStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            changed = services.set_task_status(self.county.municipality,
                                               data.validated_data["tasks"],
                                               data.validated_data["status"], request.user)
        except services.PlanningError as error:
            return Response(Detail(detail=str(error)), status=400)
        return Response(TasksChanged(changed=changed))


class ScheduleView(CountyAPIView):
    """Start the scheduling job; follow it at /api/jobs/<id>/."""

    @extend_schema(request=None, responses={202: inline_serializer(
        "ScheduleJob", {"job": serializers.IntegerField(), "url": serializers.CharField()})})
    def post(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        services.action_plan_for(county, request.user)
        job = start_job("planning.schedule", f"Schedule the action plan of {county.name}",
                        {"county": county.pk}, request.user, county)
        return Response({"job": job.pk, "url": f"/api/jobs/{job.pk}/"}, status=202)


class BudgetView(CountyAPIView):
    """One-off and annual budget, low / expected / high, by category and line."""

    @extend_schema(responses={200: BudgetPayload})
    def get(self, request: Request, pk: int) -> Response:
        return Response(services.budget_json(services.budget_for(self.county.municipality)))


class NationalParametersView(APIView):
    """The shipped parameters of the cost model: value, range, source and date or stated
    assumption (the same as `ictmerge parameters`); `to_confirm` names the assumptions."""

    @extend_schema(responses={200: ParameterRegister})
    def get(self, request: Request) -> Response:
        return Response(register_json(None))


class ParametersView(CountyAPIView):
    """The cost model's parameters with the county's own values: value, range, source and
    date or stated assumption; `to_confirm` names the assumptions."""

    @extend_schema(responses={200: ParameterRegister})
    def get(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        return Response(register_json(county, parameters_for(county)))


class AccountsInput(serializers.Serializer[Any]):
    """User lists as CSV text per predecessor code (our template, a directory export or
    Snipe-IT users)."""

    lists = serializers.DictField(child=serializers.CharField(allow_blank=False))


class AccountsView(CountyAPIView):
    """The account plan (accounts to create, merge, disable; collisions and the rule; group
    mapping) and the network plan (links, overlapping address ranges) of the county."""

    county_change_methods = frozenset()  # POST reads given user lists; nothing is stored

    @extend_schema(responses={200: AccountsPlan})
    def get(self, request: Request, pk: int) -> Response:
        from ictmerge.planning.accounts import accounts_json, county_accounts

        return Response(accounts_json(county_accounts(self.county.municipality)))

    @extend_schema(request=AccountsInput, responses={200: AccountsPlan})
    def post(self, request: Request, pk: int) -> Response:
        """The plan with predecessors' user lists given as CSV text (nothing is stored)."""
        from ictmerge.planning.accounts import accounts_json, county_accounts

        county = self.county.municipality
        data = AccountsInput(data=request.data)
        data.is_valid(raise_exception=True)
        formers = {m.code for m in self.county.formers}
        imported = {}
        for code, text in data.validated_data["lists"].items():
            if code not in formers:
                raise ValidationError({"lists": f"{code} is not a predecessor of {county.code} "
                                                f"({', '.join(sorted(formers))})"})
            try:
                imported[code] = read_user_list(text, code, f"lists[{code}]")
            except UserListError as error:
                raise ValidationError({"lists": str(error)}) from error
        return Response(accounts_json(county_accounts(county, imported)))
