"""The phase tracker: each checklist item's status computed from records or set by hand.

A county is a new municipality with its predecessors: records of both count (before the
handover they sit with the predecessors, after it with the new municipality). A split
predecessor counts fully for each of its successors: a share of records normalised does
not need dividing. Everything is computed for all counties of a reform with a fixed number
of queries, so that the national view does not grow with the number of municipalities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ictmerge.core import scoping
from ictmerge.core.history import acting_as
from ictmerge.inventory.choices import RoomOperation
from ictmerge.inventory.ledger import handed_over_any
from ictmerge.inventory.ledger import held_before as held
from ictmerge.inventory.models import (
    Contract,
    Device,
    InformationSystem,
    Installation,
    Licence,
    ServerRoom,
)
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import county_members, successions_from
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.review import scoring
from ictmerge.review.choices import (
    AssessmentStatus,
    ChecklistItem,
    EntryStatus,
    Phase,
)
from ictmerge.review.models import ChecklistEntry, SelfAssessment, TakeoverAct
from ictmerge.review.payloads import CountyProgressPayload, NationalProgress, ProgressItem


class ReviewError(Exception):
    """An operation of the review was refused; the message says why."""


#: The phase of every checklist item, in the order the tracker shows them.
ITEM_PHASE: dict[str, str] = {
    ChecklistItem.SOFTWARE_REGISTER: Phase.DISCOVERY,
    ChecklistItem.RESOURCES_LOCATED: Phase.DISCOVERY,
    ChecklistItem.ROOMS_AND_CONTRACTS: Phase.DISCOVERY,
    ChecklistItem.DOCUMENTS_AND_LICENCES: Phase.DISCOVERY,
    ChecklistItem.OPTIMISATION_EVALUATED: Phase.PLANNING,
    ChecklistItem.SYSTEMS_DECIDED: Phase.PLANNING,
    ChecklistItem.REFORM_CHANGES: Phase.PLANNING,
    ChecklistItem.SYSTEMS_ALIGNED: Phase.PLANNING,
    ChecklistItem.ACTION_PLAN_FUNDED: Phase.PLANNING,
    ChecklistItem.SECURITY_REASSESSED: Phase.PLANNING,
    ChecklistItem.GOVERNANCE_DECIDED: Phase.PLANNING,
    ChecklistItem.TAKEOVER_APPROVED: Phase.PROVISION,
    ChecklistItem.INFRASTRUCTURE_CONFIGURED: Phase.PROVISION,
    ChecklistItem.SELF_ASSESSMENT_DONE: Phase.REVIEW,
}


@dataclass(frozen=True)
class Measure:
    """A computed item for one county: how many of how many records meet it, and what."""

    done: int
    total: int
    basis: str
    url_name: str = ""


#: A function reform → {new municipality id: Measure}; other apps add theirs here to
#: compute an item from their records (e.g. "IS to keep decided" from the systems plan).
MeasureProvider = Callable[[Reform], dict[int, Measure]]
MEASURE_PROVIDERS: dict[str, MeasureProvider] = {}


@dataclass
class ItemProgress:
    """One checklist item of one county."""

    item: str
    label: str
    phase: str
    computed: bool
    fraction: float | None
    status: str
    basis: str
    links: list[tuple[str, str]] = field(default_factory=list)
    evidence: str = ""
    note: str = ""
    entry_id: int | None = None

    def as_json(self) -> ProgressItem:
        """The item as API data."""
        return {"item": self.item, "label": self.label, "phase": self.phase,
                "computed": self.computed,
                "percent": None if self.fraction is None else round(100 * self.fraction, 1),
                "status": self.status, "basis": self.basis, "evidence": self.evidence,
                "note": self.note, "links": [url for _label, url in self.links]}


@dataclass
class CountyProgress:
    """The checklist of one new municipality, with progress per phase."""

    id: int
    code: str
    name: str
    items: list[ItemProgress]
    phases: dict[str, float | None]
    overall: float | None
    laggard: bool = False

    def as_json(self) -> CountyProgressPayload:
        """The county as API data."""
        return {"code": self.code, "name": self.name,
                "overall_percent": _pct(self.overall),
                "phases": {phase: _pct(value) for phase, value in self.phases.items()},
                "laggard": self.laggard,
                "items": [item.as_json() for item in self.items]}


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


# --- Counties and their municipalities ---------------------------------------------------


def _fold(members: dict[int, set[int]], per_municipality: dict[int, tuple[int, int]]
          ) -> dict[int, tuple[int, int]]:
    """Sum (done, total) over each county's municipalities."""
    result = {}
    for county, ids in members.items():
        done = sum(per_municipality.get(i, (0, 0))[0] for i in ids)
        total = sum(per_municipality.get(i, (0, 0))[1] for i in ids)
        result[county] = (done, total)
    return result


