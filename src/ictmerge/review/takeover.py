"""The takeover act: what a former municipality hands over, what is missing, and the handover.

On approval by the county lead of every successor, or on the reform date whatever the act's
state (`handover_due`: the law passes them; the act's contents are approved later), the
former municipality's records pass to the successor. Each move is written to the change history (before and after) and to the
handover log, so that the before/after views still know who owned what before the reform.
A municipality split between successors has its records divided by the recorded part:
a record whose site names one part's place goes to that part's successor; what cannot be
divided that way is put on the act's review list for the county leads to assign.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ictmerge.core import scoping
from ictmerge.core.choices import ChangeAction, Role
from ictmerge.core.history import _change_record, acting_as, caused_by, snapshot
from ictmerge.core.models import ChangeRecord
from ictmerge.inventory.choices import DeviceKind, RoomOperation
from ictmerge.inventory.ledger import held_before, label
from ictmerge.inventory.models import (
    Contract,
    Device,
    Handover,
    InformationSystem,
    Installation,
    Licence,
    ServerRoom,
    Site,
    Workload,
)
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import successions_from
from ictmerge.reforms.models import Municipality, Succession
from ictmerge.review.choices import ActStatus, HandoverCause
from ictmerge.review.models import TakeoverAct
from ictmerge.review.payloads import (
    ActContents,
    ActProblem,
    ActResourceCount,
    DueHandoverPayload,
    ReviewEntry,
)
from ictmerge.review.services import ReviewError

#: What passes to the successor, in an order that keeps references within one owner.
#: Finance rows stay with the former municipality: they are its history.
TRANSFERRED: tuple[type[models.Model], ...] = (Site, ServerRoom, Device, Workload,
                                               Installation, Contract, Licence,
                                               InformationSystem)

#: Words naming a kind of place rather than a place; they do not tell the parts apart.
GENERIC_WORDS = {"pagasts", "pagasti", "pilsēta", "pilsētas", "novads", "parish", "town",
                 "city", "village", "municipality", "district", "vald", "linn", "whole"}


def ensure_act(former: Municipality) -> TakeoverAct:
    """The former municipality's act, created as a draft when it has none."""
    act, _created = TakeoverAct.objects.get_or_create(former=former)
    return act


def successions_of(act: TakeoverAct) -> list[Succession]:
    """The successions of the act's former municipality (two or more for a split)."""
    return successions_from([act.former], by_name=True).get(act.former.pk, [])


#: The kinds of record an act hands over: key → (label, model, filter, exclusion).
ACT_RECORD_KINDS: dict[str, tuple[Any, type[models.Model], dict[str, Any], dict[str, Any]]] = {
    "computers": (gettext_lazy("Computers"), Device, {"kind__in": DeviceKind.COMPUTER_KINDS}, {}),
    "servers": (gettext_lazy("Servers"), Device, {"kind": DeviceKind.SERVER}, {}),
    "other_equipment": (gettext_lazy("Other equipment"), Device, {},
                        {"kind__in": (*DeviceKind.COMPUTER_KINDS, DeviceKind.SERVER)}),
    "sites": (gettext_lazy("Sites"), Site, {}, {}),
    "server_rooms": (gettext_lazy("Server rooms"), ServerRoom, {}, {}),
    "installations": (gettext_lazy("Installed software (rows)"), Installation, {}, {}),
    "licences": (gettext_lazy("Licences"), Licence, {}, {}),
    "contracts": (gettext_lazy("Contracts"), Contract, {}, {}),
    "information_systems": (gettext_lazy("Information systems"), InformationSystem, {}, {}),
}


def act_records(former_id: int, key: str) -> QuerySet[Any]:
    """The records of one kind (ACT_RECORD_KINDS) the former municipality held, wherever
    they are now (KeyError for an unknown kind)."""
    _label, model, include, exclude = ACT_RECORD_KINDS[key]
    return held_before(model, [former_id]).filter(**include).exclude(**exclude)


