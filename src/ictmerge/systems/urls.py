"""Pages and API endpoints of the systems app beyond the generic resource ones."""

from django.urls import path

from ictmerge.reforms.counties import county_path, legacy_path
from ictmerge.systems import views
from ictmerge.systems.api import views as api

urlpatterns = [
    path("systems/", views.SystemsIndexView.as_view(), name="systems_index"),
    path("systems/plan-all/", views.PlanAllView.as_view(), name="systems_plan_all"),
    path("systems/security-rules/", views.SecurityRulesView.as_view(),
         name="systems_security_rules"),
    county_path("systems/", views.CountySystemsView.as_view(), "systems_county"),
    county_path("systems/weights/", views.WeightsView.as_view(), "systems_weights"),
    county_path("systems/functions/<slug:function>/", views.FunctionView.as_view(),
                "systems_function"),
    county_path("systems/security/", views.SecurityView.as_view(), "systems_security"),
    county_path("systems/checklist/", views.ChecklistView.as_view(), "systems_checklist"),
    legacy_path("systems/counties/<int:pk>/", "systems_county"),
    legacy_path("systems/counties/<int:pk>/weights/", "systems_weights"),
    legacy_path("systems/counties/<int:pk>/functions/<slug:function>/", "systems_function"),
    legacy_path("systems/counties/<int:pk>/security/", "systems_security"),
    legacy_path("systems/counties/<int:pk>/checklist/", "systems_checklist"),
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
    path("api/systems/security-rules/unconfirmed/", api.UnconfirmedRulesView.as_view(),
         name="api_systems_unconfirmed"),
    path("api/systems/security-rules/confirmations/", api.RuleConfirmationView.as_view(),
         name="api_systems_confirmations"),
    path("api/systems/counties/<int:pk>/security/rule-set/", api.CountyRuleSetView.as_view(),
         name="api_systems_rule_set"),
]
