"""The systems app's record types as resources (pages, API, exports)."""

from django.utils.translation import gettext_lazy as _

from ictmerge.core.navigation import MenuItem, add_menu_item
from ictmerge.core.resources import Resource, register
from ictmerge.systems.models import (
    ChangeTask,
    CriterionWeight,
    ExternalCandidate,
    MigrationPlan,
    RuleConfirmation,
    SecurityRuleChoice,
    SystemAssessment,
    SystemDecision,
)

PLANNING = _("Planning")

add_menu_item(MenuItem(group=PLANNING, label=_("Information systems: one per function"),
                       url_name="systems_index", order=50))

register(Resource(
    model=SystemDecision, slug="system-decisions",
    fields=("municipality", "function", "chosen_system", "chosen_external", "justification",
            "notes"),
    list_columns=("function", "municipality", "chosen_system", "chosen_external",
                  "overrides_recommendation", "recommended"),
    filter_fields=("municipality", "function", "overrides_recommendation"),
    search_fields=("justification", "recommended"),
    raw_id_fields=("chosen_system", "chosen_external"),
    select_related=("municipality", "function", "chosen_system", "chosen_external"),
    read_only_fields=("recommended", "overrides_recommendation"),
    menu_group=None, ordering=("municipality__name", "function__code"),
))

register(Resource(
    model=CriterionWeight, slug="criterion-weights",
    fields=("municipality", "criterion", "weight", "notes"),
    list_columns=("criterion", "municipality", "weight"),
    filter_fields=("municipality", "criterion"), search_fields=("criterion",),
    select_related=("municipality",), ordering=("municipality__name", "criterion"),
))

register(Resource(
    model=ExternalCandidate, slug="external-candidates",
    fields=("municipality", "function", "name", "vendor", "product", "hosting",
            "annual_cost_per_user_eur", "functional_coverage", "technical_fit",
            "support_years_left", "vendor_support", "security_compliance", "integrations",
            "notes"),
    list_columns=("name", "municipality", "function", "vendor", "hosting",
                  "annual_cost_per_user_eur", "functional_coverage"),
    filter_fields=("municipality", "function", "hosting"), search_fields=("name", "vendor"),
    select_related=("municipality", "function"), menu_group=PLANNING, menu_order=52,
    ordering=("municipality__name", "function__code", "name"),
))

register(Resource(
    model=SystemAssessment, slug="system-assessments",
    fields=("information_system", "functional_coverage", "technical_fit", "support_years_left",
            "vendor_support", "security_compliance", "data_subjects", "notes"),
    list_columns=("information_system", "functional_coverage", "technical_fit",
                  "support_years_left", "vendor_support", "security_compliance"),
    filter_fields=("information_system__municipality",),
    search_fields=("information_system__name",), raw_id_fields=("information_system",),
    select_related=("information_system__municipality",), menu_group=PLANNING, menu_order=53,
    ordering=("information_system__municipality__name", "information_system__name"),
))

register(Resource(
    model=ChangeTask, slug="reform-changes",
    fields=("municipality", "information_system", "external_candidate", "template_code",
            "subject", "text", "owner", "due_date", "status", "notes"),
    list_columns=("text", "municipality", "information_system", "external_candidate", "owner",
                  "due_date", "status"),
    filter_fields=("municipality", "status", "template_code", "owner"),
    search_fields=("text", "subject"),
    raw_id_fields=("information_system", "external_candidate"),
    select_related=("municipality", "information_system", "external_candidate"),
    menu_group=PLANNING, menu_order=54, ordering=("municipality__name", "due_date", "pk"),
))

register(Resource(
    model=MigrationPlan, slug="data-migrations",
    fields=("municipality", "source", "target_system", "target_external", "target_name",
            "records", "mapping_status", "test_migration", "cut_over_date", "notes"),
    list_columns=("source", "municipality", "target_name", "records", "mapping_status",
                  "test_migration", "cut_over_date"),
    filter_fields=("municipality", "mapping_status", "test_migration"),
    search_fields=("source__name", "target_name"),
    raw_id_fields=("source", "target_system", "target_external"),
    select_related=("municipality", "source", "target_system", "target_external"),
    menu_group=PLANNING, menu_order=55, ordering=("municipality__name", "pk"),
))

register(Resource(
    model=SecurityRuleChoice, slug="security-rule-choices",
    fields=("municipality", "reason", "rule_set", "notes"),
    list_columns=("municipality", "rule_set", "reason"),
    filter_fields=("municipality", "rule_set"), search_fields=("reason",),
    select_related=("municipality",), menu_group=None, ordering=("municipality__name",),
))

register(Resource(
    model=RuleConfirmation, slug="rule-confirmations",
    fields=("confirmed_by", "text", "rule_id", "confirmed_on"),
    list_columns=("rule_id", "confirmed_by", "confirmed_on"),
    filter_fields=("rule_id",), search_fields=("rule_id", "confirmed_by", "text"),
    menu_group=None, ordering=("rule_id", "-confirmed_on"),
))
