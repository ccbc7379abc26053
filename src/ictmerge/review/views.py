"""Review pages: phase progress (national and per county), takeover acts, self-assessments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from ictmerge.core import charts, scoping
from ictmerge.core.views import redirect_back
from ictmerge.reforms.counties import CountyViewMixin, municipality_for, successions_from
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.reforms.services import default_reform
from ictmerge.review import assessment as assessments
from ictmerge.review import takeover
from ictmerge.review.choices import (
    ActStatus,
    Area,
    AssessmentStatus,
    ChecklistItem,
    EntryStatus,
    Maturity,
    Phase,
)
from ictmerge.review.models import SelfAssessment, TakeoverAct
from ictmerge.review.questionnaire import questions_of
from ictmerge.review.services import ReviewError, county_progress, national_progress, set_entry


def reform_of(request: HttpRequest) -> Reform:
    """The reform asked for (?reform=CODE) or the default one."""
    code = request.GET.get("reform") or request.POST.get("reform")
    reform = Reform.objects.filter(code=code).first() if code else default_reform()
    if reform is None:
        raise Http404("No reform is loaded.")
    return reform


def labels() -> dict[str, Any]:
    """Phase and status labels for the review partials."""
    return {"phases": list(Phase.choices), "status_labels": dict(EntryStatus.choices)}


class NationalProgressView(LoginRequiredMixin, View):
    """Every new municipality's progress per phase, the national median and the laggards."""

    def get(self, request: HttpRequest) -> HttpResponse:
        reform = reform_of(request)
        progress = national_progress(reform, scoping.visible_ids(request.user))
        chart = charts.progress_bars([(c["name"], c["overall_percent"] or 0.0)
                                      for c in progress["counties"]])
        return render(request, "review/national.html", {
            "reform": reform, "progress": progress, "chart": chart, "link_counties": True,
            **labels()})


class CountyProgressView(CountyViewMixin, View):
    """One new municipality's checklist; items that cannot be computed are set here."""

    #: A checklist entry is refused with a message on the page (set_entry checks the scope).
    county_change_methods = frozenset()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        progress = county_progress(county)
        predecessors = self.county.formers
        acts = {a.former_id: a for a in TakeoverAct.objects.filter(former__in=predecessors)}
        return render(request, "review/county.html", {
            "county": county, "progress": progress,
            "chart": charts.progress_bars([(str(label), 100 * (progress.phases[value] or 0))
                                           for value, label in Phase.choices]),
            "predecessors": [(m, acts.get(m.pk)) for m in predecessors],
            "assessments": assessments.history(county),
            "may_change": scoping.may_change_municipality(request.user, county.pk),
            "manual_items": [(i.item, i.label) for i in progress.items if not i.computed],
            "item_choices": ChecklistItem.choices, "status_choices": EntryStatus.choices,
            **labels()})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        county = self.county.municipality
        try:
            set_entry(request.user, county, request.POST.get("item", ""),
                      request.POST.get("status", ""), request.POST.get("evidence", ""),
                      request.POST.get("note", ""))
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
        return HttpResponseRedirect(request.get_full_path())


class TakeoverActView(LoginRequiredMixin, View):
    """A former municipality's takeover act: resources, what is missing, approvals, review list."""

    def former(self, request: HttpRequest, pk: int) -> Municipality:
        return municipality_for(request.user, pk, "former")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        former = self.former(request, pk)
        act = TakeoverAct.objects.filter(former=former).first() or TakeoverAct(former=former)
        successions = list(former.successors.select_related("new").order_by("new__name"))
        contents = takeover.act_contents(act)
        approvers = [s.new for s in successions if takeover.may_approve(request.user, s.new)]
        return render(request, "review/takeover_act.html", {
            "former": former, "act": act, "contents": contents, "successions": successions,
            "may_approve": bool(approvers) and act.approved_at is None
            and act.status != ActStatus.APPROVED,
            "assignable": approvers, "is_demo": False})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        former = self.former(request, pk)
        if not scoping.may_change_municipality(request.user, former.pk):
            raise PermissionDenied
        act = takeover.ensure_act(former)
        try:
            if request.POST.get("action") == "approve":
                takeover.approve(request.user, act)
                messages.success(request, _("Saved."))
            elif request.POST.get("action") == "assign":
                new = get_object_or_404(Municipality, pk=request.POST.get("new"))
                takeover.assign_reviewed(request.user, act, request.POST.get("model", ""),
                                         int(request.POST.get("id", "0")), new)
                messages.success(request, _("Saved."))
        except ReviewError as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(reverse("takeover_act", args=[former.pk]))


#: Record lists the act page links to: key of act_contents' resources -> model and filter.
#: At most this many records are listed on one act records page (the count shows all).
ACT_RECORDS_SHOWN = 1000


