"""The takeover decisions of a new municipality, gathered from the other apps or the inventory.

Rooms and hosts come from the consolidation app and IS migrations from the systems app when
those have decided; otherwise the decisions are derived from the inventory by the stated
rules below, and every derived decision says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from ictmerge.consolidation.services import plan_of_record
from ictmerge.engine.planning.network import sites_to_renumber
from ictmerge.engine.planning.tasks import (
    ComplianceWork,
    ContractNotice,
    HostAction,
    HostDecision,
    LicenceShortfall,
    LicenceTransfer,
    Provisioning,
    RoomDecision,
    SystemMigration,
    TakeoverDecisions,
    TransferKind,
)
from ictmerge.inventory.choices import DeviceKind
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Contract, Device, InformationSystem
from ictmerge.inventory.models import Site as SiteRecord
from ictmerge.reforms.counties import County
from ictmerge.reforms.models import Municipality
from ictmerge.software.services import licence_purchase
from ictmerge.systems.security import documents_due, duties_for, security_for
from ictmerge.systems.services import plan_county

#: Participants per training session (assumption: a classroom of 20).
TRAINEES_PER_SESSION = 20


@dataclass
class DerivedDecisions:
    """The decisions and, per kind, where they come from."""

    decisions: TakeoverDecisions
    basis: dict[str, str] = field(default_factory=dict)


def email_domain_for(county: Municipality) -> str:
    """A proposed e-mail domain: the first word of the name, ASCII, with .lv or the country."""
    word = re.split(r"[\s\-]+", county.name.strip())[0] if county.name.strip() else county.code
    ascii_word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    ascii_word = re.sub(r"[^a-z0-9]", "", ascii_word) or county.code.lower()
    country = (county.reform.country or "lv").lower()
    return f"{ascii_word}.{country}"


def unique_names(names: list[str]) -> list[str]:
    """The names with a counter added to repeats, so that task keys stay unique."""
    seen: dict[str, int] = defaultdict(int)
    result = []
    for name in names:
        seen[name] += 1
        result.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return result


def licence_decisions(county: Municipality) -> tuple[list[LicenceShortfall], list[LicenceTransfer]]:
    """The licences to buy and the transfers to arrange, from the software register's licence
    purchase (software.services.licence_purchase): what the licences that pass to the new
    municipality leave uncovered, for the products its plans keep."""
    purchase = licence_purchase(county)
    buys = [LicenceShortfall(buy.product, buy.quantity, buy.item) for buy in purchase.buys]
    transfers = [LicenceTransfer(t.product, t.quantity, TransferKind(t.rule))
                 for t in purchase.transfers]
    return buys, transfers


def contract_notices(ids: list[int], reform_date: dt.date) -> list[ContractNotice]:
    """Contracts that run past the reform date, cannot pass to the new municipality, and need
    notice (their notice period converted to working days, 5 in 7)."""
    notices = []
    # Named by the predecessor that held the contract before the takeover (handover log).
    names = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "name"))
    contracts = held_before(Contract, ids).filter(assignable=False,
                                                  notice_days__isnull=False).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=reform_date))
    for contract in sorted(contracts, key=lambda c: (names[c.held_by], c.title, c.pk)):
        notices.append(ContractNotice(
            contract=f"{contract.title} ({names[contract.held_by]})",
            notice_days=math.ceil((contract.notice_days or 0) * 5 / 7),
            annual_value_eur=float(contract.annual_value_eur or 0),
            kind=contract.kind,
        ))
    return notices


@dataclass
class Compliance:
    """The security documents and the duties of the law of the plan's date, and its basis."""

    documents: list[ComplianceWork]
    duties: list[ComplianceWork]
    basis: str


def compliance_work(county: Municipality, planned_until: dt.date) -> Compliance:
    """The documents the kept systems' classes require (one task per class and document,
    sized by the systems) and the organisation's duties in force by `planned_until`.

    A duty whose statutory deadline passed before the plan is planned by `planned_until`:
    the new municipality is a new entity, and no deadline for new entities was found.
    """
    result = plan_county(county)
    security = security_for(county, result=result)
    grouped: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for needed in documents_due(security, result):
        grouped[(needed.item.code, needed.document.code)].append(needed)
    documents = []
    for items in grouped.values():
        first = items[0]
        source = first.document.source
        documents.append(ComplianceWork(
            title=f"{first.document.name_en} of {len(items)} {first.item.label_en}"
                  f"{'s' if len(items) > 1 else ''}",
            source=f"{source.citation()}, {source.status.value}", units=len(items),
            due=planned_until))
    duties = []
    for duty in duties_for(county, planned_until):
        source = duty.source
        deadline = duty.deadline
        due: dt.date
        if deadline is None:
            due, note = planned_until, "no deadline found in the act (unconfirmed): the reform date"
        elif deadline < planned_until:
            due, note = planned_until, (f"statutory {deadline.isoformat()} passed; a new "
                                        "entity's deadline unconfirmed: the reform date")
        else:
            due, note = deadline, ""
        duties.append(ComplianceWork(title=duty.name_en,
                                     source=f"{source.citation()}, {source.status.value}",
                                     due=due, due_note=note))
    basis = (f"the security classes of the kept systems under {security.rules.name} "
             f"({security.why}); {len(duties)} duties of the law in force by "
             f"{planned_until.isoformat()}")
    return Compliance(documents, duties, basis)


