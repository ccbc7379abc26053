"""Consolidation records: the host catalogue, external room options, and scenarios with results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.consolidation.choices import RoomCondition, RunStatus
from ictmerge.core.models import TrackedModel
from ictmerge.inventory.choices import RoomOperation
from ictmerge.reforms.models import CountyOwnedModel


def _eur(label: Any, **kwargs: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=12, decimal_places=2,
                               validators=[MinValueValidator(Decimal(0))], **kwargs)


def _positive(label: Any, **kwargs: Any) -> models.PositiveIntegerField[Any, Any]:
    return models.PositiveIntegerField(label, validators=[MinValueValidator(1)], **kwargs)


class HostModelEntry(TrackedModel):
    """A target host model the plans may buy (reference data, seeded from the engine's catalogue)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    cores = _positive(_("CPU cores"))
    ram_gb = _positive(_("RAM (GB)"))
    storage_gb = _positive(_("storage (GB)"))
    power_kw = models.DecimalField(_("average power (kW)"), max_digits=6, decimal_places=3,
                                   validators=[MinValueValidator(Decimal(0))])
    rack_units = _positive(_("rack units"))
    price_eur = _eur(_("price (EUR)"))
    maintenance_eur_per_year = _eur(_("maintenance (EUR a year)"))
    licence_eur_per_core_per_year = _eur(_("licence (EUR per core a year)"))
    source = models.TextField(_("source or assumption"), blank=True)
    is_active = models.BooleanField(_("offered to plans"), default=True)

    class Meta:
        verbose_name = _("host model")
        verbose_name_plural = _("host models")
        ordering = ["cores", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("host-models_detail", args=[self.pk])


def _price(label: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=10, decimal_places=4, null=True, blank=True,
                               validators=[MinValueValidator(Decimal(0))],
                               help_text=_("Empty: not priced, so not offered to plans."))


class ExternalRoomEntry(TrackedModel):
    """A hosting service a new municipality could rent per resource: state data centre, cloud
    (reference data). No host is bought there; it is not one of the municipality's rooms."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    operation = models.CharField(_("operation"), max_length=12, choices=RoomOperation.choices,
                                 default=RoomOperation.OUTSOURCED)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, validators=[
        MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))])
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, validators=[
        MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))])
    condition = models.CharField(_("condition (security class met)"), max_length=10,
                                 choices=RoomCondition.choices, default=RoomCondition.BASIC)
    eur_per_vcpu_month = _price(_("price per vCPU (EUR a month)"))
    eur_per_gb_ram_month = _price(_("price per GB of RAM (EUR a month)"))
    eur_per_tb_storage_month = _price(_("price per TB of storage (EUR a month)"))
    annual_fixed_eur = _eur(_("fixed cost (EUR a year)"))
    onboarding_eur = _eur(_("onboarding (EUR, one-off)"))
    source = models.TextField(_("source or assumption"), blank=True)
    is_active = models.BooleanField(_("offered to plans"), default=True)

    class Meta:
        verbose_name = _("hosting service")
        verbose_name_plural = _("hosting services")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("external-rooms_detail", args=[self.pk])

    def clean(self) -> None:
        if self.operation == RoomOperation.OWN:
            raise ValidationError({"operation": _("An external room is not the municipality's own.")})


class Scenario(CountyOwnedModel):
    """A consolidation plan of a new municipality: its parameters and its stored result."""

    municipality = models.ForeignKey(
        "reforms.Municipality", verbose_name=_("new municipality"), on_delete=models.CASCADE,
        related_name="consolidation_scenarios",
    )
    name = models.CharField(_("name"), max_length=120)
    is_chosen = models.BooleanField(
        _("chosen"), default=False,
        help_text=_("The chosen scenario feeds the national view; one per municipality."))
    cpu_headroom_pct = models.PositiveSmallIntegerField(
        _("CPU headroom (%)"), default=70, validators=[MinValueValidator(10), MaxValueValidator(100)],
        help_text=_("The share of a host's cores that the plan may fill."))
    ram_headroom_pct = models.PositiveSmallIntegerField(
        _("RAM headroom (%)"), default=80, validators=[MinValueValidator(10), MaxValueValidator(100)],
        help_text=_("The share of a host's RAM that the plan may fill."))
    failover_hosts = models.PositiveSmallIntegerField(
        _("failover hosts"), default=1, validators=[MaxValueValidator(5)],
        help_text=_("Spare hosts that can take over a failed one (1 = N+1)."))
    host_model = models.ForeignKey(
        HostModelEntry, verbose_name=_("host model"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="scenarios",
        help_text=_("Empty: the catalogue model that costs least over the horizon."))
    any_external = models.BooleanField(
        _("every external option"), default=True,
        help_text=_("Offer every active external room option; otherwise only those listed."))
    allowed_external = models.JSONField(
        _("allowed external options"), default=list, blank=True,
        help_text=_("Codes of external room options, e.g. [\"ext-state-dc\"]; used when not "
                    "every option is offered."))
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon (years)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)])
    electricity_eur_per_kwh = models.DecimalField(
        _("electricity (EUR per kWh)"), max_digits=6, decimal_places=4, default=Decimal("0.20"),
        validators=[MinValueValidator(Decimal(0))])
    move_cost_per_host_eur = _eur(_("moving a host (EUR)"), default=Decimal(400))
    migration_cost_per_workload_eur = _eur(_("migrating a workload (EUR)"), default=Decimal(300))
    meets_policy = models.BooleanField(
        _("meets the policy"), default=False,
        help_text=_("Off: the plan's figures are the consolidation at today's service level (no "
                    "failover host, second room or room class the predecessors lack today). On: "
                    "the plan meeting the policy (N+1, rooms apart, security-class rooms)."))
    resilience_distance_km = models.PositiveSmallIntegerField(
        _("rooms apart (km)"), default=30,
        help_text=_("How far apart two rooms must be for workloads of high availability."))
    time_limit_s = models.DecimalField(
        _("solver time limit (s)"), max_digits=5, decimal_places=1, default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(60))])
    notes = models.TextField(_("notes"), blank=True)

    # The stored result, written by the run (so that pages never recompute).
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.NOT_RUN)
    run_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    run_parameters = models.JSONField(_("parameters of the result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    servers_before = models.PositiveIntegerField(_("servers before"), null=True, blank=True)
    servers_after = models.PositiveIntegerField(_("servers after"), null=True, blank=True)
    lower_bound = models.PositiveIntegerField(_("lower bound (hosts)"), null=True, blank=True)
    proven_optimal = models.BooleanField(_("proven optimal"), null=True, blank=True)
    rooms_before = models.PositiveIntegerField(_("rooms before"), null=True, blank=True)
    rooms_after = models.PositiveIntegerField(_("rooms after"), null=True, blank=True)
    annual_saving_eur = models.DecimalField(_("annual saving (EUR)"), max_digits=14,
                                            decimal_places=2, null=True, blank=True)
    one_off_eur = models.DecimalField(_("one-off cost (EUR)"), max_digits=14, decimal_places=2,
                                      null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False,
                                  help_text=_("computed from generated demo data"))
    result = models.JSONField(_("result"), null=True, blank=True)

    history_exclude = ("result", "run_parameters")
    county_owner_message = _("A consolidation plan is made for a new municipality.")

    class Meta:
        verbose_name = _("consolidation scenario")
        verbose_name_plural = _("consolidation scenarios")
        ordering = ["municipality__name", "-is_chosen", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality"], condition=Q(is_chosen=True),
                                    name="consolidation_one_chosen_scenario"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("consolidation-scenarios_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = self.county_errors()
        codes = self.allowed_external
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            errors["allowed_external"] = _("Give a list of option codes, e.g. [\"ext-state-dc\"].")
        else:
            known = set(ExternalRoomEntry.objects.filter(code__in=codes).values_list("code", flat=True))
            unknown = [c for c in codes if c not in known]
            if unknown:
                errors["allowed_external"] = _("No external room option has the code %(codes)s.") % {
                    "codes": ", ".join(unknown)}
        if self.is_chosen and self.municipality_id:
            other = Scenario.objects.filter(municipality_id=self.municipality_id, is_chosen=True)
            if self.pk:
                other = other.exclude(pk=self.pk)
            first = other.first()
            if first is not None:
                errors["is_chosen"] = _("“%(name)s” is the chosen scenario of this municipality; "
                                        "choose this one from the plan page instead.") % {
                    "name": first.name}
        if errors:
            raise ValidationError(errors)

    @property
    def is_stale(self) -> bool:
        """True when the parameters changed since the stored result was computed."""
        from ictmerge.consolidation.services import parameters_of

        return self.status == RunStatus.DONE and self.run_parameters != parameters_of(self)
