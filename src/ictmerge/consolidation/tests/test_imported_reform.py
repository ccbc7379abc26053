"""A real reform imported through `reform import`, with generated demo data: the two levels of after."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.consolidation.models import ExternalRoomEntry, Scenario
from ictmerge.consolidation.reasons import reason_text

REFORMS = Path(__file__).resolve().parents[4] / ".." / "shared" / "data" / "reforms"
#: Four municipalities the Estonian reform left unchanged, and three mergers (2 and 3 predecessors).
EE_CODES = ("0198", "0245", "0251", "0272", "0141", "0803", "0834")
#: Each imported reform: its succession file, the new municipalities taken (None: all), those the
#: reform leaves unchanged, and the import's code, name, country and date.
IMPORTS = {
    "ee-part": (REFORMS / "ee-2017" / "successions.csv", EE_CODES, EE_CODES[:4],
                "Estonia 2017 (part)", "EE", "2017-10-24", 3),
    # The Dutch mergers of 1 January 2021: three into Eemsdelta, Haaren split over four.
    "nl-2021": (REFORMS / "nl-2018-2023" / "netherlands_herindeling_2021-01-01.csv", None, (),
                "Netherlands 2021", "NL", "2021-01-01", 5),
}


@pytest.fixture(scope="module", params=sorted(IMPORTS))
def planned(request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A real reform (or part of it) imported, demo data generated, every county planned; rolled
    back. The plan's JSON, with the reform's code and its unchanged municipalities."""
    from ictmerge.inventory.demo import load_demo

    code = request.param
    source, codes, unchanged, name, country, date, seed = IMPORTS[code]
    with source.open(encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if codes is None or r["new_code"] in codes]
    path = tmp_path_factory.mktemp("reform") / f"{code}.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    runner = CliRunner()
    with django_db_blocker.unblock(), transaction.atomic():
        imported = runner.invoke(app, ["reform", "import", str(path), "--code", code, "--name",
                                       name, "--country", country, "--effective-date", date])
        assert imported.exit_code == 0, imported.output
        load_demo(code, seed=seed)
        result = runner.invoke(app, ["plan", "run", "--all", "--reform", code, "--format", "json",
                                     "--time-limit", "0.1"])
        assert result.exit_code == 0, result.output
        yield {**json.loads(result.output), "reform": code, "unchanged": unchanged}
        transaction.set_rollback(True)


def _result(scenario: Scenario) -> dict[str, Any]:
    """A stored result, which a completed run always has."""
    assert scenario.result is not None
    return dict(scenario.result)


@pytest.mark.django_db
def test_it_grows_no_county_of_an_imported_reform_at_todays_service_level(planned: dict[str, Any]) -> None:
    """GIVEN an imported reform with generated demo data WHEN planned THEN at today's service level no
    county's servers or own rooms go up, none needs a reason, and no host stands at a hosting service."""
    counties = planned["counties"]
    assert counties
    services = set(ExternalRoomEntry.objects.values_list("code", flat=True))
    for c in counties:
        assert c["service_level"] == "today"
        assert c["servers_after"] <= c["servers_before"], c
        assert c["own_rooms_after"] <= c["own_rooms_before"], c
        assert c["reasons"] == [], c
    for scenario in Scenario.objects.filter(municipality__reform__code=planned["reform"]):
        result = _result(scenario)
        for level in (result, result["levels"]["today"], result["levels"]["policy"]):
            assert not any(r["is_external"] for r in result["rooms"])
            assert level["own_rooms_after"] <= level["own_rooms_before"] or level["reasons"]
        assert not any(h["room"] in services for h in result["hosts"])


@pytest.mark.django_db
def test_it_keeps_the_estate_of_the_municipalities_the_reform_leaves_unchanged(planned: dict[str, Any]) -> None:
    """GIVEN municipalities the reform leaves unchanged WHEN planned THEN at today's service level they
    keep their servers and rooms as they are, at no one-off cost."""
    if not planned["unchanged"]:
        pytest.skip("every municipality of this reform changes")
    unchanged = [c for c in planned["counties"] if c["code"] in planned["unchanged"]]
    assert unchanged
    for c in unchanged:
        assert (c["servers_after"], c["own_rooms_after"]) == (c["servers_before"], c["own_rooms_before"]), c
        assert c["external_services"] == []
    for scenario in Scenario.objects.filter(municipality__code__in=planned["unchanged"],
                                            municipality__reform__code=planned["reform"]):
        assert _result(scenario)["kept_estate"] and _result(scenario)["money"]["one_off_eur"] == 0


@pytest.mark.django_db
def test_every_county_whose_policy_grows_names_the_rule_in_json_and_on_its_page(
        planned: dict[str, Any]) -> None:
    """GIVEN the counties planned WHEN one is switched to meet the policy and its plan grows THEN
    `plan run` lists the reasons, and the page shows them in words."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ictmerge.reforms.counties import county_url

    grown = [s for s in Scenario.objects.filter(municipality__reform__code=planned["reform"])
             if _result(s)["levels"]["policy"]["servers_after"] > _result(s)["levels"]["policy"]["servers_before"]
             or _result(s)["levels"]["policy"]["own_rooms_after"] > _result(s)["levels"]["policy"]["own_rooms_before"]]
    for scenario in Scenario.objects.filter(municipality__reform__code=planned["reform"]):
        policy = _result(scenario)["levels"]["policy"]
        up = scenario in grown
        assert bool(policy["reasons"]) == up, policy
    if not grown:
        pytest.skip("no county grows under the policy with this seed")
    scenario = grown[0]
    scenario.meets_policy = True
    scenario.save()
    result = CliRunner().invoke(app, ["plan", "run", "--county", scenario.municipality.code, "--reform",
                                      planned["reform"], "--format", "json", "--time-limit", "0.1"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)["counties"]
    assert row["service_level"] == "policy"
    assert row["reasons"] and (row["servers_after"] > row["servers_before"]
                               or row["own_rooms_after"] > row["own_rooms_before"])
    admin, _ = get_user_model().objects.get_or_create(username="hosting-admin", defaults={
        "is_superuser": True, "is_staff": True})
    client = Client()
    client.force_login(admin)
    page = client.get(county_url("consolidation_county", scenario.municipality)).content.decode()
    assert all(reason_text(r) in page for r in row["reasons"])
