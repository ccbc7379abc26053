"""The national and county figures, computed from records with a fixed number of queries.

"Before" is the sum of a new municipality's predecessors; a former municipality split
between successors is divided by its shares (largest remainder, so that the parts add up
to the whole). "After" comes from the chosen plans; until a plan exists it is None. The
figures themselves are computed in `inventory.figures` (the self-assessment reads them too).

The national report is cached (the "reports" cache, shared by the web workers) under a key
made of what it reads: every write to a record lands in the change history (signals,
record_bulk, the importers' statements), and a trigger on the history bumps the written
municipalities' version counters in the same transaction, so their sum changes with any
write and the next request computes afresh; reading it costs one row per municipality,
whatever the number of records and changes. The cached figures are the whole country's; a user's
scope is applied afterwards.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Sum
from django.utils import translation

from ictmerge.core.models import ScopeVersion
from ictmerge.core.providers import AFTER_PROVIDERS
from ictmerge.inventory.choices import GovernanceModel
from ictmerge.inventory.figures import (
    CountyFigures,
    FormerFigures,
    county_figures,
    former_figures,
)
from ictmerge.planning.governance import current_support
from ictmerge.planning.services import budget_of_record, money_totals
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import County, successions_from
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.reports.choices import AnswerState
from ictmerge.reports.payloads import (
    CountyReport,
    NationalCounty,
    NationalReport,
    NationalSummary,
)

#: The audit's threshold for ICT spend as a share of total expenditure.
SHARE_THRESHOLD_PCT = Decimal("0.75")

#: The cache alias of the national report (settings CACHES); without it nothing is cached.
REPORT_CACHE = "reports"
#: Part of the key: raise it when the cached figures change shape.
REPORT_CACHE_VERSION = 3
#: How long a request waits for another worker computing the same figures.
REPORT_WAIT_SECONDS = 10


def share_histogram(formers: Iterable[FormerFigures], width_pct: Decimal = Decimal("0.25"),
                    last_pct: Decimal = Decimal("2.5")) -> list[dict[str, Any]]:
    """Municipalities per bin of ICT spend share; the last bin is open-ended."""
    edges = []
    edge = Decimal(0)
    while edge < last_pct:
        edges.append(edge)
        edge += width_pct
    bins: list[dict[str, Any]] = [{"from": e, "to": e + width_pct, "count": 0} for e in edges]
    bins.append({"from": last_pct, "to": None, "count": 0})
    for figures in formers:
        share = figures.share_pct
        if share is None:
            continue
        index = min(int(share / width_pct), len(bins) - 1)
        # A share exactly on an edge belongs to the bin below ("at or below" 0.75 %).
        if index > 0 and share == bins[index]["from"]:
            index -= 1
        bins[index]["count"] += 1
    return bins


def history_stamp(scopes: Iterable[int] | None = None) -> int:
    """The sum of the history's version counters (core.ScopeVersion), of every municipality
    or of the given ones and of records with none (scope 0), in one statement.

    Every statement that writes history bumps its scopes' counters in its own transaction
    (a database trigger), so any committed write raises the sum, whatever the order in
    which transactions commit; reading it costs one row per municipality, not one per change.
    """
    versions = ScopeVersion.objects.all()
    if scopes is not None:
        versions = versions.filter(scope__in=sorted({0, *scopes}))
    return int(versions.aggregate(total=Sum("version"))["total"] or 0)


def _report_cache() -> Any:
    """The national report's cache, or None when it is not configured or cannot be trusted.

    Inside a transaction the figures may include writes not yet committed (and SQLite gives
    a rolled-back id out again), so nothing computed there is cached.
    """
    if REPORT_CACHE not in settings.CACHES or connection.in_atomic_block:
        return None
    return caches[REPORT_CACHE]


def _report_key(reform: Reform, stamp: int | str) -> str:
    database = settings.DATABASES["default"]
    providers = ",".join(f"{p.__module__}.{p.__qualname__}" for p in AFTER_PROVIDERS)
    parts = (REPORT_CACHE_VERSION, database["ENGINE"], database.get("HOST"), database.get("PORT"),
             database["NAME"], providers, translation.get_language(), reform.pk, stamp)
    return "national:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def county_stamp(county: County) -> int:
    """The version sum a county's own figures depend on: its municipalities' and that of
    records of none; every municipality's when a predecessor is split (its records handed
    over to another successor still count for it)."""
    if any(p.share < 1 for p in county.predecessors):
        return history_stamp()
    return history_stamp(county.ids)


Figures = TypeVar("Figures")


def cached_county(name: str, county: County, compute: Callable[[], Figures],
                  stamp: int | None = None) -> Figures:
    """A county's figures called `name`, from the report cache while none of the county's
    records changed, else computed (and cached) by `compute`. `stamp`: the county's
    county_stamp() when the caller read it already (before calling)."""
    cache = _report_cache()
    if cache is None:
        return compute()
    if stamp is None:
        stamp = county_stamp(county)  # read before the figures: never older than them
    database = settings.DATABASES["default"]
    parts = (REPORT_CACHE_VERSION, database["ENGINE"], database.get("HOST"), database.get("PORT"),
             database["NAME"], translation.get_language(), name, county.pk, stamp)
    key = f"county:{name}:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found)
    return found  # type: ignore[no-any-return]


def national_figures(reform: Reform) -> tuple[NationalSummary, list[CountyFigures]]:
    """The country's figures and every new municipality's, from the cache when nothing changed."""
    cache = _report_cache()
    if cache is None:
        return _national_figures(reform)
    key = _report_key(reform, history_stamp())  # read before the figures: never older than them
    cached = cache.get(key)
    if cached is None:
        cached = _computed_once(cache, key, reform)
    return cached  # type: ignore[no-any-return]


def _computed_once(cache: Any, key: str,
                   reform: Reform) -> tuple[NationalSummary, list[CountyFigures]]:
    """Compute the figures, or wait for the worker already computing them for this key.

    After a write every web worker misses the cache at once; one computes while the others
    wait for its result (up to REPORT_WAIT_SECONDS, then compute themselves), so that a busy
    server does not compute the same figures once per request.
    """
    marker = f"{key}:computing"
    if not cache.add(marker, os.getpid(), timeout=REPORT_WAIT_SECONDS * 2):
        deadline = time.monotonic() + REPORT_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            cached = cache.get(key)
            if cached is not None:
                return cached  # type: ignore[no-any-return]
    try:
        figures = _national_figures(reform, cache)
        cache.set(key, figures)
    finally:
        cache.delete(marker)
    return figures


def _county_parts(reform: Reform, cache: Any = None
                  ) -> tuple[dict[int, FormerFigures], list[CountyFigures]]:
    """Every former municipality's figures and every county's (by name): a county's from
    the cache while none of its records changed (its municipalities' version counters, those
    of a split predecessor's other successors, and that of records of none), the others
    computed together in a fixed number of queries. After a write, only the counties it
    touched are computed again."""
    municipalities = list(Municipality.objects.filter(reform=reform).order_by("name"))
    news = [m for m in municipalities if m.stage == Stage.NEW]
    by_former = successions_from(reform=reform)
    formers_of: dict[int, set[int]] = {new.pk: set() for new in news}
    scopes: dict[int, set[int]] = {new.pk: {0, new.pk} for new in news}
    for former_id, parts in by_former.items():
        for part in parts:
            formers_of[part.new_id].add(former_id)
            scopes[part.new_id].update({former_id, *(p.new_id for p in parts)})
    found: dict[str, Any] = {}
    keys: dict[int, str] = {}
    if cache is not None:
        versions = dict(ScopeVersion.objects.values_list("scope", "version"))
        keys = {pk: _county_figures_key(reform, pk, [(s, versions.get(s, 0)) for s in sorted(ids)])
                for pk, ids in scopes.items()}
        found = cache.get_many(list(keys.values()))
    stale = {new.pk for new in news if keys.get(new.pk) not in found}
    orphans = {m.pk for m in municipalities if m.stage == Stage.FORMER and m.pk not in by_former}
    wanted = orphans | {f for pk in stale for f in formers_of[pk]}
    formers = former_figures(reform, wanted) if wanted else {}
    computed = ({c.id: c for c in county_figures(reform, formers, stale, by_former)}
                if stale else {})
    fresh = {}
    every_county = []
    for new in news:
        if new.pk in stale:
            row = computed[new.pk]
            fresh[keys.get(new.pk)] = (row, {f: formers[f] for f in formers_of[new.pk]})
        else:
            row, own = found[keys[new.pk]]
            formers.update(own)
        every_county.append(row)
    if cache is not None and fresh:
        cache.set_many(fresh)
    return formers, every_county


def _county_figures_key(reform: Reform, county_id: int, versions: list[tuple[int, int]]) -> str:
    return "national-county:" + _report_key(reform, repr((county_id, versions)))


def _national_figures(reform: Reform,
                      cache: Any = None) -> tuple[NationalSummary, list[CountyFigures]]:
    formers, every_county = _county_parts(reform, cache)
    surveyed = [f for f in formers.values() if f.surveyed]
    reporting = [f for f in surveyed if f.ict_spend_eur is not None]
    shares = [f.share_pct for f in reporting if f.share_pct is not None]
    new_count = len(every_county)
    surveyed_new = {c.id for c in every_county if c.surveyed}
    spend = sum((f.ict_spend_eur for f in reporting if f.ict_spend_eur is not None), Decimal(0))
    money = money_totals([c.after for c in every_county])
    summary: NationalSummary = {
        "reform": {"code": reform.code, "name": reform.name,
                   "effective_date": reform.effective_date.isoformat()},
        "demo_data": any(f.is_demo for f in formers.values()),
        "former_municipalities": len(formers),
        "former_municipalities_surveyed": len(surveyed),
        "new_municipalities": new_count,
        "new_municipalities_surveyed": len(surveyed_new),
        "computers": sum(f.computers for f in formers.values()),
        "servers": sum(f.servers for f in formers.values()),
        "server_rooms": sum(f.server_rooms for f in formers.values()),
        "information_systems": sum(f.information_systems for f in formers.values()),
        "ict_spend_eur": int(spend) if spend == int(spend) else float(spend),
        "municipalities_reporting_spend": len(reporting),
        "municipalities_at_or_below_0_75_pct": sum(1 for s in shares if s <= SHARE_THRESHOLD_PCT),
        "share_threshold_pct": float(SHARE_THRESHOLD_PCT),
        "median_share_pct": float(sorted(shares)[len(shares) // 2]) if shares else None,
        "share_histogram": [
            {"from_pct": float(b["from"]), "to_pct": float(b["to"]) if b["to"] else None,
             "count": b["count"]} for b in share_histogram(reporting)
        ],
        "one_off_eur": money["one_off_eur"],
        "annual_change_eur": money["annual_change_eur"],
        "money": money,
    }
    return summary, every_county


def national_report(reform: Reform, visible: set[int] | None = None) -> NationalReport:
    """The published figures recomputed from records, and one row per new municipality.

    The figures are the whole country's (computed once, or read from the cache), then the
    rows are narrowed to the new municipalities the user may see.
    """
    summary, every_county = national_figures(reform)
    counties = [c for c in every_county if visible is None or c.id in visible]
    return {**summary, "new": [_county_json(c) for c in counties]}


def county_report(county: County, row: NationalCounty | None = None) -> CountyReport:
    """The cockpit's figures of one county: its row of the national view (before, after and
    the budget of record), the predecessors' governance model (planning.current_support),
    the payback of the budget of record (planning.budget_of_record) and each answer's state.
    A caller holding the national report passes the county's row (the open data does)."""
    if row is None:
        row = national_report(county.reform, {county.pk})["new"][0]
    after = row["after"]
    before = current_support(county.ids).model
    budget = budget_of_record(county.municipality)
    return {
        "code": row["code"], "name": row["name"],
        "servers_before": row["servers"], "servers_after": row["servers_after"],
        "server_rooms_before": row["server_rooms"],
        "server_rooms_after": row["server_rooms_after"],
        "information_systems_before": row["information_systems"],
        "information_systems_after": row["information_systems_after"],
        "software_products_before": row["software_products"],
        "software_products_after": row["software_products_after"],
        "governance_before": before.value if before else None,
        "governance_before_label": _governance_label(before.value if before else None),
        "governance_after": row["governance_after"],
        "governance_after_label": row["governance_after_label"],
        "governance_after_chosen": after.get("governance_after_chosen"),
        "one_off_eur": after.get("one_off_cost_eur"),
        "annual_change_eur": after.get("annual_cost_change_eur"),
        "one_off_range_eur": after.get("one_off_range_eur"),
        "annual_change_range_eur": after.get("annual_change_range_eur"),
        "payback_years": budget.get("payback_years") if budget else None,
        "servers_state": _state(row["servers_after"], after.get("servers_after_chosen")),
        "server_rooms_state": _state(row["server_rooms_after"],
                                     after.get("servers_after_chosen")),
        "information_systems_state": _state(
            row["information_systems_after"],
            after.get("information_systems_after_basis") == "decided"),
        "software_products_state": _state(
            row["software_products_after"],
            after.get("software_products_after_basis") == "decided"),
        "governance_state": _state(row["governance_after"],
                                   after.get("governance_after_chosen")),
    }


