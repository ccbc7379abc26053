"""Pages of the reform register beyond the generic ones."""

from django.urls import path

from ictmerge.reforms import views
from ictmerge.reforms.api.views import ReformImportView as ReformImportAPIView

urlpatterns = [
    path("reforms/import/", views.ReformImportView.as_view(), name="reform_import"),
    path("api/reform-import/", ReformImportAPIView.as_view(), name="api_reform_import"),
]
