"""The consolidation app's record types as resources (pages, API, exports)."""

from django.utils.translation import gettext_lazy as _

from ictmerge.consolidation.models import ExternalRoomEntry, HostModelEntry, Scenario
from ictmerge.core.navigation import MenuItem, add_menu_item
from ictmerge.core.resources import Resource, register

PLANNING = _("Planning")

scenarios = register(Resource(
    model=Scenario, slug="consolidation-scenarios",
    fields=("municipality", "name", "cpu_headroom_pct", "ram_headroom_pct", "failover_hosts",
            "host_model", "any_external", "allowed_external", "horizon_years",
            "electricity_eur_per_kwh", "move_cost_per_host_eur",
            "migration_cost_per_workload_eur", "resilience_distance_km", "meets_policy",
            "time_limit_s", "notes"),
    list_columns=("name", "municipality", "is_chosen", "status", "servers_before",
                  "servers_after", "lower_bound", "rooms_before", "rooms_after", "is_demo"),
    filter_fields=("municipality", "is_chosen", "status", "is_demo"),
    search_fields=("name", "municipality__name"),
    select_related=("municipality", "host_model"),
    read_only_fields=("is_chosen", "status", "run_at", "error", "servers_before",
                      "servers_after", "lower_bound", "proven_optimal", "rooms_before",
                      "rooms_after", "annual_saving_eur", "one_off_eur", "is_demo"),
    menu_group=PLANNING, menu_order=11, ordering=("municipality__name", "-is_chosen", "name", "pk"),
    json_types={"allowed_external": list[str]},
))

host_models = register(Resource(
    model=HostModelEntry, slug="host-models",
    fields=("name", "cores", "ram_gb", "storage_gb", "power_kw", "rack_units", "price_eur",
            "maintenance_eur_per_year", "licence_eur_per_core_per_year", "source", "is_active"),
    list_columns=("name", "cores", "ram_gb", "storage_gb", "power_kw", "price_eur", "is_active"),
    filter_fields=("is_active",), search_fields=("name",),
    menu_group=PLANNING, menu_order=12, ordering=("cores", "name"),
))

external_rooms = register(Resource(
    model=ExternalRoomEntry, slug="external-rooms",
    fields=("code", "name", "operation", "latitude", "longitude", "condition",
            "eur_per_vcpu_month", "eur_per_gb_ram_month", "eur_per_tb_storage_month",
            "annual_fixed_eur", "onboarding_eur", "source", "is_active"),
    list_columns=("name", "code", "operation", "condition", "eur_per_vcpu_month",
                  "eur_per_gb_ram_month", "eur_per_tb_storage_month", "is_active"),
    filter_fields=("operation", "condition", "is_active"), search_fields=("name", "code"),
    menu_group=PLANNING, menu_order=13, ordering=("code",),
))

add_menu_item(MenuItem(PLANNING, _("Server consolidation"), "consolidation_index", 10))
