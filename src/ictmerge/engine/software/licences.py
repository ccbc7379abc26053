"""Licence position per product: installs and users against the licences owned.

After the reform a licence passes to the new municipality by its type: an OEM licence with
its device, a volume licence by the vendor's transfer (a task, nothing to buy), a
subscription by moving it to the new tenant (a task); a licence that may not pass is lost.
What the new municipality buys is the need its passing licences leave uncovered, for the
products its plans keep (`plan_purchases`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .catalogue import LicenceMetric

# Metrics whose seat follows a person: one seat covers every device that person uses.
USER_METRICS = frozenset({LicenceMetric.USER, LicenceMetric.SUBSCRIPTION, LicenceMetric.CONCURRENT})


class LicenceType(StrEnum):
    """How a licence was bought, which decides how it passes to the new municipality."""

    OEM = "oem"
    VOLUME = "volume"
    RETAIL = "retail"
    SUBSCRIPTION = "subscription"
    UNSTATED = ""


class TransferRule(StrEnum):
    """How a product's licences reach the new municipality, and what that takes."""

    WITH_DEVICE = "with_device"  # OEM: passes with its device, nothing to do or buy
    VENDOR_TRANSFER = "vendor_transfer"  # volume: the vendor transfers it (a task, no purchase)
    RETENANT = "retenant"  # subscription: moved to the new tenant (a task, no purchase)
    PASSES = "passes"  # retail or unstated and transferable: passes with the records
    NOT_TRANSFERABLE = "not_transferable"  # lost at the reform: bought anew where needed
    NO_LICENCE = "no_licence"  # installed, no licence recorded: bought where needed
    NONE_NEEDED = "none_needed"  # free software and components
    STAYS = "stays"  # the reform leaves the municipality unchanged: the licence stays as it is


#: The rules under which a licence passes to (or stays with) the new municipality.
PASSING_RULES = frozenset({TransferRule.WITH_DEVICE, TransferRule.VENDOR_TRANSFER,
                           TransferRule.RETENANT, TransferRule.PASSES, TransferRule.STAYS})


@dataclass(frozen=True, slots=True)
class ProductRef:
    """A normalised product (vendor + product, compared case-insensitively by the caller)."""

    vendor: str
    product: str


@dataclass(frozen=True, slots=True)
class Installation:
    """One install of a product on a device, with its main user and the device's cores."""

    product: ProductRef
    device: str
    user: str = ""
    cores: int = 0


@dataclass(frozen=True, slots=True)
class Licence:
    """A licence entitlement as bought."""

    product: ProductRef
    metric: LicenceMetric
    quantity: int
    expires: date | None = None
    transferable: bool = True
    proof_present: bool = False
    reference: str = ""
    licence_type: LicenceType = LicenceType.UNSTATED
    #: The holder continues after the reform (a municipality the reform leaves unchanged).
    holder_continues: bool = False

    @property
    def is_subscription(self) -> bool:
        """Bought as a subscription (by its type, else by its metric)."""
        return (self.licence_type is LicenceType.SUBSCRIPTION
                or (self.licence_type is LicenceType.UNSTATED
                    and self.metric is LicenceMetric.SUBSCRIPTION))

    @property
    def transfer_rule(self) -> TransferRule:
        """How this licence reaches the new municipality."""
        if self.holder_continues:
            return TransferRule.STAYS
        if not self.transferable:
            return TransferRule.NOT_TRANSFERABLE
        if self.licence_type is LicenceType.OEM:
            return TransferRule.WITH_DEVICE
        if self.licence_type is LicenceType.VOLUME:
            return TransferRule.VENDOR_TRANSFER
        if self.is_subscription:
            return TransferRule.RETENANT
        return TransferRule.PASSES

    def passes_on(self, day: date) -> bool:
        """True when the licence entitles the new municipality from that day: it passes, and
        it is valid then or is a subscription renewed at its term (a running cost already
        paid today)."""
        return (self.transfer_rule in PASSING_RULES
                and (self.expires is None or self.expires >= day or self.is_subscription))


