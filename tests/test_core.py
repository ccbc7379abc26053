"""Foundation: history, jobs, API schema, sign-in, language, settings."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ictmerge.core.choices import ChangeAction, JobStatus
from ictmerge.core.history import acting_as, history_for
from ictmerge.core.jobs import job_handler, run_job, start_job
from ictmerge.core.models import ChangeRecord, Job
from ictmerge.core.scoping import forget_scope, visible_ids
from ictmerge.core.testing.personas import World


@job_handler("test.count")
def _count_job(context: Any) -> dict[str, int]:
    context.progress(50, "half way")
    if context.params.get("fail"):
        raise ValueError("asked to fail")
    return {"counted": int(context.params["n"])}


@pytest.mark.django_db
class TestHistory:
    def test_it_records_who_when_before_and_after(self, world: World) -> None:
        """GIVEN a municipality WHEN the lead's edit saves it THEN its history has both values."""
        municipality = world.former_a
        with acting_as(world.users["admin"]):
            municipality.name = "Renamed"
            municipality.save()
        change = history_for(municipality).first()
        assert change.action == ChangeAction.UPDATE
        assert change.user_name == "admin"
        assert change.before["name"] == "Former A"
        assert change.after["name"] == "Renamed"
        assert change.time is not None

    def test_it_attributes_writes_without_a_user_to_the_system(self, world: World) -> None:
        world.former_b.population = 1
        world.former_b.save()
        assert history_for(world.former_b).first().user_name == "system"

    def test_history_cannot_be_edited(self, world: World) -> None:
        change = ChangeRecord.objects.first()
        change.user_name = "someone else"
        with pytest.raises(PermissionError):
            change.save()
        with pytest.raises(PermissionError):
            change.delete()

    def test_the_api_offers_no_way_to_write_history(self, world: World) -> None:
        client = APIClient()
        client.force_authenticate(world.users["admin"])
        change = ChangeRecord.objects.first()
        assert client.delete(f"/api/changes/{change.pk}/").status_code == 405
        assert client.post("/api/changes/", {}).status_code == 405

    def test_the_change_log_hides_other_municipalities(self, world: World) -> None:
        with acting_as(None):
            world.former_c.population = 2
            world.former_c.save()
        client = APIClient()
        client.force_authenticate(world.users["auditor"])
        assert any(c["object_repr"] == "Former C" for c in client.get("/api/changes/").json()["results"])


@pytest.mark.django_db
class TestScope:
    def test_a_county_lead_sees_the_county_and_its_predecessors(self, world: World) -> None:
        assert visible_ids(world.users["lead"]) == {world.north.pk, world.former_a.pk,
                                                    world.former_b.pk}

    def test_a_steward_sees_one_former_municipality(self, world: World) -> None:
        assert visible_ids(world.users["steward"]) == {world.former_a.pk}

    def test_a_user_without_a_role_sees_nothing(self, world: World) -> None:
        from django.contrib.auth import get_user_model

        nobody = get_user_model().objects.create_user("nobody")
        assert visible_ids(nobody) == set()
        forget_scope(nobody)


@pytest.mark.django_db
class TestJobs:
    def test_a_job_runs_and_reports_progress_and_result(self, world: World) -> None:
        job = start_job("test.count", "Count", {"n": 3}, user=world.users["lead"])
        job = run_job(job.pk)
        assert job.status == JobStatus.SUCCEEDED
        assert job.result == {"counted": 3}
        assert job.messages == ["half way"]
        assert job.progress == 100

    def test_a_failed_job_keeps_its_reason(self, world: World) -> None:
        job = Job.objects.create(kind="test.count", title="Fail", params={"fail": True, "n": 1})
        job = run_job(job.pk)
        assert job.status == JobStatus.FAILED
        assert "asked to fail" in job.error

    def test_the_job_page_refreshes_itself_until_done(self, world: World) -> None:
        job = Job.objects.create(kind="test.count", title="Waiting", user=world.users["lead"])
        client = Client()
        client.force_login(world.users["lead"])
        page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
        assert 'http-equiv="refresh"' in page
        other = Client()
        other.force_login(world.users["outsider"])
        assert other.get(reverse("job_detail", args=[job.pk])).status_code == 404


@pytest.mark.django_db
class TestWeb:
    def test_the_login_page_is_in_latvian_by_default(self, client: Client) -> None:
        response = client.get("/", follow=True)
        assert response.status_code == 200
        assert "Pieteikties" in response.content.decode()

    def test_the_language_switch_changes_to_english(self, client: Client) -> None:
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        page = client.get(reverse("login")).content.decode()
        assert "Sign in" in page and 'lang="en"' in page

    def test_a_persona_can_sign_in_with_a_password(self, world: World, client: Client) -> None:
        response = client.post(reverse("login"), {"username": "lead",
                                                  "password": "persona-password"})
        assert response.status_code == 302
        assert client.get("/", follow=True).status_code == 200  # the lead's cockpit

    def test_pages_need_a_signed_in_user(self, client: Client) -> None:
        assert client.get(reverse("municipalities_list")).status_code == 302


@pytest.mark.django_db
class TestAPIBasics:
    def test_the_schema_is_openapi_3(self, client: Client) -> None:
        response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        schema = response.json()
        assert schema["openapi"].startswith("3.")
        assert "/api/municipalities/" in schema["paths"]

    def test_the_docs_page_loads_without_a_cdn(self, client: Client) -> None:
        page = client.get("/api/docs/").content.decode()
        assert "cdn" not in page.lower()

    def test_token_authentication_works(self, world: World) -> None:
        token = Token.objects.create(user=world.users["viewer"])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert client.get("/api/municipalities/").status_code == 200
        assert APIClient().get("/api/municipalities/").status_code in (401, 403)


def test_production_settings_pass_the_deploy_check(tmp_path: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={"DJANGO_SETTINGS_MODULE": "ictmerge.settings.production",
             "SECRET_KEY": "x" * 60 + "production-like-secret-key-for-the-check",
             "ICTMERGE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
             "ALLOWED_HOSTS": "ictmerge.example.org"},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_sign_in_is_throttled_after_repeated_failures(world: World, settings: Any) -> None:
    """GIVEN throttling on WHEN a user name fails five times THEN even the right password is
    refused for a while."""
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "lead", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "lead", "password": "persona-password"})
    assert response.status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(reverse("login"), {"username": "lead",
                                         "password": "persona-password"}).status_code == 302


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_inline_scripts(client: Client) -> None:
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
