"""ICT finance, staff and governance per municipality and year."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.engine.imports.rules import SPEND_CATEGORIES as SPEND_CATEGORIES
from ictmerge.inventory.choices import GovernanceModel
from ictmerge.inventory.models.base import InventoryRecord, rule_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _money(label: StrOrPromise) -> models.DecimalField[Decimal | None, Decimal | None]:
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0)])


class IctFinance(InventoryRecord):
    """A municipality's ICT spend by category, staff and governance model in one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    surveyed = models.BooleanField(_("surveyed"), default=True)
    total_expenditure_eur = _money(_("total expenditure (EUR)"))
    ict_spend_eur = models.DecimalField(
        _("ICT spend (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)], help_text=_("Empty when the municipality did not report it."),
    )
    spend_hardware_eur = _money(_("hardware (EUR)"))
    spend_software_eur = _money(_("software (EUR)"))
    spend_services_eur = _money(_("services and outsourcing (EUR)"))
    spend_communications_eur = _money(_("communications (EUR)"))
    spend_staff_eur = _money(_("ICT staff (EUR)"))
    ict_staff_fte = models.DecimalField(_("ICT staff (FTE)"), max_digits=7, decimal_places=2,
                                        null=True, blank=True,
                                        validators=[MinValueValidator(0)])
    governance_model = models.CharField(_("governance model"), max_length=16,
                                        choices=GovernanceModel.choices, blank=True)

    class Meta:
        verbose_name = _("ICT finance")
        verbose_name_plural = _("ICT finance")
        ordering = ["municipality__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"],
                                    name="ict_finance_unique_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("ict-finance_detail", args=[self.pk])

    @property
    def ict_share(self) -> float | None:
        """ICT spend as a fraction of total expenditure, when both are known."""
        if self.ict_spend_eur is None or not self.total_expenditure_eur:
            return None
        return float(self.ict_spend_eur / self.total_expenditure_eur)

    def clean(self) -> None:
        # The categories add up to the ICT spend, within the total; no spend unless surveyed.
        errors: dict[str, str | ValidationError] = {**rule_errors(self)}
        if self.municipality_id and self.year:
            same_year = IctFinance.objects.filter(municipality_id=self.municipality_id,
                                                  year=self.year)
            if self.pk:
                same_year = same_year.exclude(pk=self.pk)
            if same_year.exists():
                errors["year"] = str(_("This municipality already has ICT finance for %(year)s.")
                                     % {"year": self.year})
        if errors:
            raise ValidationError(errors)
