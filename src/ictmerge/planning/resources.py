"""The planning app's record types as resources (pages, API, exports)."""

from django.utils.translation import gettext_lazy as _

from ictmerge.core.resources import Resource, register
from ictmerge.planning.models import (
    ActionPlan,
    GovernanceChoice,
    GovernanceParameter,
    RoleCapacity,
    Task,
)
from ictmerge.planning.payloads import PlanSummary

PLANNING = _("Planning")
PROVISION = _("Provision")

governance_parameters = register(Resource(
    model=GovernanceParameter, slug="governance-parameters",
    fields=("municipality", "name", "value", "source"),
    list_columns=("name", "municipality", "value", "source"),
    filter_fields=("municipality", "name"), search_fields=("name", "source"),
    select_related=("municipality",), menu_group=PLANNING, menu_order=60,
    ordering=("municipality__name", "name"),
))

governance_choices = register(Resource(
    model=GovernanceChoice, slug="governance-choices",
    fields=("municipality", "model", "recommended", "reason", "chosen_at"),
    list_columns=("municipality", "model", "recommended", "chosen_at"),
    filter_fields=("municipality", "model"), search_fields=("reason",),
    select_related=("municipality",), menu_group=PLANNING, menu_order=61,
    ordering=("municipality__name", "-chosen_at", "-pk"),
))

action_plans = register(Resource(
    model=ActionPlan, slug="action-plans",
    fields=("municipality", "project_start", "deadline", "email_domain", "notes"),
    list_columns=("municipality", "project_start", "deadline", "makespan_days",
                  "deadline_days", "late_tasks", "proven_optimal"),
    filter_fields=("municipality",), search_fields=("municipality__name",),
    select_related=("municipality",), menu_group=PROVISION, menu_order=10,
    ordering=("municipality__name",),
    read_only_fields=("scheduled_at", "makespan_days", "lower_bound_days", "deadline_days",
                      "proven_optimal", "method", "solve_seconds", "late_tasks",
                      "max_lateness_days", "summary"),
    json_types={"summary": PlanSummary},
))

role_capacities = register(Resource(
    model=RoleCapacity, slug="role-capacities",
    fields=("municipality", "role", "people", "source"),
    list_columns=("municipality", "role", "people", "source"),
    filter_fields=("municipality", "role"), search_fields=("source",),
    select_related=("municipality",), menu_group=PROVISION, menu_order=11,
    ordering=("municipality__name", "role"),
))

tasks = register(Resource(
    model=Task, slug="action-tasks",
    fields=("municipality", "key", "title", "phase", "role", "staff", "duration_days",
            "depends_on", "cost_items", "deadline_applies", "assignee", "status",
            "percent_done", "due_date", "notes"),
    list_columns=("title", "municipality", "phase", "role", "duration_days", "planned_start",
                  "planned_end", "status", "percent_done", "assignee"),
    filter_fields=("municipality", "phase", "role", "status", "critical", "generated"),
    search_fields=("title", "key", "origin"),
    select_related=("municipality", "assignee"), menu_group=PROVISION, menu_order=12,
    ordering=("municipality__name", "start_day", "pk"),
    read_only_fields=("origin", "template", "generated", "start_day", "end_day",
                      "planned_start", "planned_end", "critical", "late_days"),
))
