"""The takeover act: what a former municipality hands over, what is missing, and the handover.

On approval by the county lead of every successor the former municipality's records pass
to the successor. Each move is written to the change history (before and after) and to the
handover log, so that the before/after views still know who owned what before the reform.
A municipality split between successors has its records divided by the recorded part:
a record whose site names one part's place goes to that part's successor; what cannot be
divided that way is put on the act's review list for the county leads to assign.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ictmerge.core import scoping
from ictmerge.core.choices import ChangeAction, Role
from ictmerge.core.history import _change_record, acting_as, snapshot
from ictmerge.core.models import ChangeRecord
from ictmerge.inventory.choices import DeviceKind, RoomOperation
from ictmerge.inventory.models import (
    Contract,
    Device,
    InformationSystem,
    Installation,
    Licence,
    ServerRoom,
    Site,
    Workload,
)
from ictmerge.reforms.models import Municipality, Succession
from ictmerge.review.choices import ActStatus
from ictmerge.review.models import Handover, TakeoverAct
from ictmerge.review.services import ReviewError

#: What passes to the successor, in an order that keeps references within one owner.
#: Finance rows stay with the former municipality: they are its history.
TRANSFERRED: tuple[type[models.Model], ...] = (Site, ServerRoom, Device, Workload,
                                               Installation, Contract, Licence,
                                               InformationSystem)

#: Words naming a kind of place rather than a place; they do not tell the parts apart.
GENERIC_WORDS = {"pagasts", "pagasti", "pilsēta", "pilsētas", "novads", "parish", "town",
                 "city", "village", "municipality", "district", "vald", "linn", "whole"}


def label(model: type[models.Model]) -> str:
    """app.model, as the handover log names record types."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def ensure_act(former: Municipality) -> TakeoverAct:
    """The former municipality's act, created as a draft when it has none."""
    act, _created = TakeoverAct.objects.get_or_create(former=former)
    return act


def successions_of(act: TakeoverAct) -> list[Succession]:
    """The successions of the act's former municipality (two or more for a split)."""
    return list(Succession.objects.filter(former=act.former).select_related("new")
                .order_by("new__name"))


