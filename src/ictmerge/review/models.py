"""Review records: checklist entries set by hand, takeover acts, self-assessments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.core import uploads
from ictmerge.core.models import TrackedModel
from ictmerge.review.choices import (
    ActStatus,
    AssessmentStatus,
    ChecklistItem,
    EntryStatus,
    HandoverCause,
    Maturity,
)
from ictmerge.review.questionnaire import question_choices

#: The setting that overrides the upload limit of a checklist evidence file.
EVIDENCE_MAX_BYTES_SETTING = "ICTMERGE_EVIDENCE_MAX_BYTES"


class ChecklistEntry(TrackedModel):
    """A checklist item's status set by hand, with the evidence that proves it.

    An entry of a new municipality speaks for the whole county; an entry of a former
    municipality (a steward's) speaks for that predecessor. Items computed from records
    keep their computed status; an entry there only adds evidence and a note.
    """

    municipality = models.ForeignKey("reforms.Municipality", verbose_name=_("municipality"),
                                     on_delete=models.CASCADE, related_name="checklist_entries")
    item = models.CharField(_("checklist item"), max_length=40, choices=ChecklistItem.choices)
    status = models.CharField(_("status"), max_length=16, choices=EntryStatus.choices,
                              default=EntryStatus.NOT_STARTED)
    evidence = models.TextField(
        _("evidence"), blank=True,
        help_text=_("What proves it: a decision, protocol or document with its number and date, "
                    "or a link."),
    )
    evidence_file = models.FileField(_("evidence file"), upload_to="review/evidence/%Y/",
                                     blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_field = "municipality"

    class Meta:
        verbose_name = _("checklist entry")
        verbose_name_plural = _("checklist entries")
        ordering = ["municipality__name", "item"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "item"],
                                    name="checklist_entry_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.get_item_display()}"

    def get_absolute_url(self) -> str:
        return reverse("checklist-entries_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        # A new upload: type (by ending and content) and size, the same check as a licence proof's.
        if uploads.is_new_upload(self.evidence_file) and (problems := uploads.upload_errors(
                self.evidence_file, limit=uploads.max_bytes(EVIDENCE_MAX_BYTES_SETTING),
                type_message=_("%(name)s: an evidence file must be a PDF, an image (PNG, JPEG, "
                               "TIFF) or an office document (DOCX, XLSX, PPTX, ODT, ODS, DOC, "
                               "XLS)."))):
            errors["evidence_file"] = " ".join(problems)
        if self.status == EntryStatus.DONE and not (self.evidence.strip() or self.evidence_file):
            errors["evidence"] = str(_("An item marked done needs its evidence."))
        if errors:
            raise ValidationError(errors)


class TakeoverAct(TrackedModel):
    """The act by which a former municipality hands its ICT over to its successor(s).

    Approved by the county lead of every successor; on approval (or on the reform date)
    the former municipality's records pass to the successor with their history kept.
    """

    former = models.OneToOneField("reforms.Municipality", verbose_name=_("former municipality"),
                                  on_delete=models.CASCADE, related_name="takeover_act")
    status = models.CharField(_("status"), max_length=12, choices=ActStatus.choices,
                              default=ActStatus.DRAFT)
    handover_date = models.DateField(_("handover date"), null=True, blank=True)
    data_handed_over = models.TextField(
        _("data handed over"), blank=True,
        help_text=_("Databases, archives and exports handed over, one a line, with where "
                    "they are kept."),
    )
    documents = models.TextField(
        _("justification documents"), blank=True,
        help_text=_("Documents handed over with the resources (inventory lists, contracts, "
                    "licence agreements, invoices, system documentation), one a line, with "
                    "their number and date."),
    )
    signatories = models.TextField(_("signatories"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    #: One entry per successor whose county lead approved: {new_id, user, at}.
    approvals = models.JSONField(_("approvals"), default=list, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("records handed over at"), null=True, blank=True)
    #: Approval or the reform date; an act handed over on the reform date still awaits the
    #: county lead's approval of its contents (approved_at stays empty until then).
    handed_over_by = models.CharField(_("records handed over by"), max_length=12,
                                      choices=HandoverCause.choices, blank=True)
    #: Records of a split municipality that could not be divided automatically.
    review_list = models.JSONField(_("records to divide by hand"), default=list, blank=True)

    scope_field = "former"

    class Meta:
        verbose_name = _("takeover act")
        verbose_name_plural = _("takeover acts")
        ordering = ["former__name"]

    def __str__(self) -> str:
        return str(_("Takeover act of %(name)s") % {"name": self.former.name})

    def get_absolute_url(self) -> str:
        return reverse("takeover-acts_detail", args=[self.pk])

    def clean(self) -> None:
        if self.former_id and self.former.stage != "former":
            raise ValidationError({"former": _("Choose a former municipality.")})


class SelfAssessment(TrackedModel):
    """One self-assessment of a municipality at one date; submitted ones stay unchanged."""

    municipality = models.ForeignKey("reforms.Municipality", verbose_name=_("municipality"),
                                     on_delete=models.CASCADE, related_name="self_assessments")
    assessed_on = models.DateField(_("assessed on"), default=dt.date.today)
    status = models.CharField(_("status"), max_length=10, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    note = models.TextField(_("note"), blank=True)
    #: Frozen on submission: score per area (0-100) and the indicators of that day.
    scores = models.JSONField(_("scores per area"), default=dict, blank=True)
    indicators = models.JSONField(_("indicators"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    scope_field = "municipality"

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["municipality__name", "-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.assessed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("self-assessments_detail", args=[self.pk])


class SelfAssessmentAnswer(TrackedModel):
    """The maturity level a municipality gives itself on one question, with evidence."""

    assessment = models.ForeignKey(SelfAssessment, verbose_name=_("self-assessment"),
                                   on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question"), max_length=20, choices=question_choices)
    level = models.PositiveSmallIntegerField(
        _("maturity level"), choices=Maturity.choices,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
    )
    evidence = models.TextField(_("evidence"), blank=True)

    scope_field = "assessment__municipality"

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        ordering = ["assessment", "question"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"],
                                    name="self_assessment_answer_unique_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.level}"

    def get_absolute_url(self) -> str:
        return reverse("self-assessment-answers_detail", args=[self.pk])

    def clean(self) -> None:
        if self.assessment_id and self.assessment.status == AssessmentStatus.SUBMITTED:
            raise ValidationError({"assessment": _(
                "This self-assessment is submitted and kept as it is; start a new one.")})
