"""Action-plan tasks generated from the takeover decisions, from editable templates."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from importlib import resources
from typing import Any

from ictmerge.engine.explain import DEFINITIONS, Explanation, Number, Param, define, explain
from ictmerge.engine.planning.scheduling import ScheduleTask, SchedulingProblem


class Phase(StrEnum):
    """The four phases of the takeover."""

    DISCOVERY = "discovery"
    PLANNING = "planning"
    PROVISION = "provision"
    REVIEW = "review"


class Role(StrEnum):
    """Who does a task; each role has a capacity in the schedule."""

    ICT_LEAD = "ict_lead"
    SYSADMIN = "sysadmin"
    NETWORK_ENGINEER = "network_engineer"
    SUPPORT_TECHNICIAN = "support_technician"
    DATA_STEWARD = "data_steward"
    PROCUREMENT_LEGAL = "procurement_legal"
    SUPPLIER = "supplier"
    TRAINER = "trainer"
    # A waiting period (e.g. a contract's notice) that holds no one.
    NONE = ""


class CostPer(StrEnum):
    """Whether a template's cost items count once per task or once per unit."""

    TASK = "task"
    UNIT = "unit"


# In a template's cost_items: use the catalogue item named by the decision.
DECISION_ITEM = "@decision"


@dataclass(frozen=True)
class TaskTemplate:
    """How one kind of task is sized, staffed, priced and ordered."""

    key: str
    phase: Phase
    title: str
    role: Role
    staff: int
    base_days: float
    days_per_unit: float
    cost_items: tuple[str, ...] = ()
    cost_per: CostPer = CostPer.TASK
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class CostUse:
    """A catalogue item and how many of it a task consumes."""

    item: str
    quantity: float


@dataclass(frozen=True)
class PlannedTask:
    """One task of the action plan."""

    key: str
    template: str
    phase: Phase
    title: str
    role: Role
    staff: int
    duration_days: int
    depends_on: tuple[str, ...]
    cost_uses: tuple[CostUse, ...]
    # Review work is done after the reform date on purpose.
    deadline_applies: bool
    origin: str
    #: The title as a code and parameters, shown in the reader's language; None when the
    #: title comes from an edited template (it is then shown as written).
    title_explanation: Explanation | None = None


@dataclass(frozen=True)
class RoomDecision:
    """A server room kept (and brought up to standard) or closed."""

    room: str
    keep: bool
    needs_upgrade: bool = True
    annual_running_cost_eur: float | None = None


class HostAction(StrEnum):
    """What happens to a server."""

    BUY = "buy"
    MOVE = "move"


@dataclass(frozen=True)
class HostDecision:
    """A server bought for a room, or moved from one room to another."""

    host: str
    action: HostAction
    target_room: str
    source_room: str | None = None


@dataclass(frozen=True)
class SystemMigration:
    """An information system migrated to the chosen one (or changed for the reform)."""

    system: str
    training_sessions: int = 0


@dataclass(frozen=True)
class LicenceShortfall:
    """Licences to buy for a product, priced by a catalogue item."""

    product: str
    quantity: int
    catalogue_item: str = "licence.generic"


class TransferKind(StrEnum):
    """How licences that pass to the new municipality get there by a task."""

    VENDOR_TRANSFER = "vendor_transfer"  # a volume licence: the vendor's transfer
    RETENANT = "retenant"  # a subscription: moved to the new tenant


@dataclass(frozen=True)
class LicenceTransfer:
    """Licences of a product that pass by a task, with nothing to buy."""

    product: str
    quantity: int
    kind: TransferKind


@dataclass(frozen=True)
class ContractNotice:
    """A contract to end or renegotiate, with its notice period in working days."""

    contract: str
    notice_days: int
    annual_value_eur: float = 0.0
    #: The contract register's kind (outsourcing, hosting, licence, …); "" when unknown.
    kind: str = ""


@dataclass(frozen=True)
class Provisioning:
    """The new municipality's own set-up work."""

    employees: int = 0
    email_domain: str | None = None
    sites: int = 0
    network_links: tuple[tuple[str, str], ...] = ()
    # Sites whose address range overlaps another predecessor's and must change.
    sites_to_renumber: tuple[str, ...] = ()
    devices_to_reenrol: int = 0
    help_desk: bool = False
    training_sessions: int = 0