def act_contents(act: TakeoverAct) -> dict[str, Any]:
    """The resources handed over, counted, and what is missing, listed."""
    ids = {act.former_id}
    devices = Device.objects.filter(municipality_id__in=ids)
    resources = [
        {"key": "computers", "label": _("Computers"), "count": devices.filter(
            kind__in=DeviceKind.COMPUTER_KINDS).count(), "url_name": "devices_list"},
        {"key": "servers", "label": _("Servers"), "count": devices.filter(kind=DeviceKind.SERVER).count(),
         "url_name": "devices_list"},
        {"key": "other_equipment", "label": _("Other equipment"), "count": devices.exclude(
            kind__in=(*DeviceKind.COMPUTER_KINDS, DeviceKind.SERVER)).count(),
         "url_name": "devices_list"},
        {"key": "sites", "label": _("Sites"), "count": Site.objects.filter(municipality_id__in=ids).count(),
         "url_name": "sites_list"},
        {"key": "server_rooms", "label": _("Server rooms"), "count": ServerRoom.objects.filter(
            municipality_id__in=ids).count(), "url_name": "server-rooms_list"},
        {"key": "installations", "label": _("Installed software (rows)"), "count": Installation.objects.filter(
            municipality_id__in=ids).count(), "url_name": "installations_list"},
        {"key": "licences", "label": _("Licences"), "count": Licence.objects.filter(
            municipality_id__in=ids).count(), "url_name": "licences_list"},
        {"key": "contracts", "label": _("Contracts"), "count": Contract.objects.filter(
            municipality_id__in=ids).count(), "url_name": "contracts_list"},
        {"key": "information_systems", "label": _("Information systems"), "count": InformationSystem.objects.filter(
            municipality_id__in=ids).count(), "url_name": "information-systems_list"},
    ]
    missing = [
        ("devices_unlocated", _("devices without a site or server room"),
         devices.filter(site__isnull=True, room__isnull=True).count()),
        ("licences_without_proof", _("licences without proof of purchase"),
         Licence.objects.filter(municipality_id__in=ids, proof="", proof_reference="").count()),
        ("licences_not_transferable", _("licences that may not pass to the new municipality"),
         Licence.objects.filter(municipality_id__in=ids, transferable=False).count()),
        ("contracts_not_assignable", _("contracts that may not be assigned"),
         Contract.objects.filter(municipality_id__in=ids, assignable=False).count()),
        ("rooms_without_contract", _("server rooms run by others without their contract"),
         ServerRoom.objects.filter(municipality_id__in=ids, contract__isnull=True)
         .exclude(operation=RoomOperation.OWN).count()),
        ("systems_without_class", _("information systems without a security class"),
         InformationSystem.objects.filter(municipality_id__in=ids, security_class="").count()),
        ("titles_not_normalised", _("installed titles not normalised to a product"),
         Installation.objects.filter(municipality_id__in=ids, product__isnull=True).count()),
    ]
    problems = [{"key": key, "problem": str(text), "count": n} for key, text, n in missing if n]
    if not act.data_handed_over.strip():
        problems.append({"key": "no_data_listed",
                         "problem": _("no databases or archives listed as handed over"),
                         "count": 1})
    return {"resources": resources, "missing": problems,
            "handed_over": Handover.objects.filter(act=act).count() if act.pk else 0,
            "data": [line for line in act.data_handed_over.splitlines() if line.strip()]}


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
    if act.status != ActStatus.DRAFT:
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
        act.status = ActStatus.APPROVED
        act.approved_at = now
    with acting_as(user):
        act.save()
    if act.status == ActStatus.APPROVED:
        transfer(act, user)
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
           ) -> tuple[dict[tuple[str, int], int], list[dict[str, Any]]]:
    """Target new municipality per record of a split former, and the records left to review."""
    match = part_matcher(successions)
    former = act.former_id
    target: dict[tuple[str, int], int] = {}
    review: list[dict[str, Any]] = []

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
    with acting_as(user):
        for record in records:
            before = snapshot(record)
            from_id = record.municipality_id
            record.municipality_id = new_id
            changes.append(_change_record(record, ChangeAction.UPDATE, before, snapshot(record)))
            handovers.append(Handover(act=act, model=label(model), object_id=record.pk,
                                      from_municipality_id=from_id, to_municipality_id=new_id,
                                      user=user if getattr(user, "pk", None) else None))
    model._default_manager.bulk_update(records, ["municipality"], batch_size=1000)  # type: ignore[attr-defined]
    ChangeRecord.objects.bulk_create(changes, batch_size=2000)
    Handover.objects.bulk_create(handovers, batch_size=2000)
    return len(records)


@transaction.atomic
def transfer(act: TakeoverAct, user: Any = None) -> dict[str, int]:
    """Hand the former municipality's records over to its successor(s); returns counts moved."""
    successions = successions_of(act)
    moved: dict[str, int] = defaultdict(int)
    if len(successions) == 1:
        new_id = successions[0].new_id
        for model in TRANSFERRED:
            records = list(model._default_manager.filter(municipality_id=act.former_id))  # type: ignore[attr-defined]
            moved[label(model)] += _move(act, model, records, new_id, user)
        act.review_list = []
    else:
        target, review = divide(act, successions)
        for model in TRANSFERRED:
            by_new: dict[int, list[Any]] = defaultdict(list)
            for record in model._default_manager.filter(municipality_id=act.former_id):  # type: ignore[attr-defined]
                new_id = target.get((label(model), record.pk))
                if new_id is not None:
                    by_new[new_id].append(record)
            for new_id, records in by_new.items():
                moved[label(model)] += _move(act, model, records, new_id, user)
        act.review_list = review
    act.status = ActStatus.TRANSFERRED
    act.transferred_at = timezone.now()
    with acting_as(user):
        act.save()
    return dict(moved)


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
    record = model._default_manager.get(pk=object_id)  # type: ignore[attr-defined]
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


def owners_before(model: type[models.Model], ids: list[int]) -> dict[int, int]:
    """For records handed over, the municipality that owned them before: {record id: owner}."""
    rows = Handover.objects.filter(model=label(model), object_id__in=ids).order_by(
        "time", "pk").values_list("object_id", "from_municipality_id")
    owners: dict[int, int] = {}
    for object_id, owner in rows:
        owners.setdefault(object_id, owner)
    return owners
