"""Import runs (what was read, what it did, every problem) and hardware identifiers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ictmerge.imports.choices import IdentifierKind, RunStatus


class ImportRun(models.Model):
    """One import of one file: its options, counts and problems; the cause in the history."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True)
    import_type = models.CharField(_("type"), max_length=40)
    source = models.CharField(_("file"), max_length=255)
    municipality_code = models.CharField(_("municipality"), max_length=20, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    valid_only = models.BooleanField(_("valid rows only"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.RUNNING)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    #: Every problem as {"file", "row", "column", "message"} (the first 10,000).
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    #: The rejected rows as read, {"row": n, "cells": {...}} (the first 10,000).
    rejected_rows = models.JSONField(_("rejected rows"), default=list, blank=True)
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="import_runs")
    error = models.TextField(_("error"), blank=True)
    #: The process that runs the import (a web worker, the job worker or the CLI), so that a
    #: run left "running" by a process that died can be told apart and marked failed.
    worker_pid = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.import_type} {self.source} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("import_run_detail", args=[self.pk])


class DeviceIdentifier(models.Model):
    """A serial, UUID or MAC an inventory reported for a device, normalised for matching.

    An index for duplicate detection derived from the imported files (the device record
    and its history stay the source of truth), so it is not itself a tracked record.
    """

    device = models.ForeignKey("inventory.Device", on_delete=models.CASCADE,
                               related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=6, choices=IdentifierKind.choices)
    value = models.CharField(_("value"), max_length=100, db_index=True)

    class Meta:
        verbose_name = _("device identifier")
        verbose_name_plural = _("device identifiers")
        constraints = [models.UniqueConstraint(fields=["device", "kind", "value"],
                                               name="device_identifier_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"
