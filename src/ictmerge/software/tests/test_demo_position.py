"""End to end on the Latvian demo: every new municipality's licence position and contracts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.engine.software import TransferRule
from ictmerge.inventory.models import Installation
from ictmerge.reforms.counties import county_url
from ictmerge.reforms.models import Municipality
from ictmerge.software import services


@pytest.fixture(scope="module")
def latvia(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The lv-2021 reform with the seed-1 demo as `demo load` leaves it (the load normalises
    the installed titles); rolled back after the module."""
    from ictmerge.inventory.demo import load_demo
    from ictmerge.reforms.services import load_bundled

    with django_db_blocker.unblock(), transaction.atomic():
        reform = load_bundled("lv-2021")
        load_demo("lv-2021", seed=1)
        yield reform, None
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_normalises_every_installation_when_the_demo_loads(latvia: Any) -> None:
    """GIVEN the demo just loaded WHEN nothing else runs THEN every installation points at a
    product, normalising again changes nothing, and only unsure titles wait in review."""
    reform, _ = latvia
    assert Installation.objects.filter(municipality__reform=reform).exists()
    assert not Installation.objects.filter(municipality__reform=reform, product__isnull=True).exists()
    again = services.normalise_installations(
        Municipality.objects.filter(reform=reform).values_list("pk", flat=True))
    assert again.installations > 0 and again.changed == 0
    queue = services.review_queue(None)
    assert queue and all(item.suggestion.needs_review for item in queue)
    # The demo's known titles are recognised; only the accounting programs' spellings remain.
    assert not any(item.name.startswith(("Microsoft", "Adobe")) for item in queue)


@pytest.mark.django_db
def test_it_fills_programs_before_and_after_for_every_county_after_the_demo_load(latvia: Any) -> None:
    """GIVEN the demo just loaded WHEN the national report and each county's report are read
    THEN every surveyed county has software products before and after (none is empty)."""
    from ictmerge.reforms.counties import County
    from ictmerge.reports.services import county_report, national_report

    reform, _ = latvia
    surveyed = set(Municipality.objects.filter(reform=reform, stage="new")
                   .exclude(code__in=_unsurveyed(reform)).values_list("code", flat=True))
    rows = {row["code"]: row for row in national_report(reform)["new"]}
    assert len(surveyed) == 40
    for code in surveyed:
        assert rows[code]["software_products"] > 0, code
        after = rows[code]["software_products_after"]
        assert after is not None and 0 < after <= rows[code]["software_products"], code
    county = County.of(Municipality.objects.get(reform=reform, stage="new", code=sorted(surveyed)[0]))
    cockpit = county_report(county)
    assert cockpit["software_products_before"] > 0 and (cockpit["software_products_after"] or 0) > 0


@pytest.mark.django_db
def test_it_buys_nothing_that_transfers_or_that_the_plans_retire(latvia: Any) -> None:
    """GIVEN the demo (OEM Windows on the PCs, volume Office, subscriptions) WHEN each surveyed
    county's position is taken THEN no OEM licence is bought, no retired product is bought,
    what is bought is at most what the passing licences leave uncovered (plus the users
    moving in), and every volume licence and subscription that passes is a transfer task."""
    from ictmerge.planning.decisions import licence_decisions

    reform, _ = latvia
    new = Municipality.objects.filter(reform=reform, stage="new").exclude(code__in=_unsurveyed(reform))
    rules_seen: set[str] = set()
    for county in new:
        report = services.licence_position(county)
        windows = [p for p in report.products if p.product.startswith("Windows")
                   and "Server" not in p.product]
        # OEM passes with the PC; in a city the reform leaves unchanged every licence stays.
        expected = "stays" if services.unchanged_by_reform(county) else "with_device"
        assert windows and all(p.transfer_rule == expected and p.to_buy == 0 for p in windows)
        for p in report.products:
            rules_seen.add(p.transfer_rule)
            if p.retired_by:
                assert p.to_buy == 0 and p.purchase is None and p.vendor_transfers == p.retenants == 0
            assert p.to_buy <= p.uncovered_after_transfer + p.moved_in, (county.name, p.product)
            assert p.uncovered_after_transfer <= p.needed
            assert (p.purchase is not None) == (p.to_buy > 0)
            assert p.vendor_transfers == (0 if p.retired_by else p.rule_units.get("vendor_transfer", 0))
        purchase = services.licence_purchase(county)
        assert purchase.one_off_eur == report.totals["purchase_one_off_eur"]
        assert sum(b.cost.expected for b in purchase.buys) == pytest.approx(
            purchase.one_off_eur["expected"] + purchase.annual_eur["expected"])
        assert not {b.product for b in purchase.buys} & set(purchase.retired)
        # The action plan procures exactly these (no OEM Windows, nothing retired).
        buys, transfers = licence_decisions(county)
        assert [(b.product, b.quantity, b.catalogue_item) for b in buys] == [
            (b.product, b.quantity, b.item) for b in purchase.buys]
        assert not any(b.product == "Microsoft Windows Pro" for b in buys)
        assert len(transfers) == len(purchase.transfers)
    assert {"with_device", "vendor_transfer", "retenant", "stays"} <= rules_seen


