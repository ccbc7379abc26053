"""Pages of the reform register beyond the generic ones."""

from django.urls import path

from ictmerge.reforms import views

urlpatterns = [
    path("reforms/import/", views.ReformImportView.as_view(), name="reform_import"),
]
