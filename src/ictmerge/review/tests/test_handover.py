"""Before/after views from the handover log, and the handover on the reform date."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.history import history_for
from ictmerge.core.models import Job
from ictmerge.core.testing.factories import make_record
from ictmerge.inventory.models import (
    Contract,
    Device,
    Handover,
    IctFinance,
    InformationSystem,
    Installation,
    Licence,
    ServerRoom,
    Site,
    SoftwareProduct,
)
from ictmerge.reforms.counties import county_url
from ictmerge.reforms.models import Municipality, Succession
from ictmerge.reports.documents import county_document_context
from ictmerge.reports.services import national_report
from ictmerge.reports.views import county_context
from ictmerge.review.choices import ActStatus, HandoverCause
from ictmerge.review.jobs import HANDOVER_JOB, queue_handover_when_due
from ictmerge.review.models import TakeoverAct
from ictmerge.review.services import ReviewError, county_progress
from ictmerge.review.takeover import (
    act_contents,
    approve,
    assign_reviewed,
    due_formers,
    ensure_act,
    handover_due,
)

REFORM_DAY = dt.date(2021, 7, 1)  # the world's reform date


def _split_c(world: Any) -> None:
    """C goes to S (Hill parish, 60 %) and N (Lake town, 40 %)."""
    Succession.objects.filter(former=world.former_c).update(part="Hill parish",
                                                            share=Decimal("0.6"))
    Succession.objects.create(reform=world.reform, former=world.former_c, new=world.north,
                              part="Lake town", share=Decimal("0.4"))


def _inventory(world: Any) -> dict[str, Any]:
    """A's records (plain, into N) and C's (split between S and N), of every counted kind."""
    product = make_record(SoftwareProduct, None)
    records: dict[str, Any] = {}
    for former, place in ((world.former_a, "Town hall"), (world.former_c, "Hill school")):
        site = make_record(Site, former, name=place, address=f"{place} road 1")
        room = make_record(ServerRoom, former, name=f"{place} room", site=site)
        desktops = [make_record(Device, former, kind="desktop", site=site) for _ in range(3)]
        server = make_record(Device, former, kind="server", site=site, room=room)
        make_record(Device, former, kind="network", site=site)
        make_record(Installation, former, device=desktops[0], raw_name="Office", count=1,
                    product=product)
        make_record(InformationSystem, former, name=f"Ledger {former.code}")
        make_record(Contract, former, title=f"Internet {former.code}")
        make_record(Licence, former, product_name="Office", quantity=5, transferable=False)
        make_record(IctFinance, former, year=2019)
        records[former.code] = {"site": site, "server": server, "desktops": desktops}
    lake = make_record(Site, world.former_c, name="Library", address="Lake town, Shore 5")
    make_record(ServerRoom, world.former_c, name="Archive room", site=lake)
    make_record(Device, world.former_c, kind="laptop", site=lake)
    make_record(Device, world.former_c, kind="laptop")  # no site: on the review list
    return records


def _page_figures(client: Client, county: Any) -> str:
    """The county page's predecessor table, functions and rooms (the figures, as shown)."""
    html = client.get(county_url("county", county)).content.decode()
    return html[html.index("<h2>"):]


def _figures(world: Any, client: Client) -> dict[str, Any]:
    """Everything the before/after views show for both counties."""
    shown: dict[str, Any] = {}
    for county in (world.north, world.south):
        predecessors = list(Municipality.objects.filter(successors__new=county)
                            .order_by("name").distinct())
        context = county_context(county, predecessors)
        document = county_document_context(county)
        shown[county.code] = {
            "rows": [{k: v for k, v in r.items() if k != "municipality"}
                     for r in context["rows"]],
            "merged": context["merged"], "functions": context["functions"],
            "rooms": context["rooms"], "is_demo": context["is_demo"],
            "indicators": document["indicators"],
            "after": document["figures"].after,
            "page": _page_figures(client, county),
        }
    report = national_report(world.reform)
    shown["national"] = {k: v for k, v in report.items()}
    return shown


