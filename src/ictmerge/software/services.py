"""Software register operations, called alike by views, the API, the CLI and jobs.

Normalising installations maps each raw title to a SoftwareProduct through the engine's
normaliser (the shipped catalogue plus the stewards' TitleRules); the review queue lists
the titles the normaliser is unsure of; mapping a title there creates a TitleRule.
The licence position and the contracts to act on are computed per new municipality from
the records of its predecessors.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext_lazy as _

from ictmerge.core import scoping
from ictmerge.core.history import acting_as, record_bulk, record_bulk_updates, snapshot
from ictmerge.core.providers import (
    INSTALLATION_NORMALISERS,
    LICENCE_MATCHERS,
    RETIRED_PRODUCT_PROVIDERS,
)
from ictmerge.engine.software import (
    Catalogue,
    Category,
    LicenceMetric,
    LicenceType,
    NormalisedTitle,
    Normaliser,
    ProductRef,
    RawTitle,
    RetiredBy,
    Retirement,
    TransferRule,
    UserRule,
    licence_positions,
    load_catalogue,
    plan_purchases,
)
from ictmerge.engine.software import Installation as EngineInstallation
from ictmerge.engine.software import Licence as EngineLicence
from ictmerge.engine.software.normalise import MatchKind
from ictmerge.inventory.choices import ProductCategory
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Contract, Installation, Licence, SoftwareProduct
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import County, covered_ids, successions_from
from ictmerge.reforms.models import Municipality, Succession
from ictmerge.software.choices import ContractAction, RuleMatch
from ictmerge.software.models import TitleRule
from ictmerge.software.payloads import (
    ContractsToAct,
    ContractToActPayload,
    LicencePosition,
    LowExpectedHigh,
    PositionTotals,
    ProductPositionPayload,
    ShortfallCostPayload,
)

Progress = Callable[[float, str], None]
CHUNK = 2000
#: A server whose cores are unknown counts as 16 cores: the usual per-server minimum of
#: core-licensed server software (an assumption, shown with the position).
UNKNOWN_SERVER_CORES = 16
DEFAULT_EXPIRY_MONTHS = 12


class SoftwareError(Exception):
    """A request the software register cannot fulfil (unknown code, out of scope)."""


# -- normaliser ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    """The shipped software catalogue, read once per process."""
    return load_catalogue()


def _user_rule(rule: TitleRule) -> UserRule:
    return UserRule(pattern=rule.pattern, vendor=rule.vendor, product=rule.product,
                    category=Category(rule.category), match=MatchKind(rule.match),
                    publisher=rule.publisher, major_version=rule.major_version or None,
                    rule_id=str(rule.pk))


class RuleBook:
    """The title rules and where each holds: a shared rule everywhere, another in its
    owner's county (a new municipality and its predecessors) or former municipality."""

    def __init__(self) -> None:
        # covered_ids of every owner at once: a new municipality with its predecessors.
        formers: dict[int, set[int]] = defaultdict(set)
        for new_id, former_id in Succession.objects.values_list("new_id", "former_id"):
            formers[new_id].add(former_id)
        self.rules: list[tuple[UserRule, set[int] | None]] = []
        for rule in TitleRule.objects.order_by("-shared", "pk"):
            scope = None if rule.shared else {rule.municipality_id, *formers[rule.municipality_id]}
            self.rules.append((_user_rule(rule), scope))
        self._normalisers: dict[tuple[str, ...], Normaliser] = {}

    def rules_for(self, municipality_ids: Iterable[int] | None) -> list[UserRule]:
        """The rules that hold in every one of the municipalities (None: the shared ones)."""
        wanted = None if municipality_ids is None else set(municipality_ids)
        return [rule for rule, scope in self.rules
                if scope is None or (wanted and wanted <= scope)]

    def normaliser(self, municipality_ids: Iterable[int] | None) -> Normaliser:
        """A normaliser over the shipped catalogue and the rules that hold there."""
        rules = self.rules_for(municipality_ids)
        key = tuple(rule.rule_id for rule in rules)
        found = self._normalisers.get(key)
        if found is None:
            found = self._normalisers[key] = Normaliser(shipped_catalogue(), rules)
        return found


def user_rules(municipality_ids: Iterable[int] | None = None) -> list[UserRule]:
    """The title rules that hold in the municipalities (None: the shared ones), oldest first."""
    return RuleBook().rules_for(municipality_ids)


def current_normaliser(municipality_ids: Iterable[int] | None = None) -> Normaliser:
    """A normaliser over the shipped catalogue and today's rules that hold in every one of
    the municipalities (None: the shared rules only)."""
    return RuleBook().normaliser(municipality_ids)


def product_exists(vendor: str, product: str) -> bool:
    """True when the register or the shipped catalogue has the product (by vendor and name)."""
    vendor_key, product_key = vendor.strip().casefold(), product.strip().casefold()
    for p in SoftwareProduct.objects.filter(vendor__iexact=vendor.strip()):
        if product_key in (p.name.casefold(), " ".join(x for x in (p.name, p.edition) if x).casefold()):
            return True
    return any(p.vendor.casefold() == vendor_key and p.product.casefold() == product_key
               for p in shipped_catalogue().products)


# -- municipalities -----------------------------------------------------------------------


