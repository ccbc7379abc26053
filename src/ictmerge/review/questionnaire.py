"""The self-assessment questionnaire: three questions per area, answered with a maturity level."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ictmerge.review.choices import Area


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire."""

    code: str
    area: Area
    text: str | Promise


QUESTIONS: tuple[Question, ...] = (
    Question("gov_owner", Area.GOVERNANCE,
             _("Is one person or unit accountable for ICT across the whole new municipality?")),
    Question("gov_strategy", Area.GOVERNANCE,
             _("Is there an approved ICT strategy or development plan with priorities?")),
    Question("gov_decisions", Area.GOVERNANCE,
             _("Are ICT purchases and new systems decided centrally against common rules?")),
    Question("inv_register", Area.INVENTORY,
             _("Is every computer, server and network device in one register with its location?")),
    Question("inv_software", Area.INVENTORY,
             _("Is the installed software recorded and normalised to products?")),
    Question("inv_systems", Area.INVENTORY,
             _("Are the information systems recorded with their owner, function and data?")),
    Question("lic_position", Area.LICENCES,
             _("Is the licence position (entitled against installed) known for every product?")),
    Question("lic_proof", Area.LICENCES,
             _("Is there proof of purchase for every licence, and is its transferability known?")),
    Question("lic_renewal", Area.LICENCES,
             _("Are subscriptions and contracts renewed on time, with notice dates tracked?")),
    Question("sec_classes", Area.SECURITY,
             _("Have the systems' security classes been re-assessed for the new municipality?")),
    Question("sec_access", Area.SECURITY,
             _("Are user accounts and access rights managed centrally and reviewed?")),
    Question("sec_incidents", Area.SECURITY,
             _("Are security incidents recorded, handled and reported?")),
    Question("con_backup", Area.CONTINUITY,
             _("Are backups taken, kept apart from their source and tested by restoring?")),
    Question("con_rooms", Area.CONTINUITY,
             _("Do the server rooms in use have cooling, UPS, fire suppression and access control?")),
    Question("con_plan", Area.CONTINUITY,
             _("Is there a continuity plan for the critical systems, and has it been exercised?")),
    Question("sup_desk", Area.SUPPORT,
             _("Is there one service desk for every office and employee?")),
    Question("sup_staff", Area.SUPPORT,
             _("Do the ICT staff have defined roles, substitutes and training?")),
    Question("sup_levels", Area.SUPPORT,
             _("Are service levels agreed with suppliers and the departments, and measured?")),
    Question("cost_budget", Area.COSTS,
             _("Is the ICT budget planned per category and compared with what was spent?")),
    Question("cost_tco", Area.COSTS,
             _("Are total costs (hardware, software, services, staff) known per system?")),
    Question("cost_savings", Area.COSTS,
             _("Have the savings and one-off costs of the merger been estimated and followed?")),
)

BY_CODE = {q.code: q for q in QUESTIONS}


def question_choices() -> list[tuple[str, str | Promise]]:
    """The questions as choices of the answer model (code, text)."""
    return [(q.code, q.text) for q in QUESTIONS]


def questions_of(area: str) -> list[Question]:
    """The questions of one area, in order."""
    return [q for q in QUESTIONS if q.area == area]
