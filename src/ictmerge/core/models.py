"""Core records: who may do what (membership), what changed (history), long work (jobs)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.core.choices import ChangeAction, JobStatus, Role
from ictmerge.engine.explain import english, from_json


class Membership(models.Model):
    """A user's role and the municipality it applies to (none for an auditor)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        "reforms.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role != Role.AUDITOR and self.municipality_id is None:
            raise ValidationError({"municipality": _("This role needs a municipality.")})


class ChangeRecord(models.Model):
    """One write to one record: who, when, and the values before and after."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # No database constraint on user and content type: Django applies SET_NULL and PROTECT
    # itself, user_name and object_repr keep the text, and a constraint would cost a check
    # per history row (a million for a large import).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        db_constraint=False,
    )
    user_name = models.CharField(_("user"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    # One index (object_id, content_type) serves a record's history and the API's object_id
    # filter; separate ones would only slow down every write (an import writes millions).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False,
                                     db_constraint=False)
    object_id = models.BigIntegerField()
    object_repr = models.CharField(_("record"), max_length=200)
    municipality_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["object_id", "content_type"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The change history cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The change history cannot be edited.")

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """The fields whose value differs between before and after."""
        before = self.before or {}
        after = self.after or {}
        names = sorted(set(before) | set(after))
        return [(n, _explained(before, n), _explained(after, n)) for n in names
                if before.get(n) != after.get(n)
                and not (n.endswith(EXPLAINED) and n.removesuffix(EXPLAINED) in names)]


#: A field stored with its explanation (Task.title and title_explained): shown in the
#: reader's language in a change's diff, as long as the text is still the explanation's.
EXPLAINED = "_explained"


def _explained(values: dict[str, Any], name: str) -> Any:
    """A field's value of a snapshot; a generated text in the reader's language."""
    from ictmerge.core.explanations import text_of

    value, explained = values.get(name), values.get(name + EXPLAINED)
    if isinstance(value, str) and isinstance(explained, dict) and "code" in explained:
        explanation = from_json(explained)
        if english(explanation)[:300] == value:  # as Task.display_title
            return text_of(explanation)
    return value


class ScopeVersion(models.Model):
    """How often the change history was written for one municipality's records (scope 0:
    records of no municipality).

    A database trigger on the history's table (migration core 0005) bumps the scopes of
    every statement that inserts history rows, inside the writing transaction: every write
    path (signals, record_bulk, the importers' INSERT ... SELECT, the takeover) is covered,
    and a committed write changes the sum of the versions. Cache keys read these few rows
    instead of counting the history.
    """

    scope = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"


class Job(models.Model):
    """Long work done in the background, with progress a user can watch."""

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    municipality = models.ForeignKey(
        "reforms.Municipality", on_delete=models.CASCADE, null=True, blank=True
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker_pid = models.IntegerField(null=True, blank=True)
    #: The machine the worker runs on: its process id says nothing on another machine.
    worker_host = models.CharField(max_length=255, blank=True, default="")
    #: Last sign of life of the worker running the job (a worker on another machine whose
    #: heartbeat stops is taken for dead after core.jobs.LEASE_SECONDS).
    heartbeat = models.DateTimeField(null=True, blank=True)
    #: A fan-out job (e.g. plan every county) waits for its children, one per county, which
    #: any worker may run; the last to finish sums them up (the fan-in).
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        """True once the job succeeded or failed."""
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class ScopedQuerySet(models.QuerySet[Any]):
    """A queryset that knows how to keep only what a user may see or change."""

    def restrict(self, user: Any, action: str = "view") -> ScopedQuerySet:
        """Keep the records the user may view (action="view") or change ("change")."""
        from ictmerge.core.scoping import restrict_queryset

        return restrict_queryset(self, user, action)


class TrackedModel(models.Model):
    """A record whose every write lands in the change history."""

    objects = ScopedQuerySet.as_manager()

    #: Path from this model to the municipality that owns it; None for reference data
    #: that every signed-in user reads and only administrators change.
    scope_field: str | None = None
    #: Fields left out of the history (derived or bulky).
    history_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def scope_municipality_id(self) -> int | None:
        """The id of the municipality that owns this record, if any."""
        if self.scope_field is None:
            return None
        value: Any = self
        for part in self.scope_field.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return int(value.pk)