def find_municipality(code: str, reform_code: str | None = None, stage: str | None = None) -> Municipality:
    """A municipality by code (new before former when both have it); SoftwareError if none."""
    candidates = Municipality.objects.filter(code=code).select_related("reform")
    if reform_code:
        candidates = candidates.filter(reform__code=reform_code)
    if stage:
        candidates = candidates.filter(stage=stage)
    found = sorted(candidates, key=lambda m: (m.stage != Stage.NEW, -m.reform.effective_date.toordinal()))
    if not found:
        raise SoftwareError(f"no municipality with code '{code}'"
                            + (f" in reform '{reform_code}'" if reform_code else ""))
    return found[0]


# -- normalising installations ------------------------------------------------------------


@dataclass(frozen=True)
class NormaliseResult:
    """What normalising a set of installations did."""

    installations: int
    titles: int
    changed: int
    products_created: int
    needs_review: int


def _product_key(vendor: str, name: str, edition: str, major: str) -> tuple[str, str, str]:
    full = " ".join(p for p in (name, edition) if p)
    return (vendor.casefold(), full.casefold(), major.casefold())


def _products_for(results: Iterable[NormalisedTitle]) -> tuple[dict[tuple[str, str, str], int], int]:
    """Product ids for the normalised titles, creating the missing products in bulk."""
    index: dict[tuple[str, str, str], int] = {}
    for product in SoftwareProduct.objects.all().order_by("pk"):
        index.setdefault(_product_key(product.vendor, product.name, product.edition,
                                      product.major_version), product.pk)
    missing: dict[tuple[str, str, str], SoftwareProduct] = {}
    for result in results:
        vendor, name, major = result.vendor[:200], result.product[:200], result.major_version[:40]
        key = _product_key(vendor, name, "", major)
        if key not in index and key not in missing:
            missing[key] = SoftwareProduct(vendor=vendor, name=name, major_version=major,
                                           category=result.category.value)
    created = SoftwareProduct.objects.bulk_create(list(missing.values()), batch_size=CHUNK)
    record_bulk(created)
    for key, product in zip(missing, created, strict=True):
        index[key] = product.pk
    return index, len(created)


def licence_product_matcher(municipality_id: int | None = None) -> Callable[[str], int | None]:
    """For one import into a municipality: licence title → its product's id when the
    normaliser (with the rules that hold there) is sure (the product created if missing),
    else None."""
    normaliser = current_normaliser(None if municipality_id is None else [municipality_id])

    def product_of(title: str) -> int | None:
        result = normaliser.normalise(RawTitle(title, ""))
        if result.needs_review:
            return None
        index, _created = _products_for([result])
        return index[_product_key(result.vendor[:200], result.product[:200], "",
                                  result.major_version[:40])]

    return product_of


def register_matcher() -> None:
    """Let the importers link a licence to the product it names, and loads normalise the
    installed titles they bring (called once at start-up)."""
    if licence_product_matcher not in LICENCE_MATCHERS:
        LICENCE_MATCHERS.append(licence_product_matcher)
    if normalise_installations not in INSTALLATION_NORMALISERS:
        INSTALLATION_NORMALISERS.append(normalise_installations)


def normalise_installations(
    municipality_ids: Iterable[int],
    progress: Progress | None = None,
    titles: set[tuple[str, str]] | None = None,
    unlinked_only: bool = False,
) -> NormaliseResult:
    """Point every installation of the municipalities at its normalised product, in bulk.

    Each distinct title is normalised once (per set of title rules, most municipalities
    share one); only installations whose product changes are written, each write in the
    history. `titles` (name, publisher) limits the work to those titles; `unlinked_only` to
    the installations not linked to a product yet (what a load brings).
    """
    report = progress or (lambda percent, message: None)
    ids = list(municipality_ids)
    book = RuleBook()
    # Each municipality's titles through the rules that hold there (most share one set).
    normaliser_of = {pk: book.normaliser([pk]) for pk in ids}
    rows = Installation.objects.filter(municipality_id__in=ids).order_by()
    if titles is not None:
        rows = rows.filter(raw_name__in={name for name, _ in titles})
    if unlinked_only:
        rows = rows.filter(product__isnull=True)
    report(5, "Reading the installed titles")
    current: dict[int, int | None] = {}
    title_of: dict[int, tuple[int, str, str, str]] = {}
    for pk, name, publisher, version, product_id, municipality_id in rows.values_list(
            "pk", "raw_name", "raw_publisher", "raw_version", "product_id",
            "municipality_id").iterator(chunk_size=CHUNK):
        if titles is not None and (name, publisher) not in titles:
            continue
        current[pk] = product_id
        title_of[pk] = (municipality_id, name, publisher, version)
    # The distinct titles of each set of rules, normalised in one pass each.
    by_normaliser: dict[int, tuple[Normaliser, set[tuple[str, str, str]]]] = {}
    for municipality_id, name, publisher, version in set(title_of.values()):
        normaliser = normaliser_of[municipality_id]
        by_normaliser.setdefault(id(normaliser), (normaliser, set()))[1].add((name, publisher, version))
    unique = {t for _normaliser, found in by_normaliser.values() for t in found}
    report(20, f"Normalising {len(unique)} distinct titles")
    result_of: dict[tuple[int, str, str, str], NormalisedTitle] = {}
    for normaliser, found in by_normaliser.values():
        ordered = sorted(found)
        for title, result in zip(ordered, normaliser.normalise_many(RawTitle(*t) for t in ordered),
                                 strict=True):
            result_of[(id(normaliser), *title)] = result
    results = {key: result_of[(id(normaliser_of[key[0]]), *key[1:])]
               for key in set(title_of.values())}
    with transaction.atomic():
        report(40, "Finding the products")
        index, created = _products_for(results.values())
        target_of = {key: index[_product_key(r.vendor[:200], r.product[:200], "", r.major_version[:40])]
                     for key, r in results.items()}
        changing = sorted(pk for pk, key in title_of.items() if current[pk] != target_of[key])
        for start in range(0, len(changing), CHUNK):
            chunk = changing[start:start + CHUNK]
            records = list(Installation.objects.filter(pk__in=chunk).select_related("municipality"))
            befores = [snapshot(record) for record in records]
            for record in records:
                record.product_id = target_of[title_of[record.pk]]
            Installation.objects.bulk_update(records, ["product"], batch_size=CHUNK)
            record_bulk_updates(zip(records, befores, strict=True))
            done = start + len(chunk)
            report(40 + 55 * done / len(changing), f"Updated {done} of {len(changing)} installations")
    report(100, "Done")
    review = {key[1:] for key, r in results.items() if r.needs_review}
    return NormaliseResult(installations=len(title_of), titles=len(unique), changed=len(changing),
                           products_created=created, needs_review=len(review))


