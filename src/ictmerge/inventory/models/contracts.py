"""Suppliers and contracts: outsourcing, hosting, maintenance, connectivity, licences."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.core.models import TrackedModel
from ictmerge.inventory.choices import ContractKind
from ictmerge.inventory.models.base import InventoryRecord, rule_errors


class Supplier(TrackedModel):
    """A company that supplies ICT goods or services (reference data)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    registration_number = models.CharField(_("registration number"), max_length=40,
                                           blank=True)
    country = models.CharField(_("country"), max_length=2, default="LV",
                               help_text=_("ISO 3166-1 alpha-2"))

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("suppliers_detail", args=[self.pk])


class Contract(InventoryRecord):
    """A contract of a municipality with a supplier, with its term and assignability."""

    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"),
                                 on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=ContractKind.choices)
    annual_value_eur = models.DecimalField(_("annual value (EUR)"), max_digits=12,
                                           decimal_places=2, null=True, blank=True,
                                           validators=[MinValueValidator(0)])
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True,
                                help_text=_("Empty for a contract without an end date."))
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), null=True,
                                                   blank=True)
    assignable = models.BooleanField(
        _("assignable"), default=True,
        help_text=_("Whether the contract may pass to the new municipality."),
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["municipality__name", "end_date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts_detail", args=[self.pk])

    def notice_deadline(self) -> dt.date | None:
        """The last day notice can be given to end the contract on its end date."""
        if self.end_date is None or self.notice_days is None:
            return None
        return self.end_date - dt.timedelta(days=self.notice_days)

    def clean(self) -> None:
        errors = rule_errors(self)  # no end before the start
        if errors:
            raise ValidationError(errors)