@pytest.mark.django_db
def test_each_new_municipality_has_shortfalls_and_missing_proofs(latvia: Any) -> None:
    """GIVEN the demo WHEN each surveyed new municipality's position is taken THEN it lists
    shortfalls; most list surpluses, licences without proof and licences that may not pass,
    and contracts to act on are found across the country; every figure stays consistent
    (needed − covered = shortfall)."""
    reform, _ = latvia
    new = Municipality.objects.filter(reform=reform, stage="new").exclude(code__in=_unsurveyed(reform))
    with_surplus = with_contracts = with_untransferable = with_missing_proof = 0
    for county in new:
        report = services.licence_position(county)
        assert report.is_demo
        assert report.short, county.name
        with_missing_proof += report.totals["missing_proof"] > 0
        with_untransferable += report.totals["not_transferable"] > 0
        with_surplus += report.totals["products_with_surplus"] > 0
        for p in report.products:
            assert 0 <= p.shortfall <= p.needed
            assert p.shortfall_if_untransferable_lost >= p.shortfall
            assert (p.cost is not None) == (p.shortfall > 0)
        items = services.contracts_to_act_on(county)
        with_contracts += bool(items)
        assert all(i.decide_by <= reform.effective_date for i in items)
    assert with_surplus >= len(new) // 2
    assert with_contracts >= len(new) // 2
    assert with_untransferable >= len(new) // 2
    assert with_missing_proof >= len(new) // 2


def _unsurveyed(reform: Any) -> list[str]:
    """New municipalities whose predecessors were not surveyed (Rīga, Jūrmala) have no inventory."""
    with_data = set(Installation.objects.filter(municipality__reform=reform)
                    .values_list("municipality__successors__new__code", flat=True))
    return list(Municipality.objects.filter(reform=reform, stage="new")
                .exclude(code__in=with_data).values_list("code", flat=True))


@pytest.mark.django_db
def test_one_county_in_ui_api_and_cli(latvia: Any) -> None:
    """The same position and contracts on the page, in the API and from the CLI."""
    from django.contrib.auth import get_user_model

    reform, _ = latvia
    county = Municipality.objects.get(reform=reform, stage="new", name="Balvu novads")
    report = services.licence_position(county)
    contracts = services.contracts_to_act_on(county)
    auditor = get_user_model().objects.create_superuser("demo-admin", password="x")
    client = Client()
    client.force_login(auditor)
    page = client.get(county_url("software_position", county)).content.decode()
    shown = re.search(r'data-testid="shortfall">([^<]*)<', page)
    assert "DEMO" in page and shown is not None
    assert int(re.sub(r"\D", "", shown.group(1))) == report.totals["shortfall"]  # any separator
    assert report.short[0].product in page
    contracts_page = client.get(county_url("software_contracts", county)).content.decode()
    assert all(c.contract.title in contracts_page for c in contracts)
    api = APIClient()
    api.force_authenticate(auditor)
    data = api.get(reverse("api_software_position", args=[county.pk])).json()
    assert data["demo_data"] and data["totals"]["shortfall"] == report.totals["shortfall"]
    assert api.get(reverse("api_software_contracts", args=[county.pk])).json()["count"] == len(contracts)
    cli = CliRunner().invoke(app, ["licences", "position", "--county", county.code, "--reform",
                                   reform.code, "--format", "json"])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output)["totals"] == data["totals"]
    cli_contracts = CliRunner().invoke(app, ["software", "contracts", "--county", county.code,
                                             "--format", "json"])
    assert json.loads(cli_contracts.output)["count"] == len(contracts)



