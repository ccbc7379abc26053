"""Devices (computers, servers, network and other equipment) and the workloads on servers."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.inventory.choices import DeviceKind, DeviceStatus, Level, WorkloadKind
from ictmerge.inventory.models.base import InventoryRecord, rule_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _percent(label: StrOrPromise) -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )


class Device(InventoryRecord):
    """A computer, server, network device, printer or other piece of equipment."""

    kind = models.CharField(_("kind"), max_length=12, choices=DeviceKind.choices)
    site = models.ForeignKey("inventory.Site", verbose_name=_("site"),
                             on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="devices")
    room = models.ForeignKey("inventory.ServerRoom", verbose_name=_("server room"),
                             on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="devices")
    name = models.CharField(_("name"), max_length=200)
    asset_tag = models.CharField(_("asset tag"), max_length=60, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    os = models.CharField(_("operating system"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeviceStatus.choices,
                              default=DeviceStatus.IN_USE)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    purchase_cost_eur = models.DecimalField(_("purchase cost (EUR)"), max_digits=12,
                                            decimal_places=2, null=True, blank=True,
                                            validators=[MinValueValidator(Decimal(0))])
    warranty_until = models.DateField(_("warranty until"), null=True, blank=True)
    cores = models.PositiveSmallIntegerField(_("CPU cores"), null=True, blank=True)
    ram_gb = models.PositiveIntegerField(_("RAM (GB)"), null=True, blank=True)
    storage_gb = models.PositiveIntegerField(_("storage (GB)"), null=True, blank=True)
    cpu_utilisation_pct = _percent(_("CPU utilisation (%)"))
    ram_utilisation_pct = _percent(_("RAM utilisation (%)"))
    is_virtual = models.BooleanField(_("virtual"), default=False)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "serial"], condition=~Q(serial=""),
                                    name="device_serial_unique_per_municipality"),
        ]
        indexes = [models.Index(fields=["municipality", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("devices_detail", args=[self.pk])

    @property
    def is_computer(self) -> bool:
        """True for desktops, laptops and thin clients."""
        return self.kind in DeviceKind.COMPUTER_KINDS

    @property
    def is_physical_server(self) -> bool:
        """True for a server that is not a virtual machine."""
        return self.kind == DeviceKind.SERVER and not self.is_virtual

    def clean(self) -> None:
        errors: dict[str, str | ValidationError] = {}
        if self.serial and self.municipality_id:
            duplicates = Device.objects.filter(municipality_id=self.municipality_id,
                                               serial=self.serial)
            if self.pk:
                duplicates = duplicates.exclude(pk=self.pk)
            if duplicates.exists():
                errors["serial"] = str(_("Another device of this municipality has the serial "
                                         "number %(serial)s.") % {"serial": self.serial})
        errors.update(rule_errors(self))  # virtual servers only, warranty after purchase
        if (self.municipality_id and self.room is not None
                and self.room.municipality_id != self.municipality_id):
            errors["room"] = str(_("The server room belongs to another municipality."))
        if (self.municipality_id and self.site is not None
                and self.site.municipality_id != self.municipality_id):
            errors["site"] = str(_("The site belongs to another municipality."))
        if errors:
            raise ValidationError(errors)


class Workload(InventoryRecord):
    """A virtual machine, service or container on a server, with its demand."""

    server = models.ForeignKey(Device, verbose_name=_("server"), on_delete=models.CASCADE,
                               related_name="workloads",
                               limit_choices_to={"kind": DeviceKind.SERVER})
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=WorkloadKind.choices,
                            default=WorkloadKind.VM)
    cpu_cores = models.DecimalField(_("CPU cores"), max_digits=6, decimal_places=2,
                                    validators=[MinValueValidator(Decimal(0))])
    ram_gb = models.DecimalField(_("RAM (GB)"), max_digits=8, decimal_places=2,
                                 validators=[MinValueValidator(Decimal(0))])
    storage_gb = models.DecimalField(_("storage (GB)"), max_digits=10, decimal_places=2,
                                     validators=[MinValueValidator(Decimal(0))])
    cpu_p95_pct = _percent(_("CPU 95th percentile (%)"))
    information_system = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("information system"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="workloads",
    )
    anti_affinity_group = models.CharField(
        _("anti-affinity group"), max_length=60, blank=True,
        help_text=_("Workloads of the same group must not share a host or a room "
                    "(e.g. a backup and its source)."),
    )
    pinned_on_premises = models.BooleanField(_("pinned on premises"), default=False)
    availability_class = models.CharField(_("availability class"), max_length=6,
                                          choices=Level.choices, default=Level.MEDIUM)

    class Meta:
        verbose_name = _("workload")
        verbose_name_plural = _("workloads")
        ordering = ["municipality__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workloads_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.server_id:
            if self.server.kind != DeviceKind.SERVER:
                errors["server"] = str(_("A workload runs on a server."))
            elif self.municipality_id and self.server.municipality_id != self.municipality_id:
                errors["server"] = str(_("The server belongs to another municipality."))
        if (self.municipality_id and self.information_system is not None
                and self.information_system.municipality_id != self.municipality_id):
            errors["information_system"] = str(
                _("The information system belongs to another municipality."))
        if errors:
            raise ValidationError(errors)
