"""Pages and API endpoints of the planning app beyond the generic resource ones."""

from django.urls import path

from ictmerge.planning import views
from ictmerge.planning.api import views as api

urlpatterns = [
    path("planning/", views.PlanningIndexView.as_view(), name="planning_index"),
    path("planning/counties/<int:pk>/governance/", views.GovernanceView.as_view(),
         name="planning_governance"),
    path("planning/counties/<int:pk>/action-plan/", views.ActionPlanView.as_view(),
         name="planning_action_plan"),
    path("planning/counties/<int:pk>/action-plan.<str:fmt>", views.ActionPlanExportView.as_view(),
         name="planning_action_plan_export"),
    path("planning/counties/<int:pk>/budget/", views.BudgetView.as_view(),
         name="planning_budget"),
    path("planning/counties/<int:pk>/accounts/", views.AccountsView.as_view(),
         name="planning_accounts"),
    path("planning/counties/<int:pk>/accounts.<str:fmt>", views.AccountsExportView.as_view(),
         name="planning_accounts_export"),
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
    path("api/planning/counties/<int:pk>/action-plan/schedule/", api.ScheduleView.as_view(),
         name="api_planning_schedule"),
    path("api/planning/counties/<int:pk>/budget/", api.BudgetView.as_view(),
         name="api_planning_budget"),
]