def act_contents(act: TakeoverAct) -> ActContents:
    """The resources handed over, counted, and what is missing, listed."""
    ids = [act.former_id]
    # After the handover the records belong to the successor: the act keeps listing what
    # the former municipality held, from the handover log.
    devices = held_before(Device, ids)
    resources: list[ActResourceCount] = [{"key": key, "label": label, "count": act_records(act.former_id, key).count()}
                 for key, (label, _model, _include, _exclude) in ACT_RECORD_KINDS.items()]
    missing = [
        ("devices_unlocated", _("devices without a site or server room"),
         devices.filter(site__isnull=True, room__isnull=True).count()),
        ("licences_without_proof", _("licences without proof of purchase"),
         held_before(Licence, ids).filter(proof="", proof_reference="").count()),
        ("licences_not_transferable", _("licences that may not pass to the new municipality"),
         held_before(Licence, ids).filter(transferable=False).count()),
        ("contracts_not_assignable", _("contracts that may not be assigned"),
         held_before(Contract, ids).filter(assignable=False).count()),
        ("rooms_without_contract", _("server rooms run by others without their contract"),
         held_before(ServerRoom, ids).filter(contract__isnull=True)
         .exclude(operation=RoomOperation.OWN).count()),
        ("systems_without_class", _("information systems without a security class"),
         held_before(InformationSystem, ids).filter(security_class="").count()),
        ("titles_not_normalised", _("installed titles not normalised to a product"),
         held_before(Installation, ids).filter(product__isnull=True).count()),
    ]
    problems: list[ActProblem] = [{"key": key, "problem": str(text), "count": n}
                                  for key, text, n in missing if n]
    if not act.data_handed_over.strip():
        problems.append({"key": "no_data_listed",
                         "problem": _("no databases or archives listed as handed over"),
                         "count": 1})
    if not act.documents.strip():
        problems.append({"key": "no_documents_listed",
                         "problem": _("no justification documents listed as handed over"),
                         "count": 1})
    return {"resources": resources, "missing": problems,
            "handed_over": Handover.objects.filter(act=act).count() if act.pk else 0,
            "data": [line for line in act.data_handed_over.splitlines() if line.strip()],
            "documents": [line for line in act.documents.splitlines() if line.strip()]}


def may_approve(user: Any, new: Municipality) -> bool:
    """A county lead of the successor, or an administrator, approves its takeover."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    membership = getattr(user, "membership", None)
    return bool(membership is not None and membership.role == Role.COUNTY_LEAD
                and membership.municipality_id == new.pk
                and scoping.may_change_municipality(user, new.pk))


@transaction.atomic
def approve(user: Any, act: TakeoverAct) -> TakeoverAct:
    """Record the user's approval for their successor(s); hand over once all have approved."""
    act = TakeoverAct.objects.select_for_update().get(pk=act.pk)
    # An act handed over on the reform date still waits for its approval (approved_at).
    if act.approved_at is not None or act.status == ActStatus.APPROVED:
        raise ReviewError(_("This act is already approved."))
    successions = successions_of(act)
    if not successions:
        raise ReviewError(_("%(name)s has no successor in the reform.")
                          % {"name": act.former.name})
    approving = [s.new for s in successions if may_approve(user, s.new)]
    if not approving:
        raise ReviewError(_("Only the county lead of a successor approves the takeover act."))
    done = {a["new_id"] for a in act.approvals}
    now = timezone.now()
    for new in approving:
        if new.pk not in done:
            act.approvals = [*act.approvals, {"new_id": new.pk, "new": new.name,
                                              "user": user.get_username(),
                                              "at": now.isoformat()}]
            done.add(new.pk)
    if done >= {s.new_id for s in successions}:
        act.approved_at = now
        if act.status == ActStatus.DRAFT:
            act.status = ActStatus.APPROVED
    with acting_as(user):
        act.save()
    if act.status == ActStatus.APPROVED:
        transfer(act, user, HandoverCause.APPROVAL)
    return act


# --- Dividing and moving records ---------------------------------------------------------


