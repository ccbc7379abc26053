"""The budget (service, page, API, CLI) and the national view's planning figures."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.inventory.choices import GovernanceModel
from ictmerge.planning import services
from ictmerge.planning.governance import assess_county
from ictmerge.planning.tests.conftest import FAST
from ictmerge.reforms.counties import county_url
from ictmerge.reports.services import national_report


@pytest.mark.django_db
def test_it_prices_every_decision_with_low_expected_high(north: Any) -> None:
    result = services.budget_for(north.county)
    data = services.budget_json(result)
    for key in ("one_off_cost_eur", "annual_cost_change_eur"):
        amount = data[key]
        assert amount["low"] <= amount["expected"] <= amount["high"]
    licence = next(line for line in data["lines"] if line["item"] == "licence.office_suite")
    assert licence["quantity"] == 30 and licence["expected"] == 30 * 250
    saving = next(line for line in data["lines"] if "B hosting" in line["description"])
    assert saving["kind"] == "annual" and saving["expected"] == -6000
    assert sum(line["expected"] for line in data["lines"] if line["kind"] == "one_off") == \
        pytest.approx(data["one_off_cost_eur"]["expected"])
    assert data["ict_spend_eur"] == 100000
    assert data["one_off_share_of_ict_spend"] == pytest.approx(
        data["one_off_cost_eur"]["expected"] / 100000, rel=1e-3)
    assert all(line["basis"].startswith(("source:", "assumption:")) for line in data["lines"])


@pytest.mark.django_db
def test_the_budget_follows_the_stored_tasks(north: Any) -> None:
    """GIVEN a stored plan WHEN a hand-added task buys two servers THEN the one-off grows."""
    from ictmerge.planning.models import Task

    services.generate_action_plan(north.county)
    before = services.budget_for(north.county).budget.one_off.expected
    Task.objects.create(municipality=north.county, key="own.servers", title="Buy servers",
                        cost_items="hardware.server 2")
    after = services.budget_for(north.county)
    assert after.from_stored_tasks
    assert after.budget.one_off.expected == pytest.approx(before + 2 * 8500)


@pytest.mark.django_db
def test_the_page_api_and_cli_show_the_same_totals(north: Any) -> None:
    expected = services.budget_json(services.budget_for(north.county))["one_off_cost_eur"]
    client = Client()
    client.force_login(north.world.users["viewer"])
    page = client.get(county_url("planning_budget", north.county))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    api = APIClient()
    api.force_authenticate(north.world.users["auditor"])
    assert api.get(reverse("api_planning_budget", args=[north.county.pk])).json()[
        "one_off_cost_eur"] == expected
    outsider = APIClient()
    outsider.force_authenticate(north.world.users["outsider"])
    assert outsider.get(reverse("api_planning_budget", args=[north.county.pk])).status_code == 404
    result = CliRunner().invoke(app, ["budget", "--county", "N", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["one_off_cost_eur"] == expected


@pytest.mark.django_db
def test_the_national_view_gets_governance_and_costs_after_planning(north: Any) -> None:
    report = national_report(north.world.reform)
    county = next(c for c in report["new"] if c["code"] == "N")
    recommended = assess_county(north.county).recommendation.recommended.value
    assert county["governance_after"] == recommended  # the recommendation until a choice
    assert county["after"]["governance_after_chosen"] is False
    services.plan_county(north.county, settings=FAST)
    services.record_choice(north.county, "decentralised", "keep local staff",
                           north.world.users["lead"])
    from ictmerge.inventory.figures import county_figures, former_figures

    reform = north.world.reform
    figures = {c.code: c for c in county_figures(reform, former_figures(reform))}
    after = figures["N"].after
    assert after["governance_after"] == "decentralised" and after["governance_after_chosen"]
    budget = services.budget_json(services.budget_for(north.county))
    assert after["one_off_cost_eur"] == budget["one_off_cost_eur"]["expected"]
    assert after["annual_cost_change_eur"] == budget["annual_cost_change_eur"]["expected"]
    assert "S" not in {code for code, c in figures.items() if c.after.get("governance_after")}


@pytest.mark.django_db
def test_the_planning_index_lists_counties_in_scope_with_their_totals(north: Any) -> None:
    services.plan_county(north.county, settings=FAST)
    client = Client()
    client.force_login(north.world.users["outsider"])
    text = client.get(reverse("planning_index")).content.decode()
    assert "New North" not in text
    client.force_login(north.world.users["lead"])
    text = client.get(reverse("planning_index")).content.decode()
    assert "New North" in text and "New South" not in text
    assert client.post(reverse("planning_index")).status_code == 403  # only for all counties


@pytest.mark.django_db
def test_it_carries_a_chosen_shared_service_into_the_budget(north: Any) -> None:
    """GIVEN the county chooses the shared service WHEN budgeted THEN the neighbour's fee and
    the staff change are governance lines, and the five sources sum to the annual change."""
    services.record_choice(north.county, "shared_service", "pool with the neighbour",
                           north.world.users["lead"])
    assessment = assess_county(north.county).assessment_after
    data = services.budget_json(services.budget_for(north.county))
    fees = next(line for line in data["lines"]
                if line["description"]
                == f"External support fees ({GovernanceModel.SHARED_SERVICE.label})")
    assert fees["expected"] == assessment.external_fees_eur > 0
    by_source = data["annual_change_by_source"]
    total = (by_source["governance"] + by_source["consolidation"] + by_source["licences"]
             + by_source["contracts"] + by_source["other"])
    assert abs(total - data["annual_cost_change_eur"]["expected"]) < 1
    label = GovernanceModel.SHARED_SERVICE.label
    governance = [line for line in data["lines"] if f"({label})" in line["description"]]
    assert by_source["governance"] == pytest.approx(
        sum(line["expected"] for line in governance), abs=0.01)
    assert data["baseline_eur"] == 100000
    assert data["waterfall"][0]["end_eur"] == 100000
    assert data["waterfall"][-1]["end_eur"] == pytest.approx(
        100000 + data["annual_cost_change_eur"]["expected"], abs=0.01)


@pytest.mark.django_db
def test_the_budget_page_api_and_cli_explain_the_money(north: Any) -> None:
    """GIVEN a plan whose annual cost rises WHEN the budget is read on every surface THEN each
    shows the change by source and the drivers, the page the waterfall and the tornado."""
    from ictmerge.planning.governance import set_parameter

    set_parameter(north.county, "outsourcing_price_per_device_month_eur", 100, "a dear quote",
                  north.world.users["lead"])
    services.record_choice(north.county, "outsourced", "", north.world.users["lead"])
    data = services.budget_json(services.budget_for(north.county))
    assert data["annual_cost_change_eur"]["expected"] > 0 and data["needs_explanation"]
    assert data["drivers"]["annual"] and len(data["drivers"]["annual"]) <= 5
    assert data["tornado"] and all(t["basis"] for t in data["tornado"])
    client = Client()
    client.force_login(north.world.users["viewer"])
    page = client.get(county_url("planning_budget", north.county)).content.decode()
    for marker in ('data-testid="drivers"', 'data-testid="cost-lines"',
                   'data-testid="by-source"', 'data-testid="annual-change-share"'):
        assert marker in page
    assert page.count("<svg") >= 3  # categories, waterfall, tornado
    api = APIClient()
    api.force_authenticate(north.world.users["auditor"])
    body = api.get(reverse("api_planning_budget", args=[north.county.pk])).json()
    assert body["annual_change_by_source"] == data["annual_change_by_source"]
    result = CliRunner().invoke(app, ["budget", "--county", "N", "--format", "json"])
    assert json.loads(result.output)["annual_change_by_source"] == data["annual_change_by_source"]
    result = CliRunner().invoke(app, ["governance", "--county", "N", "--format", "json"])
    models = [a["model"] for a in json.loads(result.output)["alternatives"]]
    assert models[0] == "current" and len(models) == 6
    table = CliRunner().invoke(app, ["governance", "--county", "N"])
    assert table.exit_code == 0 and "│ cur" in table.output, table.output  # narrow: "curre…"
    table = CliRunner().invoke(app, ["budget", "--county", "N"])
    assert table.exit_code == 0 and "driver (annual)" in table.output, table.output


@pytest.mark.django_db
def test_the_parameters_and_the_assumptions_to_confirm_are_listed(north: Any) -> None:
    """GIVEN the shipped parameters and a county value WHEN listed on the page, the API and the
    CLI THEN each names its source or assumption, the CSB wage is sourced, and the
    assumptions are on the list to confirm."""
    from ictmerge.planning.governance import set_parameter

    set_parameter(north.county, "outsourcing_price_per_device_month_eur", 25, "our quote",
                  north.world.users["lead"])
    api = APIClient()
    api.force_authenticate(north.world.users["auditor"])
    body = api.get(reverse("api_planning_parameters", args=[north.county.pk])).json()
    entries = {e["name"]: e for e in body["parameters"]}
    assert entries["ict_gross_wage_eur_month"]["basis"].startswith("source: CSB")
    assert not entries["ict_gross_wage_eur_month"]["confirm"]
    assert entries["outsourcing_price_per_device_month_eur"]["value"] == 25
    assert entries["outsourcing_price_per_device_month_eur"]["overridden"]
    assert "outsourcing_price_per_device_month_eur" not in body["to_confirm"]
    assert "outsourcing_price_per_server_month_eur" in body["to_confirm"]
    assert all(e["basis"].startswith(("source:", "assumption:")) for e in body["parameters"])
    client = Client()
    client.force_login(north.world.users["viewer"])
    page = client.get(county_url("planning_parameters", north.county)).content.decode()
    assert 'data-testid="to-confirm"' in page and "outsourcing_price_per_server_month_eur" in page
    result = CliRunner().invoke(app, ["parameters", "--to-confirm", "--format", "json"])
    assert result.exit_code == 0, result.output
    names = {e["name"] for e in json.loads(result.output)["parameters"]}
    assert "ict_gross_wage_eur_month" not in names and "room.running" in names


@pytest.mark.django_db
def test_it_lists_every_price_the_plans_use_with_its_source_or_on_the_list_to_confirm(
        north: Any) -> None:
    """GIVEN the shipped catalogues WHEN the register is read (API, CLI) THEN the consolidation
    money, the hosting services' prices per resource and the host models are on it, every
    basis resting on an assumption is to confirm, and a scenario's own electricity price is
    shown as set."""
    from decimal import Decimal

    from ictmerge.consolidation.models import Scenario
    from ictmerge.planning.costs import parameter_register

    api = APIClient()
    api.force_authenticate(north.world.users["auditor"])
    body = api.get(reverse("api_planning_parameters", args=[north.county.pk])).json()
    entries = {e["name"]: e for e in body["parameters"]}
    assert {"reference", "governance", "catalogue", "consolidation", "hosting", "hosts"} == {
        e["group"] for e in body["parameters"]}
    assert entries["electricity_eur_per_kwh"]["value"] == 0.2
    assert "electricity_eur_per_kwh" in body["to_confirm"]
    assert entries["ext-state-dc.eur_per_vcpu_month"]["basis"].startswith("assumption:")
    assert "ext-state-dc.eur_per_vcpu_month" in body["to_confirm"]
    assert "univie" in entries["ext-state-dc.eur_per_vcpu_month"]["basis"]
    assert entries["ext-public-cloud.eur_per_tb_storage_month"]["basis"].startswith("source:")
    for entry in body["parameters"]:
        assert entry["basis"].startswith(("source:", "assumption:")), entry["name"]
        if "assumption" in entry["basis"].lower() and not entry["overridden"]:
            assert entry["name"] in body["to_confirm"], entry["name"]
    result = CliRunner().invoke(app, ["parameters", "--to-confirm", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "migration_cost_per_workload_eur" in {
        e["name"] for e in json.loads(result.output)["parameters"]}
    own = {e["name"]: e for e in parameter_register(
        scenario=Scenario(electricity_eur_per_kwh=Decimal("0.15")))}
    assert own["electricity_eur_per_kwh"]["value"] == 0.15
    assert own["electricity_eur_per_kwh"]["overridden"]
    assert not own["electricity_eur_per_kwh"]["confirm"]


@pytest.mark.django_db
def test_the_national_report_totals_the_plans_money(north: Any) -> None:
    """GIVEN a planned county WHEN the national report is read (JSON and page) THEN one-off and
    annual change are totalled low / expected / high with shares and drivers."""
    services.plan_county(north.county, settings=FAST)
    budget = services.budget_json(services.budget_for(north.county))
    result = CliRunner().invoke(app, ["report", "national", "--reform",
                                      north.world.reform.code, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["one_off_eur"] == budget["one_off_cost_eur"]
    assert report["annual_change_eur"] == budget["annual_cost_change_eur"]
    assert report["money"]["counties_planned"] == 1
    assert report["money"]["one_off_share_of_ict_spend"] == pytest.approx(
        budget["one_off_cost_eur"]["expected"] / 100000, abs=1e-4)
    row = next(c for c in report["new"] if c["code"] == "N")
    assert row["annual_change_share_of_ict_spend"] == pytest.approx(
        budget["annual_cost_change_eur"]["expected"] / 100000, abs=1e-4)
    client = Client()
    client.force_login(north.world.users["auditor"])
    page = client.get(reverse("national")).content.decode()
    assert 'data-testid="money"' in page and 'data-testid="national-by-source"' in page


@pytest.mark.django_db
def test_a_split_predecessor_counts_by_its_share(north: Any) -> None:
    """GIVEN predecessor B split half into North WHEN North is budgeted and its governance priced
    THEN today's spend counts half of B's, as the national view divides it, on every surface."""
    from ictmerge.planning.governance import governance_json
    from ictmerge.reforms.models import Succession

    Succession.objects.filter(new=north.county, former=north.world.former_b).update(
        share="0.5")
    data = services.budget_json(services.budget_for(north.county))
    assert data["ict_spend_eur"] == 75000 and data["baseline_eur"] == 75000
    governance = governance_json(assess_county(north.county))
    assert governance["baseline"] is not None and governance["baseline"]["total_eur"] == 75000


@pytest.mark.django_db
def test_it_prices_the_budget_with_the_countys_own_unit_price(north: Any) -> None:
    """GIVEN a county that sets its own quote for a catalogue price (CLI --set) WHEN budgeted
    and its register is read THEN every line of that item uses the quote, and the register
    shows it as set by the municipality with its source, off the list to confirm."""
    before = services.budget_json(services.budget_for(north.county))
    used = sorted({line["item"] for line in before["lines"] if line["item"]})
    assert used
    item = used[0]
    result = CliRunner().invoke(app, ["governance", "--county", "N", "--set", f"{item}=1234.5",
                                      "--source", "our supplier's quote of 2021-03-01",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    after = services.budget_json(services.budget_for(north.county))
    lines = [line for line in after["lines"] if line["item"] == item]
    assert lines and all(line["expected"] == pytest.approx(1234.5 * line["quantity"], abs=0.01)
                         for line in lines)
    assert all("our supplier's quote" in line["basis"] for line in lines)
    api = APIClient()
    api.force_authenticate(north.world.users["auditor"])
    body = api.get(reverse("api_planning_parameters", args=[north.county.pk])).json()
    entry = next(e for e in body["parameters"] if e["name"] == item)
    assert entry["value"] == 1234.5 and entry["overridden"] and item not in body["to_confirm"]
    bad = CliRunner().invoke(app, ["governance", "--county", "N", "--set", f"{item}=-1"])
    assert bad.exit_code != 0


@pytest.mark.django_db
def test_it_lists_the_shipped_parameters_from_the_national_view(north: Any) -> None:
    """GIVEN a planned county WHEN the national page is read THEN it links to the register of
    the shipped parameters, whose page (in Latvian too) and API list every parameter with its
    source or assumption and those to confirm, the same as the CLI."""
    services.plan_county(north.county, settings=FAST)
    client = Client()
    client.force_login(north.world.users["auditor"])
    page = client.get(reverse("national")).content.decode()
    assert 'data-testid="parameters-link"' in page and reverse(
        "planning_parameters_national") in page
    api = APIClient()
    api.force_authenticate(north.world.users["auditor"])
    body = api.get(reverse("api_planning_parameters_national")).json()
    assert body["county"] is None and "electricity_eur_per_kwh" in body["to_confirm"]
    result = CliRunner().invoke(app, ["parameters", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["to_confirm"] == body["to_confirm"]
    client.cookies["django_language"] = "lv"
    listed = client.get(reverse("planning_parameters_national")).content.decode()
    assert 'data-testid="to-confirm"' in listed
    assert "Izmaksu modeļa parametri" in listed
    assert all(name in listed for name in body["to_confirm"])