@dataclass(frozen=True)
class ComplianceWork:
    """A document or duty the law of the plan's date requires, with its source and deadline.

    `units` is the number of systems a document is needed for (0 for a duty of the
    organisation); `due_note` says where the deadline comes from when it is not the act's.
    """

    title: str
    source: str
    units: int = 0
    due: date | None = None
    due_note: str = ""

    def subject(self) -> str:
        """The task's subject: what, its source, and when it is due."""
        due = f"; due {self.due.isoformat()}" if self.due else ""
        note = f" ({self.due_note})" if self.due_note else ""
        return f"{self.title} [{self.source}{due}{note}]"


@dataclass(frozen=True)
class TakeoverDecisions:
    """Everything decided in planning that turns into work."""

    rooms: Sequence[RoomDecision] = ()
    hosts: Sequence[HostDecision] = ()
    systems: Sequence[SystemMigration] = ()
    licence_shortfalls: Sequence[LicenceShortfall] = ()
    licence_transfers: Sequence[LicenceTransfer] = ()
    contracts: Sequence[ContractNotice] = ()
    provisioning: Provisioning = field(default_factory=Provisioning)
    # The security documents of the kept systems' classes and the organisation's duties.
    security_documents: Sequence[ComplianceWork] = ()
    duties: Sequence[ComplianceWork] = ()


def _shipped_templates() -> Any:
    text = resources.files("ictmerge.engine.planning").joinpath("data/task_templates.json")
    return json.loads(text.read_text(encoding="utf-8"))


def _title_text(title: str) -> str:
    """A template's title with %-placeholders: "Procure {units} licences" → "… %(units)s …"."""
    return title.replace("%", "%%").replace("{subject}", "%(subject)s").replace(
        "{units}", "%(units)s")


def title_code(template_key: str) -> str:
    """The explanation code of a template's title."""
    return f"task.{template_key}"


# The shipped templates' titles are declared codes, so that the web layer translates them.
for _row in _shipped_templates()["templates"]:
    define(title_code(_row["key"]), _title_text(_row["title"]))
#: The title of one part of a task split for several people.
TASK_PART = define("task.part", "%(title)s (%(part)s/%(parts)s)")


def title_explanation(template: TaskTemplate, subject: str, units: float) -> Explanation | None:
    """The title of a task as a code with parameters; None if the template's title is not the
    shipped one (an edited template: its title is shown as written)."""
    definition = DEFINITIONS.get(title_code(template.key))
    if definition is None or definition.singular != _title_text(template.title):
        return None
    amount: Param = int(units) if float(units).is_integer() else Number(units, 1)
    values: dict[str, Param] = {"subject": subject, "units": amount}
    return Explanation(definition.code,
                       {name: values[name] for name in sorted(definition.placeholders)})


def load_templates(data: Mapping[str, Any] | None = None) -> dict[str, TaskTemplate]:
    """Templates by key, from the shipped JSON or from an edited copy of it."""
    if data is None:
        data = _shipped_templates()
    templates: dict[str, TaskTemplate] = {}
    for row in data["templates"]:
        try:
            template = TaskTemplate(
                key=row["key"],
                phase=Phase(row["phase"]),
                title=row["title"],
                role=Role(row["role"]),
                staff=int(row["staff"]),
                base_days=float(row["base_days"]),
                days_per_unit=float(row["days_per_unit"]),
                cost_items=tuple(row.get("cost_items", ())),
                cost_per=CostPer(row.get("cost_per", "task")),
                depends_on=tuple(row.get("depends_on", ())),
            )
        except (KeyError, ValueError) as error:
            raise ValueError(f"task template {row.get('key', '?')!r}: {error}") from error
        templates[template.key] = template
    return templates


