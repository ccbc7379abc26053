"""Choices of the inventory: kinds, statuses and levels, never bare strings."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoomOperation(models.TextChoices):
    """Who runs a server room."""

    OWN = "own", _("Own")
    OUTSOURCED = "outsourced", _("Outsourced")
    COLOCATION = "colocation", _("Colocation")
    CLOUD = "cloud", _("Cloud")


class DeviceKind(models.TextChoices):
    """What a device is."""

    DESKTOP = "desktop", _("Desktop computer")
    LAPTOP = "laptop", _("Laptop")
    THIN_CLIENT = "thin_client", _("Thin client")
    SERVER = "server", _("Server")
    NETWORK = "network", _("Network equipment")
    PRINTER = "printer", _("Printer")
    OTHER = "other", _("Other")

    #: The kinds counted as computers.
    COMPUTER_KINDS: ClassVar[tuple[str, ...]]


DeviceKind.COMPUTER_KINDS = (DeviceKind.DESKTOP, DeviceKind.LAPTOP, DeviceKind.THIN_CLIENT)


class DeviceStatus(models.TextChoices):
    """Whether a device is used."""

    IN_USE = "in_use", _("In use")
    IN_STOCK = "in_stock", _("In stock")
    RETIRED = "retired", _("Retired")


class WorkloadKind(models.TextChoices):
    """How a workload runs."""

    VM = "vm", _("Virtual machine")
    SERVICE = "service", _("Service")
    CONTAINER = "container", _("Container")


class Level(models.TextChoices):
    """A requirement level: availability class, confidentiality, integrity, availability."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ProductCategory(models.TextChoices):
    """Whether a software product needs a licence."""

    LICENSABLE = "licensable", _("Licensable")
    FREE = "free", _("Free")
    COMPONENT = "component", _("Component (runtime, update, viewer)")


class ContractKind(models.TextChoices):
    """What a contract buys."""

    OUTSOURCING = "outsourcing", _("Outsourcing")
    HOSTING = "hosting", _("Hosting")
    MAINTENANCE = "maintenance", _("Maintenance")
    CONNECTIVITY = "connectivity", _("Connectivity")
    LICENCE = "licence", _("Licence")
    OTHER = "other", _("Other")


class LicenceMetric(models.TextChoices):
    """What a licence counts."""

    DEVICE = "device", _("Per device")
    USER = "user", _("Per user")
    CORE = "core", _("Per core")
    SITE = "site", pgettext_lazy("licence metric", "Site")
    SUBSCRIPTION = "subscription", _("Subscription")


class LicenceType(models.TextChoices):
    """How a licence was bought, which decides how it passes to the new municipality."""

    OEM = "oem", _("OEM (with the device)")
    VOLUME = "volume", _("Volume licence")
    RETAIL = "retail", _("Retail (boxed)")
    SUBSCRIPTION = "subscription", _("Subscription")
    UNSTATED = "", _("Not stated")


class Hosting(models.TextChoices):
    """Where an information system runs."""

    ON_PREMISES = "on_premises", _("On premises")
    VENDOR_HOSTED = "vendor_hosted", _("Hosted by the vendor")
    CLOUD = "cloud", _("Cloud")
    STATE = "state", _("State system")


class Lifecycle(models.TextChoices):
    """Where an information system is in its life."""

    CURRENT = "current", _("Current")
    AGEING = "ageing", _("Ageing")
    END_OF_LIFE = "end_of_life", _("End of life")


class GovernanceModel(models.TextChoices):
    """How a municipality governs its ICT."""

    CENTRALISED = "centralised", _("Centralised")
    SEMI_CENTRALISED = "semi_centralised", _("Semi-centralised")
    DECENTRALISED = "decentralised", _("Decentralised")
    SHARED_SERVICE = "shared_service", _("Shared service centre")
    OUTSOURCED = "outsourced", _("Outsourced")