def may_normalise(user: Any, municipality: Municipality) -> bool:
    """True when the user may change every record the normalisation would touch."""
    return all(scoping.may_change_municipality(user, pk) for pk in covered_ids(municipality))


# -- review queue -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    """A title the normaliser is unsure of, with what it would guess."""

    name: str
    publisher: str
    version: str
    installs: int
    rows: int
    municipalities: int
    suggestion: NormalisedTitle


def review_queue(municipality_ids: set[int] | None, limit: int = 500) -> list[ReviewItem]:
    """Unknown and low-confidence titles in the municipalities (None: all), most installed first."""
    rows = Installation.objects.order_by()
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    book = RuleBook()
    # Per title and municipality, each through the rules that hold there: a title is in the
    # queue while some municipality's rules leave it unsure.
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows.values("raw_name", "raw_publisher", "municipality_id").annotate(
            installs=Sum("count"), rows=Count("pk"), version=Max("raw_version")):
        title = (row["raw_name"], row["raw_publisher"])
        entry = found.setdefault(title, {"installs": 0, "rows": 0, "municipalities": 0,
                                         "version": "", "unsure": None})
        entry["installs"] += row["installs"] or 0
        entry["rows"] += row["rows"]
        entry["municipalities"] += 1
        entry["version"] = max(entry["version"], row["version"] or "")
        if entry["unsure"] is None:
            result = book.normaliser([row["municipality_id"]]).normalise(
                RawTitle(row["raw_name"], row["raw_publisher"], row["version"] or ""))
            if result.needs_review:
                entry["unsure"] = result
    items = [ReviewItem(name, publisher, e["version"], e["installs"], e["rows"],
                        e["municipalities"], e["unsure"])
             for (name, publisher), e in found.items() if e["unsure"] is not None]
    items.sort(key=lambda i: (-i.installs, i.name.casefold(), i.publisher))
    return items[:limit]


@dataclass(frozen=True)
class MapResult:
    """The rule a mapping created and what applying it changed."""

    rule: TitleRule
    applied: NormaliseResult
    municipalities: int


def map_title(user: Any, name: str, publisher: str, vendor: str, product: str, category: str,
              major_version: str = "", match: str = RuleMatch.EXACT,
              municipality: Municipality | None = None, any_publisher: bool = False,
              shared: bool = False) -> MapResult:
    """Create a TitleRule from a mapping and apply it where it holds and the user may write.

    The rule belongs to the municipality given, else the user's own (a county lead's county,
    a steward's municipality), else the one with the most installations the user may change;
    it holds there (a new municipality's also in its predecessors) unless shared, which only
    an administrator may do. Raises ValidationError (keyed by field) or SoftwareError, and
    then changes nothing.
    """
    writable = scoping.writable_ids(user)
    if shared and not scoping.may_change_reference(user):
        raise SoftwareError("only an administrator may share a rule with every municipality")
    if municipality is None:
        membership = getattr(user, "membership", None) if getattr(user, "pk", None) else None
        own = getattr(membership, "municipality", None)
        if own is not None and scoping.may_change_municipality(user, own.pk):
            municipality = own
    if municipality is None:
        holders = Installation.objects.filter(raw_name=name, raw_publisher=publisher).order_by()
        if writable is not None:
            holders = holders.filter(municipality_id__in=writable)
        top = holders.values("municipality_id").annotate(n=Sum("count")).order_by("-n", "municipality_id").first()
        if top is None:
            raise SoftwareError("choose the municipality that owns the rule: the title is not "
                                "installed in any municipality you may change")
        municipality = Municipality.objects.get(pk=top["municipality_id"])
    if not scoping.may_change_municipality(user, municipality.pk):
        raise SoftwareError(f"you may not change the records of {municipality}")
    rule = TitleRule(municipality=municipality, match=match, pattern=name.strip(),
                     publisher="" if any_publisher else publisher.strip(), vendor=vendor.strip(),
                     product=product.strip(), major_version=major_version.strip(),
                     category=category, shared=shared)
    with transaction.atomic(), acting_as(user):
        rule.full_clean()
        rule.save()
        applied = apply_rule(rule, writable)
    return MapResult(rule=rule, applied=applied[0], municipalities=applied[1])


