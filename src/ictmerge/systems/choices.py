"""Choices of the systems app: statuses of checklist items and migrations, never bare strings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    """Progress of one item of a kept system's reform checklist."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class MappingStatus(models.TextChoices):
    """How far the field mapping of a data migration has got."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class TestMigration(models.TextChoices):
    """The outcome of the test migration of a retired system's data."""

    NOT_DONE = "not_done", _("Not done")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")

