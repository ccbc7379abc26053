"""Choices of the imports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    """How an import run ended."""

    RUNNING = "running", _("Running")
    PREVIEW = "preview", _("Dry run")
    IMPORTED = "imported", _("Imported")
    PARTIAL = "partial", _("Valid rows imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class IdentifierKind(models.TextChoices):
    """Which hardware identifier."""

    SERIAL = "serial", _("Serial number")
    UUID = "uuid", _("UUID")
    MAC = "mac", _("MAC address")
