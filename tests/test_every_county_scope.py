"""Operations over every county at once, and job results, are not a way out of one's scope.

Issue 19, finding 2: a steward or county lead started "plan every county" and read all
counties' plans in the job's result. Every such operation (UI, API, CLI) is for
administrators; a job is seen by the user who started it, administrators and auditors.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.core.models import Job
from ictmerge.core.testing.personas import World

#: (how, url name) of every "all counties" operation of the web UI and the API.
EVERY_COUNTY_ENDPOINTS = [
    ("ui", "systems_plan_all"),
    ("api", "api_systems_plan_all"),
    ("ui", "planning_index"),
    ("ui", "consolidation_index"),
]
#: Operations over every county that an administrator may find nothing to do for.
ADMIN_ONLY_ENDPOINTS = [*EVERY_COUNTY_ENDPOINTS, ("ui", "takeover_acts"), ("api", "api_handover_due")]
#: Commands that act on every county (argument lists after `--as NAME`).
EVERY_COUNTY_COMMANDS = [
    ["systems", "plan", "--all", "--background"],
    ["actions", "plan-all", "--background"],
    ["plan", "run", "--all"],
]
NOT_ADMINS = ["steward", "lead", "viewer", "auditor", "outsider"]


def _post(world: World, persona: str, how: str, name: str) -> Any:
    client: Any = APIClient() if how == "api" else Client()
    if how == "api":
        client.force_authenticate(world.users[persona])
        return client.post(reverse(name), {}, format="json")
    client.force_login(world.users[persona])
    return client.post(reverse(name))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", NOT_ADMINS)
@pytest.mark.parametrize(("how", "name"), ADMIN_ONLY_ENDPOINTS)
def test_it_refuses_every_county_operations_to_anyone_but_an_administrator(
        world: World, persona: str, how: str, name: str) -> None:
    """GIVEN a user who may not change every county WHEN they start an "all counties"
    operation THEN 403 or 404, and no job is queued."""
    response = _post(world, persona, how, name)
    assert response.status_code in (403, 404)
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("how", "name"), EVERY_COUNTY_ENDPOINTS)
def test_it_lets_an_administrator_start_every_county_operations(
        world: World, how: str, name: str) -> None:
    """GIVEN an administrator WHEN they start an "all counties" operation THEN a job of
    theirs is queued (so the refusal above is about the role, not a broken endpoint; a
    fan-out job's parts, one per county, are its own)."""
    response = _post(world, "admin", how, name)
    assert response.status_code in (202, 302)
    assert Job.objects.filter(user=world.users["admin"], parent=None).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["steward", "lead"])
@pytest.mark.parametrize("command", EVERY_COUNTY_COMMANDS)
def test_it_refuses_every_county_commands_to_a_steward_or_lead(
        world: World, persona: str, command: list[str]) -> None:
    """GIVEN --as a steward or county lead WHEN a command over every county runs THEN it
    stops with an error and queues nothing."""
    from ictmerge.cli import app

    result = CliRunner().invoke(app, ["--as", persona, *command])
    assert result.exit_code != 0
    assert "administrator" in result.output
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["steward", "lead", "viewer", "outsider"])
def test_it_answers_404_for_another_users_job(world: World, persona: str) -> None:
    """GIVEN a job the admin started WHEN anyone else but an auditor asks for it (page, API,
    list) THEN 404 and the job is not listed; the auditor and the admin see it."""
    job = Job.objects.create(kind="systems.plan_all", title="Every county", status="succeeded",
                             user=world.users["admin"], result={"counties": ["every one"]})
    page = Client()
    page.force_login(world.users[persona])
    api = APIClient()
    api.force_authenticate(world.users[persona])
    assert page.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert api.get(reverse("jobs-detail", args=[job.pk])).status_code == 404
    assert job.pk not in {j["id"] for j in api.get(reverse("jobs-list")).json()["results"]}
    assert "every one" not in page.get(reverse("job_list")).content.decode()
    for reader in ("auditor", "admin"):
        api.force_authenticate(world.users[reader])
        answer = api.get(reverse("jobs-detail", args=[job.pk]))
        assert answer.status_code == 200 and answer.json()["result"] == {"counties": ["every one"]}
