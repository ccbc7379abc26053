"""Inventory models, split by sub-domain."""

from ictmerge.inventory.models.base import InventoryRecord
from ictmerge.inventory.models.contracts import Contract, Supplier
from ictmerge.inventory.models.devices import Device, Workload
from ictmerge.inventory.models.finance import SPEND_CATEGORIES, IctFinance
from ictmerge.inventory.models.ledger import Handover
from ictmerge.inventory.models.places import ServerRoom, Site
from ictmerge.inventory.models.software import Installation, Licence, SoftwareProduct
from ictmerge.inventory.models.systems import BusinessFunction, InformationSystem

__all__ = [
    "SPEND_CATEGORIES",
    "BusinessFunction",
    "Contract",
    "Device",
    "Handover",
    "IctFinance",
    "InformationSystem",
    "Installation",
    "InventoryRecord",
    "Licence",
    "ServerRoom",
    "Site",
    "SoftwareProduct",
    "Supplier",
    "Workload",
]