def _system_migrations_from_app(county: Municipality) -> list[SystemMigration] | None:
    """Systems to retire per the systems app's plan, if that app offers one."""
    try:
        result: Any = plan_county(county)
        return [SystemMigration(str(result.label(key)), training_sessions=1)
                for item in result.functions for key in item.decision.eliminated_ids]
    except (AttributeError, TypeError, ValueError):
        return None


def system_migrations_from_inventory(ids: list[int]) -> list[SystemMigration]:
    """Per function, keep the product with the most users; every other system migrates."""
    by_function: dict[int, list[InformationSystem]] = defaultdict(list)
    for system in held_before(InformationSystem, ids).order_by("pk"):
        by_function[system.function_id].append(system)
    migrations = []
    for function_id in sorted(by_function):
        systems = by_function[function_id]
        users: dict[str, int] = defaultdict(int)
        for system in systems:
            users[(system.product or system.name).casefold()] += system.users or 0
        if len(users) < 2:
            continue
        kept = min(users, key=lambda p: (-users[p], p))
        for system in systems:
            if (system.product or system.name).casefold() != kept:
                sessions = max(1, math.ceil((system.users or 0) / TRAINEES_PER_SESSION))
                migrations.append(SystemMigration(
                    f"{system.name} ({system.municipality.name})", training_sessions=sessions))
    return migrations


@dataclass
class ConsolidationDecisions:
    """Rooms and hosts of the consolidation plan that speaks for the county."""

    scenario: str
    rooms: list[RoomDecision]
    hosts: list[HostDecision]
    kept_room_pks: set[int]


def consolidation_decisions(county: Municipality) -> ConsolidationDecisions | None:
    """Rooms kept or closed and hosts bought or moved, from the county's consolidation plan of
    record (consolidation.services.plan_of_record); None when there is none.

    Own rooms kept are brought up to standard (assumption: each needs works); external rooms
    rented need no works; a reused server is moved when its plan room is not its room now.
    """
    scenario = plan_of_record(county)
    result = scenario.result if scenario is not None else None
    if not isinstance(result, dict) or not result.get("rooms"):
        return None
    labels: dict[str, str] = {}
    raw = [str(room.get("name", room.get("id", "?"))) for room in result["rooms"]]
    for room, name in zip(result["rooms"], unique_names(raw), strict=True):
        labels[str(room.get("id"))] = name
    rooms: list[RoomDecision] = []
    kept_pks: set[int] = set()
    for room in result["rooms"]:
        label = labels[str(room.get("id"))]
        if room.get("kept"):
            rooms.append(RoomDecision(label, keep=True, needs_upgrade=not room.get("is_external"),
                                      annual_running_cost_eur=room.get("annual_cost_eur")))
            if room.get("pk"):
                kept_pks.add(int(room["pk"]))
        elif not room.get("is_external"):
            rooms.append(RoomDecision(label, keep=False))
    server_rooms = {}
    ids = County.of(county).ids
    # The consolidation plan names a server by the predecessor that held it (handover log).
    names = dict(Municipality.objects.filter(pk__in=ids).values_list("pk", "name"))
    for device in held_before(Device, ids).filter(kind=DeviceKind.SERVER, room__isnull=False):
        server_rooms[f"{device.name} ({names[device.held_by]})"] = device.room_id
    pk_labels = {int(r["pk"]): labels[str(r.get("id"))] for r in result["rooms"] if r.get("pk")}
    hosts: list[HostDecision] = []
    for host in result.get("hosts", []):
        target = labels.get(str(host.get("room")), str(host.get("room_name", host.get("room"))))
        reused = host.get("reused_server")
        if not reused:
            hosts.append(HostDecision(str(host.get("id")), HostAction.BUY, target))
            continue
        source_pk = server_rooms.get(str(reused))
        source = pk_labels.get(source_pk) if source_pk is not None else None
        if source != target:
            hosts.append(HostDecision(str(reused), HostAction.MOVE, target, source))
    return ConsolidationDecisions(scenario.name if scenario else "", rooms, hosts, kept_pks)


