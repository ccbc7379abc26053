"""Planning records: governance parameters and choices, the action plan and its tasks."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ictmerge.core.explanations import text_of
from ictmerge.engine.explain import english, from_json
from ictmerge.engine.planning.budget import load_catalogue
from ictmerge.inventory.choices import GovernanceModel
from ictmerge.planning.choices import GovernanceParameterName, Phase, TaskRole, TaskStatus
from ictmerge.reforms.models import CountyOwnedModel

#: A task key: letters, digits and . _ : - (spaces allowed inside, as generated keys have).
TASK_KEY = re.compile(r"^[\w.:\-– ]+$")


class GovernanceParameter(CountyOwnedModel):
    """A municipality's own value for one governance parameter (overrides the default)."""

    municipality = models.ForeignKey(
        "reforms.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE,
        related_name="governance_parameters",
    )
    name = models.CharField(_("parameter"), max_length=60, choices=GovernanceParameterName.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4,
                                validators=[MinValueValidator(Decimal(0))])
    source = models.TextField(_("source"), blank=True,
                              help_text=_("Where the value comes from, or the assumption."))


    class Meta:
        verbose_name = _("governance parameter")
        verbose_name_plural = _("governance parameters")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"],
                                    name="governance_parameter_unique_per_municipality"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.name} = {self.value.normalize():f}"

    def get_absolute_url(self) -> str:
        return reverse("governance-parameters_detail", args=[self.pk])

    def clean(self) -> None:
        from ictmerge.planning.governance import check_parameter

        errors = self.county_errors()
        if self.name and self.value is not None:
            message = check_parameter(self.name, self.value)
            if message:
                errors["value"] = str(message)
        if errors:
            raise ValidationError(errors)


