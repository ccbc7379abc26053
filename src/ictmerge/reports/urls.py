"""Report pages."""

from django.urls import path

from ictmerge.reports import views
from ictmerge.reports.api.views import NationalReportView

urlpatterns = [
    path("national/", views.NationalView.as_view(), name="national"),
    path("counties/<int:pk>/", views.CountyView.as_view(), name="county"),
    path("reforms/<slug:reform>/counties/<str:code>/", views.CountyByCodeView.as_view(),
         name="county_by_code"),
    path("api/reports/national/", NationalReportView.as_view(), name="api_national"),
]
