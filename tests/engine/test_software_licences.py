"""Licence position: entitled vs needed, shortfall, surplus, transfer, expiry, proof."""

from __future__ import annotations

from datetime import date

from ictmerge.engine.software import (
    Installation,
    Licence,
    LicenceMetric,
    ProductRef,
    licence_position,
    licence_positions,
)

OFFICE = ProductRef("Microsoft", "Office Professional Plus")
VISIO = ProductRef("Microsoft", "Visio Professional")
SERVER = ProductRef("Microsoft", "Windows Server Standard")
AS_OF = date(2021, 3, 1)
HORIZON = date(2021, 7, 1)


def _installs(product: ProductRef, count: int, users: bool = True) -> list[Installation]:
    return [Installation(product, f"pc{i}", f"user{i}" if users else "") for i in range(count)]


def test_it_counts_the_shortfall_of_device_licences() -> None:
    """GIVEN 10 installs and 7 device licences WHEN positioned THEN 3 are short."""
    position = licence_position(OFFICE, _installs(OFFICE, 10), [Licence(OFFICE, LicenceMetric.DEVICE, 7, proof_present=True)], AS_OF, HORIZON)
    assert (position.installs, position.devices, position.needed, position.entitled) == (10, 10, 10, 7)
    assert (position.shortfall, position.surplus, position.missing_proof) == (3, 0, 0)


def test_a_user_licence_covers_every_device_of_its_user() -> None:
    installs = [Installation(VISIO, "pc1", "anna"), Installation(VISIO, "laptop1", "anna"), Installation(VISIO, "pc2", "juris")]
    position = licence_position(VISIO, installs, [Licence(VISIO, LicenceMetric.USER, 1)], AS_OF, HORIZON)
    assert position.metric is LicenceMetric.USER
    assert (position.users, position.needed, position.shortfall) == (2, 2, 1)


def test_it_reports_surplus_seats() -> None:
    position = licence_position(OFFICE, _installs(OFFICE, 4), [Licence(OFFICE, LicenceMetric.DEVICE, 10)], AS_OF, HORIZON)
    assert (position.shortfall, position.surplus) == (0, 6)


def test_expired_licences_entitle_nothing_and_expiring_ones_are_listed() -> None:
    licences = [
        Licence(OFFICE, LicenceMetric.DEVICE, 5, expires=date(2020, 12, 31)),
        Licence(OFFICE, LicenceMetric.DEVICE, 3, expires=date(2021, 5, 1)),
        Licence(OFFICE, LicenceMetric.DEVICE, 2),
    ]
    position = licence_position(OFFICE, _installs(OFFICE, 6), licences, AS_OF, HORIZON)
    assert (position.entitled, position.shortfall, position.expired, position.expiring) == (5, 1, 5, 3)


def test_it_shows_what_is_lost_when_untransferable_licences_stay_behind() -> None:
    licences = [Licence(OFFICE, LicenceMetric.DEVICE, 4, transferable=False), Licence(OFFICE, LicenceMetric.DEVICE, 6)]
    position = licence_position(OFFICE, _installs(OFFICE, 10), licences, AS_OF, HORIZON)
    assert (position.shortfall, position.not_transferable, position.shortfall_if_untransferable_lost) == (0, 4, 4)
    assert position.missing_proof == 10


def test_core_licences_cover_servers_by_their_cores() -> None:
    installs = [Installation(SERVER, "srv1", cores=16), Installation(SERVER, "srv2", cores=16), Installation(SERVER, "srv3", cores=24)]
    position = licence_position(SERVER, installs, [Licence(SERVER, LicenceMetric.CORE, 32)], AS_OF, HORIZON)
    assert position.metric is LicenceMetric.CORE
    assert (position.needed, position.entitled, position.shortfall) == (56, 32, 24)


def test_a_site_licence_covers_everything() -> None:
    position = licence_position(OFFICE, _installs(OFFICE, 50), [Licence(OFFICE, LicenceMetric.SITE, 1)], AS_OF, HORIZON)
    assert position.site_licence and position.shortfall == 0


def test_positions_cover_installed_and_licensed_products_worst_first() -> None:
    installs = _installs(OFFICE, 5) + _installs(VISIO, 1)
    licences = [Licence(VISIO, LicenceMetric.DEVICE, 3), Licence(SERVER, LicenceMetric.CORE, 16)]
    positions = licence_positions(installs, licences, AS_OF, HORIZON)
    assert [p.product for p in positions] == [OFFICE, VISIO, SERVER]
    assert [p.shortfall for p in positions] == [5, 0, 0]
    assert positions[2].installs == 0 and positions[2].surplus == 16
    assert positions[1].surplus == 2
