"""Pages and API endpoints of the consolidation app beyond the generic resource ones."""

from typing import Any

from django.urls import path

from ictmerge.consolidation import views
from ictmerge.consolidation.api import views as api
from ictmerge.reforms.counties import county_path, legacy_path

urlpatterns: list[Any] = [
    path("consolidation/", views.IndexView.as_view(), name="consolidation_index"),
    path("consolidation/national/", views.NationalView.as_view(), name="consolidation_national"),
    county_path("consolidation/", views.CountyPlanView.as_view(), "consolidation_county"),
    legacy_path("consolidation/<int:pk>/", "consolidation_county"),
    path("api/consolidation/counties/", api.CountiesView.as_view(), name="api_consolidation_counties"),
    path("api/consolidation/counties/<int:pk>/", api.CountyView.as_view(),
         name="api_consolidation_county"),
    path("api/consolidation/national/", api.NationalView.as_view(), name="api_consolidation_national"),
    path("api/consolidation/national/run/", api.NationalRunView.as_view(), name="api_consolidation_national_run"),
    path("api/consolidation/scenarios/<int:pk>/result/", api.ResultView.as_view(),
         name="api_consolidation_result"),
    path("api/consolidation/scenarios/<int:pk>/run/", api.RunView.as_view(),
         name="api_consolidation_run"),
    path("api/consolidation/scenarios/<int:pk>/choose/", api.ChooseView.as_view(),
         name="api_consolidation_choose"),
]
