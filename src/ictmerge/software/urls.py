"""Pages and API endpoints of the software app beyond the generic resource ones."""

from typing import Any

from django.urls import path

from ictmerge.reforms.counties import county_path
from ictmerge.software import views
from ictmerge.software.api import views as api

urlpatterns: list[Any] = [
    path("software/position/", views.PositionIndexView.as_view(), name="software_position_index"),
    county_path("software/position/", views.PositionView.as_view(), "software_position"),
    county_path("software/contracts/", views.ContractsView.as_view(), "software_contracts"),
    county_path("software/portfolio/", views.PortfolioView.as_view(), "software_portfolio"),
    # A former municipality's pages by id; a new municipality's id redirects to its county's.
    path("software/position/<int:pk>/", views.PositionView.as_view(),
         name="software_municipality_position"),
    path("software/contracts/<int:pk>/", views.ContractsView.as_view(),
         name="software_municipality_contracts"),
    path("software/portfolio/<int:pk>/", views.PortfolioView.as_view(),
         name="software_municipality_portfolio"),
    path("software/licences/<int:pk>/proof/", views.ProofView.as_view(), name="software_licence_proof"),
    path("software/review/", views.ReviewQueueView.as_view(), name="software_review"),
    path("software/normalise/", views.NormaliseView.as_view(), name="software_normalise"),
    path("api/software/position/<int:pk>/", api.PositionView.as_view(),
         name="api_software_position"),
    path("api/software/contracts/<int:pk>/", api.ContractsView.as_view(),
         name="api_software_contracts"),
    path("api/software/portfolio/<int:pk>/", api.PortfolioView.as_view(),
         name="api_software_portfolio"),
    path("api/software/licences/<int:pk>/proof/", api.ProofView.as_view(),
         name="api_software_licence_proof"),
    path("api/software/review/", api.ReviewQueueView.as_view(), name="api_software_review"),
    path("api/software/review/map-selected/", api.MapSelectedView.as_view(),
         name="api_software_map_selected"),
    path("api/software/normalise/", api.NormaliseView.as_view(), name="api_software_normalise"),
    path("api/software/normalise-titles/", api.NormaliseTitlesView.as_view(),
         name="api_software_normalise_titles"),
]
