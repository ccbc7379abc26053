"""Licence position per product: installs and users against the licences owned."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .catalogue import LicenceMetric

# Metrics whose seat follows a person: one seat covers every device that person uses.
USER_METRICS = frozenset({LicenceMetric.USER, LicenceMetric.SUBSCRIPTION, LicenceMetric.CONCURRENT})


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
