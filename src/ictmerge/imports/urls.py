"""Pages and API endpoints of the imports app."""

from typing import Any

from django.urls import path

from ictmerge.imports import views
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
    path("api/imports/", api.ImportListView.as_view(), name="api_imports"),
    path("api/imports/<int:pk>/", api.ImportDetailView.as_view(), name="api_import_detail"),
    path("api/import-templates/", api.TemplateListView.as_view(), name="api_import_templates"),
    path("api/import-templates/<slug:slug>/", api.TemplateFileView.as_view(),
         name="api_import_template"),
    path("api/duplicates/", api.DuplicateListView.as_view(), name="api_duplicates"),
    path("api/duplicates/merge/", api.MergeView.as_view(), name="api_duplicates_merge"),
]
