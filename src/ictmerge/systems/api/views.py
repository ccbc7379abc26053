"""REST endpoints of the IS rationalisation (the same service functions as pages and CLI)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core import scoping
from ictmerge.core.jobs import start_job
from ictmerge.core.payloads import Detail, JobLink
from ictmerge.engine.systems.scoring import Method
from ictmerge.reforms.counties import CountyAPIView
from ictmerge.reforms.models import Reform
from ictmerge.reforms.services import default_reform
from ictmerge.systems import checklist, services
from ictmerge.systems import security as county_security
from ictmerge.systems.payloads import (
    ChecklistGenerated,
    ConfirmationRef,
    CountyPlanPayload,
    FunctionDecisionPayload,
    RuleSetRef,
    SecurityPayload,
    UnconfirmedPayload,
    Weights,
)


def _error(message: Any) -> Response:
    return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)


def _validation_messages(error: DjangoValidationError) -> Any:
    return error.message_dict if hasattr(error, "error_dict") else error.messages


class DecisionInput(serializers.Serializer[Any]):
    """A county lead's decision for one function."""

    function = serializers.CharField(help_text="Function code, e.g. finance.")
    system = serializers.CharField(
        required=False, allow_blank=True,
        help_text="Candidate id (is-N, ext-N, national:CODE); empty accepts the recommendation.")
    justification = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="Required when not the recommendation.")


class WeightsInput(serializers.Serializer[Any]):
    """Criterion weights to store, by criterion code."""

    weights = serializers.DictField(child=serializers.FloatField(min_value=0))


class PlanAllInput(serializers.Serializer[Any]):
    """Which reform to plan in the background."""

    reform = serializers.CharField(required=False, help_text="Reform code (default: latest).")


METHOD = OpenApiParameter("method", str, enum=[m.value for m in Method],
                          description="Deciding method (default topsis).")


