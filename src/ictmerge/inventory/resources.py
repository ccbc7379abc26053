"""The inventory's record types as resources (pages, API, exports)."""

from django.utils.translation import gettext_lazy as _

from ictmerge.core.resources import Resource, register
from ictmerge.inventory.models import (
    BusinessFunction,
    Contract,
    Device,
    IctFinance,
    InformationSystem,
    Installation,
    Licence,
    ServerRoom,
    Site,
    SoftwareProduct,
    Supplier,
    Workload,
)

DISCOVERY = _("Discovery")

sites = register(Resource(
    model=Site, slug="sites",
    fields=("municipality", "name", "address", "latitude", "longitude", "notes"),
    list_columns=("name", "municipality", "address", "is_demo"),
    filter_fields=("municipality", "is_demo"), search_fields=("name", "address"),
    select_related=("municipality",), read_only_fields=("is_demo",),
    menu_group=DISCOVERY, menu_order=20, ordering=("municipality__name", "name"),
))

server_rooms = register(Resource(
    model=ServerRoom, slug="server-rooms",
    fields=("municipality", "site", "name", "operation", "racks", "power_kw", "has_cooling",
            "has_ups", "has_generator", "has_fire_suppression", "has_access_control",
            "has_monitoring", "annual_cost_eur", "latitude", "longitude", "contract", "notes"),
    list_columns=("name", "municipality", "site", "operation", "racks", "power_kw",
                  "annual_cost_eur", "is_demo"),
    filter_fields=("municipality", "operation", "has_cooling", "has_ups", "has_generator",
                   "is_demo"),
    search_fields=("name", "site__name"), raw_id_fields=("site", "contract"),
    select_related=("municipality", "site"), read_only_fields=("is_demo",),
    menu_group=DISCOVERY, menu_order=21, ordering=("municipality__name", "name"),
))

devices = register(Resource(
    model=Device, slug="devices",
    fields=("municipality", "kind", "site", "room", "name", "asset_tag", "serial",
            "manufacturer", "model", "os", "status", "purchase_date", "purchase_cost_eur",
            "warranty_until", "cores", "ram_gb", "storage_gb", "cpu_utilisation_pct",
            "ram_utilisation_pct", "is_virtual", "notes"),
    list_columns=("name", "municipality", "kind", "manufacturer", "model", "serial", "status",
                  "purchase_date", "is_demo"),
    filter_fields=("municipality", "kind", "status", "is_virtual", "manufacturer", "is_demo"),
    search_fields=("name", "asset_tag", "serial", "model"), raw_id_fields=("site", "room"),
    select_related=("municipality",), read_only_fields=("is_demo",),
    menu_group=DISCOVERY, menu_order=22, ordering=("municipality__name", "name", "pk"),
    cache_list=True,  # the list of the load mix (benchmarks/load): its table is its cost
))

workloads = register(Resource(
    model=Workload, slug="workloads",
    fields=("municipality", "server", "name", "kind", "cpu_cores", "ram_gb", "storage_gb",
            "cpu_p95_pct", "information_system", "anti_affinity_group", "pinned_on_premises",
            "availability_class", "notes"),
    list_columns=("name", "municipality", "server", "kind", "cpu_cores", "ram_gb",
                  "storage_gb", "availability_class", "is_demo"),
    filter_fields=("municipality", "kind", "availability_class", "pinned_on_premises",
                   "is_demo"),
    search_fields=("name", "server__name", "anti_affinity_group"),
    raw_id_fields=("server", "information_system"),
    select_related=("municipality", "server"), read_only_fields=("is_demo",),
    menu_group=DISCOVERY, menu_order=23, ordering=("municipality__name", "name", "pk"),
))

business_functions = register(Resource(
    model=BusinessFunction, slug="business-functions",
    fields=("code", "name_en", "name_lv", "national_system_mandatory", "national_system",
            "source"),
    list_columns=("code", "name_en", "name_lv", "national_system_mandatory",
                  "national_system"),
    filter_fields=("national_system_mandatory",), search_fields=("code", "name_en", "name_lv"),
    menu_group=DISCOVERY, menu_order=40, ordering=("code",),
))