class TakeoverActRecordsView(LoginRequiredMixin, View):
    """The records of one kind the act's former municipality held, wherever they are now.

    Read from the handover log, so that the list is the same before and after the handover
    (a resource list filtered by the former municipality is empty once the records passed).
    """

    def get(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        former = municipality_for(request.user, pk, "former")
        try:
            held = takeover.act_records(former.pk, key)
        except KeyError:
            raise Http404 from None
        records = scoping.restrict_queryset(held, request.user).select_related(
            "municipality").order_by("pk")
        total = records.count()
        label = takeover.ACT_RECORD_KINDS[key][0]
        return render(request, "review/takeover_act_records.html", {
            "former": former, "label": label, "records": records[:ACT_RECORDS_SHOWN],
            "total": total, "shown": min(total, ACT_RECORDS_SHOWN),
            "is_demo": records.filter(is_demo=True).exists()})


class TakeoverActsView(LoginRequiredMixin, View):
    """Every former municipality's act in the reform: where it stands, how it was handed over.

    An administrator hands over here what is due on the reform date (the worker does it
    daily when ICTMERGE_AUTO_HANDOVER is on).
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        reform = reform_of(request)
        visible = scoping.visible_ids(request.user)
        formers = Municipality.objects.filter(reform=reform, stage="former").order_by("name")
        if visible is not None:
            formers = formers.filter(pk__in=visible)
        acts = {a.former_id: a for a in TakeoverAct.objects.filter(former__in=formers)}
        successors = {former_id: [s.new.name for s in successions] for former_id, successions
                      in successions_from(formers, by_name=True).items()}
        today = timezone.localdate()
        due = list(takeover.due_formers(today).filter(reform=reform)) \
            if request.user.is_superuser else []
        return render(request, "review/takeover_acts.html", {
            "reform": reform, "today": today, "due": due,
            "may_hand_over": request.user.is_superuser,
            "rows": [(m, acts.get(m.pk), successors.get(m.pk, [])) for m in formers]})

    def post(self, request: HttpRequest) -> HttpResponse:
        from ictmerge.review.jobs import start_handover_job

        if not request.user.is_superuser:
            raise PermissionDenied
        today = timezone.localdate()
        due = takeover.due_formers(today).count()
        if not due:
            messages.info(request, _("Nothing to hand over today."))
            return HttpResponseRedirect(request.get_full_path())
        # A whole country takes minutes: a background job does it, the page follows it.
        job, _started = start_handover_job(today, request.user)
        messages.success(request, ngettext(
            "The records of %(count)d former municipality are being handed over.",
            "The records of %(count)d former municipalities are being handed over.",
            due) % {"count": due})
        return HttpResponseRedirect(reverse("job_detail", args=[job.pk]))


class AssessmentStartView(LoginRequiredMixin, View):
    """Start a new self-assessment of a municipality (earlier ones are kept)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        municipality = municipality_for(request.user, pk)
        try:
            assessment = assessments.start_assessment(request.user, municipality)
        except ReviewError as error:
            messages.error(request, str(error))
            return redirect_back(request)
        return HttpResponseRedirect(reverse("self_assessment", args=[assessment.pk]))


class AssessmentView(LoginRequiredMixin, View):
    """Fill a self-assessment, save it, submit it; see its scores beside the country's."""

    def assessment(self, request: HttpRequest, pk: int) -> SelfAssessment:
        return get_object_or_404(SelfAssessment.objects.restrict(request.user)
                                 .select_related("municipality"), pk=pk)

    def get(self, request: HttpRequest, pk: int, problems: list[str] | None = None
            ) -> HttpResponse:
        assessment = self.assessment(request, pk)
        answers = {a.question: a for a in assessment.answers.all()}
        areas = [{"area": value, "label": label,
                  "questions": [(q, answers.get(q.code)) for q in questions_of(value)]}
                 for value, label in Area.choices]
        comparison = assessments.area_comparison(assessment)
        indicators = (assessments.indicator_comparison(assessment.municipality)
                      if assessment.municipality.stage == "new" else [])
        return render(request, "review/assessment.html", {
            "assessment": assessment, "areas": areas, "levels": Maturity.choices,
            "comparison": comparison, "indicators": indicators,
            "frozen_indicators": assessment.indicators,
            "history": assessments.history(assessment.municipality),
            "editable": assessment.status == AssessmentStatus.DRAFT
            and scoping.may_change_municipality(request.user, assessment.municipality_id),
            "problems": problems or []}, status=400 if problems else 200)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.assessment(request, pk)
        answers = {key[len("level_"):]: (value, request.POST.get(f"evidence_{key[6:]}", ""))
                   for key, value in request.POST.items() if key.startswith("level_")}
        try:
            problems = assessments.save_answers(request.user, assessment, answers)
            if problems:
                return self.get(request, pk, problems)
            if request.POST.get("action") == "submit":
                assessments.submit_assessment(request.user, assessment)
        except ReviewError as error:
            return self.get(request, pk, [str(error)])
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(reverse("self_assessment", args=[pk]))