class _Builder:
    """Instantiates templates and collects tasks in generation order."""

    def __init__(self, templates: Mapping[str, TaskTemplate]) -> None:
        self.templates = templates
        self.tasks: list[PlannedTask] = []
        self.extra_deps: dict[str, list[str]] = {}

    def add(
        self,
        template_key: str,
        origin: str,
        subject: str = "",
        units: float = 0,
        decision_item: str | None = None,
        after: Sequence[str] = (),
    ) -> str:
        """Create one task; `after` adds task keys it must wait for besides its template's."""
        t = self.templates[template_key]
        key = f"{template_key}:{subject}" if subject else template_key
        days = t.base_days + t.days_per_unit * units
        duration = math.ceil(days - 1e-9) if t.role is Role.NONE else max(1, math.ceil(days - 1e-9))
        quantity = units if t.cost_per is CostPer.UNIT else 1.0
        explained = title_explanation(t, subject, units)
        uses = tuple(
            CostUse(decision_item if item == DECISION_ITEM and decision_item else item, quantity)
            for item in t.cost_items
            if item != DECISION_ITEM or decision_item
        )
        self.tasks.append(
            PlannedTask(
                key=key,
                template=template_key,
                phase=t.phase,
                # The English title reads as the explanation does (1,200 employees).
                title=str(explained) if explained else t.title.format(subject=subject,
                                                                      units=f"{units:g}"),
                role=t.role,
                staff=t.staff if t.role is not Role.NONE else 0,
                duration_days=duration,
                depends_on=(),
                cost_uses=uses,
                deadline_applies=t.phase is not Phase.REVIEW,
                origin=origin,
                title_explanation=explained,
            )
        )
        self.extra_deps[key] = list(after)
        return key

    def resolve(self) -> list[PlannedTask]:
        """Fill in dependencies: template-level ones (with '*' prefixes) plus explicit ones."""
        by_template: dict[str, list[str]] = {}
        for task in self.tasks:
            by_template.setdefault(task.template, []).append(task.key)
        resolved: list[PlannedTask] = []
        for task in self.tasks:
            deps: list[str] = []
            for pattern in self.templates[task.template].depends_on:
                for template_key, keys in by_template.items():
                    matches = (
                        template_key.startswith(pattern[:-1])
                        if pattern.endswith("*")
                        else template_key == pattern
                    )
                    if matches and template_key != task.template:
                        deps.extend(keys)
            deps.extend(self.extra_deps[task.key])
            unique = tuple(dict.fromkeys(d for d in deps if d != task.key))
            resolved.append(PlannedTask(**{**task.__dict__, "depends_on": unique}))
        return resolved


def generate_tasks(
    decisions: TakeoverDecisions, templates: Mapping[str, TaskTemplate] | None = None
) -> list[PlannedTask]:
    """Turn the decisions into the action plan's tasks with their dependencies."""
    b = _Builder(templates or load_templates())
    prov = decisions.provisioning
    b.add("discovery.software_register", "always")
    b.add("discovery.resource_inventory", "always", units=max(prov.sites, 1))
    b.add("discovery.contracts_and_evidence", "always")
    b.add("planning.target_architecture", "always")
    b.add("planning.governance", "always")
    for contract in decisions.contracts:
        notice = b.add("planning.contract_notice", "contract", contract.contract)
        b.add(
            "planning.notice_period",
            "contract",
            contract.contract,
            units=contract.notice_days,
            after=[notice],
        )
    for shortfall in decisions.licence_shortfalls:
        b.add(
            "planning.licence_procurement",
            "licence shortfall",
            shortfall.product,
            units=shortfall.quantity,
            decision_item=shortfall.catalogue_item,
        )
    for transfer in decisions.licence_transfers:
        b.add(
            "planning.licence_transfer"
            if transfer.kind is TransferKind.VENDOR_TRANSFER
            else "planning.licence_retenant",
            "licence transfer",
            transfer.product,
            units=transfer.quantity,
        )
    _add_rooms_and_hosts(b, decisions)
    for document in decisions.security_documents:
        b.add(
            "planning.security_document", "security class", document.subject(), units=document.units
        )
    for duty in decisions.duties:
        b.add("planning.cyber_duty", "cybersecurity law", duty.subject())
    for system in decisions.systems:
        b.add("planning.migration_plan", "system migrated", system.system)
    if prov.employees:
        b.add("provision.directory", "provisioning", units=prov.employees)
    if prov.email_domain:
        b.add("provision.email_domain", "provisioning", prov.email_domain, units=prov.employees)
    for a, z in prov.network_links:
        b.add("provision.network_link", "network link", f"{a} – {z}")
    for site in prov.sites_to_renumber:
        b.add("provision.renumber", "address range overlap", site)
    if prov.devices_to_reenrol:
        b.add("provision.device_reenrolment", "provisioning", units=prov.devices_to_reenrol)
    if prov.help_desk:
        b.add("provision.help_desk", "provisioning", units=prov.employees)
    for system in decisions.systems:
        b.add("provision.system_migration", "system migrated", system.system)
    sessions = prov.training_sessions + sum(s.training_sessions for s in decisions.systems)
    if sessions:
        b.add("provision.training", "training", units=sessions)
    b.add("review.indicators", "always")
    b.add("review.self_assessment", "always")
    return b.resolve()