@dataclass(frozen=True, slots=True)
class Coverage:
    """How the valid licences cover the installations of one product."""

    uncovered_devices: int
    uncovered_users: int
    uncovered_cores: int
    unused_seats: dict[LicenceMetric, int]
    site_licence: bool


@dataclass(frozen=True, slots=True)
class LicencePosition:
    """The position of one product; shortfall and surplus are in the product's main metric."""

    product: ProductRef
    metric: LicenceMetric
    installs: int
    devices: int
    users: int
    cores: int
    needed: int
    entitled: int
    shortfall: int
    surplus: int
    shortfall_if_untransferable_lost: int
    not_transferable: int
    expiring: int
    expired: int
    missing_proof: int
    site_licence: bool
    surplus_by_metric: dict[LicenceMetric, int] = field(default_factory=dict)
    #: Units of the product's licences (valid, or subscriptions) under each transfer rule.
    rule_units: dict[TransferRule, int] = field(default_factory=dict)
    #: Need (main metric) left uncovered by the licences that pass to the new municipality.
    uncovered_after_transfer: int = 0
    #: Seats of the passing licences left unused (they can take users moving to the product).
    spare_after_transfer: int = 0

    @property
    def transfer_rule(self) -> TransferRule:
        """The rule of most of the product's licence units; NO_LICENCE without any."""
        if not self.rule_units:
            return TransferRule.NO_LICENCE
        return max(self.rule_units, key=lambda r: (self.rule_units[r], r.value))


def _cover(installs: list[Installation], licences: list[Licence]) -> Coverage:
    """Cover devices by user seats first (one seat covers all a user's devices), then device seats, then cores."""
    seats: dict[LicenceMetric, int] = defaultdict(int)
    for licence in licences:
        seats[licence.metric] += licence.quantity
    site = seats.get(LicenceMetric.SITE, 0) > 0
    devices_by_user: dict[str, set[str]] = defaultdict(set)
    cores_by_device: dict[str, int] = {}
    for install in installs:
        if install.user:
            devices_by_user[install.user].add(install.device)
        cores_by_device[install.device] = max(cores_by_device.get(install.device, 0), install.cores)
    if site:
        return Coverage(0, 0, 0, {m: q for m, q in seats.items() if m is not LicenceMetric.SITE}, True)
    user_seats = sum(seats.get(m, 0) for m in USER_METRICS)
    # Users with the most devices first: a seat then covers the most installs.
    ranked_users = sorted(devices_by_user, key=lambda u: (-len(devices_by_user[u]), u))
    covered_users = ranked_users[:user_seats]
    covered: set[str] = set()
    for user in covered_users:
        covered |= devices_by_user[user]
    remaining = sorted((d for d in cores_by_device if d not in covered), key=lambda d: (cores_by_device[d], d))
    device_seats = seats.get(LicenceMetric.DEVICE, 0)
    by_device, remaining = remaining[:device_seats], remaining[device_seats:]
    covered.update(by_device)
    core_seats = seats.get(LicenceMetric.CORE, 0)
    still_uncovered: list[str] = []
    for device in remaining:
        need = cores_by_device[device]
        if core_seats > 0 and need <= core_seats:
            core_seats -= need
            covered.add(device)
        else:
            still_uncovered.append(device)
    uncovered_users = {u for u, ds in devices_by_user.items() if ds - covered}
    with_user = set().union(*devices_by_user.values()) if devices_by_user else set()
    unused_user_seats = max(0, user_seats - len(devices_by_user))
    unused = {
        LicenceMetric.DEVICE: max(0, device_seats - len(by_device)),
        LicenceMetric.CORE: core_seats,
        LicenceMetric.USER: unused_user_seats,
    }
    return Coverage(
        uncovered_devices=len(still_uncovered),
        uncovered_users=len(uncovered_users) + len(set(still_uncovered) - with_user),
        uncovered_cores=sum(cores_by_device[d] for d in still_uncovered),
        unused_seats={m: q for m, q in unused.items() if q},
        site_licence=False,
    )


