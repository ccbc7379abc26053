"""The ICT inventory: sites, rooms, devices, workloads, software, licences, contracts, systems."""

from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """The inventory of every municipality."""

    name = "ictmerge.inventory"
    label = "inventory"
    verbose_name = "Inventory"