def map_titles(user: Any, titles: Sequence[tuple[str, str]], vendor: str, product: str,
               category: str, major_version: str = "",
               municipality: Municipality | None = None, any_publisher: bool = False,
               shared: bool = False) -> list[MapResult]:
    """Map the selected titles (name, publisher) of the review queue to one product at once,
    all or nothing: a title rule each, as map_title makes; the first refusal (ValidationError
    or SoftwareError) changes nothing."""
    with transaction.atomic():
        return [map_title(user, name, publisher, vendor, product, category, major_version,
                          municipality=municipality, any_publisher=any_publisher, shared=shared)
                for name, publisher in dict.fromkeys(titles)]


def rule_scope(rule: TitleRule) -> set[int] | None:
    """The municipalities where a rule holds (None: every one, a shared rule)."""
    if rule.shared:
        return None
    return set(covered_ids(rule.municipality))


def apply_rule(rule: TitleRule, municipality_ids: set[int] | None) -> tuple[NormaliseResult, int]:
    """Re-normalise the titles a rule matches where it holds, within the municipalities
    (None: wherever it holds)."""
    scope = rule_scope(rule)
    if scope is not None and municipality_ids is not None:
        scope &= municipality_ids
    elif scope is None:
        scope = municipality_ids
    book = RuleBook()
    rows = Installation.objects.order_by()
    if scope is not None:
        rows = rows.filter(municipality_id__in=scope)
    hit: set[tuple[str, str]] = set()
    where: set[int] = set()
    for name, publisher, version, municipality_id in rows.values_list(
            "raw_name", "raw_publisher", "raw_version", "municipality_id").distinct():
        result = book.normaliser([municipality_id]).normalise(RawTitle(name, publisher, version))
        if result.rule_id == f"user:{rule.pk}":
            hit.add((name, publisher))
            where.add(municipality_id)
    if not hit:
        return NormaliseResult(0, 0, 0, 0, 0), 0
    return normalise_installations(where, titles=hit), len(where)


# -- licence position ---------------------------------------------------------------------


@dataclass(frozen=True)
class ShortfallCost:
    """What closing a shortfall would cost, priced from the cost catalogue."""

    item: str
    label: str
    quantity: int
    low: float
    expected: float
    high: float
    basis: str
    kind: str = "one_off"


@dataclass
class ProductPosition:
    """One product's position for the new municipality."""

    vendor: str
    product: str
    metric: str
    installs: int
    devices: int
    users: int
    cores: int
    needed: int
    entitled: int
    shortfall: int
    surplus: int
    not_transferable: int
    shortfall_if_untransferable_lost: int
    expiring: int
    expired: int
    missing_proof: int
    licence_records: int
    site_licence: bool
    cost: ShortfallCost | None = None
    category: str = ProductCategory.LICENSABLE
    #: How the product's licences pass to the new municipality (TransferRule values).
    transfer_rule: str = TransferRule.NO_LICENCE
    rule_units: dict[str, int] = field(default_factory=dict)
    #: Need left uncovered by the licences that pass; installs moving in from retired products.
    uncovered_after_transfer: int = 0
    moved_in: int = 0
    #: Licences the new municipality buys, priced (one-off, or annual for a subscription).
    to_buy: int = 0
    purchase: ShortfallCost | None = None
    vendor_transfers: int = 0
    retenants: int = 0
    retired_by: str | None = None
    retired_note: str = ""
    in_review: bool = False

    @property
    def rule_label(self) -> str:
        """The transfer rule in words, in the current language."""
        return str(TRANSFER_RULE_LABELS[TransferRule(self.transfer_rule)])


@dataclass
class PositionReport:
    """The licence position of a new municipality, product by product."""

    county: Municipality
    predecessors: list[Municipality]
    as_of: dt.date
    expiring_before: dt.date
    products: list[ProductPosition]
    is_demo: bool
    assumptions: list[str] = field(default_factory=list)

    @property
    def short(self) -> list[ProductPosition]:
        """Products with a shortfall."""
        return [p for p in self.products if p.shortfall > 0]

    @property
    def purchase_eur(self) -> dict[str, LowExpectedHigh]:
        """What the licences to buy cost: one-off (perpetual) and annual (subscriptions)."""
        sums = {kind: {"low": 0.0, "expected": 0.0, "high": 0.0} for kind in ("one_off", "annual")}
        for p in self.products:
            if p.purchase is not None:
                target = sums[p.purchase.kind]
                target["low"] += p.purchase.low
                target["expected"] += p.purchase.expected
                target["high"] += p.purchase.high
        return {kind: {"low": round(v["low"], 2), "expected": round(v["expected"], 2),
                       "high": round(v["high"], 2)} for kind, v in sums.items()}

    @property
    def totals(self) -> PositionTotals:
        """Sums over the products."""
        costs = [p.cost for p in self.products if p.cost is not None]
        purchase = self.purchase_eur
        return {
            "products": len(self.products),
            "products_short": len(self.short),
            "products_with_surplus": sum(1 for p in self.products if p.surplus > 0),
            "shortfall": sum(p.shortfall for p in self.products),
            "surplus": sum(p.surplus for p in self.products),
            "not_transferable": sum(p.not_transferable for p in self.products),
            "expiring": sum(p.expiring for p in self.products),
            "missing_proof": sum(p.missing_proof for p in self.products),
            "shortfall_cost_eur": {
                "low": round(sum(c.low for c in costs), 2),
                "expected": round(sum(c.expected for c in costs), 2),
                "high": round(sum(c.high for c in costs), 2),
            },
            "to_buy": sum(p.to_buy for p in self.products),
            "products_to_buy": sum(1 for p in self.products if p.to_buy > 0),
            "products_retired": sum(1 for p in self.products if p.retired_by),
            "vendor_transfers": sum(p.vendor_transfers for p in self.products),
            "retenants": sum(p.retenants for p in self.products),
            "purchase_one_off_eur": purchase["one_off"],
            "purchase_annual_eur": purchase["annual"],
        }


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                                              31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]))