software_products = register(Resource(
    model=SoftwareProduct, slug="software-products",
    fields=("vendor", "name", "edition", "major_version", "category"),
    list_columns=("name", "vendor", "edition", "major_version", "category"),
    filter_fields=("category", "vendor"), search_fields=("vendor", "name"),
    menu_group=DISCOVERY, menu_order=30, ordering=("vendor", "name", "edition",
                                                   "major_version"),
))

installations = register(Resource(
    model=Installation, slug="installations",
    fields=("municipality", "device", "raw_name", "raw_publisher", "raw_version", "count",
            "product", "notes"),
    list_columns=("raw_name", "municipality", "raw_publisher", "raw_version", "count",
                  "product", "is_demo"),
    filter_fields=("municipality", "product", "is_demo"),
    search_fields=("raw_name", "raw_publisher"), raw_id_fields=("device", "product"),
    select_related=("municipality", "product"), read_only_fields=("is_demo",),
    menu_group=DISCOVERY, menu_order=31, ordering=("municipality__name", "raw_name", "pk"),
))

licences = register(Resource(
    model=Licence, slug="licences",
    fields=("municipality", "product", "product_name", "metric", "quantity", "licence_type",
            "expires", "transferable", "proof", "proof_reference", "contract", "notes"),
    list_columns=("product_name", "municipality", "metric", "quantity", "licence_type",
                  "expires", "transferable", "is_demo"),
    filter_fields=("municipality", "metric", "licence_type", "transferable", "is_demo"),
    search_fields=("product_name", "proof_reference"), raw_id_fields=("product", "contract"),
    select_related=("municipality", "product"), read_only_fields=("is_demo",),
    file_views=(("proof", "software_licence_proof", "api_software_licence_proof"),),
    menu_group=DISCOVERY, menu_order=32, ordering=("municipality__name", "product_name", "pk"),
))

suppliers = register(Resource(
    model=Supplier, slug="suppliers",
    fields=("name", "registration_number", "country"),
    list_columns=("name", "registration_number", "country"),
    filter_fields=("country",), search_fields=("name", "registration_number"),
    menu_group=DISCOVERY, menu_order=41, ordering=("name",),
))

contracts = register(Resource(
    model=Contract, slug="contracts",
    fields=("municipality", "supplier", "title", "kind", "annual_value_eur", "start_date",
            "end_date", "notice_days", "assignable", "notes"),
    list_columns=("title", "municipality", "supplier", "kind", "annual_value_eur",
                  "end_date", "assignable", "is_demo"),
    filter_fields=("municipality", "supplier", "kind", "assignable", "is_demo"),
    search_fields=("title", "supplier__name"),
    select_related=("municipality", "supplier"), read_only_fields=("is_demo",),
    menu_group=DISCOVERY, menu_order=33, ordering=("municipality__name", "end_date", "pk"),
))

information_systems = register(Resource(
    model=InformationSystem, slug="information-systems",
    fields=("municipality", "name", "function", "vendor", "product", "hosting", "users",
            "records", "integrations", "annual_cost_eur", "lifecycle", "confidentiality",
            "integrity", "availability", "security_class", "notes"),
    list_columns=("name", "municipality", "function", "vendor", "hosting", "lifecycle",
                  "security_class", "is_demo"),
    filter_fields=("municipality", "function", "hosting", "lifecycle", "is_demo"),
    search_fields=("name", "vendor", "product"),
    select_related=("municipality", "function"), read_only_fields=("is_demo",),
    menu_group=DISCOVERY, menu_order=34, ordering=("municipality__name", "function__code",
                                                   "name"),
))

ict_finance = register(Resource(
    model=IctFinance, slug="ict-finance",
    fields=("municipality", "year", "surveyed", "total_expenditure_eur", "ict_spend_eur",
            "spend_hardware_eur", "spend_software_eur", "spend_services_eur",
            "spend_communications_eur", "spend_staff_eur", "ict_staff_fte",
            "governance_model", "notes"),
    list_columns=("municipality", "year", "total_expenditure_eur", "ict_spend_eur",
                  "ict_staff_fte", "governance_model", "is_demo"),
    filter_fields=("municipality", "year", "surveyed", "governance_model", "is_demo"),
    search_fields=("municipality__name",),
    select_related=("municipality",), read_only_fields=("is_demo",),
    menu_group=DISCOVERY, menu_order=35, ordering=("municipality__name", "-year"),
))
