"""Review endpoints: phase progress, checklist entries set by hand, takeover acts, self-assessments."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ictmerge.core import scoping
from ictmerge.reforms.counties import CountyAPIView, municipality_for
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.review import assessment as assessments
from ictmerge.review import takeover
from ictmerge.review.choices import ChecklistItem, EntryStatus
from ictmerge.review.models import SelfAssessment, TakeoverAct
from ictmerge.review.payloads import (
    AssessmentHistory,
    AssessmentPayload,
    ChecklistEntrySet,
    CountyProgressPayload,
    HandoverDue,
    HandoverStarted,
    NationalProgress,
    TakeoverActPayload,
)
from ictmerge.review.services import ReviewError, county_progress, national_progress, set_entry
from ictmerge.review.views import reform_of

REFORM = OpenApiParameter("reform", str, description="Reform code (default: latest)")


def _refused(error: ReviewError) -> ValidationError:
    return ValidationError({"detail": str(error)})


class NationalProgressView(APIView):
    """Every new municipality's phase progress, the national medians and the laggards."""

    @extend_schema(operation_id="review_progress_national", parameters=[REFORM],
                   responses={200: NationalProgress})
    def get(self, request: Request) -> Response:
        reform = reform_of(request._request)
        return Response(national_progress(reform, scoping.visible_ids(request.user)))


class CountyProgressView(CountyAPIView):
    """One new municipality's checklist with each item's status and how it is known."""

    @extend_schema(operation_id="review_progress_county", parameters=[REFORM],
                   responses={200: CountyProgressPayload})
    def get(self, request: Request, code: str) -> Response:
        return Response(county_progress(self.county.municipality).as_json())


class ChecklistEntryInput(serializers.Serializer[Any]):
    """A checklist item set by hand."""

    municipality = serializers.CharField(help_text="Municipality code")
    reform = serializers.CharField(required=False, allow_blank=True)
    item = serializers.ChoiceField(choices=ChecklistItem.choices)
    status = serializers.ChoiceField(choices=EntryStatus.choices)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ChecklistSetView(APIView):
    """Set a checklist item by hand, with its evidence; answers the county's new progress."""

    @extend_schema(operation_id="review_checklist_set", request=ChecklistEntryInput,
                   responses={200: ChecklistEntrySet})
    def post(self, request: Request) -> Response:
        data = ChecklistEntryInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        reform = get_object_or_404(Reform, code=values["reform"]) if values.get("reform") \
            else reform_of(request._request)
        municipality = municipality_for(request.user, values["municipality"], reform=reform)
        if not scoping.may_change_municipality(request.user, municipality.pk):
            raise PermissionDenied("You may not change the checklist of this municipality.")
        try:
            entry = set_entry(request.user, municipality, values["item"], values["status"],
                              values["evidence"], values["note"])
        except ReviewError as error:
            raise _refused(error) from error
        answer: ChecklistEntrySet = {"id": entry.pk, "municipality": municipality.code,
                                     "item": entry.item, "status": entry.status}
        return Response(answer)


def _act_json(act: Any) -> TakeoverActPayload:
    contents = takeover.act_contents(act)
    return {"id": act.pk, "former": act.former.code, "status": act.status,
            "approvals": act.approvals,
            "approved_at": act.approved_at.isoformat() if act.approved_at else None,
            "transferred_at": act.transferred_at.isoformat() if act.transferred_at else None,
            "handed_over_by": act.handed_over_by,
            "resources": [{"key": r["key"], "label": str(r["label"]), "count": r["count"]}
                          for r in contents["resources"]],
            "missing": contents["missing"], "handed_over": contents["handed_over"],
            "data": contents["data"], "documents": contents["documents"],
            "review_list": act.review_list}


class TakeoverActView(APIView):
    """A former municipality's takeover act: resources handed over and what is missing."""

    def former(self, request: Request, pk: int) -> Municipality:
        return municipality_for(request.user, pk, "former")

    @extend_schema(operation_id="review_act_retrieve",
                   responses={200: TakeoverActPayload})
    def get(self, request: Request, pk: int) -> Response:
        former = self.former(request, pk)
        act = TakeoverAct.objects.filter(former=former).first() or TakeoverAct(former=former)
        return Response(_act_json(act))


class AssignInput(serializers.Serializer[Any]):
    """A record of a split act's review list and the successor it goes to."""

    model = serializers.CharField(help_text="e.g. inventory.contract")
    id = serializers.IntegerField()
    new = serializers.IntegerField(help_text="Id of the successor municipality")


class TakeoverActActionView(TakeoverActView):
    """Approve the act (action=approve) or assign a record of its review list (action=assign)."""

    http_method_names = ["post", "options"]

    @extend_schema(operation_id="review_act_action", request=AssignInput,
                   responses={200: TakeoverActPayload})
    def post(self, request: Request, pk: int, action: str) -> Response:
        former = self.former(request, pk)
        if not scoping.may_change_municipality(request.user, former.pk):
            raise PermissionDenied("You may not act on this takeover.")
        act = takeover.ensure_act(former)
        try:
            if action == "approve":
                act = takeover.approve(request.user, act)
            elif action == "assign":
                data = AssignInput(data=request.data)
                data.is_valid(raise_exception=True)
                new = get_object_or_404(Municipality, pk=data.validated_data["new"])
                takeover.assign_reviewed(request.user, act, data.validated_data["model"],
                                         data.validated_data["id"], new)
                act.refresh_from_db()
            else:
                raise Http404
        except ReviewError as error:
            raise _refused(error) from error
        return Response(_act_json(act))