class _Identity:
    """Product identity for the position: every spelling goes through the normaliser once."""

    def __init__(self, normaliser: Normaliser) -> None:
        self.normaliser = normaliser
        self.names: dict[ProductRef, tuple[str, str]] = {}

    def of(self, name: str, publisher: str) -> tuple[ProductRef, NormalisedTitle]:
        result = self.normaliser.normalise(RawTitle(name, publisher))
        ref = ProductRef(result.vendor.casefold(), result.product.casefold())
        self.names.setdefault(ref, (result.vendor, result.product))
        return ref, result

    def of_product(self, product: SoftwareProduct) -> tuple[ProductRef, NormalisedTitle]:
        title = " ".join(p for p in (product.name, product.edition, product.major_version) if p)
        return self.of(title, product.vendor)


def _catalogue_metrics() -> dict[ProductRef, LicenceMetric]:
    return {ProductRef(p.vendor.casefold(), p.product.casefold()): p.metric
            for p in shipped_catalogue().products}


@dataclass(frozen=True)
class _CostItem:
    label: str
    low: float
    expected: float
    high: float
    basis: str
    kind: str = "one_off"


@lru_cache(maxsize=1)
def _cost_items() -> dict[str, _CostItem]:
    """The licence prices of the shipped cost catalogue (the planning engine's file)."""
    text = resources.files("ictmerge.engine.planning").joinpath("data/cost_catalogue.json")
    items = json.loads(text.read_text(encoding="utf-8"))["items"]
    return {
        key: _CostItem(row["label"], float(row["low"]), float(row["expected"]), float(row["high"]),
                       f"source: {row['source']}" if "source" in row
                       else f"assumption: {row.get('assumption', '')}", row.get("kind", "one_off"))
        for key, row in items.items()
    }


def licence_item(product: str, metric: str, subscription: bool = False) -> str:
    """The cost-catalogue item that prices a licence of the product: a subscription is
    priced by the year, another licence once."""
    name = product.casefold()
    if metric == LicenceMetric.CORE and not subscription:
        return "licence.server_core"
    if "office" in name or "365" in name:
        return ("licence.office_subscription" if subscription or metric != LicenceMetric.DEVICE
                else "licence.office_suite")
    if subscription:
        return "licence.subscription"
    if "windows" in name and "server" not in name:
        return "licence.client_os"
    return "licence.generic"


def shortfall_cost(product: str, metric: str, shortfall: int,
                   subscription: bool = False) -> ShortfallCost | None:
    """Price a shortfall with the closest cost-catalogue item (the item is named, with its basis)."""
    if shortfall <= 0:
        return None
    key = licence_item(product, metric, subscription)
    quantity = math.ceil(shortfall / 2) if key == "licence.server_core" else shortfall
    item = _cost_items().get(key)
    if item is None:
        return None
    return ShortfallCost(item=key, label=item.label, quantity=quantity,
                         low=round(item.low * quantity, 2), expected=round(item.expected * quantity, 2),
                         high=round(item.high * quantity, 2), basis=item.basis, kind=item.kind)