def _state(after: object, chosen: bool | None) -> str:
    """An answer's state: not planned without an "after" figure, chosen when the county
    recorded its decision, planned otherwise (computed or recommended)."""
    if after is None:
        return AnswerState.NOT_PLANNED.value
    return (AnswerState.CHOSEN if chosen else AnswerState.PLANNED).value


def _governance_label(code: str | None) -> str | None:
    """The governance model's name in the current language (the JSON keeps the code)."""
    if code in GovernanceModel.values:
        return str(GovernanceModel(code).label)
    return code


def _county_json(county: CountyFigures) -> NationalCounty:
    after = county.after
    return {
        "code": county.code, "name": county.name, "predecessors": list(county.predecessors),
        "surveyed": county.surveyed, "computers": county.computers, "servers": county.servers,
        "server_rooms": county.server_rooms, "information_systems": county.information_systems,
        "software_products": county.software_products,
        "ict_spend_eur": _int_or_none(county.ict_spend_eur),
        "total_expenditure_eur": _int_or_none(county.total_expenditure_eur),
        "share_pct": float(county.share_pct) if county.share_pct is not None else None,
        "after": after.copy(),
        "servers_after": after.get("servers_after"),
        "server_rooms_after": after.get("server_rooms_after"),
        "information_systems_after": after.get("information_systems_after"),
        "software_products_after": after.get("software_products_after"),
        "governance_after": after.get("governance_after"),
        "governance_after_label": _governance_label(after.get("governance_after")),
        "one_off_share_of_ict_spend": _share(after.get("one_off_cost_eur"),
                                             county.ict_spend_eur),
        "annual_change_share_of_ict_spend": _share(after.get("annual_cost_change_eur"),
                                                   county.ict_spend_eur),
    }


def _share(amount: float | None, spend: Decimal | None) -> float | None:
    """An amount as a share of a year's ICT spend, when both are known."""
    if amount is None or not spend:
        return None
    return round(float(amount) / float(spend), 4)


def _int_or_none(value: Decimal | None) -> int | None:
    return int(value) if value is not None else None