class HandoverDueInput(serializers.Serializer[Any]):
    """The day to hand over for (default today); dry_run lists what would pass."""

    date = serializers.DateField(required=False, allow_null=True, default=None)
    dry_run = serializers.BooleanField(required=False, default=False)


class HandoverDueView(APIView):
    """Hand over every former municipality whose reform date has come (administrators only).

    Approved or not, their records pass to the successor(s); the acts record that the
    handover was automatic and stay to be approved for their contents. dry_run answers
    what would pass; otherwise a background job does it (202, follow it at /api/jobs/<id>/),
    or 200 with nothing when nothing is due. Idempotent.
    """

    @extend_schema(operation_id="review_handover_due", request=HandoverDueInput,
                   responses={200: HandoverDue, 202: HandoverStarted})
    def post(self, request: Request) -> Response:
        from ictmerge.review.jobs import start_handover_job

        if not request.user.is_superuser:
            raise PermissionDenied("Only an administrator hands records over on the reform "
                                   "date.")
        data = HandoverDueInput(data=request.data)
        data.is_valid(raise_exception=True)
        day = data.validated_data["date"] or timezone.localdate()
        if data.validated_data["dry_run"]:
            entries = takeover.handover_due(day, dry_run=True)
            dry: HandoverDue = {"date": day.isoformat(), "dry_run": True,
                                "handovers": takeover.due_json(entries)}
            return Response(dry)
        due = takeover.due_formers(day).count()
        if not due:
            nothing: HandoverDue = {"date": day.isoformat(), "dry_run": False, "due": 0,
                                    "handovers": []}
            return Response(nothing)
        job, _started = start_handover_job(day, request.user)
        started: HandoverStarted = {"date": day.isoformat(), "dry_run": False, "due": due,
                                    "job": job.pk, "url": f"/api/jobs/{job.pk}/"}
        return Response(started, status=status.HTTP_202_ACCEPTED)


class AssessmentStartInput(serializers.Serializer[Any]):
    """The municipality to assess."""

    municipality = serializers.IntegerField(help_text="Municipality id")


class AnswerGiven(TypedDict):
    """The answer to one question (save_answers checks the level)."""

    level: NotRequired[int | None]
    evidence: NotRequired[str]


@extend_schema_field(dict[str, AnswerGiven])
class AnswersField(serializers.DictField):
    """Answers by question code."""


class AnswersInput(serializers.Serializer[Any]):
    """Answers by question code: {"gov_owner": {"level": 3, "evidence": "..."}}; submit freezes."""

    answers = AnswersField(child=serializers.DictField(), required=False, default=dict)
    submit = serializers.BooleanField(required=False, default=False)


class AssessmentStartView(APIView):
    """Start a new self-assessment (answered as the last submitted one); earlier ones are kept."""

    @extend_schema(operation_id="review_assessment_start", request=AssessmentStartInput,
                   responses={201: AssessmentPayload})
    def post(self, request: Request) -> Response:
        data = AssessmentStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        municipality = municipality_for(request.user, data.validated_data["municipality"])
        try:
            assessment = assessments.start_assessment(request.user, municipality)
        except ReviewError as error:
            raise PermissionDenied(str(error)) from error
        return Response(assessments.assessment_json(assessment), status=status.HTTP_201_CREATED)


class AssessmentView(APIView):
    """A self-assessment with answers, scores per area and the national comparison."""

    def assessment(self, request: Request, pk: int) -> SelfAssessment:
        return get_object_or_404(SelfAssessment.objects.restrict(request.user)
                                 .select_related("municipality"), pk=pk)

    @extend_schema(operation_id="review_assessment_retrieve",
                   responses={200: AssessmentPayload})
    def get(self, request: Request, pk: int) -> Response:
        return Response(assessments.assessment_json(self.assessment(request, pk)))

    @extend_schema(operation_id="review_assessment_answer", request=AnswersInput,
                   responses={200: AssessmentPayload})
    def post(self, request: Request, pk: int) -> Response:
        assessment = self.assessment(request, pk)
        if not scoping.may_change_municipality(request.user, assessment.municipality_id):
            raise PermissionDenied("You may not assess this municipality.")
        data = AnswersInput(data=request.data)
        data.is_valid(raise_exception=True)
        answers = {code: (value.get("level"), str(value.get("evidence", "")))
                   for code, value in data.validated_data["answers"].items()}
        try:
            problems = assessments.save_answers(request.user, assessment, answers)
            if problems:
                raise ValidationError({"answers": problems})
            if data.validated_data["submit"]:
                assessments.submit_assessment(request.user, assessment)
        except ReviewError as error:
            raise _refused(error) from error
        assessment.refresh_from_db()
        return Response(assessments.assessment_json(assessment))


class AssessmentHistoryView(APIView):
    """Every self-assessment of a municipality, newest first, with its scores."""

    @extend_schema(operation_id="review_assessment_history",
                   responses={200: AssessmentHistory})
    def get(self, request: Request, pk: int) -> Response:
        municipality = municipality_for(request.user, pk)
        answer: AssessmentHistory = {"municipality": municipality.code,
                                     "assessments": assessments.history(municipality)}
        return Response(answer)
