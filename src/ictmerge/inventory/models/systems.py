"""Business functions (the shipped taxonomy) and the information systems that serve them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.core.models import TrackedModel
from ictmerge.inventory.choices import Hosting, Level, Lifecycle
from ictmerge.inventory.models.base import InventoryRecord

#: Letters that name critical-infrastructure categories (Cabinet Regulation No. 508 of
#: 06.07.2021), not security classes of information systems.
INFRASTRUCTURE_CATEGORIES = frozenset("abcd")


def not_an_infrastructure_category(value: str) -> None:
    """Refuse "A", "B", "C", "D" (also "A class", "klase B") as a system's security class."""
    key = value.strip().lower()
    for word in ("klase", "class", "kategorija", "category"):
        key = key.replace(word, "")
    if key.strip(" .") in INFRASTRUCTURE_CATEGORIES:
        raise ValidationError(
            _("%(value)s is a critical-infrastructure category (Cabinet Regulation No. 508), "
              "not a security class; write the class as the act names it, e.g. \"pamata "
              "drošības sistēma\" or \"paaugstinātas drošības sistēma\" (Regulation No. "
              "442), or leave it empty."), params={"value": value.strip()},
            code="infrastructure_category")


class BusinessFunction(TrackedModel):
    """A function a municipality runs an information system for (reference data)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_lv = models.CharField(_("name (Latvian)"), max_length=200)
    national_system_mandatory = models.BooleanField(_("national system mandatory"),
                                                    default=False)
    national_system = models.CharField(_("national system"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("business function")
        verbose_name_plural = _("business functions")
        ordering = ["code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_lv if (get_language() or "").startswith("lv") else self.name_en

    def get_absolute_url(self) -> str:
        return reverse("business-functions_detail", args=[self.pk])


class InformationSystem(InventoryRecord):
    """An information system of a municipality, for one function, with its requirements."""

    name = models.CharField(_("name"), max_length=200)
    function = models.ForeignKey(BusinessFunction, verbose_name=_("function"),
                                 on_delete=models.PROTECT, related_name="information_systems")
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    hosting = models.CharField(_("hosting"), max_length=14, choices=Hosting.choices,
                               default=Hosting.ON_PREMISES)
    users = models.PositiveIntegerField(_("users"), null=True, blank=True)
    records = models.PositiveBigIntegerField(_("records"), null=True, blank=True)
    integrations = models.TextField(_("integrations"), blank=True,
                                    help_text=_("Systems it exchanges data with, one a line."))
    annual_cost_eur = models.DecimalField(_("annual cost (EUR)"), max_digits=12,
                                          decimal_places=2, null=True, blank=True,
                                          validators=[MinValueValidator(0)])
    lifecycle = models.CharField(_("lifecycle"), max_length=12, choices=Lifecycle.choices,
                                 default=Lifecycle.CURRENT)
    confidentiality = models.CharField(_("confidentiality"), max_length=6,
                                       choices=Level.choices, blank=True)
    integrity = models.CharField(_("integrity"), max_length=6, choices=Level.choices,
                                 blank=True)
    availability = models.CharField(_("availability"), max_length=6, choices=Level.choices,
                                    blank=True)
    security_class = models.CharField(
        _("security class"), max_length=60, blank=True,
        help_text=_("As the predecessor assigned it."),
        validators=[not_an_infrastructure_category],
    )

    class Meta:
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        ordering = ["municipality__name", "function__code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("information-systems_detail", args=[self.pk])
