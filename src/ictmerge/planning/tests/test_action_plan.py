"""The action plan: generation from decisions, tracking, scheduling, Gantt, exports, API, CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.choices import JobStatus
from ictmerge.core.jobs import run_job, start_job
from ictmerge.planning import services
from ictmerge.planning.calendar import easter_sunday, latvian_holidays
from ictmerge.planning.choices import TaskRole, TaskStatus
from ictmerge.planning.models import ActionPlan, RoleCapacity, Task
from ictmerge.planning.tests.conftest import FAST
from ictmerge.reforms.counties import county_url


def _keys(county: Any) -> set[str]:
    return set(Task.objects.filter(municipality=county).values_list("key", flat=True))


@pytest.mark.django_db
def test_it_generates_a_task_for_every_decision(north: Any) -> None:
    """GIVEN a non-assignable contract past the reform date, 50 installs on 20 licences, two
    finance systems and 140 computers WHEN generated THEN each turns into its tasks."""
    result = services.generate_action_plan(north.county)
    keys = _keys(north.county)
    assert result.created == len(keys)
    assert any(k.startswith("planning.contract_notice:B hosting") for k in keys)
    assert any(k.startswith("planning.notice_period:B hosting") for k in keys)
    licence = Task.objects.get(municipality=north.county,
                               key__startswith="planning.licence_procurement")
    assert "licence.office_suite 30" in licence.cost_items  # 50 installed − 20 licensed
    assert any(k.startswith("provision.system_migration:Ozols") for k in keys)
    assert {"provision.directory", "provision.help_desk", "review.self_assessment"} <= keys
    assert any(k.startswith("provision.email_domain:new.xx") for k in keys)
    # The network plan links every site to the hub (A town hall, most computers): A school, B.
    assert sum(k.startswith("provision.network_link") for k in keys) == 2
    assert ActionPlan.objects.get(municipality=north.county).deadline == dt.date(2021, 7, 1)


@pytest.mark.django_db
def test_it_buys_no_licence_that_passes_and_turns_transfers_into_tasks(north: Any) -> None:
    """GIVEN 50 Office installs on 20 volume licences and 10 PCs with OEM Windows licences WHEN
    the plan is generated THEN it buys the 30 Office licences only, the vendor's transfer of
    the 20 is a task without cost, and nothing is bought for Windows."""
    from ictmerge.inventory.models import Installation, Licence

    licence = Licence.objects.get(product_name="Microsoft Office Professional Plus 2016")
    licence.licence_type = "volume"
    licence.save()
    Licence.objects.create(municipality=licence.municipality, product_name="Windows 10 Pro (OEM)",
                           quantity=10, licence_type="oem")
    Installation.objects.create(municipality=licence.municipality, raw_name="Microsoft Windows 10 Pro",
                                raw_publisher="Microsoft Corporation", count=10)
    services.generate_action_plan(north.county)
    tasks = {t.key: t for t in Task.objects.filter(municipality=north.county)}
    procured = [t for k, t in tasks.items() if k.startswith("planning.licence_procurement")]
    assert [t.cost_items for t in procured] == ["licence.office_suite 30"]
    transfer = tasks["planning.licence_transfer:Microsoft Office Professional Plus"]
    assert "20" in transfer.title and not transfer.cost_items
    assert not any("Windows" in k for k in tasks if k.startswith("planning.licence"))


@pytest.mark.django_db
def test_generating_again_keeps_tracking_and_hand_added_tasks(north: Any) -> None:
    services.generate_action_plan(north.county)
    lead = north.world.users["lead"]
    task = Task.objects.get(municipality=north.county, key="provision.directory")
    task.status, task.percent_done, task.assignee = TaskStatus.IN_PROGRESS, 40, lead
    task.save()
    Task.objects.create(municipality=north.county, key="own.kickoff", title="Kick-off",
                        role=TaskRole.ICT_LEAD)
    north.contract.assignable = True  # no notice needed any more
    north.contract.save()
    result = services.generate_action_plan(north.county)
    task.refresh_from_db()
    assert (task.status, task.percent_done, task.assignee) == (TaskStatus.IN_PROGRESS, 40, lead)
    assert "own.kickoff" in _keys(north.county)
    assert result.deleted == 2 and not any("B hosting" in k for k in _keys(north.county))


@pytest.mark.django_db
def test_a_task_names_the_field_and_line_that_is_wrong(north: Any) -> None:
    task = Task(municipality=north.county, key="t1", title="T", role=TaskRole.SYSADMIN,
                depends_on="missing.key", cost_items="hardware.server 2\nno.such.item 1")
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert "missing.key" in str(error.value.message_dict["depends_on"])
    assert "Line 2" in str(error.value.message_dict["cost_items"])


@pytest.mark.django_db
def test_a_task_past_its_due_date_and_not_done_is_overdue(north: Any) -> None:
    task = Task(municipality=north.county, key="t", title="T", due_date=dt.date(2020, 1, 1))
    assert task.is_overdue
    task.status = TaskStatus.DONE
    assert not task.is_overdue


def _check_schedule(county: Any) -> None:
    """Precedence and role capacity hold in the stored schedule."""
    tasks = {t.key: t for t in Task.objects.filter(municipality=county)}
    for task in tasks.values():
        assert task.start_day is not None and task.end_day is not None
        for key in task.dependency_keys:
            end = tasks[key].end_day
            assert end is not None and end <= task.start_day, (key, task.key)
    capacity = {c.role.value: c.people for c in services.capacities_for(county)}
    used: dict[tuple[str, int], int] = defaultdict(int)
    for task in tasks.values():
        if task.role == TaskRole.WAITING:
            continue
        staff = min(task.staff, capacity[task.role])
        assert task.start_day is not None and task.end_day is not None
        for day in range(task.start_day, task.end_day):
            used[(task.role, day)] += staff
    assert all(n <= capacity[role] for (role, _day), n in used.items())


@pytest.mark.django_db
def test_it_schedules_within_precedence_and_capacity_and_states_the_shortfall(
        north: Any) -> None:
    outcome = services.plan_county(north.county, settings=FAST)
    _check_schedule(north.county)
    plan = outcome.plan
    assert plan.makespan_days is not None and plan.lower_bound_days is not None
    assert plan.makespan_days >= plan.lower_bound_days > 0
    assert plan.deadline_days == outcome.deadline_days
    assert Task.objects.filter(municipality=north.county, critical=True).exists()
    holidays = latvian_holidays(2021)
    for task in Task.objects.filter(municipality=north.county):
        assert task.planned_start is not None and task.planned_end is not None
        assert task.planned_start.weekday() < 5
        assert task.planned_start <= task.planned_end
    # A deadline ten working days after the start cannot be met: the late tasks say by how much.
    plan.deadline = plan.project_start + dt.timedelta(days=14)
    plan.save()
    services.schedule_action_plan(north.county, settings=FAST)
    plan.refresh_from_db()
    late = Task.objects.filter(municipality=north.county, late_days__gt=0)
    assert plan.late_tasks == late.count() > 0
    assert plan.max_lateness_days == max(t.late_days for t in late)
    assert not late.filter(phase="review").exists()  # review runs after the date on purpose
    assert holidays  # the calendar knows Latvian holidays


@pytest.mark.django_db
def test_more_people_never_lengthen_the_plan(north: Any) -> None:
    services.plan_county(north.county, settings=FAST)
    before = ActionPlan.objects.get(municipality=north.county).makespan_days
    for role in (TaskRole.SYSADMIN, TaskRole.SUPPORT_TECHNICIAN, TaskRole.TRAINER):
        RoleCapacity.objects.create(municipality=north.county, role=role, people=6)
    services.schedule_action_plan(north.county, settings=FAST)
    _check_schedule(north.county)
    after = ActionPlan.objects.get(municipality=north.county).makespan_days
    assert after is not None and before is not None and after <= before


def test_it_knows_easter_and_the_moved_holidays() -> None:
    assert easter_sunday(2021) == dt.date(2021, 4, 4)
    assert easter_sunday(2020) == dt.date(2020, 4, 12)
    assert dt.date(2021, 4, 2) in latvian_holidays(2021)  # Good Friday
    assert dt.date(2020, 5, 4) in latvian_holidays(2020)  # a Monday
    assert dt.date(2019, 11, 18) in latvian_holidays(2019)
    assert dt.date(2018, 11, 19) in latvian_holidays(2018)  # Sunday the 18th moves to Monday


@pytest.mark.django_db(transaction=True)
def test_the_schedule_job_reports_progress_and_succeeds(north: Any) -> None:
    services.generate_action_plan(north.county)
    job = start_job("planning.schedule", "schedule", {"county": north.county.pk},
                    north.world.users["lead"], north.county)
    job = run_job(job.pk)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["tasks"] == Task.objects.filter(municipality=north.county).count()
    assert job.messages  # progress was reported


@pytest.mark.django_db
def test_the_page_draws_the_gantt_chart_with_critical_and_late_tasks(north: Any) -> None:
    services.plan_county(north.county, settings=FAST)
    client = Client()
    client.force_login(north.world.users["viewer"])
    response = client.get(county_url("planning_action_plan", north.county))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count('class="critical') == Task.objects.filter(critical=True).count() > 0
    assert "reform date" in text and "<svg" in text
    assert "Schedule (background job)" not in text  # a viewer cannot schedule


@pytest.mark.django_db
def test_the_lead_starts_the_schedule_job_from_the_page(north: Any) -> None:
    client = Client()
    client.force_login(north.world.users["lead"])
    url = county_url("planning_action_plan", north.county)
    assert client.post(url, {"action": "generate"}).status_code == 302
    assert Task.objects.filter(municipality=north.county).exists()
    response = client.post(url, {"action": "schedule"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    outsider = Client()
    outsider.force_login(north.world.users["outsider"])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"action": "generate"}).status_code == 404


@pytest.mark.django_db
def test_the_exports_hold_every_scheduled_task(north: Any) -> None:
    services.plan_county(north.county, settings=FAST)
    count = Task.objects.filter(municipality=north.county).count()
    client = Client()
    client.force_login(north.world.users["viewer"])
    ics = client.get(county_url("planning_action_plan_export", north.county, "ics"))
    assert ics.content.decode().count("BEGIN:VEVENT") == count
    xlsx = client.get(county_url("planning_action_plan_export", north.county, "xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.max_row == count + 1
    assert client.get(county_url("planning_action_plan_export", north.county, "pdf")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "read", "write"), [("lead", 200, 200), ("viewer", 200, 403),
                                                        ("outsider", 404, 404)])
def test_the_api_generates_and_schedules_by_scope(north: Any, persona: str, read: int,
                                                  write: int) -> None:
    client = APIClient()
    client.force_authenticate(north.world.users[persona])
    pk = north.county.pk
    assert client.post(reverse("api_planning_generate", args=[pk])).status_code == write
    schedule = client.post(reverse("api_planning_schedule", args=[pk]))
    assert schedule.status_code == (202 if write == 200 else write)
    response = client.get(reverse("api_planning_action_plan", args=[pk]))
    assert response.status_code == read
    if write == 200:
        assert len(response.json()["tasks"]) == Task.objects.filter(
            municipality=north.county).count() > 0


@pytest.mark.django_db
def test_the_cli_schedules_and_prints_json(north: Any) -> None:
    result = CliRunner().invoke(app, ["actions", "schedule", "--county", "N", "--generate",
                                      "--time-limit", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["makespan_days"] >= data["lower_bound_days"]
    assert data["deadline"] == "2021-07-01"
    assert len(data["tasks"]) == Task.objects.filter(municipality=north.county).count()
    assert data["meets_deadline"] == (data["late_tasks"] == 0)
