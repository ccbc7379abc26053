"""Choices of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerState(models.TextChoices):
    """Where one of the county's four answers stands: no plan yet, a plan computed or
    recommended, or a decision recorded by the county."""

    NOT_PLANNED = "not_planned", _("not planned")
    PLANNED = "planned", _("planned")
    CHOSEN = "chosen", _("chosen")
