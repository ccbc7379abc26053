"""The action plan's task list: a page at a time, grouped by phase, filtered, and the status
of the selected tasks set at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ictmerge.planning import services
from ictmerge.planning.choices import TaskStatus
from ictmerge.planning.models import Task
from ictmerge.reforms.counties import county_url


@pytest.fixture
def generated(north: Any) -> Any:
    services.generate_action_plan(north.county, north.world.users["lead"])
    return north


@pytest.mark.django_db
def test_it_pages_and_groups_the_tasks_by_phase(generated: Any, monkeypatch: Any) -> None:
    """GIVEN a generated plan and pages of 3 tasks WHEN the page opens THEN it lists 3 tasks
    under their phase with a link to the next page; filtered by a phase, only its tasks."""
    monkeypatch.setattr("ictmerge.planning.views.TASKS_PER_PAGE", 3)
    client = Client()
    client.force_login(generated.world.users["lead"])
    url = county_url("planning_action_plan", generated.county)
    html = client.get(url).content.decode()
    listed = html[html.index('id="tasks"'):]
    assert listed.count('name="task"') == 3 and 'rel="next"' in listed
    assert 'scope="rowgroup">Discovery<' in listed
    review = Task.objects.filter(municipality=generated.county, phase="review").count()
    html = client.get(url, {"phase": "review"}).content.decode()
    assert f"{review} tasks match" in html
    assert 'scope="rowgroup">Discovery<' not in html[html.index('id="tasks"'):]


@pytest.mark.django_db
def test_it_sets_the_status_of_the_selected_tasks(generated: Any) -> None:
    """GIVEN a generated plan WHEN the lead selects two tasks and sets them done THEN both are
    done (and 100 %), the others not; the viewer may not."""
    tasks = list(Task.objects.filter(municipality=generated.county).order_by("pk")[:3])
    url = county_url("planning_action_plan", generated.county)
    lead = Client()
    lead.force_login(generated.world.users["lead"])
    answer = lead.post(url, {"action": "set_status", "status": TaskStatus.DONE,
                             "task": [tasks[0].pk, tasks[1].pk]})
    assert answer.status_code == 302
    done = {t.pk: (t.status, t.percent_done) for t in Task.objects.filter(
        pk__in=[t.pk for t in tasks])}
    assert done[tasks[0].pk] == ("done", 100) and done[tasks[1].pk] == ("done", 100)
    assert done[tasks[2].pk][0] != "done"
    viewer = Client()
    viewer.force_login(generated.world.users["viewer"])
    assert viewer.post(url, {"action": "set_status", "status": TaskStatus.DONE,
                             "task": [tasks[2].pk]}).status_code == 403
    assert Task.objects.get(pk=tasks[2].pk).status != "done"


@pytest.mark.django_db
def test_it_sets_the_status_of_the_selected_tasks_through_the_api_and_the_cli(
        generated: Any) -> None:
    """GIVEN a generated plan WHEN the API sets two tasks in progress and the CLI one task (by
    its key) blocked THEN those change and no other; the viewer's API call is refused."""
    from django.urls import reverse
    from rest_framework.test import APIClient
    from typer.testing import CliRunner

    from ictmerge.cli import app

    county = generated.county
    tasks = list(Task.objects.filter(municipality=county).order_by("pk")[:4])
    url = reverse("api_planning_task_status", args=[county.pk])
    body = {"tasks": [tasks[0].pk, tasks[1].pk], "status": TaskStatus.IN_PROGRESS}
    viewer = APIClient()
    viewer.force_authenticate(generated.world.users["viewer"])
    assert viewer.post(url, body, format="json").status_code == 403
    lead = APIClient()
    lead.force_authenticate(generated.world.users["lead"])
    answer = lead.post(url, body, format="json")
    assert answer.status_code == 200 and answer.json() == {"changed": 2}
    assert lead.post(url, {**body, "status": "finished"}, format="json").status_code == 400
    result = CliRunner().invoke(app, ["--as", "lead", "actions", "set-status", "--county",
                                      county.code, "--status", "blocked", tasks[2].key])
    assert result.exit_code == 0, result.output
    unknown = CliRunner().invoke(app, ["actions", "set-status", "--county", county.code,
                                       "--status", "done", "no-such-task"])
    assert unknown.exit_code == 1
    statuses = [Task.objects.get(pk=t.pk).status for t in tasks]
    assert statuses[:3] == ["in_progress", "in_progress", "blocked"]
    assert statuses[3] == tasks[3].status


@pytest.mark.django_db
def test_it_groups_and_filters_the_tasks_by_former_municipality(generated: Any) -> None:
    """GIVEN a generated plan with a contract and a system of former B WHEN the list is grouped
    by former municipality THEN their tasks are under B's heading and the county-wide ones
    under the whole county's; filtered by B, only B's tasks are listed."""
    county = generated.county
    tasks = list(Task.objects.filter(municipality=county))
    about = services.task_predecessors(county, tasks)
    former_b = generated.world.former_b
    of_b = [t for t in tasks if about.get(t.pk) == former_b]
    assert {t.template for t in of_b} >= {"planning.contract_notice", "provision.system_migration"}
    assert all(t.pk not in about for t in tasks if t.template.startswith("discovery."))
    client = Client()
    client.force_login(generated.world.users["lead"])
    url = county_url("planning_action_plan", county)
    html = client.get(url, {"group": "predecessor"}).content.decode()
    listed = html[html.index('id="tasks"'):]
    assert f'scope="rowgroup">{former_b.name}<' in listed
    assert 'scope="rowgroup">Whole county<' in listed
    only = client.get(url, {"predecessor": former_b.code}).content.decode()
    assert f"{len(of_b)} tasks match" in only
    assert only[only.index('id="tasks"'):].count('name="task"') == len(of_b)
