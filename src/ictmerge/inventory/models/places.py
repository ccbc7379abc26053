"""Sites and server rooms: where the equipment is."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.inventory.choices import RoomOperation
from ictmerge.inventory.models.base import InventoryRecord, rule_errors


def _latitude() -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )


def _longitude() -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )


class Site(InventoryRecord):
    """A building or place where a municipality keeps ICT equipment."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = _latitude()
    longitude = _longitude()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["municipality__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sites_detail", args=[self.pk])

    def clean(self) -> None:
        errors = rule_errors(self)  # both coordinates or neither
        if errors:
            raise ValidationError(errors)


class ServerRoom(InventoryRecord):
    """A server room, own or outsourced, with its capacity, condition and running cost."""

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="server_rooms")
    name = models.CharField(_("name"), max_length=200)
    operation = models.CharField(_("operation"), max_length=12, choices=RoomOperation.choices,
                                 default=RoomOperation.OWN)
    racks = models.PositiveSmallIntegerField(_("racks"), default=1)
    power_kw = models.DecimalField(_("power (kW)"), max_digits=7, decimal_places=2,
                                   null=True, blank=True,
                                   validators=[MinValueValidator(Decimal(0))])
    has_cooling = models.BooleanField(_("cooling"), default=False)
    has_ups = models.BooleanField(_("UPS"), default=False)
    has_generator = models.BooleanField(_("generator"), default=False)
    has_fire_suppression = models.BooleanField(_("fire suppression"), default=False)
    has_access_control = models.BooleanField(_("access control"), default=False)
    has_monitoring = models.BooleanField(_("monitoring"), default=False)
    annual_cost_eur = models.DecimalField(_("annual cost (EUR)"), max_digits=12,
                                          decimal_places=2, null=True, blank=True,
                                          validators=[MinValueValidator(Decimal(0))])
    latitude = _latitude()
    longitude = _longitude()
    contract = models.ForeignKey("inventory.Contract", verbose_name=_("contract"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="server_rooms")

    class Meta:
        verbose_name = _("server room")
        verbose_name_plural = _("server rooms")
        ordering = ["municipality__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("server-rooms_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str | ValidationError] = {**rule_errors(self)}  # coordinates
        if (self.municipality_id and self.site is not None
                and self.site.municipality_id != self.municipality_id):
            errors["site"] = str(_("The site belongs to another municipality."))
        if (self.municipality_id and self.contract is not None
                and self.contract.municipality_id != self.municipality_id):
            errors["contract"] = str(_("The contract belongs to another municipality."))
        if errors:
            raise ValidationError(errors)