def _share(queryset: Any, done: Q) -> dict[int, tuple[int, int]]:
    """Done and total per municipality that held the records before the takeover."""
    rows = queryset.values("held_by").annotate(done=Count("pk", filter=done), total=Count("pk"))
    return {r["held_by"]: (r["done"], r["total"]) for r in rows}


def builtin_measures(reform: Reform, members: dict[int, set[int]]) -> dict[str, dict[int, Measure]]:
    """The items ictmerge computes itself from the inventory and the review records."""
    # Records count for the municipality that held them before the takeover (the handover
    # log), so that the measures read the same after the acts; a split predecessor counts
    # whole for each successor, before and after.
    from functools import partial


    ids = sorted({i for group in members.values() for i in group})
    held_before = partial(held, handed=handed_over_any(ids))
    measures: dict[str, dict[int, Measure]] = {}

    def add(item: str, per_municipality: dict[int, tuple[int, int]], text: str,
            url_name: str) -> None:
        measures[item] = {
            county: Measure(done, total, text % {"done": f"{done:,}", "total": f"{total:,}"},
                            url_name)
            for county, (done, total) in _fold(members, per_municipality).items()
        }

    add(ChecklistItem.SOFTWARE_REGISTER,
        _share(held_before(Installation, ids), Q(product__isnull=False)),
        _("%(done)s of %(total)s installed titles normalised to a product"),
        "installations_list")
    add(ChecklistItem.RESOURCES_LOCATED,
        _share(held_before(Device, ids),
               Q(site__isnull=False) | Q(room__isnull=False)),
        _("%(done)s of %(total)s devices with their site or server room"), "devices_list")
    rooms = _share(held_before(ServerRoom, ids),
                   Q(operation=RoomOperation.OWN) | Q(contract__isnull=False))
    contracts = _share(held_before(Contract, ids),
                       Q(annual_value_eur__isnull=False))
    combined = {i: (rooms.get(i, (0, 0))[0] + contracts.get(i, (0, 0))[0],
                    rooms.get(i, (0, 0))[1] + contracts.get(i, (0, 0))[1])
                for i in set(rooms) | set(contracts)}
    add(ChecklistItem.ROOMS_AND_CONTRACTS, combined,
        _("%(done)s of %(total)s server rooms and contracts known (own rooms or rooms with "
          "their contract; contracts with their value)"), "server-rooms_list")
    add(ChecklistItem.DOCUMENTS_AND_LICENCES,
        _share(held_before(Licence, ids),
               ~Q(proof="") | ~Q(proof_reference="")),
        _("%(done)s of %(total)s licences with proof of purchase"), "licences_list")
    add(ChecklistItem.SECURITY_REASSESSED,
        _share(held_before(InformationSystem, ids),
               ~Q(confidentiality="") & ~Q(integrity="") & ~Q(availability="")
               & ~Q(security_class="")),
        _("%(done)s of %(total)s information systems with confidentiality, integrity, "
          "availability and a security class"), "information-systems_list")
    # Approved, not merely handed over: on the reform date records pass without approval.
    acts = {pk: (1, 1) for pk in TakeoverAct.objects.filter(
        former__reform=reform, approved_at__isnull=False).values_list("former_id", flat=True)}
    formers = {f: acts.get(f, (0, 1)) for f in successions_from(reform=reform)}
    add(ChecklistItem.TAKEOVER_APPROVED, formers,
        _("%(done)s of %(total)s predecessors' takeover acts approved"), "takeover-acts_list")
    submitted = set(SelfAssessment.objects.filter(
        municipality__reform=reform, municipality__stage=Stage.NEW,
        status=AssessmentStatus.SUBMITTED).values_list("municipality_id", flat=True))
    measures[ChecklistItem.SELF_ASSESSMENT_DONE] = {
        county: Measure(int(county in submitted), 1,
                        _("a self-assessment submitted") if county in submitted
                        else _("no self-assessment submitted yet"), "self-assessments_list")
        for county in members
    }
    return measures


def _entries(reform: Reform) -> dict[tuple[int, str], ChecklistEntry]:
    return {(e.municipality_id, e.item): e for e in ChecklistEntry.objects.filter(
        municipality__reform=reform)}


def progress_for_reform(reform: Reform, visible: set[int] | None = None) -> list[CountyProgress]:
    """Every new municipality's checklist and progress (those in `visible` when given)."""
    members = county_members(reform)
    measures = builtin_measures(reform, members)
    for item, provider in MEASURE_PROVIDERS.items():
        measures[item] = provider(reform)
    entries = _entries(reform)
    labels = dict(ChecklistItem.choices)
    counties = []
    for new in Municipality.objects.filter(reform=reform, stage=Stage.NEW).order_by("name"):
        predecessors = sorted(members.get(new.pk, {new.pk}) - {new.pk})
        items = [_item(item, str(labels[item]), new.pk, predecessors, measures, entries)
                 for item in ITEM_PHASE]
        phases: dict[str, float | None] = {}
        for phase in Phase.values:
            phases[phase] = scoring.mean(i.fraction for i in items
                                         if i.phase == phase and i.fraction is not None)
        overall = scoring.mean(i.fraction for i in items if i.fraction is not None)
        counties.append(CountyProgress(new.pk, new.code, new.name, items, phases, overall))
    lagging = scoring.laggards({c.id: c.overall or 0.0 for c in counties})
    for county in counties:
        county.laggard = county.id in lagging
    if visible is not None:
        counties = [c for c in counties if c.id in visible]
    return counties