@pytest.mark.django_db
def test_it_keeps_the_county_figures_after_the_acts_are_approved_and_handed_over(
        world: Any) -> None:
    """GIVEN A (plain) and C (split) with records WHEN the leads approve and the records pass
    THEN the county pages, county documents and national report show the same figures."""
    _split_c(world)
    _inventory(world)
    client = Client()
    client.force_login(world.users["auditor"])
    before = _figures(world, client)
    assert before["N"]["rows"][0]["computers"] == 3  # Former A, as counted before
    assert before["S"]["rows"][0]["servers"] == 1  # Former C
    approve(world.users["lead"], ensure_act(world.former_a))
    approve(world.users["lead"], ensure_act(world.former_c))
    act_c = approve(world.users["admin"], TakeoverAct.objects.get(former=world.former_c))
    assert act_c.status == ActStatus.TRANSFERRED and act_c.review_list
    assert not Device.objects.filter(municipality=world.former_a).exists()
    assert Device.objects.filter(municipality=world.south).exists()
    after = _figures(world, client)
    for view, figures in before.items():
        for key, value in figures.items():
            assert after[view][key] == value, (view, key)


@pytest.mark.django_db
def test_a_server_plan_reads_the_same_inputs_after_the_handover(world: Any) -> None:
    """GIVEN servers with anti-affinity workloads in A, B and split C WHEN every act passes
    THEN the consolidation inputs of N and S (servers, names, rooms, rules) are unchanged."""
    from ictmerge.consolidation.inputs import county_data
    from ictmerge.inventory.models import Workload

    _split_c(world)
    records = _inventory(world)
    twin = make_record(Device, world.former_b, kind="server")
    for server, name in ((records["A"]["server"], "dc"), (twin, "dc")):
        for _ in range(2):
            make_record(Workload, server.municipality, server=server, anti_affinity_group=name)

    def inputs() -> list[Any]:
        return [(d.servers, d.server_names, d.rooms, d.rules)
                for d in (county_data(world.north), county_data(world.south))]

    before = inputs()
    assert len(before[0][3]) == 2  # A's "dc" group and B's, not one merged group
    handover_due(REFORM_DAY)
    assert not Device.objects.filter(municipality=world.former_b, kind="server").exists()
    assert inputs() == before


@pytest.mark.django_db
def test_the_act_keeps_listing_what_was_handed_over(world: Any) -> None:
    _inventory(world)
    act = ensure_act(world.former_a)
    listed = act_contents(act)
    approve(world.users["lead"], act)
    after = act_contents(TakeoverAct.objects.get(pk=act.pk))
    assert after["resources"] == listed["resources"]
    assert {r["key"]: r["count"] for r in after["resources"]}["computers"] == 3
    assert after["handed_over"] > 0


@pytest.mark.django_db
def test_the_act_lists_its_justification_documents_or_says_they_are_missing(
        world: Any) -> None:
    act = ensure_act(world.former_a)
    assert "no_documents_listed" in {m["key"] for m in act_contents(act)["missing"]}
    act.documents = "Inventory list no. 12, 2021-06-15\nLicence agreement MS-77"
    act.save()
    contents = act_contents(act)
    assert "no_documents_listed" not in {m["key"] for m in contents["missing"]}
    assert contents["documents"] == ["Inventory list no. 12, 2021-06-15",
                                     "Licence agreement MS-77"]
    client = Client()
    client.force_login(world.users["viewer"])
    page = client.get(reverse("takeover_act", args=[world.former_a.pk])).content.decode()
    assert "Licence agreement MS-77" in page