@pytest.mark.django_db
def test_it_shows_the_transfer_rule_and_purchase_per_product_on_page_api_and_cli(latvia: Any) -> None:
    """GIVEN a demo county WHEN its position is read on the page, in the API and from the CLI
    THEN each shows every product's transfer rule and licences to buy, the same as the service."""
    from django.contrib.auth import get_user_model

    reform, _ = latvia
    county = Municipality.objects.get(reform=reform, stage="new", name="Dienvidkurzemes novads")
    report = services.licence_position(county)
    rules = [p.transfer_rule for p in report.products]
    assert "with_device" in rules and "vendor_transfer" in rules
    auditor = get_user_model().objects.create_superuser("rule-admin", password="x")
    client = Client()
    client.force_login(auditor)
    page = client.get(county_url("software_position", county)).content.decode()
    assert re.findall(r'data-rule="([a-z_]+)"', page) == rules
    shown = re.search(r'data-testid="to-buy">([^<]*)<', page)
    assert shown is not None and int(re.sub(r"\D", "", shown.group(1))) == report.totals["to_buy"]
    with translation.override("lv"):
        assert str(services.TRANSFER_RULE_LABELS[TransferRule.WITH_DEVICE]) in page
    api = APIClient()
    api.force_authenticate(auditor)
    data = api.get(reverse("api_software_position", args=[county.pk])).json()
    assert [p["transfer_rule"] for p in data["products"]] == rules
    assert [p["to_buy"] for p in data["products"]] == [p.to_buy for p in report.products]
    assert data["totals"]["purchase_one_off_eur"] == report.totals["purchase_one_off_eur"]
    cli = CliRunner().invoke(app, ["licences", "position", "--county", county.code, "--reform",
                                   reform.code, "--format", "json"])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output)["products"] == data["products"]
    table = CliRunner().invoke(app, ["licences", "position", "--county", county.code, "--reform",
                                     reform.code])
    assert table.exit_code == 0, table.output
    assert f"{report.totals['to_buy']} licences to buy" in " ".join(table.output.split())


@pytest.mark.django_db
def test_each_merged_county_gets_a_portfolio_with_groups_and_the_national_after_figure(latvia: Any) -> None:
    """GIVEN the normalised demo WHEN each surveyed county's portfolio is taken THEN the merged
    register never has more products than its predecessors together, functions with several
    products are grouped with one kept, and the national provider's figure is the recommended
    product-record count of each county."""
    from ictmerge.software import portfolio

    reform, _ = latvia
    figures = portfolio.after_figures(reform)
    new = Municipality.objects.filter(reform=reform, stage="new").exclude(code__in=_unsurveyed(reform))
    with_groups = 0
    for county in new:
        result = portfolio.portfolio(county)
        assert result.is_demo and result.unnormalised_installs == 0
        assert 0 < result.products_recommended <= result.products_after <= result.products_before
        for group in result.groups:
            assert len(group.products) >= 2 and group.keep not in group.drop
            assert group.keep.installs == max(p.installs for p in group.products)
            assert group.installs_to_change == sum(p.installs for p in group.drop)
        with_groups += bool(result.groups)
        assert figures[county.pk] == {"software_products_after": result.records_recommended,
                                      "software_products_after_basis": "recommended"}
    assert with_groups >= len(new) // 2
