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
    #: The devices an inventory wrote or found (set on the run import_file returns; not stored).
    devices: list[int]
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


class AgentToken(models.Model):
    """An enrolment of one former municipality's inventory agents: the secret in their URL.

    Only a SHA-256 hash of the secret is kept (the URL is shown once, when it is made); a
    token writes into its own municipality only, and a revoked one is refused.
    """

    municipality = models.ForeignKey("reforms.Municipality", verbose_name=_("municipality"),
                                     on_delete=models.CASCADE, related_name="agent_tokens")
    note = models.CharField(_("note"), max_length=100, blank=True)
    prefix = models.CharField(_("token prefix"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent token")
        verbose_name_plural = _("agent tokens")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.municipality.code})"


class AgentReport(models.Model):
    """One request of an inventory agent, accepted or refused: the log of every report."""

    received = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    token = models.ForeignKey(AgentToken, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="reports")
    municipality_code = models.CharField(_("municipality"), max_length=20, blank=True)
    protocol = models.CharField(_("protocol"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=20, blank=True)
    agent = models.CharField(_("agent"), max_length=100, blank=True)
    agent_version = models.CharField(_("agent version"), max_length=40, blank=True)
    device_id = models.CharField(_("agent device id"), max_length=200, blank=True)
    remote_addr = models.CharField(_("address"), max_length=45, blank=True)
    size = models.PositiveIntegerField(_("bytes"), default=0)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), default=200)
    message = models.TextField(_("message"), blank=True)
    import_run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="agent_reports")

    class Meta:
        verbose_name = _("agent report")
        verbose_name_plural = _("agent reports")
        ordering = ["-received", "-id"]

    def __str__(self) -> str:
        return f"{self.protocol} {self.action} {self.device_id} ({self.http_status})"


class DeviceSighting(models.Model):
    """When an agent last reported a device, which agent and version (not a tracked record:
    a report that changes nothing else changes only this)."""

    device = models.OneToOneField("inventory.Device", on_delete=models.CASCADE,
                                  related_name="sighting")
    last_seen = models.DateTimeField(_("last seen"), db_index=True)
    agent = models.CharField(_("agent"), max_length=100, blank=True)
    agent_version = models.CharField(_("agent version"), max_length=40, blank=True)
    agent_device = models.CharField(_("agent device id"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("device sighting")
        verbose_name_plural = _("device sightings")

    def __str__(self) -> str:
        return f"{self.agent_device} {self.last_seen:%Y-%m-%d}"
