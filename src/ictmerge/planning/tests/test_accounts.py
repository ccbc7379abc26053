"""Employee lists, the account plan and the network plan (engine, service, page, API, CLI),
and the consolidation decisions that feed the action plan."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.engine.planning.network import NetSite, plan_network, sites_to_renumber
from ictmerge.engine.planning.staff import (
    AccountAction,
    Employee,
    UserListError,
    accounts_csv,
    accounts_ldif,
    generate_employees,
    plan_accounts,
    read_user_list,
)
from ictmerge.planning.accounts import county_accounts
from ictmerge.planning.decisions import derive_decisions
from ictmerge.reforms.counties import county_url

# Engine ----------------------------------------------------------------------------------


def test_it_generates_the_same_list_for_the_same_seed() -> None:
    first = generate_employees("A", "a.lv", 200, seed=1)
    assert first == generate_employees("A", "a.lv", 200, seed=1)
    assert first != generate_employees("A", "a.lv", 200, seed=2)
    assert len(first) == 200
    assert len({e.old_username for e in first}) == 200  # the old directory was unique too
    assert any("ņ" in e.family_name or "ā" in e.given_name for e in first)  # Latvian names


def test_it_resolves_every_collision_by_the_stated_rule() -> None:
    """GIVEN two generated lists WHEN planned THEN names collide, every account name is unique,
    and the first holder in (code, family, given, old name) order keeps the plain name."""
    a = generate_employees("A", "a.lv", 300, seed=1)
    b = generate_employees("B", "b.lv", 200, seed=1)
    plan = plan_accounts(a + b, "new.lv")
    active = [x for x in plan.accounts if x.action is not AccountAction.DISABLE]
    assert plan.collisions, "realistic Latvian names collide"
    assert len({x.username for x in active}) == len(active)
    assert len({x.email for x in active}) == len(active)
    assert all(x.email.endswith("@new.lv") and x.username.isascii() for x in active)
    for collision in plan.collisions:
        names = [username for _, username in collision.holders]
        assert names[0] == collision.base
        assert names[1:] == [f"{collision.base}{n}" for n in range(2, len(names) + 1)]
    assert plan.count(AccountAction.DISABLE) == sum(1 for e in a + b if not e.active)


def test_it_merges_one_person_listed_by_two_predecessors_and_disables_leavers() -> None:
    jana = Employee("A", "Jana", "Ozola", "Finance", old_username="jozola", employee_id="p1")
    again = Employee("B", "Jana", "Ozola", "Finance", old_username="jana.o", employee_id="p1")
    left = Employee("B", "Jānis", "Bērziņš", old_username="jberzins", active=False)
    plan = plan_accounts([jana, again, left], "n.lv")
    merged = [x for x in plan.accounts if x.action is AccountAction.MERGE]
    assert len(merged) == 1 and merged[0].sources == ("A:jozola", "B:jana.o")
    disabled = [x for x in plan.accounts if x.action is AccountAction.DISABLE]
    assert [x.username for x in disabled] == ["jberzins"]
    assert plan.groups[0].new_group == "grp-finance"


def test_the_ldif_has_one_entry_per_account_and_encodes_latvian_letters() -> None:
    plan = plan_accounts([Employee("A", "Jānis", "Bērziņš", "Finance", old_username="jb"),
                          Employee("B", "Jānis", "Bērziņš", "Registry", old_username="jb")],
                         "novads.lv")
    ldif = accounts_ldif(plan)
    assert ldif.startswith("version: 1\n")
    people = [block for block in ldif.split("\n\n") if "ou=people" in block.split("\n")[0]]
    assert [b.split("\n")[0] for b in people] == [
        "dn: uid=janis.berzins,ou=people,dc=novads,dc=lv",
        "dn: uid=janis.berzins2,ou=people,dc=novads,dc=lv"]
    encoded = next(line for line in people[0].split("\n") if line.startswith("sn::"))
    assert base64.b64decode(encoded[5:]).decode() == "Bērziņš"
    assert "cn: grp-all-staff" in ldif
    assert accounts_csv(plan).splitlines()[1].startswith("create,janis.berzins,")


def test_it_reads_our_template_a_directory_export_and_snipe_it_users() -> None:
    ours = read_user_list("given_name,family_name,active,employee_id\nAnna,Liepa,no,7\n", "A")
    assert ours == [Employee("A", "Anna", "Liepa", active=False, employee_id="7")]
    directory = read_user_list("givenName;sn;sAMAccountName;mail;department\n"
                               "Ilze;Kalniņa;ikalnina;ik@a.lv;Finance\n", "A")
    assert directory[0].old_username == "ikalnina" and directory[0].department == "Finance"
    snipe = read_user_list('"First Name","Last Name","Username","Email"\n'
                           '"Juris","Ozols","jozols","jo@b.lv"\n', "B")
    assert snipe[0].family_name == "Ozols" and snipe[0].old_email == "jo@b.lv"


@pytest.mark.parametrize(("text", "message"), [
    ("name,last\nA,B\n", "users.csv, row 1: no column for given_name, family_name"),
    ("given_name,family_name\nAnna,\n", "users.csv, row 2, family_name: empty"),
    ("given_name,family_name,active\nAnna,Liepa,maybe\n",
     "users.csv, row 2, active: 'maybe' is not yes/no"),
])
def test_a_bad_user_list_names_file_row_and_field(text: str, message: str) -> None:
    with pytest.raises(UserListError, match=message.replace("(", r"\(")):
        read_user_list(text, "A")


def test_the_network_plan_links_sites_to_the_nearest_hub_and_finds_overlaps() -> None:
    sites = [NetSite("Hub A", "A", 56.9, 24.1, "192.168.1.0/24", is_hub=True),
             NetSite("Hub B", "B", 57.5, 25.4, "10.0.0.0/16", is_hub=True),
             NetSite("School A", "A", 56.95, 24.2, "192.168.1.0/25"),
             NetSite("Library B", "B", 57.4, 25.3, "192.168.1.128/25")]
    plan = plan_network(sites)
    links = {(link.a, link.z, link.kind) for link in plan.links}
    assert links == {("School A", "Hub A", "site-hub"), ("Library B", "Hub B", "site-hub"),
                     ("Hub A", "Hub B", "hub-hub")}
    # Same-predecessor overlap (Hub A / School A) is not a renumbering; across predecessors is.
    assert [(o.site, o.other_site) for o in plan.overlaps] == [("Hub A", "Library B")]
    assert sites_to_renumber(plan) == ["Library B"]


# Service, page, API, CLI -------------------------------------------------------------------


def _demo(north: Any) -> None:
    from ictmerge.inventory.models import Device

    Device.objects.filter(municipality__in=[north.world.former_a, north.world.former_b]).update(
        is_demo=True)


@pytest.mark.django_db
def test_a_demo_county_gets_generated_lists_labelled_as_such(north: Any) -> None:
    _demo(north)
    result = county_accounts(north.county)
    assert [(s.former.code, s.basis) for s in result.lists] == [("A", "generated"),
                                                                ("B", "generated")]
    # One employee per computer, plus in B the 2 of A's people who work for both (1 in 50).
    assert [len(s.employees) for s in result.lists] == [north.computers_a, north.computers_b + 2]
    assert sum(1 for a in result.plan.accounts if a.action is AccountAction.MERGE) == 2
    assert result.is_demo and result.plan.collisions
    decisions = derive_decisions(north.county).decisions
    assert decisions.provisioning.employees == result.employees
    assert len(decisions.provisioning.network_links) == len(result.network.links)


@pytest.mark.django_db
def test_without_lists_the_action_plan_assumes_one_account_per_computer(north: Any) -> None:
    result = county_accounts(north.county)
    assert {s.basis for s in result.lists} == {"none"} and not result.plan.accounts
    provisioning = derive_decisions(north.county).decisions.provisioning
    assert provisioning.employees == north.computers_a + north.computers_b


@pytest.mark.django_db
def test_the_page_and_exports_show_the_plan_and_hide_it_from_others(north: Any) -> None:
    _demo(north)
    client = Client()
    client.force_login(north.world.users["lead"])
    page = client.get(county_url("planning_accounts", north.county))
    assert page.status_code == 200
    body = page.content.decode()
    assert "demo-banner" in body and "badge demo" in body and "next free number" in body
    ldif = client.get(county_url("planning_accounts_export", north.county, "ldif"))
    assert ldif.status_code == 200 and ldif.content.startswith(b"version: 1")
    csv = client.get(county_url("planning_accounts_export", north.county, "csv"))
    assert csv.content.decode().splitlines()[0].startswith("action,username,email")
    outsider = Client()
    outsider.force_login(north.world.users["outsider"])
    assert outsider.get(county_url("planning_accounts", north.county)).status_code == 404


@pytest.mark.django_db
def test_the_api_gives_the_account_and_network_plan(north: Any) -> None:
    _demo(north)
    api = APIClient()
    api.force_authenticate(north.world.users["viewer"])
    response = api.get(f"/api/planning/counties/{north.county.pk}/accounts/")
    assert response.status_code == 200
    data = response.json()
    assert data["is_demo"] and data["email_domain"]
    assert data["totals"]["create"] + data["totals"]["merge"] == len(
        [a for a in data["accounts"] if a["action"] != "disable"])
    assert len({a["username"] for a in data["accounts"] if a["action"] != "disable"}) == \
        data["totals"]["create"] + data["totals"]["merge"]
    api.force_authenticate(north.world.users["outsider"])
    assert api.get(f"/api/planning/counties/{north.county.pk}/accounts/").status_code == 404


@pytest.mark.django_db
def test_the_cli_imports_a_user_list_and_rejects_a_bad_one(north: Any, tmp_path: Path) -> None:
    good = tmp_path / "a.csv"
    good.write_text("given_name,family_name\nJānis,Bērziņš\nJānis,Bērziņš\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["accounts", "--county", north.county.code, "--format", "json",
                                 "--users", f"A={good}"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["lists"][0] == {"code": "A", "name": "Former A", "basis": "imported",
                                "employees": 2}
    assert [h["username"] for h in data["collisions"][0]["holders"]] == [
        "janis.berzins", "janis.berzins2"]
    ldif = runner.invoke(app, ["accounts", "--county", north.county.code, "--format", "ldif",
                               "--users", f"A={good}"])
    assert ldif.output.count("dn: uid=") == 2
    bad = tmp_path / "b.csv"
    bad.write_text("given_name,family_name\nAnna,\n", encoding="utf-8")
    failed = runner.invoke(app, ["accounts", "--county", north.county.code, "--users", f"A={bad}"])
    assert failed.exit_code != 0
    assert "b.csv, row 2, family_name: empty" in " ".join(failed.output.split())


# Consolidation decisions ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_chosen_consolidation_scenario_feeds_rooms_and_hosts(north: Any) -> None:
    """GIVEN a computed scenario keeping A's room, closing B's, buying one host and moving B's
    server WHEN the action plan is generated THEN those tasks are in it, the close after the
    move."""
    from ictmerge.consolidation.models import Scenario
    from ictmerge.inventory.models import Device, ServerRoom, Site
    from ictmerge.planning import services
    from ictmerge.planning.models import Task

    a, b = north.world.former_a, north.world.former_b
    room_a = ServerRoom.objects.create(municipality=a, name="Server room", site=Site.objects.get(
        name="A town hall"))
    room_b = ServerRoom.objects.create(municipality=b, name="Server room",
                                       site=Site.objects.get(name="B town hall"))
    Device.objects.create(municipality=b, kind="server", name="B server", room=room_b)
    result = {"rooms": [
        {"id": "r1", "name": "Server room", "kept": True, "is_external": False, "pk": room_a.pk,
         "annual_cost_eur": 1000.0},
        {"id": "r2", "name": "Server room", "kept": False, "is_external": False,
         "pk": room_b.pk}],
        "hosts": [{"id": "h1", "reused_server": None, "room": "r1"},
                  {"id": "h2", "reused_server": "B server (Former B)", "room": "r1"}]}
    Scenario.objects.create(municipality=north.county, name="Plan", is_chosen=True,
                            status="done", result=result)
    derived = derive_decisions(north.county)
    assert "“Plan”" in derived.basis["rooms"]
    services.generate_action_plan(north.county)
    keys = set(Task.objects.filter(municipality=north.county).values_list("key", flat=True))
    assert {"provision.room_upgrade:Server room", "provision.host_procurement:Server room",
            "provision.host_install:Server room",
            "provision.host_move:B server (Former B) to Server room",
            "provision.room_close:Server room #2"} <= keys
    close = Task.objects.get(municipality=north.county, key="provision.room_close:Server room #2")
    assert "provision.host_move:B server (Former B) to Server room" in close.depends_on
    hubs = {s.name for s in county_accounts(north.county).network.sites if s.is_hub}
    assert hubs == {"A town hall (A)"}


@pytest.mark.django_db
def test_the_api_plans_with_posted_user_lists_and_names_a_bad_row(north: Any) -> None:
    api = APIClient()
    api.force_authenticate(north.world.users["lead"])
    url = f"/api/planning/counties/{north.county.pk}/accounts/"
    ok = api.post(url, {"lists": {"A": "given_name,family_name\nIeva,Liepa\n",
                                  "B": "First Name,Last Name\nIeva,Liepa\n"}}, format="json")
    assert ok.status_code == 200, ok.content
    data = ok.json()
    assert [a["username"] for a in data["accounts"]] == ["ieva.liepa", "ieva.liepa2"]
    bad = api.post(url, {"lists": {"B": "given_name,family_name\n,Liepa\n"}}, format="json")
    assert bad.status_code == 400 and "lists[B], row 2, given_name: empty" in str(bad.json()["lists"])
    other = api.post(url, {"lists": {"C": "given_name,family_name\nA,B\n"}}, format="json")
    assert other.status_code == 400
