"""The licences a county buys at the reform: by transfer rule, retirements and continuity."""

from __future__ import annotations

from typing import Any

import pytest

from ictmerge.inventory.models import Installation, Licence
from ictmerge.software import services

pytestmark = pytest.mark.django_db

OFFICE = "Microsoft Office Professional Plus 2016"


def _office(former: Any, installs: int, licences: int, **licence: Any) -> None:
    Installation.objects.create(municipality=former, raw_name=OFFICE,
                                raw_publisher="Microsoft Corporation", count=installs)
    Licence.objects.create(municipality=former, product_name=OFFICE, quantity=licences, **licence)


def _office_position(county: Any) -> services.ProductPosition:
    return next(p for p in services.licence_position(county).products
                if p.product.startswith("Office"))


def test_it_buys_what_cannot_pass_only_where_the_holder_changes(world: Any) -> None:
    """GIVEN 10 Office installs on 10 volume licences that may not pass, in a merged county (A
    into North with B) and in an unchanged one (C alone into South) WHEN the positions are
    taken THEN North buys the 10 lost licences and South, whose holder continues, none."""
    _office(world.former_a, 10, 10, licence_type="volume", transferable=False)
    _office(world.former_c, 10, 10, licence_type="volume", transferable=False)
    north, south = _office_position(world.north), _office_position(world.south)
    assert (north.transfer_rule, north.to_buy) == ("not_transferable", 10)
    assert north.purchase is not None and north.purchase.item == "licence.office_suite"
    assert (south.transfer_rule, south.to_buy, south.vendor_transfers) == ("stays", 0, 0)


def test_it_turns_volume_licences_and_subscriptions_into_transfers_not_purchases(world: Any) -> None:
    """GIVEN Office on 12 PCs with 12 volume licences and 3 subscriptions in the merged county
    WHEN its purchase is read THEN nothing is bought, one vendor transfer of 12 and one
    re-tenanting of 3 are listed, and the one-off and annual sums are zero."""
    _office(world.former_a, 12, 12, licence_type="volume")
    Licence.objects.create(municipality=world.former_b, product_name=OFFICE, quantity=3,
                           metric="subscription", licence_type="subscription")
    purchase = services.licence_purchase(world.north)
    assert purchase.buys == []
    assert [(t.rule, t.quantity) for t in purchase.transfers] == [("vendor_transfer", 12),
                                                                   ("retenant", 3)]
    assert purchase.one_off_eur["expected"] == purchase.annual_eur["expected"] == 0


def test_it_prices_a_subscription_shortfall_by_the_year(world: Any) -> None:
    """GIVEN an antivirus on 20 PCs with 12 subscriptions, 4 of which may not pass, WHEN the
    merged county's purchase is read THEN the 12 seats the 8 passing ones leave are bought as
    an annual cost."""
    Installation.objects.create(municipality=world.former_a, raw_name="ESET Endpoint Antivirus",
                                raw_publisher="ESET, spol. s r.o.", count=20)
    Licence.objects.create(municipality=world.former_a, product_name="ESET Endpoint Antivirus",
                           quantity=8, metric="subscription", licence_type="subscription")
    Licence.objects.create(municipality=world.former_b, product_name="ESET Endpoint Antivirus",
                           quantity=4, metric="subscription", licence_type="subscription",
                           transferable=False)
    purchase = services.licence_purchase(world.north)
    assert [(b.quantity, b.cost.kind) for b in purchase.buys] == [(12, "annual")]
    assert purchase.one_off_eur["expected"] == 0 < purchase.annual_eur["expected"]
