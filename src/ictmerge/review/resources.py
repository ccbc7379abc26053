"""The review app's record types as resources (pages, API, exports)."""

from django.utils.translation import gettext_lazy as _

from ictmerge.core.navigation import MenuItem, add_menu_item
from ictmerge.core.resources import Resource, register
from ictmerge.review.models import (
    ChecklistEntry,
    SelfAssessment,
    SelfAssessmentAnswer,
    TakeoverAct,
)
from ictmerge.review.payloads import ActApproval, IndicatorValues, ReviewEntry

REVIEW = _("Review")
PROVISION = _("Provision")

checklist_entries = register(Resource(
    model=ChecklistEntry, slug="checklist-entries",
    fields=("municipality", "item", "status", "evidence", "evidence_file", "note"),
    list_columns=("item", "municipality", "status", "evidence"),
    filter_fields=("municipality", "item", "status"), search_fields=("evidence", "note"),
    select_related=("municipality",), menu_group=REVIEW, menu_order=20,
    ordering=("municipality__name", "item"),
    file_views=(("evidence_file", "review_checklist_evidence", "api_review_checklist_evidence"),),
))

takeover_acts = register(Resource(
    model=TakeoverAct, slug="takeover-acts",
    fields=("former", "handover_date", "data_handed_over", "documents", "signatories",
            "notes"),
    list_columns=("former", "status", "handover_date", "approved_at", "transferred_at"),
    filter_fields=("status",), search_fields=("former__name", "notes"),
    select_related=("former",), menu_group=PROVISION, menu_order=30,
    read_only_fields=("status", "approvals", "approved_at", "transferred_at", "review_list",
                      "handed_over_by"),
    json_types={"approvals": list[ActApproval], "review_list": list[ReviewEntry]},
    ordering=("former__name",),
))

self_assessments = register(Resource(
    model=SelfAssessment, slug="self-assessments",
    fields=("municipality", "assessed_on", "note"),
    list_columns=("municipality", "assessed_on", "status", "submitted_at"),
    filter_fields=("municipality", "status"), search_fields=("municipality__name", "note"),
    select_related=("municipality",), menu_group=REVIEW, menu_order=30,
    read_only_fields=("status", "scores", "indicators", "submitted_at"),
    json_types={"scores": dict[str, float], "indicators": dict[str, IndicatorValues]},
    ordering=("municipality__name", "-assessed_on", "-pk"),
))

self_assessment_answers = register(Resource(
    model=SelfAssessmentAnswer, slug="self-assessment-answers",
    fields=("assessment", "question", "level", "evidence"),
    list_columns=("question", "assessment", "level", "evidence"),
    filter_fields=("assessment", "question", "level"), search_fields=("evidence",),
    raw_id_fields=("assessment",), select_related=("assessment__municipality",),
    menu_group=None, ordering=("assessment", "question"),
))

add_menu_item(MenuItem(group=REVIEW, label=_("Phase progress"), url_name="review_national",
                       order=10))
add_menu_item(MenuItem(group=PROVISION, label=_("Takeover acts and handover"),
                       url_name="takeover_acts", order=31))
