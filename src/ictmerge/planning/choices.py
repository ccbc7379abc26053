"""Choices of the planning app: phases, roles, task status, governance parameters."""

from __future__ import annotations

from dataclasses import fields

from django.db import models
from django.utils.translation import gettext_lazy as _

from ictmerge.engine.planning.budget import load_catalogue
from ictmerge.engine.planning.governance import GovernanceParameters


class Phase(models.TextChoices):
    """The four phases of the takeover (the engine's `Phase`)."""

    DISCOVERY = "discovery", _("Discovery")
    PLANNING = "planning", _("Planning")
    PROVISION = "provision", _("Provision")
    REVIEW = "review", _("Review")


class TaskRole(models.TextChoices):
    """Who does a task (the engine's `Role`); each role has a capacity in the schedule."""

    ICT_LEAD = "ict_lead", _("ICT lead")
    SYSADMIN = "sysadmin", _("System administrator")
    NETWORK_ENGINEER = "network_engineer", _("Network engineer")
    SUPPORT_TECHNICIAN = "support_technician", _("Support technician")
    DATA_STEWARD = "data_steward", _("Data steward")
    PROCUREMENT_LEGAL = "procurement_legal", _("Procurement and legal")
    SUPPLIER = "supplier", _("Supplier")
    TRAINER = "trainer", _("Trainer")
    WAITING = "waiting", _("Nobody (waiting period)")


class TaskStatus(models.TextChoices):
    """Where a task stands."""

    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")


#: Editable governance parameters: the engine's dataclass fields, by name.
GOVERNANCE_PARAMETER_NAMES: tuple[str, ...] = tuple(f.name for f in fields(GovernanceParameters))
#: Unit prices of the cost catalogue a county may set for itself (its quotes), by key.
CATALOGUE_PARAMETER_NAMES: tuple[str, ...] = tuple(load_catalogue())

# The functional form (names from the engine's dataclass) is beyond django-stubs' overloads.
GovernanceParameterName = models.TextChoices(  # type: ignore[call-overload]
    "GovernanceParameterName",
    [(name.upper().replace(".", "__"), (name, name.replace("_", " ")))
     for name in GOVERNANCE_PARAMETER_NAMES + CATALOGUE_PARAMETER_NAMES],
)