class CountyPlanView(CountyAPIView):
    """The rationalisation of one new municipality: one system per function, with reasons."""

    @extend_schema(parameters=[METHOD], responses={200: CountyPlanPayload, 400: Detail})
    def get(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        try:
            method = Method(request.query_params.get("method") or Method.TOPSIS)
        except ValueError:
            return _error("method: expected topsis or weighted_sum")
        return Response(services.county_json(services.plan_county(county, method)))


class CountySecurityView(CountyAPIView):
    """The unified security class per function, inconsistencies and rooms below the class."""

    @extend_schema(parameters=[OpenApiParameter(
        "rules", str, description="A rule set's code (fips199, lv-442, lv-nkdl); lv: the "
        "Latvian one in force on the reform date; none: the county's choice, else the one in "
        "force on the reform date")],
                   responses={200: SecurityPayload, 400: Detail})
    def get(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        try:
            security = county_security.security_for(county, request.query_params.get("rules"))
        except services.PlanError as error:
            return _error(f"rules: {error}")
        return Response(county_security.security_json(security))


class CountyDecisionView(CountyAPIView):
    """Record the decision for one function: accept the recommendation or override it."""

    @extend_schema(request=DecisionInput,
                   # Why it was refused, or the fields' errors (field name → messages).
                   responses={201: FunctionDecisionPayload,
                              400: Detail | dict[str, list[str]]})
    def post(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        payload = DecisionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            services.record_decision(county, data["function"], request.user,
                                     system=data.get("system") or None,
                                     justification=data.get("justification", ""))
        except services.PlanError as error:
            return _error(str(error))
        except DjangoValidationError as error:
            return Response(_validation_messages(error), status=status.HTTP_400_BAD_REQUEST)
        result = services.plan_county(county)
        item = next(f for f in result.functions if f.function.code == data["function"])
        return Response(services.function_json(result, item), status=status.HTTP_201_CREATED)


class CountyWeightsView(CountyAPIView):
    """Store a county's criterion weights (each change in the history)."""

    @extend_schema(request=WeightsInput,
                   responses={200: Weights, 400: Detail | dict[str, list[str]]})
    def put(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        payload = WeightsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            services.set_weights(county, payload.validated_data["weights"], request.user)
        except services.PlanError as error:
            return _error(f"weights: {error}")
        except DjangoValidationError as error:
            return Response(_validation_messages(error), status=status.HTTP_400_BAD_REQUEST)
        criteria = services.plan_county(county).inputs.criteria.criteria
        answer: Weights = {"weights": {c.code: c.weight for c in criteria}}
        return Response(answer)


class CountyChecklistView(CountyAPIView):
    """Generate or update the reform checklist and the data-migration plan from the decisions."""

    @extend_schema(request=None, responses={200: ChecklistGenerated})
    def post(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        outcome = checklist.generate_checklist(county, request.user)
        answer: ChecklistGenerated = {
            "created": outcome.created, "updated": outcome.updated, "deleted": outcome.deleted,
            "migrations_created": outcome.migrations_created,
            "migrations_updated": outcome.migrations_updated,
            "migrations_deleted": outcome.migrations_deleted}
        return Response(answer)


class PlanAllView(APIView):
    """Plan every new municipality of a reform as a background job; answers the job."""

    @extend_schema(request=PlanAllInput, responses={202: JobLink, 400: Detail})
    def post(self, request: Request) -> Response:
        if not scoping.may_act_on_every_county(request.user):
            raise PermissionDenied
        payload = PlanAllInput(data=request.data)
        payload.is_valid(raise_exception=True)
        code = payload.validated_data.get("reform")
        reform = Reform.objects.filter(code=code).first() if code else default_reform()
        if reform is None:
            return _error(f"reform: no reform {code or ''} is loaded")
        job = start_job("systems.plan_all", "IS rationalisation of every new municipality",
                        {"reform": reform.code}, user=request.user)
        started: JobLink = {"job": job.pk, "url": job.get_absolute_url()}
        return Response(started, status=status.HTTP_202_ACCEPTED)


class RuleSetInput(serializers.Serializer[Any]):
    """The county's security rule set; an empty rule_set returns to the one of its date."""

    rule_set = serializers.CharField(allow_blank=True,
                                     help_text="fips199, lv-442, lv-nkdl, or empty.")
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Why the county uses another rule set.")


class CountyRuleSetView(CountyAPIView):
    """Record the security rule set a county uses instead of the one of its reform date."""

    @extend_schema(request=RuleSetInput,
                   responses={200: RuleSetRef, 400: Detail | dict[str, list[str]]})
    def put(self, request: Request, pk: int) -> Response:
        county = self.county.municipality
        payload = RuleSetInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            county_security.choose_rule_set(county, data["rule_set"] or None, data["reason"],
                                            request.user)
        except DjangoValidationError as error:
            return Response(_validation_messages(error), status=status.HTTP_400_BAD_REQUEST)
        security = county_security.security_for(county)
        return Response(county_security.security_json(security)["rule_set"])


class UnconfirmedRulesView(APIView):
    """Every security rule without a confirmed source, and the confirmations recorded."""

    @extend_schema(responses={200: UnconfirmedPayload})
    def get(self, request: Request) -> Response:
        return Response(county_security.unconfirmed_json())


class ConfirmationInput(serializers.Serializer[Any]):
    """A confirmation of one rule: who read the act, when, and which text confirms it."""

    rule_id = serializers.CharField(help_text="The rule's id, e.g. lv-442/increased/criterion.")
    confirmed_by = serializers.CharField(max_length=200)
    confirmed_on = serializers.DateField()
    text = serializers.CharField(help_text="The act, its point and the wording (or address).")


class RuleConfirmationView(APIView):
    """Record a confirmation; the rule leaves the unconfirmed list (history keeps who)."""

    @extend_schema(request=ConfirmationInput,
                   responses={201: ConfirmationRef, 400: dict[str, list[str]]})
    def post(self, request: Request) -> Response:
        payload = ConfirmationInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if not county_security.may_confirm(request.user):
            raise PermissionDenied
        try:
            item = county_security.record_confirmation(
                data["rule_id"], data["confirmed_by"], data["confirmed_on"], data["text"],
                request.user)
        except DjangoValidationError as error:
            return Response(_validation_messages(error), status=status.HTTP_400_BAD_REQUEST)
        answer: ConfirmationRef = {"id": item.pk, "rule_id": item.rule_id,
                                   "confirmed_by": item.confirmed_by,
                                   "confirmed_on": item.confirmed_on.isoformat(),
                                   "text": item.text}
        return Response(answer, status=status.HTTP_201_CREATED)
