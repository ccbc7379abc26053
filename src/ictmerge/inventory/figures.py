"""What the municipalities ran: per former municipality, and summed per new municipality.

"Before" is the sum of a new municipality's predecessors; a former municipality split
between successors is divided by its shares (largest remainder, so that the parts add up
to the whole); records handed over count for the municipality that held them before (the
handover ledger). "After" comes from the plans registered in `core.providers`; until a
plan exists it is None. The national report (reports) and the self-assessment (review)
read these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q

from ictmerge.core.payloads import AfterFigures
from ictmerge.core.providers import AFTER_PROVIDERS
from ictmerge.engine.shares import apportion
from ictmerge.inventory.choices import DeviceKind
from ictmerge.inventory.models import (
    Device,
    Handover,
    IctFinance,
    InformationSystem,
    Installation,
    ServerRoom,
)
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import successions_from
from ictmerge.reforms.models import Municipality, Reform

COUNTED = ("computers", "servers", "server_rooms", "information_systems")


@dataclass
class FormerFigures:
    """What one former municipality ran before the reform."""

    id: int
    code: str
    name: str
    surveyed: bool = False
    computers: int = 0
    servers: int = 0
    server_rooms: int = 0
    information_systems: int = 0
    software_products: set[int] = field(default_factory=set)
    ict_spend_eur: Decimal | None = None
    total_expenditure_eur: Decimal | None = None
    ict_staff_fte: Decimal | None = None
    governance_model: str = ""
    is_demo: bool = False

    @property
    def share_pct(self) -> Decimal | None:
        """ICT spend as a percentage of total expenditure."""
        if self.ict_spend_eur is None or not self.total_expenditure_eur:
            return None
        return self.ict_spend_eur * 100 / self.total_expenditure_eur


@dataclass
class CountyFigures:
    """A new municipality: its predecessors' figures summed, and the plan's."""

    id: int
    code: str
    name: str
    predecessors: list[str]
    surveyed: bool
    computers: int
    servers: int
    server_rooms: int
    information_systems: int
    software_products: int
    ict_spend_eur: Decimal | None
    total_expenditure_eur: Decimal | None
    share_pct: Decimal | None
    after: AfterFigures


def former_figures(reform: Reform, only: Iterable[int] | None = None) -> dict[int, FormerFigures]:
    """Per former municipality of the reform (or of those of `only`), what it ran (a fixed
    number of queries)."""
    found = Municipality.objects.filter(reform=reform, stage=Stage.FORMER)
    if only is not None:
        found = found.filter(pk__in=sorted(only))
    formers = {m.pk: FormerFigures(id=m.pk, code=m.code, name=m.name) for m in found}
    ids = list(formers)
    devices = (
        Device.objects.filter(municipality_id__in=ids)
        .values("municipality_id")
        .annotate(
            computers=Count("pk", filter=Q(kind__in=DeviceKind.COMPUTER_KINDS)),
            servers=Count("pk", filter=Q(kind=DeviceKind.SERVER, is_virtual=False)),
            demo=Count("pk", filter=Q(is_demo=True)),
        )
    )
    for row in devices:
        figures = formers[row["municipality_id"]]
        figures.computers = row["computers"]
        figures.servers = row["servers"]
        figures.is_demo = figures.is_demo or row["demo"] > 0
    for model, attribute in ((ServerRoom, "server_rooms"),
                             (InformationSystem, "information_systems")):
        for owner_id, count in model.objects.filter(municipality_id__in=ids).values(
                "municipality_id").annotate(n=Count("pk")).values_list("municipality_id", "n"):
            setattr(formers[owner_id], attribute, count)
    _add_handed_over(formers)
    for municipality_id, product_id in (
        Installation.objects.filter(municipality_id__in=ids, product__isnull=False)
        .values_list("municipality_id", "product_id").distinct()
    ):
        formers[municipality_id].software_products.add(product_id)
    latest = IctFinance.objects.filter(municipality_id__in=ids).values(
        "municipality_id").annotate(year=Max("year"))
    latest_year = {row["municipality_id"]: row["year"] for row in latest}
    for finance in IctFinance.objects.filter(municipality_id__in=ids):
        if latest_year.get(finance.municipality_id) != finance.year:
            continue
        figures = formers[finance.municipality_id]
        figures.surveyed = finance.surveyed
        figures.ict_spend_eur = finance.ict_spend_eur
        figures.total_expenditure_eur = finance.total_expenditure_eur
        figures.ict_staff_fte = finance.ict_staff_fte
        figures.governance_model = finance.governance_model
        figures.is_demo = figures.is_demo or finance.is_demo
    return formers


def _add_handed_over(formers: dict[int, FormerFigures]) -> None:
    """Count records handed over to a successor for the former municipality that owned them.

    The takeover moves records to the new municipality (review.takeover); the "before"
    stays the predecessors' from the handover log of who owned what before the reform.
    """
    rows = list(Handover.objects.filter(from_municipality_id__in=list(formers)).order_by(
        "time", "pk").values_list("model", "object_id", "from_municipality_id"))
    if not rows:
        return
    owner: dict[tuple[str, int], int] = {}
    for model_label, object_id, from_id in rows:
        owner.setdefault((model_label, object_id), from_id)
    by_model: dict[str, list[int]] = defaultdict(list)
    for model_label, object_id in owner:
        by_model[model_label].append(object_id)
    for pk, kind, is_virtual in Device.objects.filter(
            pk__in=by_model.get("inventory.device", [])).values_list("pk", "kind", "is_virtual"):
        figures = formers[owner[("inventory.device", pk)]]
        if kind in DeviceKind.COMPUTER_KINDS:
            figures.computers += 1
        elif kind == DeviceKind.SERVER and not is_virtual:
            figures.servers += 1
    for model, name, attribute in ((ServerRoom, "inventory.serverroom", "server_rooms"),
                                   (InformationSystem, "inventory.informationsystem",
                                    "information_systems")):
        for pk in model.objects.filter(pk__in=by_model.get(name, [])).values_list(
                "pk", flat=True):
            figures = formers[owner[(name, pk)]]
            setattr(figures, attribute, getattr(figures, attribute) + 1)
    for pk, product_id in Installation.objects.filter(
            pk__in=by_model.get("inventory.installation", []), product__isnull=False
    ).values_list("pk", "product_id"):
        formers[owner[("inventory.installation", pk)]].software_products.add(product_id)


def county_figures(reform: Reform, formers: dict[int, FormerFigures],
                   visible: set[int] | None = None,
                   by_former: dict[int, list[Any]] | None = None) -> list[CountyFigures]:
    """Per new municipality (of those `visible`), the sum of its predecessors (split ones by
    share); `formers` need hold only the predecessors of the visible ones; `by_former`, the
    reform's successions when the caller read them (counties.successions_from)."""
    if by_former is None:
        by_former = successions_from(reform=reform)
    sums: dict[int, dict[str, Any]] = {}
    names: dict[int, list[str]] = defaultdict(list)
    for former_id, parts in by_former.items():
        if visible is not None and not any(part.new_id in visible for part in parts):
            continue
        figures = formers[former_id]
        shares = [p.share for p in parts]
        counted = {name: apportion(getattr(figures, name), shares) for name in COUNTED}
        for index, part in enumerate(parts):
            total = sums.setdefault(part.new_id, {
                **{name: 0 for name in COUNTED}, "products": set(), "spend": None,
                "expenditure": None, "surveyed": False})
            for name in COUNTED:
                total[name] += counted[name][index]
            total["products"] |= figures.software_products
            total["surveyed"] = total["surveyed"] or figures.surveyed
            if figures.ict_spend_eur is not None:
                total["spend"] = (total["spend"] or 0) + figures.ict_spend_eur * part.share
            if figures.total_expenditure_eur is not None:
                total["expenditure"] = ((total["expenditure"] or 0)
                                        + figures.total_expenditure_eur * part.share)
            label = figures.name if part.part in ("", "whole") else f"{figures.name} ({part.part})"
            names[part.new_id].append(label)
    after: dict[int, AfterFigures] = defaultdict(AfterFigures)
    for provider in AFTER_PROVIDERS:
        for new_id, values in provider(reform, visible).items():
            after[new_id].update(values)
    counties = []
    for new in Municipality.objects.filter(reform=reform, stage=Stage.NEW).order_by("name"):
        if visible is not None and new.pk not in visible:
            continue
        total = sums.get(new.pk, {**{n: 0 for n in COUNTED}, "products": set(), "spend": None,
                                  "expenditure": None, "surveyed": False})
        spend, expenditure = total["spend"], total["expenditure"]
        counties.append(CountyFigures(
            id=new.pk, code=new.code, name=new.name, predecessors=sorted(names[new.pk]),
            surveyed=total["surveyed"], computers=total["computers"], servers=total["servers"],
            server_rooms=total["server_rooms"],
            information_systems=total["information_systems"],
            software_products=len(total["products"]),
            ict_spend_eur=_round(spend), total_expenditure_eur=_round(expenditure),
            share_pct=(spend * 100 / expenditure).quantize(Decimal("0.001"))
            if spend is not None and expenditure else None,
            after=after.get(new.pk, AfterFigures()).copy(),
        ))
    return counties


def _round(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("1")) if value is not None else None
