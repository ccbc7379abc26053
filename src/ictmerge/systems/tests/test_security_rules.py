"""The rules without a confirmed source, in the page, the API and the CLI; a confirmation by a
steward removes the mark and stays in the history; the security page names its rule set."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.history import history_for
from ictmerge.reforms.counties import county_url
from ictmerge.systems.models import RuleConfirmation
from ictmerge.systems.security import unconfirmed_json

pytestmark = pytest.mark.django_db
RULE = "lv-442/increased/criterion"


def _client(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def _api(world: Any, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[persona])
    return client


def test_the_page_lists_every_unconfirmed_rule_and_a_steward_confirms_one(world: Any) -> None:
    """GIVEN the shipped rules WHEN the page opens THEN every unconfirmed rule is listed; WHEN
    the steward records a confirmation THEN the rule leaves the list and the history has it."""
    url = reverse("systems_security_rules")
    html = _client(world, "auditor").get(url).content.decode()
    listed = {r["rule_id"] for r in unconfirmed_json()["rules"]}
    assert RULE in listed and all(f"<code>{rule}</code>" in html for rule in listed)
    assert 'name="confirmed_by"' not in html  # an auditor reads, does not confirm
    refused = _client(world, "auditor").post(url, {"rule_id": RULE, "confirmed_by": "X",
                                                    "confirmed_on": "2026-12-01", "text": "t"})
    assert refused.status_code == 403 and not RuleConfirmation.objects.exists()
    done = _client(world, "steward").post(url, {
        "rule_id": RULE, "confirmed_by": "J. Bērziņa, lawyer", "confirmed_on": "2026-12-01",
        "text": "Reg. 442 point 5 (likumi.lv/ta/id/275671): classification criteria"})
    assert done.status_code == 302
    assert RULE not in {r["rule_id"] for r in unconfirmed_json()["rules"]}
    item = RuleConfirmation.objects.get()
    assert history_for(item).get().user_name == "steward"
    html = _client(world, "auditor").get(url).content.decode()
    assert f"<code>{RULE}</code>" in html and "J. Bērziņa, lawyer" in html  # as confirmed


def test_the_page_refuses_an_unknown_rule_with_the_field_named(world: Any) -> None:
    """GIVEN a rule id that is not shipped WHEN posted THEN 400 names the rule field."""
    response = _client(world, "steward").post(reverse("systems_security_rules"), {
        "rule_id": "lv-442/none", "confirmed_by": "X", "confirmed_on": "2026-12-01",
        "text": "t"})
    assert response.status_code == 400 and "rule_id: Unknown rule" in response.content.decode()


def test_the_api_lists_and_records_confirmations(world: Any) -> None:
    """GIVEN the API WHEN a lead confirms a rule THEN 201 and the list no longer has it; a
    viewer gets 403."""
    before = _api(world, "viewer").get("/api/systems/security-rules/unconfirmed/").json()
    assert RULE in {r["rule_id"] for r in before["rules"]}
    assert all(r["source"]["status"] != "confirmed" for r in before["rules"])
    body = {"rule_id": RULE, "confirmed_by": "A lawyer", "confirmed_on": "2026-12-02",
            "text": "Reg. 442 point 5"}
    url = "/api/systems/security-rules/confirmations/"
    assert _api(world, "viewer").post(url, body, format="json").status_code == 403
    made = _api(world, "lead").post(url, body, format="json")
    assert made.status_code == 201 and made.json()["confirmed_by"] == "A lawyer"
    after = _api(world, "viewer").get("/api/systems/security-rules/unconfirmed/").json()
    assert RULE not in {r["rule_id"] for r in after["rules"]}
    assert [c["rule_id"] for c in after["confirmations"]] == [RULE]


def test_the_cli_lists_and_confirms(world: Any) -> None:
    """GIVEN the CLI WHEN listing THEN every unconfirmed rule is printed; WHEN confirming
    under --as THEN it leaves the list."""
    runner = CliRunner()
    listed = runner.invoke(app, ["systems", "rules", "unconfirmed", "--format", "json"])
    assert listed.exit_code == 0 and RULE in {r["rule_id"] for r in
                                              json.loads(listed.output)["rules"]}
    done = runner.invoke(app, ["--as", "steward", "systems", "rules", "confirm", RULE,
                               "--by", "A lawyer", "--on", "2026-12-03", "--text", "point 5"])
    assert done.exit_code == 0, done.output
    again = runner.invoke(app, ["systems", "rules", "unconfirmed", "--format", "json"])
    assert RULE not in {r["rule_id"] for r in json.loads(again.output)["rules"]}
    bad = runner.invoke(app, ["systems", "rules", "confirm", RULE, "--by", "X", "--on",
                              "yesterday", "--text", "t"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output


def test_the_security_page_names_the_law_of_the_date_in_latvian(world: Any) -> None:
    """GIVEN a Latvian reform of 2021-07-01 WHEN the page opens in Latvian THEN it names Reg.
    442's classes as the act does, says why this rule set, with sources; never 'A'/'B'/'C'."""
    from django.utils import translation

    world.reform.country = "LV"
    world.reform.save()
    with translation.override("lv"):
        response = _client(world, "auditor").get(
            county_url("systems_security", world.north), HTTP_ACCEPT_LANGUAGE="lv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "paaugstinātas drošības sistēma" in html and "pamata drošības sistēma" in html
    assert "https://likumi.lv/ta/id/275671" in html and "2021-07-01" in html
    assert ">A<" not in html and ">B<" not in html and ">C<" not in html


def test_a_county_lead_chooses_another_rule_set_in_the_api_page_and_cli(world: Any) -> None:
    """GIVEN a Latvian 2021 county WHEN the lead records FIPS 199 (API), then Reg. 397 (page),
    then the date's set again (CLI) THEN each answer names it and why; others may not."""
    world.reform.country = "LV"
    world.reform.save()
    url = f"/api/systems/counties/{world.north.pk}/security/rule-set/"
    body = {"rule_set": "fips199", "reason": "Audit against NIST"}
    assert _api(world, "auditor").put(url, body, format="json").status_code == 403
    assert _api(world, "lead").put(url, {"rule_set": "iso"}, format="json").status_code == 400
    chosen = _api(world, "lead").put(url, body, format="json")
    assert chosen.status_code == 200 and chosen.json()["code"] == "fips199"
    assert chosen.json()["chosen_by_county"] and "Audit against NIST" in chosen.json()["why"]
    page = county_url("systems_security", world.north)
    posted = _client(world, "lead").post(page, {"rule_set": "lv-nkdl", "reason": "Today's law"})
    assert posted.status_code == 302
    assert "Today&#x27;s law" in _client(world, "lead").get(page).content.decode()
    back = CliRunner().invoke(app, ["--as", "lead", "systems", "security", "--county", "N",
                                    "--reform", "test-reform", "--choose", "date",
                                    "--format", "json"])
    assert back.exit_code == 0, back.output
    assert json.loads(back.output)["rule_set"]["code"] == "lv-442"
