"""Choices of the software register."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleMatch(models.TextChoices):
    """How a steward's rule compares its pattern with an installed title."""

    EXACT = "exact", _("Exact title")
    CONTAINS = "contains", _("Title contains")
    REGEX = "regex", _("Regular expression")


class ContractAction(models.TextChoices):
    """Why a contract needs a decision before the reform date."""

    ENDS_BEFORE_REFORM = "ends_before_reform", _("Ends before the reform: renew, extend or replace")
    NOTICE_BEFORE_REFORM = "notice_before_reform", _("Notice to end it falls before the reform")
    NOT_ASSIGNABLE = "not_assignable", _("Cannot pass to the new municipality: assign or renegotiate")