def derive_decisions(county: Municipality, email_domain: str | None = None) -> DerivedDecisions:
    """Everything decided so far for the county, as the engine's decisions."""
    ids = County.of(county).ids
    reform_date = county.reform.effective_date
    basis: dict[str, str] = {}
    computers = held_before(Device, ids).filter(kind__in=DeviceKind.COMPUTER_KINDS).count()
    site_count = held_before(SiteRecord, ids).count()
    systems = _system_migrations_from_app(county)
    if systems is None:
        systems = system_migrations_from_inventory(ids)
        basis["systems"] = ("derived from the inventory: per function the product with the most "
                            "users is kept and every other system migrates (no IS plan yet)")
    else:
        basis["systems"] = "the systems app's plan (decided or recommended per function)"
    consolidation = consolidation_decisions(county)
    if consolidation is None:
        basis["rooms"] = ("no consolidation plan yet: rooms and hosts are not in the action "
                          "plan until the server consolidation is computed")
    else:
        basis["rooms"] = (f"the consolidation scenario “{consolidation.scenario}” (the plan of "
                          f"record: chosen, else the latest computed): {len(consolidation.rooms)} rooms kept or "
                          f"closed, {len(consolidation.hosts)} hosts bought or moved")
    from ictmerge.planning.accounts import county_accounts

    accounts = county_accounts(county)
    basis["licences"] = ("the software register's licence purchase: installations of licensable "
                         "products against the licences that pass to the new municipality (OEM "
                         "with the device, volume by the vendor's transfer, subscriptions "
                         "re-tenanted), nothing for products the portfolio or the IS plan "
                         "retires")
    licence_buys, licence_transfers = licence_decisions(county)
    basis["contracts"] = ("contracts ending after the reform date (or open-ended) that cannot "
                          "pass to the new municipality; notice days × 5/7 as working days")
    without = [s.former.pk for s in accounts.lists if s.basis == "none"]
    unlisted = held_before(Device, without).filter(kind__in=DeviceKind.COMPUTER_KINDS).count()
    employees = accounts.employees + unlisted
    staff_basis = (f"the account plan: {accounts.employees} accounts from the predecessors' "
                   "user lists" + (" (generated demo lists)" if accounts.is_demo else ""))
    if without:
        staff_basis += (f", plus one account per computer ({unlisted}) of the {len(without)} "
                        "predecessors without a user list (assumption)")
    links = tuple((link.a, link.z) for link in accounts.network.links)
    basis["provisioning"] = (
        f"{staff_basis}, the network plan's {len(links)} links and "
        f"{len(sites_to_renumber(accounts.network))} sites to renumber, every computer "
        f"re-enrolled, a "
        f"central help desk, one training session per {TRAINEES_PER_SESSION} employees")
    systems = [dataclasses.replace(m, system=name) for m, name in
               zip(systems, unique_names([m.system for m in systems]), strict=True)]
    contracts = contract_notices(ids, reform_date)
    contracts = [dataclasses.replace(c, contract=name) for c, name in
                 zip(contracts, unique_names([c.contract for c in contracts]), strict=True)]
    link_names = unique_names([f"{a} – {z}" for a, z in links])
    links = tuple(link for link, name in zip(links, link_names, strict=True)
                  if not name.endswith(tuple(f" #{n}" for n in range(2, 1000))))
    compliance = compliance_work(county, reform_date)
    basis["security"] = compliance.basis
    decisions = TakeoverDecisions(
        security_documents=tuple(compliance.documents), duties=tuple(compliance.duties),
        rooms=tuple(consolidation.rooms) if consolidation else (),
        hosts=tuple(consolidation.hosts) if consolidation else (), systems=tuple(systems),
        licence_shortfalls=tuple(licence_buys),
        licence_transfers=tuple(licence_transfers),
        contracts=tuple(contracts),
        provisioning=Provisioning(
            employees=employees,
            email_domain=email_domain or accounts.domain,
            sites=site_count,
            network_links=links,
            sites_to_renumber=tuple(sites_to_renumber(accounts.network)),
            devices_to_reenrol=computers,
            help_desk=employees > 0,
            training_sessions=math.ceil(employees / TRAINEES_PER_SESSION),
        ),
    )
    return DerivedDecisions(decisions, basis)