def _item(item: str, label: str, county: int, predecessors: list[int],
          measures: dict[str, dict[int, Measure]],
          entries: dict[tuple[int, str], ChecklistEntry]) -> ItemProgress:
    own = entries.get((county, item))
    result = ItemProgress(item=item, label=label, phase=ITEM_PHASE[item], computed=False,
                          fraction=0.0, status=EntryStatus.NOT_STARTED, basis="")
    if own is not None:
        result.evidence, result.note, result.entry_id = own.evidence, own.note, own.pk
    if item in measures and county in measures[item]:
        measure = measures[item][county]
        result.computed = True
        result.fraction = measure.done / measure.total if measure.total else 0.0
        result.status = scoring.status_of(result.fraction)
        result.basis = measure.basis if measure.total else _("no records yet")
        if measure.url_name:
            result.links.append((label, reverse(measure.url_name)))
        if own is not None and own.status == EntryStatus.NOT_APPLICABLE:
            result.fraction, result.status = None, EntryStatus.NOT_APPLICABLE
        return result
    if own is not None:
        result.status = own.status
        result.fraction = scoring.STATUS_FRACTION.get(own.status)
        result.basis = _("set by hand")
        result.links.append((label, reverse("checklist-entries_detail", args=[own.pk])))
        return result
    theirs = [entries[(p, item)] for p in predecessors if (p, item) in entries]
    if theirs:
        fractions = [scoring.STATUS_FRACTION.get(e.status) for e in theirs]
        counted = [f for f in fractions if f is not None]
        missing = len(predecessors) - len(theirs)
        result.fraction = scoring.mean([*counted, *([0.0] * missing)])
        result.status = (EntryStatus.NOT_APPLICABLE if result.fraction is None
                         else scoring.status_of(result.fraction))
        result.basis = _("set by hand for %(n)d of %(total)d predecessors") % {
            "n": len(theirs), "total": len(predecessors)}
        result.evidence = "\n".join(f"{e.municipality}: {e.evidence}" for e in theirs
                                    if e.evidence)
        result.links += [(str(e.municipality), reverse("checklist-entries_detail", args=[e.pk]))
                         for e in theirs]
        return result
    result.basis = _("not set yet")
    return result


def county_progress(county: Municipality) -> CountyProgress:
    """The checklist of one new municipality."""
    for progress in progress_for_reform(county.reform, {county.pk}):
        return progress
    raise ReviewError(_("%(name)s is not a new municipality.") % {"name": county.name})


def national_progress(reform: Reform, visible: set[int] | None = None) -> NationalProgress:
    """Every new municipality's progress, the national medians and the laggards."""
    counties = progress_for_reform(reform, visible)
    medians = {phase: _pct(scoring.median([value for c in counties
                                            if (value := c.phases[phase]) is not None]))
               for phase in Phase.values}
    return {
        "reform": reform.code,
        "median_overall_percent": _pct(scoring.median([c.overall for c in counties
                                                       if c.overall is not None])),
        "median_phase_percent": medians,
        "laggards": [c.code for c in counties if c.laggard],
        "counties": [c.as_json() for c in counties],
    }


@transaction.atomic
def set_entry(user: Any, municipality: Municipality, item: str, status: str,
              evidence: str = "", note: str = "") -> ChecklistEntry:
    """Set a checklist item by hand for a municipality, with its evidence (history kept)."""
    if not scoping.may_change_municipality(user, municipality.pk):
        raise ReviewError(_("You may not change the checklist of %(name)s.")
                          % {"name": municipality.name})
    if item not in ChecklistItem.values:
        raise ReviewError(_("Unknown checklist item: %(item)s") % {"item": item})
    if status not in EntryStatus.values:
        raise ReviewError(_("Unknown status: %(status)s") % {"status": status})
    entry = ChecklistEntry.objects.filter(municipality=municipality, item=item).first() \
        or ChecklistEntry(municipality=municipality, item=item)
    entry.status, entry.evidence, entry.note = status, evidence, note
    from django.core.exceptions import ValidationError

    try:
        entry.full_clean()
    except ValidationError as error:
        raise ReviewError("; ".join(f"{k}: {' '.join(v)}" for k, v in
                                    error.message_dict.items())) from error
    with acting_as(user):
        entry.save()
    return entry


def progress_by_id(reform: Reform) -> dict[int, CountyProgress]:
    """Progress keyed by new municipality id (for reports)."""
    return {c.id: c for c in progress_for_reform(reform)}


