"""Report pages."""

from django.urls import path

from ictmerge.reforms.counties import county_path, legacy_path
from ictmerge.reports import views
from ictmerge.reports.api.documents import DocumentFileView, DocumentView
from ictmerge.reports.api.views import (
    CountyReportView,
    NationalOpenDataView,
    NationalReportView,
    SearchView,
)
from ictmerge.reports.document_views import DocumentDownloadView, DocumentStartView

urlpatterns = [
    path("national/", views.NationalView.as_view(), name="national"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("api/search/", SearchView.as_view(), name="api_search"),
    county_path("", views.CountyView.as_view(), "county"),
    county_path("cockpit/", views.CockpitView.as_view(), "county_cockpit"),
    legacy_path("counties/<int:pk>/", "county"),
    legacy_path("reforms/<slug:reform>/counties/<str:code>/", "county", "county_by_code"),
    path("api/reports/national/", NationalReportView.as_view(), name="api_national"),
    path("api/reports/national/open-data/", NationalOpenDataView.as_view(),
         name="api_national_open_data"),
    path("api/reports/counties/<str:code>/", CountyReportView.as_view(), name="api_county_report"),
    path("reports/documents/", DocumentStartView.as_view(), name="report_document_start"),
    path("reports/documents/<int:pk>/download/", DocumentDownloadView.as_view(),
         name="report_document_download"),
    path("api/reports/documents/", DocumentView.as_view(), name="api_report_document"),
    path("api/reports/documents/<int:job_id>/file/", DocumentFileView.as_view(),
         name="api_report_document_file"),
]