@pytest.mark.django_db
def test_it_hands_over_on_the_reform_date_once_with_the_cause_in_the_history(
        world: Any) -> None:
    """GIVEN A, B and C with draft acts (or none) WHEN the reform date comes
    THEN all three pass, by the system, marked automatic, and a second run does nothing."""
    records = _inventory(world)
    assert handover_due(REFORM_DAY - dt.timedelta(days=1)) == []  # not yet
    assert Device.objects.filter(municipality=world.former_a).count() == 5
    entries = handover_due(REFORM_DAY)
    assert {e.former for e in entries} == {"A", "B", "C"}
    by_code = {e.former: e for e in entries}
    assert by_code["A"].moved["inventory.device"] == 5 and by_code["A"].successors == ["N"]
    assert not Device.objects.filter(municipality=world.former_a).exists()
    act = TakeoverAct.objects.get(former=world.former_a)
    assert act.status == ActStatus.TRANSFERRED
    assert act.handed_over_by == HandoverCause.REFORM_DATE
    assert act.approved_at is None and act.approvals == []
    assert act.handover_date == REFORM_DAY
    change = history_for(records["A"]["server"]).first()
    assert change.user_name == "system"
    assert change.after["municipality_id"] == world.north.pk
    assert change.after["handed_over_by"] == "reform_date"
    assert change.after["takeover_act"] == act.pk
    assert history_for(act).first().after["handed_over_by"] == "reform_date"
    handovers = Handover.objects.count()
    assert handover_due(REFORM_DAY + dt.timedelta(days=30)) == []  # idempotent
    assert Handover.objects.count() == handovers
    assert not due_formers(REFORM_DAY).exists()


@pytest.mark.django_db
def test_a_split_municipality_goes_through_divide_on_the_reform_date(world: Any) -> None:
    _split_c(world)
    records = _inventory(world)
    [entry] = [e for e in handover_due(REFORM_DAY) if e.former == "C"]
    assert entry.successors == ["N", "S"]
    act = TakeoverAct.objects.get(former=world.former_c)
    assert entry.to_review == len(act.review_list) > 0
    records["C"]["server"].refresh_from_db()
    assert records["C"]["server"].municipality == world.south  # its site names Hill
    waiting = {e["model"] for e in act.review_list}
    assert {"inventory.contract", "inventory.licence", "inventory.device"} <= waiting
    assert Device.objects.filter(municipality=world.former_c).count() == 1  # the loose one


@pytest.mark.django_db
def test_an_act_handed_over_on_the_reform_date_is_approved_later_without_moving_again(
        world: Any) -> None:
    _inventory(world)
    handover_due(REFORM_DAY)
    act = TakeoverAct.objects.get(former=world.former_a)
    item = next(i for i in county_progress(world.north).items if i.item == "takeover_approved")
    assert item.fraction == 0  # handed over by law, not approved
    handovers = Handover.objects.count()
    act = approve(world.users["lead"], act)
    assert act.status == ActStatus.TRANSFERRED and act.approved_at is not None
    assert act.handed_over_by == HandoverCause.REFORM_DATE
    assert Handover.objects.count() == handovers
    item = next(i for i in county_progress(world.north).items if i.item == "takeover_approved")
    assert item.fraction == 0.5


@pytest.mark.django_db
def test_the_dry_run_lists_and_changes_nothing(world: Any) -> None:
    _inventory(world)
    entries = handover_due(REFORM_DAY, dry_run=True)
    assert {e.former: e.moved.get("inventory.device", 0) for e in entries} == {
        "A": 5, "B": 0, "C": 7}
    assert not Handover.objects.exists() and not TakeoverAct.objects.exists()