class GovernanceChoice(CountyOwnedModel):
    """The governance model a municipality chose, with the recommendation at that time."""

    municipality = models.ForeignKey(
        "reforms.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE,
        related_name="governance_choices",
    )
    model = models.CharField(_("chosen model"), max_length=16, choices=GovernanceModel.choices)
    recommended = models.CharField(_("recommended model at the time"), max_length=16,
                                   choices=GovernanceModel.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    chosen_at = models.DateTimeField(_("chosen at"), default=timezone.now)


    class Meta:
        verbose_name = _("governance choice")
        verbose_name_plural = _("governance choices")
        ordering = ["municipality__name", "-chosen_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_model_display()}"

    def get_absolute_url(self) -> str:
        return reverse("governance-choices_detail", args=[self.pk])


class ActionPlan(CountyOwnedModel):
    """A municipality's action plan: its calendar and the last schedule's figures."""

    municipality = models.OneToOneField(
        "reforms.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE,
        related_name="action_plan",
    )
    project_start = models.DateField(_("project start"))
    deadline = models.DateField(_("deadline"), help_text=_("The reform date, by default."))
    email_domain = models.CharField(_("e-mail domain"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Figures of the last schedule (written by the scheduling job).
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True)
    makespan_days = models.PositiveIntegerField(_("makespan (working days)"), null=True,
                                                blank=True)
    lower_bound_days = models.PositiveIntegerField(_("lower bound (working days)"), null=True,
                                                   blank=True)
    deadline_days = models.PositiveIntegerField(_("deadline (working days)"), null=True,
                                                blank=True)
    proven_optimal = models.BooleanField(_("proven optimal"), default=False)
    method = models.CharField(_("method"), max_length=20, blank=True)
    solve_seconds = models.FloatField(_("solve time (s)"), null=True, blank=True)
    late_tasks = models.PositiveIntegerField(_("late tasks"), default=0)
    max_lateness_days = models.PositiveIntegerField(_("worst lateness (working days)"),
                                                    default=0)
    # Governance after the reform and budget totals, for the national view.
    summary = models.JSONField(_("summary"), default=dict, blank=True)


    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["municipality__name"]

    def __str__(self) -> str:
        return str(_("Action plan of %(municipality)s") % {"municipality": self.municipality})

    def get_absolute_url(self) -> str:
        return reverse("action-plans_detail", args=[self.pk])

    def clean(self) -> None:
        errors = self.county_errors()
        if self.project_start and self.deadline and self.deadline <= self.project_start:
            errors["deadline"] = str(_("The deadline must come after the start."))
        if errors:
            raise ValidationError(errors)

    @property
    def gap(self) -> float | None:
        """Relative gap between makespan and lower bound."""
        if not self.makespan_days or self.lower_bound_days is None:
            return None
        return (self.makespan_days - self.lower_bound_days) / self.makespan_days

    @classmethod
    def of(cls, county: Any) -> ActionPlan | None:
        """The county's action plan of record (a county has at most one), or None."""
        return cls.objects.filter(municipality=county).first()


class RoleCapacity(CountyOwnedModel):
    """How many people of a role the municipality (or its suppliers) can put on the plan."""

    municipality = models.ForeignKey(
        "reforms.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE,
        related_name="role_capacities",
    )
    role = models.CharField(_("role"), max_length=20, choices=TaskRole.choices)
    people = models.PositiveSmallIntegerField(_("people"), default=1,
                                              validators=[MinValueValidator(1),
                                                          MaxValueValidator(500)])
    source = models.TextField(_("source"), blank=True)


    class Meta:
        verbose_name = _("role capacity")
        verbose_name_plural = _("role capacities")
        ordering = ["municipality__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "role"],
                                    name="role_capacity_unique_per_municipality"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_role_display()} × {self.people}"

    def get_absolute_url(self) -> str:
        return reverse("role-capacities_detail", args=[self.pk])

    def clean(self) -> None:
        errors = self.county_errors()
        if self.role == TaskRole.WAITING:
            errors["role"] = str(_("A waiting period holds no one: no capacity."))
        if errors:
            raise ValidationError(errors)


def _split_keys(text: str) -> list[str]:
    """Task keys from a text: one per line (commas also separate)."""
    return [k.strip() for k in re.split(r"[\n,]", text or "") if k.strip()]


class Task(CountyOwnedModel):
    """One task of an action plan: generated from a decision or added by hand."""

    municipality = models.ForeignKey(
        "reforms.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE,
        related_name="action_tasks",
    )
    key = models.CharField(_("key"), max_length=300,
                           help_text=_("Unique within the municipality; other tasks name it "
                                       "in their dependencies."))
    title = models.CharField(_("title"), max_length=300)
    # A generated title as the engine's code and parameters (engine.explain JSON), so that it
    # is shown in the reader's language; `title` keeps its English text.
    title_explained = models.JSONField(_("title (code and parameters)"), null=True, blank=True,
                                       editable=False)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices,
                             default=Phase.PROVISION)
    role = models.CharField(_("role"), max_length=20, choices=TaskRole.choices,
                            default=TaskRole.SYSADMIN)
    staff = models.PositiveSmallIntegerField(_("people"), default=1)
    duration_days = models.PositiveIntegerField(_("duration (working days)"), default=1)
    depends_on = models.TextField(_("depends on"), blank=True,
                                  help_text=_("Keys of the tasks this one waits for, one a "
                                              "line."))
    cost_items = models.TextField(
        _("cost items"), blank=True,
        help_text=_("One a line: a cost catalogue item and its quantity, e.g. "
                    "'hardware.server 2'."),
    )
    deadline_applies = models.BooleanField(
        _("due by the deadline"), default=True,
        help_text=_("Review tasks run after the reform date on purpose."),
    )
    origin = models.CharField(_("origin"), max_length=100, blank=True,
                              help_text=_("The decision it comes from; empty when added by hand."))
    template = models.CharField(_("template"), max_length=60, blank=True)
    generated = models.BooleanField(_("generated"), default=False)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="action_tasks")
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices,
                              default=TaskStatus.TODO)
    percent_done = models.PositiveSmallIntegerField(
        _("done (%)"), default=0, validators=[MaxValueValidator(100)])
    due_date = models.DateField(_("due date"), null=True, blank=True,
                                help_text=_("Set by hand; otherwise the scheduled end."))
    notes = models.TextField(_("notes"), blank=True)
    # Written by the scheduling job.
    start_day = models.PositiveIntegerField(_("start (working day)"), null=True, blank=True)
    end_day = models.PositiveIntegerField(_("end (working day)"), null=True, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    critical = models.BooleanField(_("on the critical path"), default=False)
    late_days = models.PositiveIntegerField(_("late by (working days)"), default=0)


    class Meta:
        verbose_name = _("action-plan task")
        verbose_name_plural = _("action-plan tasks")
        ordering = ["municipality__name", "start_day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"],
                                    name="task_key_unique_per_municipality"),
        ]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("action-tasks_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title in the reader's language; as written once edited by hand."""
        if self.title_explained:
            explanation = from_json(self.title_explained)
            if english(explanation)[:300] == self.title:
                return text_of(explanation)
        return self.title

    @property
    def dependency_keys(self) -> list[str]:
        """The keys this task waits for."""
        return _split_keys(self.depends_on)

    @property
    def effective_due(self) -> dt.date | None:
        """The hand-set due date, else the scheduled end."""
        return self.due_date or self.planned_end

    @property
    def is_overdue(self) -> bool:
        """Not done and past its due date."""
        due = self.effective_due
        return self.status != TaskStatus.DONE and due is not None and due < timezone.localdate()

    def parsed_cost_items(self) -> list[tuple[str, float]]:
        """(catalogue item, quantity) pairs; assumes clean() passed."""
        pairs = []
        for line in (self.cost_items or "").splitlines():
            parts = line.split()
            if parts:
                pairs.append((parts[0], float(parts[1]) if len(parts) > 1 else 1.0))
        return pairs

    def clean(self) -> None:
        errors = self.county_errors()
        if self.key and not TASK_KEY.match(self.key):
            errors["key"] = str(_("Use letters, digits, spaces and . _ : - only."))
        if self.role == TaskRole.WAITING and self.staff:
            errors["staff"] = str(_("A waiting period holds no one: set people to 0."))
        if self.role != TaskRole.WAITING and not self.staff:
            errors["staff"] = str(_("At least one person does this task."))
        keys = self.dependency_keys
        if self.key and self.key in keys:
            errors["depends_on"] = str(_("A task cannot wait for itself."))
        elif keys and self.municipality_id:
            known = set(Task.objects.filter(municipality_id=self.municipality_id, key__in=keys)
                        .values_list("key", flat=True))
            missing = [k for k in keys if k not in known]
            if missing:
                errors["depends_on"] = str(_("No task of this municipality has the key "
                                             "%(keys)s.") % {"keys": ", ".join(missing)})
        catalogue = load_catalogue()
        for number, line in enumerate((self.cost_items or "").splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if parts[0] not in catalogue or len(parts) > 2:
                errors["cost_items"] = str(
                    _("Line %(line)d: '%(text)s' is not 'catalogue-item quantity' with a known "
                      "item.") % {"line": number, "text": line.strip()})
                break
            if len(parts) == 2:
                try:
                    if float(parts[1]) < 0:
                        raise ValueError
                except ValueError:
                    errors["cost_items"] = str(_("Line %(line)d: the quantity must be a number "
                                                 "≥ 0.") % {"line": number})
                    break
        if self.status == TaskStatus.DONE:
            self.percent_done = 100
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.status == TaskStatus.DONE:
            self.percent_done = 100
        super().save(*args, **kwargs)
