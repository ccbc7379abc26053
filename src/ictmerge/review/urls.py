"""Pages and API endpoints of the review app beyond the generic resource ones."""

from typing import Any

from django.urls import path

from ictmerge.reforms.counties import county_path, legacy_path
from ictmerge.review import evidence, views
from ictmerge.review.api import evidence as api_evidence
from ictmerge.review.api import views as api

urlpatterns: list[Any] = [
    path("review/", views.NationalProgressView.as_view(), name="review_national"),
    county_path("review/", views.CountyProgressView.as_view(), "review_county"),
    legacy_path("review/counties/<str:code>/", "review_county"),
    path("review/acts/", views.TakeoverActsView.as_view(), name="takeover_acts"),
    path("review/acts/<int:pk>/", views.TakeoverActView.as_view(), name="takeover_act"),
    path("review/acts/<int:pk>/records/<str:key>/", views.TakeoverActRecordsView.as_view(),
         name="takeover_act_records"),
    path("review/checklist-entries/<int:pk>/evidence/", evidence.EvidenceFileView.as_view(),
         name="review_checklist_evidence"),
    path("review/municipalities/<int:pk>/assessments/", views.AssessmentStartView.as_view(),
         name="self_assessment_start"),
    path("review/assessments/<int:pk>/", views.AssessmentView.as_view(),
         name="self_assessment"),
    path("api/review/progress/", api.NationalProgressView.as_view(),
         name="api_review_progress"),
    path("api/review/progress/<str:code>/", api.CountyProgressView.as_view(),
         name="api_review_county_progress"),
    path("api/review/checklist/", api.ChecklistSetView.as_view(), name="api_review_checklist"),
    path("api/review/checklist-entries/<int:pk>/evidence/",
         api_evidence.EvidenceFileView.as_view(), name="api_review_checklist_evidence"),
    path("api/review/handover-due/", api.HandoverDueView.as_view(), name="api_handover_due"),
    path("api/review/acts/<int:pk>/", api.TakeoverActView.as_view(), name="api_takeover_act"),
    path("api/review/acts/<int:pk>/<str:action>/", api.TakeoverActActionView.as_view(),
         name="api_takeover_act_action"),
    path("api/review/assessments/", api.AssessmentStartView.as_view(),
         name="api_self_assessment_start"),
    path("api/review/assessments/<int:pk>/", api.AssessmentView.as_view(),
         name="api_self_assessment"),
    path("api/review/municipalities/<int:pk>/assessments/", api.AssessmentHistoryView.as_view(),
         name="api_self_assessment_history"),
]