@pytest.mark.django_db
def test_the_cli_hands_over_what_is_due(world: Any) -> None:
    _inventory(world)
    runner = CliRunner()
    refused = runner.invoke(app, ["--as", "lead", "takeover", "handover-due"])
    assert refused.exit_code == 1 and "administrator" in refused.output
    bad = runner.invoke(app, ["takeover", "handover-due", "--date", "1.7.2021"])
    assert bad.exit_code == 1 and "--date" in bad.output
    early = runner.invoke(app, ["takeover", "handover-due", "--date", "2021-06-30"])
    assert early.exit_code == 0 and "Nothing to hand over" in early.output
    dry = runner.invoke(app, ["takeover", "handover-due", "--date", "2021-07-01", "--dry-run",
                              "--json"])
    assert dry.exit_code == 0, dry.output
    assert len(json.loads(dry.output)["handovers"]) == 3 and not Handover.objects.exists()
    done = runner.invoke(app, ["--as", "admin", "review", "act", "handover-due", "--date",
                               "2021-07-01"])
    assert done.exit_code == 0, done.output
    assert "3 former municipality(ies) handed over" in done.output
    assert history_for(TakeoverAct.objects.get(former=world.former_a)).first().user_name \
        == "admin"
    again = runner.invoke(app, ["takeover", "handover-due", "--date", "2021-07-01"])
    assert "Nothing to hand over" in again.output


@pytest.mark.django_db
def test_the_api_lets_an_administrator_hand_over(
        world: Any, django_capture_on_commit_callbacks: Any) -> None:
    _inventory(world)
    api = APIClient()
    url = reverse("api_handover_due")
    api.force_authenticate(world.users["lead"])
    assert api.post(url, {"date": "2021-07-01"}, format="json").status_code == 403
    api.force_authenticate(world.users["admin"])
    assert api.post(url, {"date": "July"}, format="json").status_code == 400
    dry = api.post(url, {"date": "2021-07-01", "dry_run": True}, format="json")
    assert dry.status_code == 200 and len(dry.json()["handovers"]) == 3
    assert not Handover.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the job runs at once
        done = api.post(url, {}, format="json")  # today: long after the world's reform date
    assert done.status_code == 202 and done.json()["due"] == 3
    job = Job.objects.get(pk=done.json()["job"])
    assert job.status == "succeeded" and job.user == world.users["admin"]
    assert job.result is not None
    assert {h["former"] for h in job.result["handovers"]} == {"A", "B", "C"}
    again = api.post(url, {}, format="json")
    assert again.status_code == 200 and again.json()["due"] == 0
    act = api.get(reverse("api_takeover_act", args=[world.former_a.pk])).json()
    assert act["handed_over_by"] == "reform_date" and act["approved_at"] is None


@pytest.mark.django_db
def test_the_acts_page_has_the_button_for_administrators_only(
        world: Any, django_capture_on_commit_callbacks: Any) -> None:
    _inventory(world)
    client = Client()
    url = reverse("takeover_acts") + "?reform=test-reform"
    client.force_login(world.users["lead"])
    page = client.get(url).content.decode()
    assert "Former A" in page and "Former C" not in page  # the lead's county only
    assert 'data-testid="handover-due"' not in page
    assert client.post(url).status_code == 403
    assert not Handover.objects.exists()
    client.force_login(world.users["admin"])
    page = client.get(url).content.decode()
    assert "3 former municipalities&#x27; records are due" in page or \
        "3 former municipalities' records are due" in page
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url)
    job = Job.objects.get(kind=HANDOVER_JOB)
    assert started.status_code == 302 and started["Location"] == reverse("job_detail", args=[job.pk])
    assert TakeoverAct.objects.filter(status=ActStatus.TRANSFERRED).count() == 3
    assert history_for(TakeoverAct.objects.get(former=world.former_a)).first().user_name \
        == "admin"
    page = client.get(url).content.decode()
    assert "awaiting approval" in page and "Hand over what is due" not in page
    act_page = client.get(reverse("takeover_act", args=[world.former_a.pk])).content.decode()
    assert "still await approval" in act_page and "Approve the act" in act_page


