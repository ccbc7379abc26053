"""Pages and API endpoints of the imports app."""

from typing import Any

from django.urls import path

from ictmerge.imports import agent_views, views
from ictmerge.imports.api import agents as agents_api
from ictmerge.imports.api import views as api

urlpatterns: list[Any] = [
    path("imports/", views.ImportView.as_view(), name="import"),
    path("imports/runs/<int:pk>/", views.ImportRunView.as_view(), name="import_run_detail"),
    path("imports/runs/<int:pk>/rejected.csv", views.RejectedRowsView.as_view(),
         name="import_rejected"),
    path("imports/templates/", views.TemplateListView.as_view(), name="import_templates"),
    path("imports/templates/<slug:slug>.<str:file_format>", views.TemplateDownloadView.as_view(),
         name="import_template"),
    path("imports/duplicates/", views.DuplicatesView.as_view(), name="import_duplicates"),
    path("agent/<str:token>/", agent_views.AgentReportView.as_view(), name="agent_report"),
    path("imports/agents/", agent_views.AgentsView.as_view(), name="agents"),
    path("api/agents/tokens/", agents_api.TokenListView.as_view(), name="api_agent_tokens"),
    path("api/agents/tokens/<int:pk>/revoke/", agents_api.TokenRevokeView.as_view(),
         name="api_agent_token_revoke"),
    path("api/agents/coverage/", agents_api.CoverageView.as_view(), name="api_agent_coverage"),
    path("api/agents/reports/", agents_api.ReportListView.as_view(), name="api_agent_reports"),
    path("api/imports/", api.ImportListView.as_view(), name="api_imports"),
    path("api/imports/<int:pk>/", api.ImportDetailView.as_view(), name="api_import_detail"),
    path("api/import-templates/", api.TemplateListView.as_view(), name="api_import_templates"),
    path("api/import-templates/<slug:slug>/", api.TemplateFileView.as_view(),
         name="api_import_template"),
    path("api/duplicates/", api.DuplicateListView.as_view(), name="api_duplicates"),
    path("api/duplicates/merge/", api.MergeView.as_view(), name="api_duplicates_merge"),
    path("api/duplicates/merge-selected/", api.MergeSelectedView.as_view(),
         name="api_duplicates_merge_selected"),
]