def licence_position(county: Municipality, as_of: dt.date | None = None,
                     months: int = DEFAULT_EXPIRY_MONTHS) -> PositionReport:
    """Entitled against needed, per product, for a new municipality (or one former one), and
    what it buys at the reform.

    Installations of licensable products and of any licensed product count; licences
    expired on `as_of` (default: the reform date) entitle nothing; "expiring" means before
    `as_of` + `months`. A predecessor split between successors is counted whole in each.
    The licences that pass to the new municipality (by their type) cover the need first;
    the rest is bought, except for products the portfolio or the IS plan retires.
    """
    as_of = as_of or county.reform.effective_date
    expiring_before = _add_months(as_of, months)

    # By who held the records before the takeover (the handover log): the same after the acts.
    ids = covered_ids(county)
    identity = _Identity(current_normaliser(ids))
    continues = county.stage == Stage.NEW and unchanged_by_reform(county)
    licences = list(held_before(Licence, ids).select_related("product"))
    licensed: set[ProductRef] = set()
    licensable: dict[ProductRef, bool] = {}
    categories: dict[ProductRef, str] = {}
    subscriptions: set[ProductRef] = set()
    engine_licences: list[EngineLicence] = []
    records: dict[ProductRef, int] = defaultdict(int)
    for licence in licences:
        if licence.product is not None:
            ref, _ = identity.of_product(licence.product)
            category = licence.product.category
        else:
            ref, found = identity.of(licence.product_name, "")
            category = found.category.value
        licensed.add(ref)
        records[ref] += 1
        engine = EngineLicence(
            product=ref, metric=LicenceMetric(licence.metric), quantity=licence.quantity,
            expires=licence.expires, transferable=licence.transferable,
            proof_present=bool(licence.proof) or bool(licence.proof_reference), reference=str(licence.pk),
            licence_type=LicenceType(licence.licence_type), holder_continues=continues)
        engine_licences.append(engine)
        if engine.is_subscription:
            subscriptions.add(ref)
        categories.setdefault(ref, category)
        licensable[ref] = licensable.get(ref, False) or category == ProductCategory.LICENSABLE
    installations = held_before(Installation, ids)
    linked = SoftwareProduct.objects.in_bulk(
        set(installations.filter(product__isnull=False).values_list("product_id", flat=True)))
    # Each title once: linked ones count by their product, others as linking would give.
    sure: set[ProductRef] = set()
    unsure: set[ProductRef] = set()
    title_refs: dict[tuple[int | None, str, str], ProductRef | None] = {}
    for product_id, name, publisher in (installations.order_by()
                                        .values_list("product_id", "raw_name", "raw_publisher")
                                        .distinct()):
        ref, result = identity.of(name, publisher)
        category = result.category.value
        product = linked.get(product_id) if product_id is not None else None
        if product is not None:
            ref, _ = identity.of_product(product)
            category = product.category
        keep = category == ProductCategory.LICENSABLE or ref in licensed
        title_refs[(product_id, name, publisher)] = ref if keep else None
        if keep:
            categories.setdefault(ref, category)
            licensable[ref] = licensable.get(ref, False) or category == ProductCategory.LICENSABLE
            (unsure if result.needs_review else sure).add(ref)
    installs: list[EngineInstallation] = []
    for pk, product_id, name, publisher, count, device_id, cores in (
            installations.order_by()
            .values_list("pk", "product_id", "raw_name", "raw_publisher", "count", "device_id",
                         "device__cores").iterator(chunk_size=CHUNK)):
        counted = title_refs.get((product_id, name, publisher))
        if counted is None:
            continue
        # No inventory names a device's user: each device stands for one user.
        if device_id is not None:
            installs.append(EngineInstallation(counted, f"d{device_id}", f"d{device_id}",
                                               cores or UNKNOWN_SERVER_CORES))
        else:
            installs.extend(EngineInstallation(counted, f"i{pk}.{n}", f"i{pk}.{n}", UNKNOWN_SERVER_CORES)
                            for n in range(count))
    metrics = _catalogue_metrics()
    subscriptions |= {ref for ref in identity.names if metrics.get(ref) is LicenceMetric.SUBSCRIPTION}
    positions = licence_positions(installs, engine_licences, as_of, expiring_before,
                                  {ref: metrics.get(ref, LicenceMetric.DEVICE) for ref in identity.names})
    retirements = retired_products(county, identity) if county.stage == Stage.NEW else []
    purchases = {p.product: p for p in plan_purchases(positions, licensable, retirements,
                                                      subscriptions, (unsure - sure) - licensed)}
    products = []
    for p in positions:
        vendor, name = identity.names.get(p.product, (p.product.vendor, p.product.product))
        buy = purchases[p.product]
        products.append(ProductPosition(
            vendor=vendor, product=name, metric=p.metric.value, installs=p.installs,
            devices=p.devices, users=p.users, cores=p.cores, needed=p.needed, entitled=p.entitled,
            shortfall=p.shortfall, surplus=p.surplus, not_transferable=p.not_transferable,
            shortfall_if_untransferable_lost=p.shortfall_if_untransferable_lost,
            expiring=p.expiring, expired=p.expired, missing_proof=p.missing_proof,
            licence_records=records.get(p.product, 0), site_licence=p.site_licence,
            cost=shortfall_cost(name, p.metric.value, p.shortfall),
            category=categories.get(p.product, ProductCategory.LICENSABLE),
            transfer_rule=buy.rule.value,
            rule_units={rule.value: units for rule, units in sorted(p.rule_units.items())},
            uncovered_after_transfer=buy.uncovered, moved_in=buy.moved_in, to_buy=buy.to_buy,
            purchase=shortfall_cost(name, p.metric.value, buy.to_buy, buy.subscription),
            vendor_transfers=buy.vendor_transfers, retenants=buy.retenants,
            retired_by=buy.retired.by.value if buy.retired else None,
            retired_note=buy.retired.note if buy.retired else "", in_review=buy.in_review))
    is_demo = (installations.filter(is_demo=True).exists()
               or held_before(Licence, ids).filter(is_demo=True).exists())
    assumptions = [
        f"Licences expired on {as_of.isoformat()} entitle nothing; 'expiring' means before "
        f"{expiring_before.isoformat()}.",
        "Versions of a product count together (downgrade rights); editions never do.",
        "An installation counted in aggregate, or on a device without a known user, counts as "
        "one device and one user.",
        f"A device whose cores are unknown counts {UNKNOWN_SERVER_CORES} cores for core licences.",
        "Proof means an uploaded document or a proof reference.",
        "An unknown title counts as licensable until a steward maps it; nothing is bought for a "
        "product known only from titles in the review queue.",
        "A predecessor split between new municipalities is counted whole in each.",
        "At the reform an OEM licence passes with its device, a volume licence by the vendor's "
        "transfer (a task, nothing to buy), a subscription by moving it to the new tenant (a "
        "task; it is renewed at its term as today); a licence marked not transferable is lost. "
        "Free software and components need no licence. A municipality the reform leaves "
        "unchanged (one predecessor, whole) keeps its licences as they are.",
        "To buy: the need the passing licences leave uncovered, plus the users without a "
        "passing licence of the products the portfolio or the IS plan replaces by this one (less "
        "its spare seats); nothing for a retired product (users with a passing licence keep it "
        "until the product is replaced). A subscription is priced by the year.",
    ]
    return PositionReport(county=county, predecessors=(County.of(county).formers
                                                        if county.stage == Stage.NEW else []), as_of=as_of,
                          expiring_before=expiring_before, products=products, is_demo=is_demo,
                          assumptions=assumptions)