def _main_metric(licences: list[Licence], default: LicenceMetric) -> LicenceMetric:
    """The metric most of the product's licences are counted in, else the catalogue's."""
    totals: dict[LicenceMetric, int] = defaultdict(int)
    for licence in licences:
        totals[licence.metric] += licence.quantity
    if not totals:
        return default
    return max(totals, key=lambda m: (totals[m], m.value))


def _in_units(metric: LicenceMetric, devices: int, users: int, cores: int) -> int:
    if metric in USER_METRICS:
        return users
    if metric is LicenceMetric.CORE:
        return cores
    if metric is LicenceMetric.SITE:
        return 1 if devices else 0
    return devices


def licence_position(
    product: ProductRef,
    installations: Iterable[Installation],
    licences: Iterable[Licence],
    as_of: date,
    expiring_before: date,
    default_metric: LicenceMetric = LicenceMetric.DEVICE,
) -> LicencePosition:
    """Position of one product: licences expired before as_of entitle nothing."""
    installs = [i for i in installations if i.product == product]
    owned = [lic for lic in licences if lic.product == product]
    valid = [lic for lic in owned if lic.expires is None or lic.expires >= as_of]
    metric = _main_metric(valid, default_metric)
    devices = {i.device for i in installs}
    users = {i.user for i in installs if i.user}
    cores_by_device: dict[str, int] = {}
    for install in installs:
        cores_by_device[install.device] = max(cores_by_device.get(install.device, 0), install.cores)
    total_cores = sum(cores_by_device.values())
    # Devices without a known user count as one user each, so a user metric never hides them.
    user_count = len(users) + len({i.device for i in installs if not i.user} - {i.device for i in installs if i.user})
    coverage = _cover(installs, valid)
    after_reform = _cover(installs, [lic for lic in valid if lic.transferable])
    passing = _cover(installs, [lic for lic in owned if lic.passes_on(as_of)])
    rule_units: dict[TransferRule, int] = defaultdict(int)
    for lic in owned:
        if lic in valid or lic.is_subscription:
            rule_units[lic.transfer_rule] += lic.quantity
    shortfall = _in_units(metric, coverage.uncovered_devices, coverage.uncovered_users, coverage.uncovered_cores)
    return LicencePosition(
        product=product,
        metric=metric,
        installs=len(installs),
        devices=len(devices),
        users=user_count,
        cores=total_cores,
        needed=_in_units(metric, len(devices), user_count, total_cores),
        entitled=sum(lic.quantity for lic in valid if lic.metric is metric),
        shortfall=0 if coverage.site_licence else shortfall,
        surplus=sum(coverage.unused_seats.values()),
        shortfall_if_untransferable_lost=_in_units(
            metric, after_reform.uncovered_devices, after_reform.uncovered_users, after_reform.uncovered_cores
        ),
        not_transferable=sum(lic.quantity for lic in valid if not lic.transferable),
        expiring=sum(lic.quantity for lic in valid if lic.expires is not None and lic.expires < expiring_before),
        expired=sum(lic.quantity for lic in owned if lic.expires is not None and lic.expires < as_of),
        missing_proof=sum(lic.quantity for lic in owned if not lic.proof_present),
        site_licence=coverage.site_licence,
        surplus_by_metric=dict(coverage.unused_seats),
        rule_units=dict(rule_units),
        uncovered_after_transfer=0 if passing.site_licence else _in_units(
            metric, passing.uncovered_devices, passing.uncovered_users, passing.uncovered_cores),
        spare_after_transfer=sum(passing.unused_seats.values()),
    )


