"""Records of the IS rationalisation of a new municipality: weights, external candidates,
assessments, decisions, the reform checklist and the data-migration plan."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.core.models import TrackedModel
from ictmerge.inventory.choices import Hosting
from ictmerge.reforms.counties import County
from ictmerge.reforms.models import CountyOwnedModel
from ictmerge.systems.choices import MappingStatus, TaskStatus, TestMigration

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def criterion_choices() -> list[tuple[str, str]]:
    """The shipped criteria as choices (the engine reads each by its code)."""
    from ictmerge.systems.services import default_criteria

    return [(c.code, c.name_en) for c in default_criteria().criteria]


def _share(label: StrOrPromise) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(
        label, max_digits=4, decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("A share from 0 to 1."),
    )


def _score(label: StrOrPromise) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(
        label, max_digits=3, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
        help_text=_("An expert score from 0 to 5."),
    )


def predecessor_ids(county: CountyOwnedModel) -> set[int]:
    """Ids of the former municipalities that went (wholly or in part) into the record's county."""
    return set(County.of(county.municipality).former_ids)


class CountyRecord(CountyOwnedModel):
    """A record owned by a new municipality (its county lead writes it)."""

    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True


class CriterionWeight(CountyRecord):
    """A county's weight for one rationalisation criterion (default: data/criteria.json)."""

    criterion = models.CharField(_("criterion"), max_length=60, choices=criterion_choices)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3,
                                 validators=[MinValueValidator(Decimal(0))],
                                 help_text=_("Only proportions matter; 0 ignores the criterion."))

    class Meta:
        verbose_name = _("criterion weight")
        verbose_name_plural = _("criterion weights")
        ordering = ["municipality__name", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "criterion"],
                                    name="criterion_weight_unique_per_county"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} = {self.weight}"

    def get_absolute_url(self) -> str:
        return reverse("criterion-weights_detail", args=[self.pk])

    def clean(self) -> None:
        from ictmerge.systems.services import criterion_codes

        errors = self.county_errors()
        if self.criterion and self.criterion not in criterion_codes():
            errors["criterion"] = str(_("Unknown criterion %(code)s; expected one of %(codes)s.")
                                      % {"code": self.criterion,
                                         "codes": ", ".join(criterion_codes())})
        if self.municipality_id and self.criterion:
            same = CriterionWeight.objects.filter(municipality_id=self.municipality_id,
                                                  criterion=self.criterion)
            if self.pk:
                same = same.exclude(pk=self.pk)
            if same.exists():
                errors["criterion"] = str(_("This municipality already has a weight for it."))
        if errors:
            raise ValidationError(errors)


class ExternalCandidate(CountyRecord):
    """A system no predecessor runs, proposed for one function of a new municipality."""

    function = models.ForeignKey("inventory.BusinessFunction", verbose_name=_("function"),
                                 on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    hosting = models.CharField(_("hosting"), max_length=14, choices=Hosting.choices,
                               default=Hosting.VENDOR_HOSTED)
    annual_cost_per_user_eur = models.DecimalField(
        _("annual cost per user (EUR)"), max_digits=10, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))])
    functional_coverage = _share(_("functional coverage"))
    technical_fit = _score(_("technical fit"))
    support_years_left = models.DecimalField(
        _("years of vendor support left"), max_digits=4, decimal_places=1, default=Decimal(5),
        validators=[MinValueValidator(Decimal(0))])
    vendor_support = _score(_("vendor support"))
    security_compliance = _share(_("security compliance"))
    integrations = models.TextField(_("integrations"), blank=True,
                                    help_text=_("National registers it exchanges data with, "
                                                "one a line."))

    class Meta:
        verbose_name = _("external candidate system")
        verbose_name_plural = _("external candidate systems")
        ordering = ["municipality__name", "function__code", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("external-candidates_detail", args=[self.pk])

    def clean(self) -> None:
        errors = self.county_errors()
        if errors:
            raise ValidationError(errors)


class SystemAssessment(TrackedModel):
    """Expert scores of a predecessor's system that the inventory does not hold."""

    information_system = models.OneToOneField(
        "inventory.InformationSystem", verbose_name=_("information system"),
        on_delete=models.CASCADE, related_name="assessment")
    functional_coverage = _share(_("functional coverage"))
    technical_fit = _score(_("technical fit"))
    support_years_left = models.DecimalField(
        _("years of vendor support left"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal(0))])
    vendor_support = _score(_("vendor support"))
    security_compliance = _share(_("security compliance"))
    data_subjects = models.PositiveIntegerField(
        _("data subjects"), null=True, blank=True,
        help_text=_("Persons whose data it holds; empty to assume min(records, population)."))
    notes = models.TextField(_("notes"), blank=True)

    scope_field = "information_system__municipality"

    class Meta:
        verbose_name = _("system assessment")
        verbose_name_plural = _("system assessments")
        ordering = ["information_system__municipality__name", "information_system__name"]

    def __str__(self) -> str:
        return str(_("Assessment of %(system)s") % {"system": self.information_system})

    def get_absolute_url(self) -> str:
        return reverse("system-assessments_detail", args=[self.pk])