def unchanged_by_reform(county: Municipality) -> bool:
    """True when the reform leaves the new municipality as it was: its one predecessor goes
    into it whole and into no other (the holder of its licences continues)."""
    formers = County.of(county).formers
    if len(formers) != 1:
        return False
    parts = successions_from(formers).get(formers[0].pk, [])
    return len(parts) == 1 and parts[0].share == 1


def retired_products(county: Municipality, identity: _Identity) -> list[Retirement]:
    """The products the county's plans retire: those the portfolio recommends replacing (one
    product kept per function) and those of the systems the IS plan replaces; the IS plan
    first."""
    from ictmerge.software.portfolio import portfolio

    found: list[Retirement] = []
    for provider in RETIRED_PRODUCT_PROVIDERS:
        for vendor, product, replacement, reason in provider(county):
            ref, result = identity.of(product, vendor)
            if result.needs_review:
                continue
            replaced = identity.of(replacement, "")[0] if replacement else None
            found.append(Retirement(ref, RetiredBy.IS_PLAN, replaced, reason))
    for group in portfolio(county).groups:
        keep = ProductRef(group.keep.vendor.casefold(), group.keep.product.casefold())
        for line in group.drop:
            found.append(Retirement(ProductRef(line.vendor.casefold(), line.product.casefold()),
                                    RetiredBy.PORTFOLIO, keep,
                                    f"{group.label}: {group.keep.label}"))
    return found


#: What each transfer rule means, for people (pages, CLI, JSON).
TRANSFER_RULE_LABELS = {
    TransferRule.WITH_DEVICE: _("OEM: passes with its device, nothing to buy"),
    TransferRule.VENDOR_TRANSFER: _("Volume licence: the vendor transfers it (a task, no purchase)"),
    TransferRule.RETENANT: _("Subscription: moved to the new tenant (a task, no purchase)"),
    TransferRule.PASSES: _("Passes to the new municipality with the records"),
    TransferRule.NOT_TRANSFERABLE: _("Not transferable: bought anew where needed"),
    TransferRule.NO_LICENCE: _("No licence recorded: bought where needed"),
    TransferRule.NONE_NEEDED: _("Free software or component: no licence needed"),
    TransferRule.STAYS: _("The reform leaves the municipality unchanged: the licence stays"),
}


def _cost_json(cost: ShortfallCost | None) -> ShortfallCostPayload | None:
    if cost is None:
        return None
    return {"item": cost.item, "quantity": cost.quantity, "low": cost.low,
            "expected": cost.expected, "high": cost.high, "basis": cost.basis, "kind": cost.kind}


def position_json(report: PositionReport) -> LicencePosition:
    """The position as JSON-safe data (API and CLI)."""
    def product(p: ProductPosition) -> ProductPositionPayload:
        return {
            "vendor": p.vendor, "product": p.product, "metric": p.metric,
            "installs": p.installs, "devices": p.devices, "users": p.users, "cores": p.cores,
            "needed": p.needed, "entitled": p.entitled, "shortfall": p.shortfall,
            "surplus": p.surplus, "not_transferable": p.not_transferable,
            "shortfall_if_untransferable_lost": p.shortfall_if_untransferable_lost,
            "expiring": p.expiring, "expired": p.expired, "missing_proof": p.missing_proof,
            "licence_records": p.licence_records, "site_licence": p.site_licence,
            "shortfall_cost_eur": _cost_json(p.cost),
            "category": p.category, "transfer_rule": p.transfer_rule,
            "transfer_rule_label": p.rule_label,
            "licences_by_rule": dict(p.rule_units),
            "uncovered_after_transfer": p.uncovered_after_transfer, "moved_in": p.moved_in,
            "to_buy": p.to_buy, "purchase_eur": _cost_json(p.purchase),
            "vendor_transfers": p.vendor_transfers, "retenants": p.retenants,
            "retired_by": p.retired_by, "retired_note": p.retired_note,
            "in_review": p.in_review,
        }

    return {
        "municipality": {"code": report.county.code, "name": report.county.name,
                         "stage": report.county.stage},
        "reform": {"code": report.county.reform.code,
                   "effective_date": report.county.reform.effective_date.isoformat()},
        "predecessors": [m.code for m in report.predecessors],
        "as_of": report.as_of.isoformat(),
        "expiring_before": report.expiring_before.isoformat(),
        "demo_data": report.is_demo,
        "totals": report.totals,
        "products": [product(p) for p in report.products],
        "assumptions": report.assumptions,
    }


@dataclass(frozen=True)
class LicenceBuy:
    """Licences of one product the new municipality buys, priced by a cost-catalogue item."""

    product: str
    quantity: int
    item: str
    cost: ShortfallCost
    transfer_rule: str


@dataclass(frozen=True)
class LicenceTransfer:
    """Licences of one product that pass by a task: the vendor's transfer or a re-tenanting."""

    product: str
    rule: str
    quantity: int


@dataclass(frozen=True)
class LicencePurchase:
    """What the county's licences cost at the reform: the one-off purchase of perpetual
    licences, the annual change from subscriptions bought, and the transfers to arrange."""

    one_off_eur: LowExpectedHigh
    annual_eur: LowExpectedHigh
    buys: list[LicenceBuy]
    transfers: list[LicenceTransfer]
    retired: list[str]


