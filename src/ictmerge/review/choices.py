"""Choices of the review app: phases, checklist items, statuses, maturity levels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """The four moments of the takeover as the audit framed them."""

    DISCOVERY = "discovery", _("Discovery")
    PLANNING = "planning", _("Planning")
    PROVISION = "provision", _("Provision")
    REVIEW = "review", _("Review")


class ChecklistItem(models.TextChoices):
    """The audit's checklist, one item per thing a municipality must have done."""

    SOFTWARE_REGISTER = "software_register", _("Software register updated")
    RESOURCES_LOCATED = "resources_located", _(
        "Resources to take over and their locations known")
    ROOMS_AND_CONTRACTS = "rooms_and_contracts", _(
        "Server rooms and outsourcing contracts known")
    DOCUMENTS_AND_LICENCES = "documents_and_licences", _(
        "Justification documents and licences checked")
    OPTIMISATION_EVALUATED = "optimisation_evaluated", _(
        "Optimisation and hosting options evaluated")
    SYSTEMS_DECIDED = "systems_decided", _("Information systems to keep decided")
    REFORM_CHANGES = "reform_changes", _("Reform changes in the information systems identified")
    SYSTEMS_ALIGNED = "systems_aligned", _("Systems aligned and data available")
    ACTION_PLAN_FUNDED = "action_plan_funded", _("Action plan made and funding estimated")
    SECURITY_REASSESSED = "security_reassessed", _("Security classes re-assessed")
    GOVERNANCE_DECIDED = "governance_decided", _("Governance and support model decided")
    TAKEOVER_APPROVED = "takeover_approved", _("Takeover acts approved and records handed over")
    INFRASTRUCTURE_CONFIGURED = "infrastructure_configured", _(
        "Network, hardware and user accounts configured")
    SELF_ASSESSMENT_DONE = "self_assessment_done", _("Self-assessment done")


class EntryStatus(models.TextChoices):
    """A checklist item's status as set by hand."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ActStatus(models.TextChoices):
    """Where a takeover act stands."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    TRANSFERRED = "transferred", _("Records handed over")


class HandoverCause(models.TextChoices):
    """Why a former municipality's records passed to its successor(s)."""

    APPROVAL = "approval", _("Approved by the county lead")
    REFORM_DATE = "reform_date", _("Reform date reached (automatic, by law)")


class AssessmentStatus(models.TextChoices):
    """A self-assessment is drafted, then submitted (and then kept unchanged)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Maturity(models.IntegerChoices):
    """Maturity levels of a self-assessment answer."""

    NONE = 0, _("0 · Not done")
    INITIAL = 1, _("1 · Ad hoc, depends on people")
    REPEATABLE = 2, _("2 · Done in places, partly documented")
    DEFINED = 3, _("3 · Defined and followed across the municipality")
    MANAGED = 4, _("4 · Measured and improved")


class Area(models.TextChoices):
    """Areas of the self-assessment questionnaire."""

    GOVERNANCE = "governance", _("Governance")
    INVENTORY = "inventory", _("Inventory")
    LICENCES = "licences", _("Licences")
    SECURITY = "security", _("Security")
    CONTINUITY = "continuity", _("Continuity")
    SUPPORT = "support", _("Support")
    COSTS = "costs", _("Costs")
