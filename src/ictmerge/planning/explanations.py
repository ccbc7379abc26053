"""The messages of the action plan's generated task titles (codes "task." + template key)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ictmerge.core.explanations import Plural, register

# A title that counts something has the plural forms of the language (Latvian has three).
register({
    "task.discovery.software_register": _("Update the software register"),
    "task.discovery.resource_inventory": Plural("Find every ICT resource to take over at %(units)s site",
        "Find every ICT resource to take over at %(units)s sites", "units"),
    "task.discovery.contracts_and_evidence": _("Collect contracts, licences and their justification documents"),
    "task.planning.target_architecture": _("Approve target servers, rooms and information systems"),
    "task.planning.governance": _("Decide the ICT governance model and staffing"),
    "task.planning.contract_notice": _("Give notice on contract %(subject)s"),
    "task.planning.notice_period": Plural("Notice period of contract %(subject)s (%(units)s working day)",
        "Notice period of contract %(subject)s (%(units)s working days)", "units"),
    "task.planning.licence_procurement": Plural("Procure %(units)s licence of %(subject)s",
        "Procure %(units)s licences of %(subject)s", "units"),
    "task.planning.licence_transfer": Plural(
        "Have the vendor transfer %(units)s volume licence of %(subject)s to the new municipality",
        "Have the vendor transfer %(units)s volume licences of %(subject)s to the new municipality",
        "units"),
    "task.planning.licence_retenant": Plural(
        "Move %(units)s subscription of %(subject)s to the new municipality's tenant",
        "Move %(units)s subscriptions of %(subject)s to the new municipality's tenant", "units"),
    "task.planning.migration_plan": _("Plan the migration of %(subject)s"),
    # The subject names the document or duty, its source and deadline (issue 22).
    "task.planning.security_document": _("Prepare the %(subject)s"),
    "task.planning.cyber_duty": _("%(subject)s"),
    "task.provision.room_upgrade": _("Prepare kept server room %(subject)s"),
    "task.provision.host_procurement": Plural("Procure %(units)s server for %(subject)s",
        "Procure %(units)s servers for %(subject)s", "units"),
    "task.provision.host_install": Plural("Install %(units)s new server in %(subject)s",
        "Install %(units)s new servers in %(subject)s", "units"),
    "task.provision.host_move": _("Move server %(subject)s"),
    "task.provision.room_close": _("Close server room %(subject)s"),
    "task.provision.directory": Plural("Set up the directory and accounts for %(units)s employee",
        "Set up the directory and accounts for %(units)s employees", "units"),
    "task.provision.email_domain": Plural("Move e-mail of %(units)s employee to %(subject)s",
        "Move e-mail of %(units)s employees to %(subject)s", "units"),
    "task.provision.network_link": _("Connect %(subject)s"),
    "task.provision.renumber": _("Renumber the network of %(subject)s"),
    "task.provision.device_reenrolment": Plural("Re-enrol %(units)s device into the new directory",
        "Re-enrol %(units)s devices into the new directory", "units"),
    "task.provision.help_desk": _("Set up the help desk"),
    "task.provision.system_migration": _("Migrate %(subject)s"),
    "task.provision.training": Plural("Train staff: %(units)s session",
        "Train staff: %(units)s sessions", "units"),
    "task.review.indicators": _("Record before/after indicators"),
    "task.review.self_assessment": _("Self-assess the takeover"),
    "task.part": _("%(title)s (%(part)s/%(parts)s)"),
})

# The descriptions of the budget's lines (engine/planning/budget.py).
register({
    "budget.task_line": _("%(task)s: %(item)s"),
    "budget.room_saved": _("Running cost saved: server room %(room)s"),
    "budget.contract_ended": _("Contract ended: %(contract)s"),
    "budget.consolidation_line": _("Servers and rooms: %(line)s (consolidation)"),
    "budget.support_staff": _("Support staff (%(model)s): %(sign)s%(fte)s FTE against today's "
                              "%(today)s"),
    "budget.support_travel": _("Travel of the support staff (%(model)s)"),
    "budget.support_fees": _("External support fees (%(model)s)"),
    "budget.support_contracts_replaced": _(
        "Support contracts replaced by the external fees (%(model)s)"),
})
