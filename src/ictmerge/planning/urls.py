"""Pages and API endpoints of the planning app beyond the generic resource ones."""

from django.urls import path

from ictmerge.planning import views
from ictmerge.planning.api import views as api
from ictmerge.reforms.counties import county_path, legacy_path

urlpatterns = [
    path("planning/", views.PlanningIndexView.as_view(), name="planning_index"),
    county_path("governance/", views.GovernanceView.as_view(), "planning_governance"),
    county_path("action-plan/", views.ActionPlanView.as_view(), "planning_action_plan"),
    county_path("action-plan.<str:fmt>", views.ActionPlanExportView.as_view(),
                "planning_action_plan_export"),
    county_path("budget/", views.BudgetView.as_view(), "planning_budget"),
    county_path("parameters/", views.ParametersView.as_view(), "planning_parameters"),
    path("parameters/", views.NationalParametersView.as_view(),
         name="planning_parameters_national"),
    county_path("accounts/", views.AccountsView.as_view(), "planning_accounts"),
    county_path("accounts.<str:fmt>", views.AccountsExportView.as_view(),
                "planning_accounts_export"),
    legacy_path("planning/counties/<int:pk>/governance/", "planning_governance"),
    legacy_path("planning/counties/<int:pk>/action-plan/", "planning_action_plan"),
    legacy_path("planning/counties/<int:pk>/action-plan.<str:fmt>",
                "planning_action_plan_export"),
    legacy_path("planning/counties/<int:pk>/budget/", "planning_budget"),
    legacy_path("planning/counties/<int:pk>/accounts/", "planning_accounts"),
    legacy_path("planning/counties/<int:pk>/accounts.<str:fmt>", "planning_accounts_export"),
    path("api/planning/counties/<int:pk>/accounts/", api.AccountsView.as_view(),
         name="api_planning_accounts"),
    path("api/planning/counties/<int:pk>/governance/", api.GovernanceView.as_view(),
         name="api_planning_governance"),
    path("api/planning/counties/<int:pk>/governance/choice/", api.GovernanceChoiceView.as_view(),
         name="api_planning_governance_choice"),
    path("api/planning/counties/<int:pk>/action-plan/", api.ActionPlanView.as_view(),
         name="api_planning_action_plan"),
    path("api/planning/counties/<int:pk>/action-plan/generate/", api.GenerateView.as_view(),
         name="api_planning_generate"),
    path("api/planning/counties/<int:pk>/action-plan/status/", api.TaskStatusView.as_view(),
         name="api_planning_task_status"),
    path("api/planning/counties/<int:pk>/action-plan/schedule/", api.ScheduleView.as_view(),
         name="api_planning_schedule"),
    path("api/planning/counties/<int:pk>/budget/", api.BudgetView.as_view(),
         name="api_planning_budget"),
    path("api/planning/parameters/", api.NationalParametersView.as_view(),
         name="api_planning_parameters_national"),
    path("api/planning/counties/<int:pk>/parameters/", api.ParametersView.as_view(),
         name="api_planning_parameters"),
]