def licence_positions(
    installations: Iterable[Installation],
    licences: Iterable[Licence],
    as_of: date,
    expiring_before: date,
    default_metrics: dict[ProductRef, LicenceMetric] | None = None,
) -> list[LicencePosition]:
    """Positions of every product that is installed or licensed, sorted by shortfall then name."""
    installs_by_product: dict[ProductRef, list[Installation]] = defaultdict(list)
    for install in installations:
        installs_by_product[install.product].append(install)
    licences_by_product: dict[ProductRef, list[Licence]] = defaultdict(list)
    for licence in licences:
        licences_by_product[licence.product].append(licence)
    metrics = default_metrics or {}
    positions = [
        licence_position(
            product,
            installs_by_product.get(product, []),
            licences_by_product.get(product, []),
            as_of,
            expiring_before,
            metrics.get(product, LicenceMetric.DEVICE),
        )
        for product in set(installs_by_product) | set(licences_by_product)
    ]
    return sorted(positions, key=lambda p: (-p.shortfall, p.product.vendor, p.product.product))


class RetiredBy(StrEnum):
    """The plan that retires a product at the reform."""

    PORTFOLIO = "portfolio"
    IS_PLAN = "is_plan"


@dataclass(frozen=True, slots=True)
class Retirement:
    """A product a plan retires, and the product its users move to (if known and licensed)."""

    product: ProductRef
    by: RetiredBy
    replacement: ProductRef | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Purchase:
    """What the new municipality does about one product's licences at the reform."""

    product: ProductRef
    rule: TransferRule
    needed: int
    moved_in: int
    uncovered: int
    to_buy: int
    vendor_transfers: int
    retenants: int
    subscription: bool
    retired: Retirement | None = None
    #: Counted only from titles waiting in the review queue: nothing bought until mapped.
    in_review: bool = False


def plan_purchases(
    positions: Iterable[LicencePosition],
    licensable: Mapping[ProductRef, bool],
    retirements: Iterable[Retirement] = (),
    subscriptions: Iterable[ProductRef] = (),
    in_review: Iterable[ProductRef] = (),
) -> list[Purchase]:
    """Per product, the licences to buy and the transfers to arrange, in the positions' order.

    Only licensable products need licences; a product a plan retires is bought for no one.
    The licences that pass (OEM with the device, volume by the vendor's transfer,
    subscriptions re-tenanted) cover the need first; only the rest is bought, as a
    subscription where the product is one. A retired product's users without a passing
    licence move to its replacement, whose need grows by theirs (its spare seats first);
    users with one keep it until the product is replaced, which the reform does not buy.
    A product known only from titles waiting in the review queue is not bought until mapped.
    """
    found = list(positions)
    retired: dict[ProductRef, Retirement] = {}
    for retirement in retirements:
        retired.setdefault(retirement.product, retirement)
    moved: dict[ProductRef, int] = defaultdict(int)
    for position in found:
        gone = retired.get(position.product)
        if gone is not None and gone.replacement is not None and licensable.get(position.product):
            moved[gone.replacement] += position.uncovered_after_transfer
    subscribed = set(subscriptions)
    reviewing = set(in_review)
    purchases = []
    for p in found:
        needs = licensable.get(p.product, False)
        gone = retired.get(p.product)
        rule = p.transfer_rule if needs or p.rule_units else TransferRule.NONE_NEEDED
        moved_in = moved.get(p.product, 0) if needs and gone is None else 0
        uncovered = p.uncovered_after_transfer if needs else 0
        # Seats the product has beyond its own need take the users who move to it first.
        unsure = p.product in reviewing
        to_buy = (0 if gone is not None or not needs or unsure
                  else uncovered + max(0, moved_in - p.spare_after_transfer))
        keeps = gone is None
        purchases.append(Purchase(
            product=p.product, rule=rule, needed=p.needed, moved_in=moved_in,
            uncovered=uncovered, to_buy=to_buy,
            vendor_transfers=p.rule_units.get(TransferRule.VENDOR_TRANSFER, 0) if keeps else 0,
            retenants=p.rule_units.get(TransferRule.RETENANT, 0) if keeps else 0,
            subscription=p.product in subscribed, retired=gone, in_review=unsure))
    return purchases
