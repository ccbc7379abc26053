"""The import capabilities through the web pages, the REST API and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.imports.models import DeviceIdentifier, ImportRun
from ictmerge.imports.services import import_file
from ictmerge.inventory.models import Device, Installation

GOOD = b"municipality;name;serial\nA;PC-1;S1\n"
BAD = b"municipality;name;serial;cores\nA;PC-1;S1;x\nA;;S2;1\n"


def _client(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


@pytest.mark.django_db
def test_it_imports_through_the_page_and_shows_every_problem(world: Any) -> None:
    client = _client(world, "steward")
    assert client.get(reverse("import")).status_code == 200
    response = client.post(reverse("import"), {
        "import_type": "computers", "file": SimpleUploadedFile("bad.csv", BAD)}, follow=True)
    page = response.content.decode()
    assert "bad.csv, row 2, cores: &#x27;x&#x27; is not a number" in page
    assert "bad.csv, row 3, name: a value is required" in page
    assert not Device.objects.exists()
    run = ImportRun.objects.get()
    rejected = client.get(reverse("import_rejected", args=[run.pk]))
    assert rejected.status_code == 200 and "PC-1" in rejected.content.decode()
    client.post(reverse("import"), {"import_type": "computers",
                                    "file": SimpleUploadedFile("good.csv", GOOD)})
    assert Device.objects.get().name == "PC-1"
    assert _client(world, "outsider").get(
        reverse("import_run_detail", args=[run.pk])).status_code == 404


@pytest.mark.django_db
def test_templates_download_from_the_page(world: Any) -> None:
    client = _client(world, "viewer")
    assert b"asset_tag" in client.get(reverse("import_templates")).content
    response = client.get(reverse("import_template", args=["servers", "xlsx"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


@pytest.mark.django_db
def test_every_list_exports_as_xlsx_in_the_template_columns(world: Any) -> None:
    import_file(GOOD, "a.csv", "computers", user=world.users["steward"])
    client = _client(world, "lead")
    response = client.get(reverse("devices_export") + "?format=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    text = client.get(reverse("devices_export")).content.decode()
    assert text.lstrip("\ufeff").startswith(
        "id,municipality,name,kind,site,room,asset_tag,serial")
    assert f"{Device.objects.get().pk},A,PC-1,desktop" in text
    run = import_file(text.encode(), "devices.csv", "devices", user=world.users["lead"])
    assert run.status == "imported" and run.counts["unchanged"] == 1, run.problems


@pytest.mark.django_db
def test_the_api_imports_and_lists_problems(world: Any) -> None:
    client = APIClient()
    client.force_authenticate(world.users["steward"])
    response = client.post("/api/imports/", {"type": "computers",
                                             "file": SimpleUploadedFile("bad.csv", BAD)},
                           format="multipart")
    assert response.status_code == 400
    assert "bad.csv, row 2, cores: 'x' is not a number" in response.json()["problem_lines"]
    response = client.post("/api/imports/", {"type": "computers", "dry_run": True,
                                             "file": SimpleUploadedFile("g.csv", GOOD)},
                           format="multipart")
    assert response.status_code == 201 and response.json()["counts"]["created"] == 1
    assert not Device.objects.exists()
    run_id = response.json()["id"]
    assert client.get(f"/api/imports/{run_id}/").json()["status"] == "preview"
    templates = client.get("/api/import-templates/").json()
    assert {t["type"] for t in templates} >= {"computers", "licences", "spend"}
    outsider = APIClient()
    outsider.force_authenticate(world.users["outsider"])
    assert outsider.get(f"/api/imports/{run_id}/").status_code == 404


@pytest.mark.django_db
def test_the_cli_imports_with_dry_run_and_writes_templates(world: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(BAD)
    result = runner.invoke(app, ["--as", "steward", "import", "computers", str(bad),
                                 "--rejected", str(tmp_path / "rejected.csv")])
    assert result.exit_code == 1
    assert "bad.csv, row 2, cores: 'x' is not a number" in result.output
    assert "PC-1" in (tmp_path / "rejected.csv").read_text()
    good = tmp_path / "good.csv"
    good.write_bytes(b"name;serial\nPC-1;S1\n")
    result = runner.invoke(app, ["--as", "steward", "import", "computers", str(good),
                                 "--municipality", "A", "--dry-run"])
    assert result.exit_code == 0 and "1 created" in result.output
    assert not Device.objects.exists()
    result = runner.invoke(app, ["--as", "steward", "import", "computers", str(good),
                                 "--municipality", "A"])
    assert result.exit_code == 0 and Device.objects.count() == 1
    result = runner.invoke(app, ["template", "licences", "--output", str(tmp_path / "l.csv")])
    assert result.exit_code == 0 and "product_name" in (tmp_path / "l.csv").read_text()
    result = runner.invoke(app, ["--as", "steward", "export", "computers", "--output",
                                 str(tmp_path / "out.csv")])
    assert result.exit_code == 0
    again = runner.invoke(app, ["--as", "steward", "import", "computers",
                                str(tmp_path / "out.csv")])
    assert again.exit_code == 0 and "1 unchanged" in again.output


@pytest.mark.django_db
def test_duplicates_across_predecessors_are_found_and_merged(world: Any) -> None:
    """GIVEN one laptop in A's and B's inventories (same serial), and two devices sharing
    only a junk serial WHEN duplicates are listed THEN only the real one shows; WHEN merged
    THEN one device keeps the software and both histories remain."""
    import_file(b"municipality,name,serial\nA,PC-A,CZC123\nA,J-A,To Be Filled By O.E.M.\n",
                "a.csv", "computers", user=world.users["lead"])
    import_file(b"municipality,name,serial\nB,PC-B,czc-123\nB,J-B,To Be Filled By O.E.M.\n",
                "b.csv", "computers", user=world.users["lead"])
    import_file(b"municipality,device,raw_name\nB,czc-123,Firefox\n", "s.csv", "software",
                user=world.users["lead"])
    pc_a, pc_b = Device.objects.get(name="PC-A"), Device.objects.get(name="PC-B")
    DeviceIdentifier.objects.create(device=pc_a, kind="mac", value="00:50:56:00:00:01")
    client = APIClient()
    client.force_authenticate(world.users["lead"])
    groups = client.get("/api/duplicates/").json()
    assert [(g["kind"], g["value"], sorted(d["id"] for d in g["devices"])) for g in groups] == \
        [("serial", "CZC123", sorted([pc_a.pk, pc_b.pk]))]
    steward = APIClient()
    steward.force_authenticate(world.users["steward"])
    assert steward.post("/api/duplicates/merge/", {"keep": pc_a.pk, "remove": pc_b.pk},
                        format="json").status_code == 400
    response = client.post("/api/duplicates/merge/", {"keep": pc_a.pk, "remove": pc_b.pk},
                           format="json")
    assert response.status_code == 200
    assert Installation.objects.get().device_id == pc_a.pk
    assert not Device.objects.filter(pk=pc_b.pk).exists()
    from ictmerge.core.models import ChangeRecord

    history = ChangeRecord.objects.filter(content_type__model="device")
    assert history.filter(object_id=pc_b.pk, action="delete").exists()
    assert history.filter(object_id=pc_b.pk, action="create").exists()
    assert "Merged with device" in Device.objects.get(pk=pc_a.pk).notes
    page = _client(world, "lead").get(reverse("import_duplicates"))
    with translation.override(settings.LANGUAGE_CODE):  # the page speaks the site's language
        empty = translation.gettext("No duplicates found.")
    assert page.status_code == 200 and empty.encode() in page.content


@pytest.mark.django_db
def test_a_large_upload_runs_as_a_background_job(world: Any, monkeypatch: Any,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    from ictmerge.imports import services

    monkeypatch.setattr(services, "BACKGROUND_BYTES", 10)
    client = _client(world, "steward")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import"), {"import_type": "computers",
                                                   "file": SimpleUploadedFile("g.csv", GOOD)})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    run = ImportRun.objects.get()
    assert run.job is not None and run.status == "imported"
    assert Device.objects.get().name == "PC-1"