class SystemDecision(CountyRecord):
    """The system a new municipality keeps for one function, as its county lead recorded it."""

    function = models.ForeignKey("inventory.BusinessFunction", verbose_name=_("function"),
                                 on_delete=models.PROTECT, related_name="+")
    chosen_system = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("chosen system"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("A predecessor's system; leave both empty for a mandatory national system."))
    chosen_external = models.ForeignKey(
        ExternalCandidate, verbose_name=_("chosen external candidate"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    recommended = models.CharField(
        _("recommended when recorded"), max_length=200, blank=True, editable=False,
        help_text=_("The system the calculation recommended when the decision was recorded."))
    overrides_recommendation = models.BooleanField(_("overrides the recommendation"),
                                                   default=False, editable=False)
    justification = models.TextField(
        _("justification"), blank=True,
        help_text=_("Required when the choice differs from the recommendation."))

    class Meta:
        verbose_name = _("system decision")
        verbose_name_plural = _("system decisions")
        ordering = ["municipality__name", "function__code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "function"],
                                    name="system_decision_unique_per_function"),
        ]

    def __str__(self) -> str:
        return f"{self.function}: {self.chosen_label()}"

    def get_absolute_url(self) -> str:
        return reverse("system-decisions_detail", args=[self.pk])

    def chosen_key(self) -> str:
        """The engine's id of the chosen system."""
        from ictmerge.systems.services import external_key, national_key, system_key

        if self.chosen_system_id:
            return system_key(self.chosen_system_id)
        if self.chosen_external_id:
            return external_key(self.chosen_external_id)
        return national_key(self.function.code)

    def chosen_label(self) -> str:
        """The chosen system's name."""
        if self.chosen_system_id:
            return str(self.chosen_system)
        if self.chosen_external_id:
            return str(self.chosen_external)
        return self.function.national_system or str(_("national system"))

    def clean(self) -> None:
        from ictmerge.systems.services import check_decision

        errors = self.county_errors()
        if errors:
            raise ValidationError(errors)
        if self.municipality_id and self.function_id:
            check_decision(self)


class ChangeTask(CountyRecord):
    """One thing the reform changes in a kept system, with owner, due date and status."""

    information_system = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("kept system"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+")
    external_candidate = models.ForeignKey(
        ExternalCandidate, verbose_name=_("kept external system"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+")
    template_code = models.CharField(_("change"), max_length=60, default="custom",
                                     help_text=_("Code of the template that generated it."))
    subject = models.CharField(_("subject"), max_length=200, blank=True,
                               help_text=_("The source system or register it is about."))
    text = models.TextField(_("what to do"))
    text_lv = models.TextField(_("what to do (Latvian)"), blank=True)
    owner = models.CharField(_("owner"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN)

    class Meta:
        verbose_name = _("reform change")
        verbose_name_plural = _("reform changes")
        ordering = ["municipality__name", "due_date", "template_code", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("reform-changes_detail", args=[self.pk])

    def system_label(self) -> str:
        """The kept system's name."""
        return str(self.information_system or self.external_candidate or "")

    def localised_text(self) -> str:
        """The text in the active language (Latvian when there is one)."""
        from django.utils.translation import get_language

        if self.text_lv and (get_language() or "").startswith("lv"):
            return self.text_lv
        return self.text

    def clean(self) -> None:
        errors = self.county_errors()
        if bool(self.information_system_id) == bool(self.external_candidate_id):
            errors["information_system"] = str(
                _("Name the kept system: a predecessor's system or an external candidate."))
        elif self.municipality_id and not errors:
            if (self.information_system is not None
                    and self.information_system.municipality_id not in predecessor_ids(self)):
                errors["information_system"] = str(
                    _("The system belongs to no predecessor of this municipality."))
            if (self.external_candidate is not None
                    and self.external_candidate.municipality_id != self.municipality_id):
                errors["external_candidate"] = str(
                    _("The candidate belongs to another municipality."))
        if errors:
            raise ValidationError(errors)


class MigrationPlan(CountyRecord):
    """Moving one retired system's data into the kept one: mapping, test, cut-over."""

    source = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("retired system"),
        on_delete=models.CASCADE, related_name="+")
    target_system = models.ForeignKey(
        "inventory.InformationSystem", verbose_name=_("target system"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+")
    target_external = models.ForeignKey(
        ExternalCandidate, verbose_name=_("target external system"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+")
    target_name = models.CharField(_("target"), max_length=200, blank=True,
                                   help_text=_("The target's name (a national system has no "
                                               "record here)."))
    records = models.PositiveBigIntegerField(_("records"), default=0)
    mapping_status = models.CharField(_("mapping"), max_length=12,
                                      choices=MappingStatus.choices,
                                      default=MappingStatus.NOT_STARTED)
    test_migration = models.CharField(_("test migration"), max_length=10,
                                      choices=TestMigration.choices,
                                      default=TestMigration.NOT_DONE)
    cut_over_date = models.DateField(_("cut-over date"), null=True, blank=True)

    class Meta:
        verbose_name = _("data migration")
        verbose_name_plural = _("data migrations")
        ordering = ["municipality__name", "source__function__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "source"],
                                    name="migration_unique_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target_label()}"

    def get_absolute_url(self) -> str:
        return reverse("data-migrations_detail", args=[self.pk])

    def target_label(self) -> str:
        """The kept system's name."""
        return str(self.target_system or self.target_external or self.target_name)

    def clean(self) -> None:
        errors = self.county_errors()
        if self.municipality_id and not errors:
            predecessors = predecessor_ids(self)
            if self.source_id and self.source.municipality_id not in predecessors:
                errors["source"] = str(
                    _("The system belongs to no predecessor of this municipality."))
            if (self.target_system is not None
                    and self.target_system.municipality_id not in predecessors):
                errors["target_system"] = str(
                    _("The system belongs to no predecessor of this municipality."))
            if (self.target_external is not None
                    and self.target_external.municipality_id != self.municipality_id):
                errors["target_external"] = str(
                    _("The candidate belongs to another municipality."))
        if self.source_id and self.source_id == self.target_system_id:
            errors["target_system"] = str(_("A system cannot migrate into itself."))
        if errors:
            raise ValidationError(errors)


def rule_set_choices() -> list[tuple[str, str]]:
    """The shipped security rule sets as choices."""
    from ictmerge.systems.services import rule_sets

    return [(r.code, r.name) for r in rule_sets().values()]


class SecurityRuleChoice(CountyRecord):
    """The security rule set a county chose instead of the one in force on its reform date."""

    municipality = models.OneToOneField(
        "reforms.Municipality", verbose_name=_("new municipality"), on_delete=models.CASCADE,
        limit_choices_to={"stage": "new"}, related_name="security_rule_choice")
    rule_set = models.CharField(_("rule set"), max_length=30, choices=rule_set_choices)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("security rule-set choice")
        verbose_name_plural = _("security rule-set choices")
        ordering = ["municipality__name"]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.rule_set}"

    def get_absolute_url(self) -> str:
        return reverse("security-rule-choices_detail", args=[self.pk])

    def clean(self) -> None:
        from ictmerge.systems.services import rule_sets

        errors = self.county_errors()
        if self.rule_set and self.rule_set not in rule_sets():
            errors["rule_set"] = str(_("Unknown rule set %(code)s; expected one of %(codes)s.")
                                     % {"code": self.rule_set,
                                        "codes": ", ".join(sorted(rule_sets()))})
        if not (self.reason or "").strip():
            errors["reason"] = str(_("Say why the county uses another rule set."))
        if errors:
            raise ValidationError(errors)


class RuleConfirmation(TrackedModel):
    """A person's confirmation of a shipped security rule against the act's text."""

    rule_id = models.CharField(_("rule"), max_length=120, db_index=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=200,
                                    help_text=_("Who read the act and confirms the rule."))
    confirmed_on = models.DateField(_("confirmed on"))
    text = models.TextField(_("text"), help_text=_("The act, its point and the wording (or "
                                                   "its address) that confirm the rule."))

    class Meta:
        verbose_name = _("rule confirmation")
        verbose_name_plural = _("rule confirmations")
        ordering = ["rule_id", "-confirmed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.rule_id} ({self.confirmed_by}, {self.confirmed_on})"

    def get_absolute_url(self) -> str:
        return reverse("rule-confirmations_detail", args=[self.pk])

    def clean(self) -> None:
        from ictmerge.systems.services import law

        errors: dict[str, str] = {}
        if self.rule_id and self.rule_id not in {r.rule_id for r in law().rules()}:
            errors["rule_id"] = str(_("Unknown rule %(rule)s.") % {"rule": self.rule_id})
        for name in ("confirmed_by", "text"):
            if not (getattr(self, name) or "").strip():
                errors[name] = str(_("This field is required."))
        if errors:
            raise ValidationError(errors)