def licence_purchase(county: Municipality, as_of: dt.date | None = None) -> LicencePurchase:
    """The county's licence purchase: one-off and annual, per product, with the transfers that
    need a task (the budget and the action plan read it from here)."""
    report = licence_position(county, as_of=as_of)
    buys: list[LicenceBuy] = []
    transfers: list[LicenceTransfer] = []
    for p in sorted(report.products, key=lambda p: (p.vendor, p.product)):
        label = f"{p.vendor} {p.product}".strip()
        if p.to_buy > 0 and p.purchase is not None:
            buys.append(LicenceBuy(label, p.purchase.quantity, p.purchase.item, p.purchase,
                                   p.transfer_rule))
        if p.vendor_transfers:
            transfers.append(LicenceTransfer(label, TransferRule.VENDOR_TRANSFER, p.vendor_transfers))
        if p.retenants:
            transfers.append(LicenceTransfer(label, TransferRule.RETENANT, p.retenants))
    purchase = report.purchase_eur
    return LicencePurchase(one_off_eur=purchase["one_off"], annual_eur=purchase["annual"],
                           buys=buys, transfers=transfers,
                           retired=[f"{p.vendor} {p.product}".strip() for p in report.products
                                    if p.retired_by])


# -- contracts to act on ------------------------------------------------------------------


@dataclass(frozen=True)
class ContractToAct:
    """A contract that needs a decision before the reform date, and why."""

    contract: Contract
    reasons: tuple[str, ...]
    decide_by: dt.date
    notice_deadline: dt.date | None

    def as_json(self) -> ContractToActPayload:
        """JSON-safe data."""
        c = self.contract
        return {
            "id": c.pk, "title": c.title, "municipality": c.municipality.code,
            "municipality_name": c.municipality.name, "supplier": c.supplier.name,
            "kind": c.kind,
            "annual_value_eur": float(c.annual_value_eur) if c.annual_value_eur is not None else None,
            "start_date": c.start_date.isoformat() if c.start_date else None,
            "end_date": c.end_date.isoformat() if c.end_date else None,
            "notice_days": c.notice_days,
            "notice_deadline": self.notice_deadline.isoformat() if self.notice_deadline else None,
            "assignable": c.assignable, "reasons": list(self.reasons),
            "decide_by": self.decide_by.isoformat(), "is_demo": c.is_demo,
        }


def contracts_to_act_on(county: Municipality, since: dt.date | None = None) -> list[ContractToAct]:
    """Contracts of the county needing a decision before its reform date, earliest first.

    A contract that ends between `since` (default: a year before the reform) and the reform,
    whose notice deadline falls on or before the reform while it runs past it, or that runs
    past the reform and cannot be assigned to the new municipality.
    """
    reform_date = county.reform.effective_date
    since = since or reform_date - dt.timedelta(days=365)

    found = []
    ids = covered_ids(county)
    # Named by the municipality that held each contract before the takeover (handover log),
    # so that the list reads the same after the acts (and a former's list is not emptied).
    holders = Municipality.objects.in_bulk(ids)
    for contract in (held_before(Contract, ids).select_related("supplier")
                     .order_by("end_date", "pk")):
        contract.municipality = holders[contract.held_by]
        end = contract.end_date
        deadline = contract.notice_deadline()
        runs_past = end is None or end >= reform_date
        reasons: list[str] = []
        dates: list[dt.date] = []
        if end is not None and since <= end < reform_date:
            reasons.append(ContractAction.ENDS_BEFORE_REFORM)
            dates.append(deadline if deadline and deadline >= since else end)
        if runs_past and deadline is not None and since <= deadline <= reform_date:
            reasons.append(ContractAction.NOTICE_BEFORE_REFORM)
            dates.append(deadline)
        if runs_past and not contract.assignable:
            reasons.append(ContractAction.NOT_ASSIGNABLE)
            dates.append(reform_date)
        if reasons:
            found.append(ContractToAct(contract, tuple(reasons), min(dates), deadline))
    found.sort(key=lambda c: (c.decide_by, c.contract.municipality.name, c.contract.pk))
    return found


def contracts_json(county: Municipality, items: list[ContractToAct]) -> ContractsToAct:
    """The contracts to act on as JSON-safe data (API and CLI)."""
    values = [i.contract.annual_value_eur for i in items if i.contract.annual_value_eur is not None]
    return {
        "municipality": {"code": county.code, "name": county.name, "stage": county.stage},
        "reform": {"code": county.reform.code,
                   "effective_date": county.reform.effective_date.isoformat()},
        "demo_data": any(i.contract.is_demo for i in items),
        "count": len(items),
        "by_reason": {reason.value: sum(1 for i in items if reason.value in i.reasons)
                      for reason in ContractAction},
        "annual_value_eur": float(sum(values, Decimal(0))),
        "contracts": [i.as_json() for i in items],
    }


def visible_municipalities(user: Any) -> Any:
    """Municipalities whose position the user may see: new ones first, then former ones."""
    visible = scoping.visible_ids(user)
    found = Municipality.objects.select_related("reform").order_by("-reform__effective_date", "-stage", "name")
    return found if visible is None else found.filter(pk__in=visible)


def may_view(user: Any, municipality: Municipality) -> bool:
    """True when the user may see the municipality (and so its position and contracts)."""
    visible = scoping.visible_ids(user)
    return visible is None or municipality.pk in visible
