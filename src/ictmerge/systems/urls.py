"""Pages and API endpoints of the systems app beyond the generic resource ones."""

from django.urls import path

from ictmerge.systems import views
from ictmerge.systems.api import views as api

urlpatterns = [
    path("systems/", views.SystemsIndexView.as_view(), name="systems_index"),
    path("systems/plan-all/", views.PlanAllView.as_view(), name="systems_plan_all"),
    path("systems/counties/<int:pk>/", views.CountySystemsView.as_view(), name="systems_county"),
    path("systems/counties/<int:pk>/weights/", views.WeightsView.as_view(),
         name="systems_weights"),
    path("systems/counties/<int:pk>/functions/<slug:function>/", views.FunctionView.as_view(),
         name="systems_function"),
    path("systems/counties/<int:pk>/security/", views.SecurityView.as_view(),
         name="systems_security"),
    path("systems/counties/<int:pk>/checklist/", views.ChecklistView.as_view(),
         name="systems_checklist"),
    path("api/systems/counties/<int:pk>/plan/", api.CountyPlanView.as_view(),
         name="api_systems_plan"),
    path("api/systems/counties/<int:pk>/security/", api.CountySecurityView.as_view(),
         name="api_systems_security"),
    path("api/systems/counties/<int:pk>/decisions/", api.CountyDecisionView.as_view(),
         name="api_systems_decisions"),
    path("api/systems/counties/<int:pk>/weights/", api.CountyWeightsView.as_view(),
         name="api_systems_weights"),
    path("api/systems/counties/<int:pk>/checklist/", api.CountyChecklistView.as_view(),
         name="api_systems_checklist"),
    path("api/systems/plan-all/", api.PlanAllView.as_view(), name="api_systems_plan_all"),
]
