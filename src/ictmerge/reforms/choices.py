"""Choices of the reform register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Whether a municipality existed before the reform or was made by it."""

    FORMER = "former", _("Former (before the reform)")
    NEW = "new", _("New (after the reform)")


class DataQuality(models.TextChoices):
    """How far a figure can be trusted."""

    PUBLISHED = "published", _("Published")
    DERIVED = "derived", _("Derived from a published total")
    APPROXIMATE = "approximate", _("Approximate")
    GENERATED = "generated", _("Generated (demo)")
