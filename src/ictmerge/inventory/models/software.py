"""The software register: products, installed titles as inventories report them, licences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ictmerge.core import uploads
from ictmerge.core.models import TrackedModel
from ictmerge.inventory.choices import LicenceMetric, LicenceType, ProductCategory
from ictmerge.inventory.models.base import InventoryRecord, rule_errors

#: The setting that overrides the upload limit of a licence's proof document.
PROOF_MAX_BYTES_SETTING = "ICTMERGE_PROOF_MAX_BYTES"


def proof_errors(upload: Any) -> list[str]:
    """What is wrong with an uploaded proof (type by ending and content, size); empty if fine."""
    return uploads.upload_errors(
        upload, limit=uploads.max_bytes(PROOF_MAX_BYTES_SETTING), type_message=gettext(
            "%(name)s: a proof must be a PDF, an image (PNG, JPEG, TIFF) or an office "
            "document (DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS)."))


class SoftwareProduct(TrackedModel):
    """A normalised software product (reference data shared by every municipality)."""

    vendor = models.CharField(_("vendor"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    edition = models.CharField(_("edition"), max_length=100, blank=True)
    major_version = models.CharField(_("major version"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=ProductCategory.choices,
                                default=ProductCategory.LICENSABLE)

    class Meta:
        verbose_name = _("software product")
        verbose_name_plural = _("software products")
        ordering = ["vendor", "name", "edition", "major_version"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name", "edition", "major_version"],
                                    name="software_product_unique"),
        ]

    def __str__(self) -> str:
        return " ".join(p for p in (self.vendor, self.name, self.edition, self.major_version) if p)

    def get_absolute_url(self) -> str:
        return reverse("software-products_detail", args=[self.pk])


class Installation(InventoryRecord):
    """An installed title as an inventory reports it, on one device or counted in aggregate."""

    device = models.ForeignKey("inventory.Device", verbose_name=_("device"),
                               on_delete=models.CASCADE, null=True, blank=True,
                               related_name="installations")
    raw_name = models.CharField(_("title as reported"), max_length=300)
    raw_publisher = models.CharField(_("publisher as reported"), max_length=200, blank=True)
    raw_version = models.CharField(_("version as reported"), max_length=100, blank=True)
    count = models.PositiveIntegerField(
        _("count"), default=1, validators=[MinValueValidator(1)],
        help_text=_("Installations this row stands for (1 when it names a device)."),
    )
    product = models.ForeignKey(SoftwareProduct, verbose_name=_("product"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="installations")

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")
        ordering = ["municipality__name", "raw_name"]

    def __str__(self) -> str:
        return self.raw_name if self.count == 1 else f"{self.raw_name} × {self.count}"

    def get_absolute_url(self) -> str:
        return reverse("installations_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str | ValidationError] = {**rule_errors(self)}  # counts 1 on a device
        if (self.municipality_id and self.device is not None
                and self.device.municipality_id != self.municipality_id):
            errors["device"] = str(_("The device belongs to another municipality."))
        if errors:
            raise ValidationError(errors)


class Licence(InventoryRecord):
    """An entitlement to use a product, with its proof and whether it may pass on."""

    product = models.ForeignKey(SoftwareProduct, verbose_name=_("product"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="licences")
    product_name = models.CharField(_("product as named in the licence"), max_length=300)
    metric = models.CharField(_("metric"), max_length=12, choices=LicenceMetric.choices,
                              default=LicenceMetric.DEVICE)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    licence_type = models.CharField(
        _("licence type"), max_length=12, choices=LicenceType.choices, blank=True,
        default=LicenceType.UNSTATED,
        help_text=_("OEM passes with its device, a volume licence by the vendor's transfer, a "
                    "subscription by moving it to the new tenant."),
    )
    expires = models.DateField(_("expires"), null=True, blank=True,
                               help_text=_("Empty for a perpetual licence."))
    transferable = models.BooleanField(
        _("transferable"), default=True,
        help_text=_("Whether the licence may pass to the new municipality (legal successor)."),
    )
    proof = models.FileField(_("proof of purchase"), upload_to="licences/%Y/", blank=True)
    proof_reference = models.CharField(_("proof reference"), max_length=200, blank=True,
                                       help_text=_("Invoice, agreement or order number."))
    contract = models.ForeignKey("inventory.Contract", verbose_name=_("contract"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="licences")

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["municipality__name", "product_name"]

    def __str__(self) -> str:
        return f"{self.product_name} × {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("licences_detail", args=[self.pk])

    def is_valid_on(self, day: dt.date) -> bool:
        """True when the licence has not expired on that day."""
        return self.expires is None or self.expires >= day

    def clean(self) -> None:
        errors: dict[str, str | ValidationError] = {**rule_errors(self)}  # at least one unit
        if (self.municipality_id and self.contract is not None
                and self.contract.municipality_id != self.municipality_id):
            errors["contract"] = str(_("The contract belongs to another municipality."))
        # A new upload: its type and size.
        if uploads.is_new_upload(self.proof) and (problems := proof_errors(self.proof)):
            errors["proof"] = " ".join(problems)
        if errors:
            raise ValidationError(errors)