def _add_rooms_and_hosts(b: _Builder, decisions: TakeoverDecisions) -> None:
    """Rooms are prepared before hosts arrive, and closed only after every host has left."""
    upgrades: dict[str, str] = {}
    for room in decisions.rooms:
        if room.keep and room.needs_upgrade:
            upgrades[room.room] = b.add("provision.room_upgrade", "room kept", room.room)
    bought: dict[str, int] = {}
    for host in decisions.hosts:
        if host.action is HostAction.BUY:
            bought[host.target_room] = bought.get(host.target_room, 0) + 1
    for room_name, count in sorted(bought.items()):
        procurement = b.add("provision.host_procurement", "hosts bought", room_name, units=count)
        ready = [k for k in (upgrades.get(room_name),) if k]
        b.add(
            "provision.host_install",
            "hosts bought",
            room_name,
            units=count,
            after=[procurement, *ready],
        )
    moves_from: dict[str, list[str]] = {}
    for host in decisions.hosts:
        if host.action is HostAction.MOVE:
            ready = [k for k in (upgrades.get(host.target_room),) if k]
            key = b.add(
                "provision.host_move",
                "host moved",
                f"{host.host} to {host.target_room}",
                after=ready,
            )
            if host.source_room:
                moves_from.setdefault(host.source_room, []).append(key)
    for room in decisions.rooms:
        if not room.keep:
            b.add(
                "provision.room_close",
                "room closed",
                room.room,
                after=moves_from.get(room.room, []),
            )


def to_scheduling_problem(
    tasks: Sequence[PlannedTask], capacities: Mapping[Role, int], deadline_days: int | None
) -> SchedulingProblem:
    """The scheduler's view of the plan: durations, dependencies, staff per role.

    A task needing more people than its role has is stretched to the same person-days
    with the whole role (2 technicians × 10 days becomes 1 × 20), not rejected.
    """
    schedule_tasks: list[ScheduleTask] = []
    for task in tasks:
        demands: dict[str, int] = {}
        duration = task.duration_days
        if task.role is not Role.NONE and task.staff > 0:
            available = capacities.get(task.role, 0)
            staff = min(task.staff, available) if available > 0 else task.staff
            duration = math.ceil(task.duration_days * task.staff / staff)
            demands[task.role.value] = staff
        schedule_tasks.append(
            ScheduleTask(
                task_id=task.key,
                duration=duration,
                predecessors=task.depends_on,
                demands=demands,
                deadline_applies=task.deadline_applies,
            )
        )
    return SchedulingProblem(
        tasks=schedule_tasks,
        capacities={role.value: amount for role, amount in capacities.items()},
        deadline=deadline_days,
    )


def working_days_between(start: date, end: date, holidays: frozenset[date] = frozenset()) -> int:
    """Working days (Monday–Friday, not holidays) from start up to but not including end."""
    days = 0
    current = start
    while current < end:
        if current.weekday() < 5 and current not in holidays:
            days += 1
        current += timedelta(days=1)
    return days


def add_working_days(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    """The date on which working day number `days` (0-based) after start begins."""
    current = start
    while current.weekday() >= 5 or current in holidays:
        current += timedelta(days=1)
    for _ in range(days):
        current += timedelta(days=1)
        while current.weekday() >= 5 or current in holidays:
            current += timedelta(days=1)
    return current


def calendar_dates(
    starts: Mapping[str, int],
    ends: Mapping[str, int],
    project_start: date,
    holidays: frozenset[date] = frozenset(),
) -> dict[str, tuple[date, date]]:
    """First and last working date of each scheduled task (a 0-day task gets its start twice)."""
    dates: dict[str, tuple[date, date]] = {}
    for key, start in starts.items():
        first = add_working_days(project_start, start, holidays)
        last = add_working_days(project_start, max(start, ends[key] - 1), holidays)
        dates[key] = (first, last)
    return dates


def explain_written_title(template: TaskTemplate, title: str) -> Explanation | None:
    """The explanation of a title written by an earlier version (English text only), or None
    if it does not read as the template's title (edited by hand)."""
    pattern = re.escape(template.title).replace(r"\{subject\}", "(?P<subject>.*?)").replace(
        r"\{units\}", r"(?P<units>\d+(?:\.\d+)?)")
    match = re.fullmatch(pattern + r"(?: \((?P<part>\d+)/(?P<parts>\d+)\))?", title)
    if match is None:
        return None
    found = match.groupdict()
    explained = title_explanation(template, found.get("subject") or "",
                                  float(found.get("units") or 0))
    if explained is None or not found.get("part"):
        return explained
    return explain(TASK_PART, title=explained, part=int(found["part"]),
                   parts=int(found["parts"]))
