"""The software register's own records: the stewards' title rules."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.core.models import ScopedQuerySet, TrackedModel
from ictmerge.inventory.choices import ProductCategory
from ictmerge.software.choices import RuleMatch


class TitleRuleQuerySet(ScopedQuerySet):
    """Title rules; a shared rule is seen by every signed-in user (it holds for them too)."""

    def restrict(self, user: Any, action: str = "view") -> ScopedQuerySet:
        """The rules in the user's scope, and for reading also the shared ones."""
        mine = super().restrict(user, action)
        if action == "view" and user is not None and user.is_authenticated:
            return mine | self.filter(shared=True)
        return mine


class TitleRule(TrackedModel):
    """A mapping of installed titles to a product, applied where its owner may write.

    The municipality owns the rule and is where it holds: a former municipality's rule in
    that municipality, a new one's in it and its predecessors. A shared rule holds in every
    municipality; only an administrator shares one. A rule that is not shared names a
    product the register already has (only administrators add products).
    """

    municipality = models.ForeignKey(
        "reforms.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT,
        help_text=_("The municipality that owns the rule; it applies there (a new "
                    "municipality's also in its predecessors)."),
    )
    shared = models.BooleanField(
        _("shared"), default=False,
        help_text=_("Applies in every municipality; only an administrator shares a rule."))
    match = models.CharField(_("match"), max_length=10, choices=RuleMatch.choices,
                             default=RuleMatch.EXACT)
    pattern = models.CharField(_("title or pattern"), max_length=300)
    publisher = models.CharField(
        _("publisher"), max_length=200, blank=True,
        help_text=_("Only titles from this publisher; empty for any publisher."),
    )
    vendor = models.CharField(_("vendor"), max_length=200)
    product = models.CharField(_("product"), max_length=200,
                               help_text=_("With the edition where licences differ."))
    major_version = models.CharField(
        _("major version"), max_length=40, blank=True,
        help_text=_("Empty to take it from each title."),
    )
    category = models.CharField(_("category"), max_length=12, choices=ProductCategory.choices,
                                default=ProductCategory.LICENSABLE)
    notes = models.TextField(_("notes"), blank=True)

    # A manager of its own queryset in place of the base class's (the stubs see a ClassVar).
    objects = TitleRuleQuerySet.as_manager()  # type: ignore[misc]

    scope_field = "municipality"

    class Meta:
        verbose_name = _("title rule")
        verbose_name_plural = _("title rules")
        ordering = ["vendor", "product", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "match", "pattern", "publisher"],
                                    name="title_rule_unique_pattern"),
        ]

    def __str__(self) -> str:
        return f"{self.pattern} → {self.vendor} {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("software-rules_detail", args=[self.pk])

    def scope_municipality_id(self) -> int | None:
        """A shared rule is reference data (only administrators change it); another rule
        belongs to its municipality."""
        return None if self.shared else super().scope_municipality_id()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.pattern.strip():
            errors["pattern"] = str(_("Give the title or pattern to match."))
        elif self.match == RuleMatch.REGEX:
            try:
                re.compile(self.pattern, re.IGNORECASE)
            except re.error as error:
                errors["pattern"] = str(_("Not a valid regular expression: %(error)s")
                                        % {"error": error})
        if not self.vendor.strip():
            errors["vendor"] = str(_("Give the vendor."))
        if not self.product.strip():
            errors["product"] = str(_("Give the product."))
        if self.pattern and not errors.get("pattern"):
            same = TitleRule.objects.filter(municipality_id=self.municipality_id,
                                            match=self.match, pattern=self.pattern,
                                            publisher=self.publisher)
            if self.pk:
                same = same.exclude(pk=self.pk)
            if same.exists():
                errors["pattern"] = str(_("A rule for this title and publisher already exists."))
        if not self.shared and not errors.get("vendor") and not errors.get("product"):
            from ictmerge.software.services import product_exists

            if not product_exists(self.vendor, self.product):
                errors["product"] = str(_(
                    "The software register has no product %(vendor)s %(product)s: only an "
                    "administrator adds products (or maps a title to a new one in a shared "
                    "rule).") % {"vendor": self.vendor.strip(), "product": self.product.strip()})
        if errors:
            raise ValidationError(errors)
