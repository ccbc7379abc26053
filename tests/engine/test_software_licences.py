"""Licence position: entitled vs needed, shortfall, surplus, transfer, expiry, proof."""

from __future__ import annotations

from datetime import date

from ictmerge.engine.software import (
    Installation,
    Licence,
    LicenceMetric,
    LicenceType,
    ProductRef,
    Purchase,
    RetiredBy,
    Retirement,
    TransferRule,
    licence_position,
    licence_positions,
    plan_purchases,
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


WINDOWS = ProductRef("microsoft", "windows pro")
ANTIVIRUS = ProductRef("eset", "endpoint security")
STANDARD = ProductRef("microsoft", "office standard")


def test_it_gives_each_licence_type_its_transfer_rule() -> None:
    """GIVEN licences of every type WHEN their rules are read THEN OEM passes with the device,
    volume by the vendor's transfer, a subscription (by type or metric) by re-tenanting,
    retail and unstated ones with the records, and a licence that may not pass is lost."""
    def rule(kind: LicenceType, metric: LicenceMetric = LicenceMetric.DEVICE,
             transferable: bool = True) -> TransferRule:
        return Licence(OFFICE, metric, 1, transferable=transferable, licence_type=kind).transfer_rule

    assert rule(LicenceType.OEM) is TransferRule.WITH_DEVICE
    assert rule(LicenceType.VOLUME) is TransferRule.VENDOR_TRANSFER
    assert rule(LicenceType.SUBSCRIPTION) is TransferRule.RETENANT
    assert rule(LicenceType.UNSTATED, LicenceMetric.SUBSCRIPTION) is TransferRule.RETENANT
    assert rule(LicenceType.RETAIL) is TransferRule.PASSES
    assert rule(LicenceType.UNSTATED) is TransferRule.PASSES
    assert rule(LicenceType.OEM, transferable=False) is TransferRule.NOT_TRANSFERABLE
    stays = Licence(OFFICE, LicenceMetric.DEVICE, 1, transferable=False,
                    licence_type=LicenceType.VOLUME, holder_continues=True)
    assert stays.transfer_rule is TransferRule.STAYS


def _purchases(installs: list[Installation], licences: list[Licence],
               retirements: tuple[Retirement, ...] = ()) -> dict[ProductRef, Purchase]:
    positions = licence_positions(installs, licences, AS_OF, HORIZON)
    licensable = {p.product: True for p in positions}
    return {p.product: p for p in plan_purchases(positions, licensable, retirements)}


def test_it_buys_nothing_for_licences_that_pass_and_only_the_rest_for_lost_ones() -> None:
    """GIVEN 10 PCs with OEM Windows, 10 Office installs on 6 volume and 4 untransferable
    licences, and 5 antivirus installs on a subscription that lapsed before the reform WHEN
    the purchase is planned THEN Windows and the antivirus need nothing bought (the device
    carries its licence, the subscription is renewed) and Office buys the 4 lost licences;
    the volume licences and the subscription each need their transfer task."""
    installs = _installs(WINDOWS, 10) + _installs(OFFICE, 10) + _installs(ANTIVIRUS, 5)
    licences = [Licence(WINDOWS, LicenceMetric.DEVICE, 10, licence_type=LicenceType.OEM),
                Licence(OFFICE, LicenceMetric.DEVICE, 6, licence_type=LicenceType.VOLUME),
                Licence(OFFICE, LicenceMetric.DEVICE, 4, licence_type=LicenceType.VOLUME,
                        transferable=False),
                Licence(ANTIVIRUS, LicenceMetric.SUBSCRIPTION, 5, expires=date(2021, 1, 1))]
    bought = _purchases(installs, licences)
    windows, office, antivirus = bought[WINDOWS], bought[OFFICE], bought[ANTIVIRUS]
    assert (windows.rule, windows.to_buy, windows.vendor_transfers) == (TransferRule.WITH_DEVICE, 0, 0)
    assert (office.rule, office.to_buy, office.vendor_transfers) == (TransferRule.VENDOR_TRANSFER, 4, 6)
    assert (antivirus.rule, antivirus.to_buy, antivirus.retenants) == (TransferRule.RETENANT, 0, 5)


def test_it_buys_nothing_for_a_retired_product_and_moves_its_unlicensed_users() -> None:
    """GIVEN Office Standard on 8 PCs with 5 licences, Office Pro Plus on 10 PCs with 12, and
    an antivirus with no licence WHEN the portfolio retires Standard for Pro Plus and the IS
    plan retires the antivirus THEN neither retired product is bought; Pro Plus takes the 3
    unlicensed Standard users on its 2 spare seats and buys 1."""
    installs = _installs(STANDARD, 8) + [Installation(OFFICE, f"x{i}", f"x{i}") for i in range(10)] \
        + _installs(ANTIVIRUS, 4)
    licences = [Licence(STANDARD, LicenceMetric.DEVICE, 5, licence_type=LicenceType.VOLUME),
                Licence(OFFICE, LicenceMetric.DEVICE, 12, licence_type=LicenceType.VOLUME)]
    retirements = (Retirement(STANDARD, RetiredBy.PORTFOLIO, OFFICE, "Office suite"),
                   Retirement(ANTIVIRUS, RetiredBy.IS_PLAN, None, "End-point security"))
    bought = _purchases(installs, licences, retirements)
    retired = bought[STANDARD].retired
    assert bought[STANDARD].to_buy == 0 and retired is not None and retired.by is RetiredBy.PORTFOLIO
    assert bought[STANDARD].vendor_transfers == 0
    assert bought[ANTIVIRUS].to_buy == 0 and bought[ANTIVIRUS].rule is TransferRule.NO_LICENCE
    assert (bought[OFFICE].moved_in, bought[OFFICE].to_buy) == (3, 1)
    without = _purchases(installs, licences)
    assert without[ANTIVIRUS].to_buy == 4 and without[STANDARD].to_buy == 3


def test_it_needs_nothing_for_free_software_and_holds_back_titles_in_review() -> None:
    """GIVEN a free program and an unknown program, both installed without licences WHEN
    planned THEN the free one needs nothing and the unknown one waits for its mapping."""
    free, unknown = ProductRef("igor pavlov", "7-zip"), ProductRef("x", "grāmatvedis")
    positions = licence_positions(_installs(free, 3) + _installs(unknown, 2), [], AS_OF, HORIZON)
    bought = {p.product: p for p in plan_purchases(positions, {free: False, unknown: True},
                                                   in_review=[unknown])}
    assert (bought[free].rule, bought[free].to_buy) == (TransferRule.NONE_NEEDED, 0)
    assert (bought[unknown].rule, bought[unknown].to_buy, bought[unknown].in_review) == (
        TransferRule.NO_LICENCE, 0, True)
