"""Choices of the core app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do, and over which municipalities."""

    AUDITOR = "auditor", _("Auditor (reads everything)")
    COUNTY_LEAD = "county_lead", _("County lead (one new municipality and its predecessors)")
    STEWARD = "steward", _("Data steward (one former municipality)")
    VIEWER = "viewer", _("Viewer (reads one municipality)")


class ChangeAction(models.TextChoices):
    """The kind of write recorded in the history."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class JobStatus(models.TextChoices):
    """Where a background job stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
