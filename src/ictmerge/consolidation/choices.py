"""Choices of the consolidation app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomCondition(models.TextChoices):
    """The highest security class a room's condition meets (the engine's SecurityClass)."""

    BASIC = "BASIC", _("Basic")
    ELEVATED = "ELEVATED", _("Elevated")
    HIGH = "HIGH", _("High")


class RunStatus(models.TextChoices):
    """Where a scenario's computation is."""

    NOT_RUN = "not_run", _("Not run yet")
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
