"""Sample files of every template type and a fingerprint of the database's contents."""

from __future__ import annotations

from typing import Any

#: One small file per template type, in the template's own columns (`;`, decimal comma).
SAMPLES: dict[str, str] = {
    "sites": "municipality;name;address;latitude;longitude;notes\n"
             "A;Town hall;Main street 1;56,95;24,10;\nA;School;;;;=cmd\n",
    "contracts": "municipality;supplier;title;kind;annual_value_eur;start_date;end_date;"
                 "notice_days;assignable;notes\n"
                 "A;Acme SIA;Hosting 2020;hosting;1 200,00;01.01.2020;31.12.2024;90;jā;\n",
    "rooms": "municipality;name;site;operation;racks;power_kw;has_cooling;has_ups;"
             "annual_cost_eur;contract\n"
             "A;Room 1;Town hall;own;2;3,5;yes;no;1500;Hosting 2020\n",
    "computers": "municipality;name;kind;site;asset_tag;serial;manufacturer;purchase_date;"
                 "purchase_cost_eur;warranty_until;ram_gb\n"
                 "A;PC-1;laptop;Town hall;T-1;SN-1;Dell;01.02.2020;899,90;2023-02-01;16\n"
                 "A;PC-2;desktop;School;T-2;;HP;;;;8\n",
    "servers": "municipality;name;room;serial;cores;ram_gb;storage_gb;cpu_utilisation_pct;"
               "is_virtual\nA;SRV-1;Room 1;SRV-SN-1;16;128;2000;35,5;no\n"
               "A;VM-1;;;4;16;100;;yes\n",
    "network": "municipality;name;kind;serial\nA;SW-1;network;NET-1\nA;PRN-1;printer;\n",
    "software": "municipality;device;raw_name;raw_publisher;raw_version;count\n"
                "A;SN-1;Firefox;Mozilla;115.0;1\nA;;Office 2016;Microsoft;16;25\n",
    "licences": "municipality;product_name;metric;quantity;expires;transferable;"
                "proof_reference;contract\n"
                "A;Office 2016;device;25;;yes;INV-1;Hosting 2020\n"
                "A;Antivirus;subscription;100;31.12.2025;nē;INV-2;\n",
    "systems": "municipality;name;function;vendor;hosting;users;annual_cost_eur;"
               "confidentiality\nA;Horizon;finance;Visma;vendor_hosted;40;12000;high\n",
    "spend": "municipality;year;surveyed;total_expenditure_eur;ict_spend_eur;"
             "spend_hardware_eur;spend_software_eur;spend_services_eur;"
             "spend_communications_eur;spend_staff_eur;ict_staff_fte;governance_model\n"
             "A;2020;yes;1000000;10000;2000;2000;2000;2000;2000;1,5;centralised\n",
}
#: Import order: references first.
ORDER = ("sites", "contracts", "rooms", "computers", "servers", "network", "software",
         "licences", "systems", "spend")


def database_state() -> dict[str, Any]:
    """Every inventory table's rows and the history's length: equal means nothing changed."""
    from ictmerge.core.models import ChangeRecord
    from ictmerge.imports.models import DeviceIdentifier
    from ictmerge.inventory import models as inventory

    state: dict[str, Any] = {"history": ChangeRecord.objects.count(),
                             "identifiers": DeviceIdentifier.objects.count()}
    for name in ("Site", "ServerRoom", "Device", "Workload", "Installation", "Licence",
                 "Contract", "Supplier", "InformationSystem", "IctFinance"):
        model = getattr(inventory, name)
        state[name] = sorted(map(repr, model.objects.values_list()))
    return state


def load_samples(user: Any) -> None:
    """Import every sample (the business function `finance` must exist; the contracts'
    supplier is reference data, which an administrator adds beforehand)."""
    from ictmerge.imports.services import import_file
    from ictmerge.inventory.models import Supplier

    Supplier.objects.get_or_create(name="Acme SIA")

    for slug in ORDER:
        run = import_file(SAMPLES[slug].encode(), f"{slug}.csv", slug, user=user)
        assert run.status == "imported", (slug, run.problems)