def _stems(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {w[:5] for w in words if len(w) >= 4 and w not in GENERIC_WORDS}


def part_matcher(successions: list[Succession]) -> Any:
    """A function (text) → the one succession whose part the text names, else None."""
    stems = {s.pk: _stems(s.part) for s in successions}
    shared = set.intersection(*stems.values()) if stems else set()
    distinct = {pk: words - shared for pk, words in stems.items()}

    def match(text: str) -> Succession | None:
        found = _stems(text)
        hits = [s for s in successions if distinct[s.pk] & found]
        return hits[0] if len(hits) == 1 else None

    return match


def divide(act: TakeoverAct, successions: list[Succession]
           ) -> tuple[dict[tuple[str, int], int], list[ReviewEntry]]:
    """Target new municipality per record of a split former, and the records left to review."""
    match = part_matcher(successions)
    former = act.former_id
    target: dict[tuple[str, int], int] = {}
    review: list[ReviewEntry] = []

    def place(model: type[models.Model], record: Any, new_id: int | None, reason: str) -> None:
        if new_id is not None:
            target[(label(model), record.pk)] = new_id
        else:
            review.append({"model": label(model), "id": record.pk, "record": str(record)[:120],
                           "reason": reason})

    site_target = {}
    for site in Site.objects.filter(municipality_id=former):
        found = match(f"{site.name} {site.address}")
        site_target[site.pk] = found.new_id if found else None
        place(Site, site, site_target[site.pk], _("its name and address name no single part"))
    room_target = {}
    for room in ServerRoom.objects.filter(municipality_id=former):
        room_target[room.pk] = site_target.get(room.site_id) if room.site_id else None
        place(ServerRoom, room, room_target[room.pk], _("no site that names a part"))
    device_target = {}
    for device in Device.objects.filter(municipality_id=former).only("pk", "name", "site_id",
                                                                     "room_id"):
        by_site = site_target.get(device.site_id) if device.site_id else None
        by_room = room_target.get(device.room_id) if device.room_id else None
        agreed = by_site if by_room is None or by_site == by_room else None
        if by_site is None:
            agreed = by_room
        device_target[device.pk] = agreed
        place(Device, device, agreed, _("no site or room that names a part"))
    for workload in Workload.objects.filter(municipality_id=former).only("pk", "name",
                                                                         "server_id"):
        place(Workload, workload, device_target.get(workload.server_id),
              _("its server is not divided"))
    for installation in Installation.objects.filter(municipality_id=former).only(
            "pk", "raw_name", "count", "device_id"):
        place(Installation, installation,
              device_target.get(installation.device_id) if installation.device_id else None,
              _("not on a divided device"))
    for model in (Contract, Licence, InformationSystem):
        for record in model.objects.filter(municipality_id=former):
            place(model, record, None, _("serves the whole municipality; assign it by hand"))
    return target, review


def _move(act: TakeoverAct, model: type[models.Model], records: list[Any], new_id: int,
          user: Any) -> int:
    """Pass records to the new municipality with their history (before, after) and log."""
    if not records:
        return 0
    changes, handovers = [], []
    # The object, not only its id: the change record reads the owner through the relation,
    # which would otherwise cost one query per record.
    new = Municipality.objects.get(pk=new_id)
    with acting_as(user):
        for record in records:
            before = snapshot(record)
            from_id = record.municipality_id
            record.municipality = new
            changes.append(_change_record(record, ChangeAction.UPDATE, before, snapshot(record)))
            handovers.append(Handover(act=act, model=label(model), object_id=record.pk,
                                      from_municipality_id=from_id, to_municipality_id=new_id,
                                      user=user if getattr(user, "pk", None) else None))
    # One UPDATE per chunk: every record goes to the same municipality (bulk_update would
    # write a CASE per row).
    pks = [record.pk for record in records]
    for start in range(0, len(pks), 900):
        model._default_manager.filter(
            pk__in=pks[start:start + 900]).update(municipality_id=new_id)
    ChangeRecord.objects.bulk_create(changes, batch_size=2000)
    Handover.objects.bulk_create(handovers, batch_size=2000)
    return len(records)


@transaction.atomic
def transfer(act: TakeoverAct, user: Any = None,
             cause: HandoverCause = HandoverCause.APPROVAL) -> dict[str, int]:
    """Hand the former municipality's records over to its successor(s); returns counts moved.

    Every change record of the move names the act and the cause beside the fields it changed.
    """
    with caused_by(takeover_act=act.pk, handed_over_by=str(cause)):
        return _transfer(act, user, cause)


def _transfer(act: TakeoverAct, user: Any, cause: HandoverCause) -> dict[str, int]:
    successions = successions_of(act)
    moved: dict[str, int] = defaultdict(int)
    if len(successions) == 1:
        new_id = successions[0].new_id
        target: dict[tuple[str, int], int] = {}
        review: list[ReviewEntry] = []
        devices = {pk: new_id for pk in Device.objects.filter(
            municipality_id=act.former_id).exclude(serial="").values_list("pk", flat=True)}
    else:
        target, review = divide(act, successions)
        devices = {pk: n for (name, pk), n in target.items() if name == label(Device)}
    held = _held_back(act, devices, review)
    for model in TRANSFERRED:
        name = label(model)
        by_new: dict[int, list[Any]] = defaultdict(list)
        for record in model._default_manager.filter(
                municipality_id=act.former_id).exclude(pk__in=held.get(name, set())):
            successor = successions[0].new_id if len(successions) == 1 \
                else target.get((name, record.pk))
            if successor is not None:
                by_new[successor].append(record)
        for new_id, records in by_new.items():
            moved[name] += _move(act, model, records, new_id, user)
    act.review_list = review
    act.status = ActStatus.TRANSFERRED
    act.transferred_at = timezone.now()
    act.handed_over_by = cause
    with acting_as(user):
        act.save()
    return dict(moved)


def serial_clashes(former_id: int, devices: dict[int, int]) -> dict[int, str]:
    """Devices of the former (id → successor) whose serial the successor holds: {id: serial}.

    A serial number is unique within a municipality, so a device recorded by two
    predecessors (or by a predecessor and the successor) cannot pass twice: it waits on the
    review list as a duplicate to resolve.
    """
    wanted: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, serial in Device.objects.filter(municipality_id=former_id).exclude(
            serial="").values_list("pk", "serial"):
        if pk in devices:
            wanted[devices[pk]].append((pk, serial))
    clashes: dict[int, str] = {}
    for new_id, pairs in wanted.items():
        taken: set[str] = set()
        for start in range(0, len(pairs), 500):
            chunk = [serial for _pk, serial in pairs[start:start + 500]]
            taken |= set(Device.objects.filter(municipality_id=new_id, serial__in=chunk)
                         .values_list("serial", flat=True))
        clashes.update({pk: serial for pk, serial in pairs if serial in taken})
    return clashes


def _held_back(act: TakeoverAct, devices: dict[int, int], review: list[ReviewEntry]
               ) -> dict[str, set[int]]:
    """Hold back devices whose serial the successor holds, with their workloads and software.

    They go on the review list (a duplicate to resolve, then assign); returns the held ids
    per record type.
    """
    clashes = serial_clashes(act.former_id, devices)
    if not clashes:
        return {}
    listed = {(e["model"], e["id"]) for e in review}
    held: dict[str, set[int]] = defaultdict(set)

    def hold(model: type[models.Model], record: Any, reason: str) -> None:
        held[label(model)].add(record.pk)
        if (label(model), record.pk) not in listed:
            review.append({"model": label(model), "id": record.pk,
                           "record": str(record)[:120], "reason": reason})

    for device in Device.objects.filter(pk__in=list(clashes)).only("pk", "name", "serial"):
        hold(Device, device, _("the successor already has a device with serial number "
                               "%(serial)s: resolve the duplicate, then assign it")
             % {"serial": clashes[device.pk]})
    for workload in Workload.objects.filter(server_id__in=list(clashes),
                                            municipality_id=act.former_id).only("pk", "name"):
        hold(Workload, workload, _("its server is held back"))
    for installation in Installation.objects.filter(
            device_id__in=list(clashes), municipality_id=act.former_id).only(
            "pk", "raw_name", "count"):
        hold(Installation, installation, _("its device is held back"))
    return held


@transaction.atomic
def assign_reviewed(user: Any, act: TakeoverAct, model_label: str, object_id: int,
                    new: Municipality) -> int:
    """Assign one record on a split act's review list to a successor (with its dependents)."""
    if new.pk not in {s.new_id for s in successions_of(act)}:
        raise ReviewError(_("%(name)s is not a successor of %(former)s.")
                          % {"name": new.name, "former": act.former.name})
    if not may_approve(user, new):
        raise ReviewError(_("Only the county lead of that successor assigns records to it."))
    entry = next((e for e in act.review_list if e["model"] == model_label
                  and e["id"] == object_id), None)
    if entry is None:
        raise ReviewError(_("That record is not on the review list."))
    model = next(m for m in TRANSFERRED if label(m) == model_label)
    record = model._default_manager.filter(pk=object_id,
                                           municipality_id=act.former_id).first()
    if record is None:  # deleted or moved since (e.g. a duplicate resolved): off the list
        act.review_list = [e for e in act.review_list if e is not entry]
        with acting_as(user):
            act.save()
        return 0
    if isinstance(record, Device) and serial_clashes(act.former_id, {record.pk: new.pk}):
        raise ReviewError(_("%(name)s already has a device with serial number %(serial)s; "
                            "resolve the duplicate first.")
                          % {"name": new.name, "serial": record.serial})
    with caused_by(takeover_act=act.pk, handed_over_by="review_list"):
        return _assign(user, act, model, record, entry, new)


def _assign(user: Any, act: TakeoverAct, model: type[models.Model], record: Any,
            entry: dict[str, Any], new: Municipality) -> int:
    object_id = record.pk
    moved = _move(act, model, [record], new.pk, user)
    remaining = [e for e in act.review_list if e is not entry]
    dependents: list[tuple[type[models.Model], list[Any]]] = []
    if model is Device:
        dependents = [(Workload, list(Workload.objects.filter(server_id=object_id,
                                                              municipality_id=act.former_id))),
                      (Installation, list(Installation.objects.filter(
                          device_id=object_id, municipality_id=act.former_id)))]
    for dependent_model, records in dependents:
        moved += _move(act, dependent_model, records, new.pk, user)
        gone = {(label(dependent_model), r.pk) for r in records}
        remaining = [e for e in remaining if (e["model"], e["id"]) not in gone]
    act.review_list = remaining
    with acting_as(user):
        act.save()
    return moved


# --- The handover on the reform date -------------------------------------------------------


@dataclass
class DueHandover:
    """A former municipality whose records pass on its reform date, and what moved."""

    reform: str
    former: str
    name: str
    act_status: str
    successors: list[str]
    moved: dict[str, int] = field(default_factory=dict)
    to_review: int = 0


def due_formers(today: dt.date) -> QuerySet[Municipality]:
    """Former municipalities whose reform date has come and whose records are still theirs."""
    return (Municipality.objects.filter(stage=Stage.FORMER, reform__effective_date__lte=today,
                                        successors__isnull=False)
            .exclude(takeover_act__status=ActStatus.TRANSFERRED)
            .select_related("reform").distinct().order_by("reform__code", "name", "pk"))


def records_held(former: Municipality) -> dict[str, int]:
    """What the former municipality still owns, per record type (what a handover would move)."""
    counts = {label(model): model._default_manager.filter(
        municipality_id=former.pk).count() for model in TRANSFERRED}
    return {name: n for name, n in counts.items() if n}


def handover_due(today: dt.date, dry_run: bool = False, user: Any = None) -> list[DueHandover]:
    """On the reform date the law passes the records: hand over every former still holding them.

    Approved or not, each due former's records go to its successor(s) (a split one through
    divide(), with its review list); the act records that the handover was automatic and
    stays to be approved for its contents. Running it again finds nothing to do.
    """
    done = []
    for former in due_formers(today):
        act = TakeoverAct.objects.filter(former=former).first()
        entry = DueHandover(
            reform=former.reform.code, former=former.code, name=former.name,
            act_status=act.status if act else ActStatus.DRAFT,
            successors=[s.new.code for s in
                        successions_from([former], by_name=True).get(former.pk, [])])
        if dry_run:
            entry.moved = records_held(former)
        else:
            entry.moved, entry.to_review = _hand_over_on_reform_date(former, user)
        done.append(entry)
    return done


@transaction.atomic
def _hand_over_on_reform_date(former: Municipality, user: Any) -> tuple[dict[str, int], int]:
    with acting_as(user), caused_by(handed_over_by=str(HandoverCause.REFORM_DATE)):
        act = ensure_act(former)
    act = TakeoverAct.objects.select_for_update().get(pk=act.pk)
    if act.status == ActStatus.TRANSFERRED:  # another run got there first
        return {}, len(act.review_list)
    if act.handover_date is None:
        act.handover_date = former.reform.effective_date
    moved = transfer(act, user, HandoverCause.REFORM_DATE)
    return moved, len(act.review_list)


def due_json(entries: list[DueHandover]) -> list[DueHandoverPayload]:
    """The handovers as JSON-ready dicts (API and CLI)."""
    return [{"reform": e.reform, "former": e.former, "name": e.name, "act_status": e.act_status,
             "successors": list(e.successors), "moved": dict(e.moved), "to_review": e.to_review}
            for e in entries]
