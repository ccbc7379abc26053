"""URLs built from the resource registry, plus the core pages."""

from __future__ import annotations

from typing import Any

from django.urls import path
from rest_framework.routers import DefaultRouter

from ictmerge.core import views
from ictmerge.core.api.generic import resource_viewset
from ictmerge.core.api.views import ChangeRecordViewSet, GlossaryView, JobViewSet
from ictmerge.core.resources import REGISTRY


def resource_urlpatterns() -> list[Any]:
    """List, add, detail, edit, delete, history and export pages of every resource."""
    patterns = []
    for resource in REGISTRY.values():
        slug = resource.slug
        name = resource.url_name
        patterns += [
            path(f"{slug}/", views.ObjectListView.as_view(resource=resource), name=name("list")),
            path(f"{slug}/export/", views.ObjectExportView.as_view(resource=resource),
                 name=name("export")),
            path(f"{slug}/add/", views.ObjectEditView.as_view(resource=resource), name=name("add")),
            path(f"{slug}/<int:pk>/", views.ObjectDetailView.as_view(resource=resource),
                 name=name("detail")),
            path(f"{slug}/<int:pk>/edit/", views.ObjectEditView.as_view(resource=resource),
                 name=name("edit")),
            path(f"{slug}/<int:pk>/delete/", views.ObjectDeleteView.as_view(resource=resource),
                 name=name("delete")),
            path(f"{slug}/<int:pk>/history/", views.ObjectHistoryView.as_view(resource=resource),
                 name=name("history")),
        ]
    return patterns


def api_router() -> DefaultRouter:
    """One API route per resource, plus the change log and jobs."""
    router = DefaultRouter()
    for resource in REGISTRY.values():
        router.register(resource.slug, resource_viewset(resource), basename=resource.slug)
    router.register("changes", ChangeRecordViewSet, basename="changes")
    router.register("jobs", JobViewSet, basename="jobs")
    return router


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("registers/", views.RegistersView.as_view(), name="registers"),
    path("glossary/", views.GlossaryPageView.as_view(), name="glossary"),
    path("api/glossary/", GlossaryView.as_view(), name="api_glossary"),
    path("changes/", views.ChangeLogView.as_view(), name="changelog"),
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    *resource_urlpatterns(),
]