@pytest.mark.django_db
def test_the_worker_check_queues_the_handover_only_when_on_and_due(
        world: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    _inventory(world)
    settings.ICTMERGE_AUTO_HANDOVER = False
    assert queue_handover_when_due(REFORM_DAY) is None
    settings.ICTMERGE_AUTO_HANDOVER = True
    assert queue_handover_when_due(REFORM_DAY - dt.timedelta(days=1)) is None  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_handover_when_due(REFORM_DAY)  # the test backend runs it at once
    job.refresh_from_db()
    assert job.kind == HANDOVER_JOB and job.status == "succeeded", job.error
    assert len(job.result["handovers"]) == 3
    assert not Device.objects.filter(municipality=world.former_a).exists()
    assert queue_handover_when_due(REFORM_DAY) is None  # nothing due any more
    assert Job.objects.filter(kind=HANDOVER_JOB).count() == 1


@pytest.mark.django_db
def test_the_worker_runs_the_checks_at_start(world: Any, settings: Any, monkeypatch: Any,
                                             django_capture_on_commit_callbacks: Any) -> None:
    """GIVEN the automatic handover on WHEN `ictmerge worker --batch` starts THEN the due
    records pass before the jobs run."""
    from django.core import management

    _inventory(world)
    settings.ICTMERGE_AUTO_HANDOVER = True
    ran: list[str] = []
    monkeypatch.setattr(management, "call_command", lambda name, **kw: ran.append(name))
    with django_capture_on_commit_callbacks(execute=True):
        result = CliRunner().invoke(app, ["worker", "--batch"])
    assert result.exit_code == 0, result.output
    assert ran == ["db_worker"]
    assert Job.objects.filter(kind=HANDOVER_JOB, status="succeeded").count() == 1
    assert TakeoverAct.objects.filter(handed_over_by="reform_date").count() == 3
    assert queue_handover_when_due() is None  # nothing left to do


@pytest.mark.django_db
def test_a_device_both_predecessors_recorded_waits_as_a_duplicate_to_resolve(
        world: Any) -> None:
    """GIVEN A and B each with a device of serial SN-1 WHEN both hand over to N
    THEN B's waits on the review list with its software, the rest passes, and once the
    duplicate is resolved the lead assigns it."""
    make_record(Device, world.former_a, kind="desktop", serial="SN-1")
    twin = make_record(Device, world.former_b, kind="desktop", serial="SN-1")
    office = make_record(Installation, world.former_b, device=twin, raw_name="Office")
    other = make_record(Device, world.former_b, kind="laptop", serial="SN-2")
    entries = {e.former: e for e in handover_due(REFORM_DAY)}
    assert entries["A"].moved["inventory.device"] == 1
    assert entries["B"].moved["inventory.device"] == 1 and entries["B"].to_review == 2
    other.refresh_from_db()
    twin.refresh_from_db()
    assert other.municipality == world.north and twin.municipality == world.former_b
    act = TakeoverAct.objects.get(former=world.former_b)
    reasons = {(e["model"], e["id"]): e["reason"] for e in act.review_list}
    assert "SN-1" in reasons[("inventory.device", twin.pk)]
    assert ("inventory.installation", office.pk) in reasons
    with pytest.raises(ReviewError):
        assign_reviewed(world.users["lead"], act, "inventory.device", twin.pk, world.north)
    twin.serial = "SN-1-B"  # it was a different machine after all
    twin.save()
    assert assign_reviewed(world.users["lead"], act, "inventory.device", twin.pk,
                           world.north) == 2
    office.refresh_from_db()
    assert office.municipality == world.north and act.review_list == []


def test_the_worker_repeats_the_checks_until_stopped() -> None:
    import threading

    from ictmerge.core.cli import _repeat_in_background

    calls: list[int] = []
    twice = threading.Event()

    def check() -> None:
        calls.append(1)
        if len(calls) >= 2:
            twice.set()

    stop = _repeat_in_background(check, 0.01)
    assert twice.wait(5)
    stop.set()
