"""One search over the user's scope: devices by name, serial, asset tag or MAC address;
information systems; contracts; software titles installed. Each kind is searched in the
records the user may see (the records' own scope), a few hits each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ictmerge.engine.imports.identifiers import normalise
from ictmerge.imports.models import DeviceIdentifier
from ictmerge.inventory.models import Contract, Device, InformationSystem, Installation

#: Hits shown per kind; the kind's list page (linked) has the rest.
HITS_PER_KIND = 20
#: Shorter searches would match most records.
MIN_LENGTH = 2


class SearchHit(TypedDict):
    """One record found: its name, what else identifies it, and its page."""

    label: str
    detail: str
    url: str


class SearchGroup(TypedDict):
    """The hits of one kind, and the list page that filters by the same text."""

    kind: str
    title: str
    hits: list[SearchHit]
    more_url: str


@dataclass(frozen=True)
class _Kind:
    key: str
    title: Any
    list_url: str


KINDS = (
    _Kind("devices", _("Devices"), "devices_list"),
    _Kind("information_systems", _("Information systems"), "information-systems_list"),
    _Kind("contracts", _("Contracts"), "contracts_list"),
    _Kind("software", _("Software"), "installations_list"),
)


def _devices(user: Any, text: str) -> list[SearchHit]:
    visible = Device.objects.restrict(user)
    condition = (Q(name__icontains=text) | Q(serial__icontains=text)
                 | Q(asset_tag__icontains=text))
    mac = normalise("mac", text)
    by_identifier = DeviceIdentifier.objects.filter(
        Q(value__iexact=mac) if mac else Q(value__icontains=text)).values("device_id")
    found = (visible.filter(condition | Q(pk__in=by_identifier)).select_related("municipality")
             .order_by("name", "pk")[:HITS_PER_KIND])
    return [{"label": d.name, "detail": " · ".join(x for x in (
        d.get_kind_display(), d.serial, str(d.municipality)) if x),
             "url": d.get_absolute_url()} for d in found]


def _systems(user: Any, text: str) -> list[SearchHit]:
    found = (InformationSystem.objects.restrict(user)
             .filter(Q(name__icontains=text) | Q(vendor__icontains=text)
                     | Q(product__icontains=text))
             .select_related("municipality").order_by("name", "pk")[:HITS_PER_KIND])
    return [{"label": s.name, "detail": " · ".join(x for x in (
        s.vendor, s.product, str(s.municipality)) if x), "url": s.get_absolute_url()}
            for s in found]


def _contracts(user: Any, text: str) -> list[SearchHit]:
    found = (Contract.objects.restrict(user)
             .filter(Q(title__icontains=text) | Q(supplier__name__icontains=text))
             .select_related("supplier", "municipality").order_by("title", "pk")[:HITS_PER_KIND])
    return [{"label": c.title, "detail": " · ".join(x for x in (
        str(c.supplier) if c.supplier_id else "", str(c.municipality)) if x),
             "url": c.get_absolute_url()} for c in found]


def _software(user: Any, text: str) -> list[SearchHit]:
    rows = (Installation.objects.restrict(user)
            .filter(Q(raw_name__icontains=text) | Q(raw_publisher__icontains=text)
                    | Q(product__name__icontains=text))
            .values("raw_name", "raw_publisher").annotate(installs=Sum("count"))
            .order_by("-installs", "raw_name")[:HITS_PER_KIND])
    url = reverse("installations_list")
    return [{"label": row["raw_name"],
             "detail": " · ".join(x for x in (row["raw_publisher"],
                                              ngettext("%(count)d installation",
                                                       "%(count)d installations",
                                                       row["installs"] or 0)
                                              % {"count": row["installs"] or 0}) if x),
             "url": f"{url}?{urlencode({'q': row['raw_name']})}"} for row in rows]


_SEARCHES = {"devices": _devices, "information_systems": _systems, "contracts": _contracts,
             "software": _software}


def search(user: Any, text: str) -> list[SearchGroup]:
    """The records of each kind in the user's scope that match the text (empty for a text
    shorter than MIN_LENGTH)."""
    text = text.strip()
    if len(text) < MIN_LENGTH:
        return []
    groups: list[SearchGroup] = []
    for kind in KINDS:
        hits = _SEARCHES[kind.key](user, text)
        groups.append({"kind": kind.key, "title": str(kind.title), "hits": hits,
                       "more_url": f"{reverse(kind.list_url)}?{urlencode({'q': text})}"})
    return groups
