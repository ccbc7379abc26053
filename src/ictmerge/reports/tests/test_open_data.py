"""The national picture as open data: a valid Frictionless Data Package with DCAT-AP metadata,
the numbers of the national view, and nothing personal in it."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from frictionless import validate
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.testing.factories import make_record
from ictmerge.imports.models import DeviceIdentifier
from ictmerge.inventory.models import Device, IctFinance, InformationSystem, ServerRoom
from ictmerge.reforms.counties import County
from ictmerge.reports.opendata import DCAT, DESCRIPTOR, TABLES, package_files, write_package
from ictmerge.reports.services import county_report, national_report

pytestmark = pytest.mark.django_db

#: What the small demo's records hold that must never reach the package.
DEVICE_NAME, SERIAL, ASSET_TAG, MAC = "WS-KASE-0042", "CZC7319XYZ", "INV-55501", "3C:52:82:0A:1B:2C"
USER_NAME, EMAIL = "ilze.berzina", "ilze.berzina@example.lv"

#: Column names that would say a table holds something below one municipality or personal.
PERSONAL_COLUMN = re.compile(r"user|e_?mail|login|person|serial|mac|asset|hostname|device_name"
                             r"|ip_?addr|phone|owner", re.IGNORECASE)


def _small_demo(world: Any, demo: bool = True) -> None:
    """Devices with names, serials and MACs, rooms, systems and spend in the three formers."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(USER_NAME, email=EMAIL, password="x-secret-1")
    for index, (former, computers, servers) in enumerate(
            ((world.former_a, 3, 2), (world.former_b, 2, 1), (world.former_c, 4, 0))):
        for number in range(computers):
            make_record(Device, former, kind="desktop", is_demo=demo,
                        name=f"{DEVICE_NAME}-{index}{number}", serial=f"{SERIAL}{index}{number}",
                        asset_tag=f"{ASSET_TAG}{index}{number}")
        for _ in range(servers):
            device = make_record(Device, former, kind="server", is_demo=demo)
            DeviceIdentifier.objects.create(device=device, kind="mac", value=MAC)
    make_record(ServerRoom, world.former_a)
    make_record(InformationSystem, world.former_b)
    for former, spend, total in ((world.former_a, "600", "100000"),
                                 (world.former_b, "1000", "100000"),
                                 (world.former_c, None, "50000")):
        IctFinance.objects.create(municipality=former, year=2019, is_demo=demo,
                                  total_expenditure_eur=Decimal(total),
                                  ict_spend_eur=Decimal(spend) if spend else None)


def _table(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode("utf-8"))))


def _export(tmp_path: Path, *user: str) -> Any:
    return CliRunner().invoke(app, [*user, "export", "open-data", "--output", str(tmp_path)])


def test_it_exports_a_package_that_frictionless_validates(world: Any, tmp_path: Path) -> None:
    """GIVEN the small demo WHEN `ictmerge export open-data --output DIR` THEN the files are
    written and `frictionless validate DIR/datapackage.json` passes, foreign keys included."""
    _small_demo(world)
    result = _export(tmp_path)
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {
        DESCRIPTOR, DCAT, *(table.path for table in TABLES)}
    report = validate(tmp_path / DESCRIPTOR)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    descriptor = json.loads((tmp_path / DESCRIPTOR).read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    keys = {r["name"]: r["schema"].get("foreignKeys", []) for r in descriptor["resources"]}
    assert {k["reference"]["resource"] for k in keys["successions"]} == {
        "former_municipalities", "new_municipalities"}


def test_it_finds_a_broken_foreign_key(world: Any, tmp_path: Path) -> None:
    """GIVEN an exported package WHEN a succession names a former municipality not in the
    package THEN frictionless finds the package invalid (the keys are checked)."""
    _small_demo(world)
    write_package(world.reform, tmp_path)
    successions = tmp_path / "successions.csv"
    successions.write_text(successions.read_text().replace("\nA,", "\nZZ,"))
    descriptor = json.loads((tmp_path / DESCRIPTOR).read_text())
    for resource in descriptor["resources"]:  # the hash would fail first otherwise
        resource.pop("hash"), resource.pop("bytes")
    (tmp_path / DESCRIPTOR).write_text(json.dumps(descriptor))
    report = validate(tmp_path / DESCRIPTOR)
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def test_it_publishes_the_figures_of_the_national_view(world: Any) -> None:
    """GIVEN the small demo WHEN the package is made THEN every row holds the national
    view's and the cockpit's figures of its municipality, and the totals the summary's."""
    _small_demo(world)
    files = package_files(world.reform)
    report = national_report(world.reform)
    national = _table(files, "national")[0]
    for key in ("former_municipalities", "new_municipalities", "computers", "servers",
                "server_rooms", "information_systems", "municipalities_reporting_spend"):
        assert int(national[key]) == report[key], key
    assert Decimal(national["ict_spend_eur"]) == Decimal(str(report["ict_spend_eur"]))
    assert national["demo_data"] == "true"
    new_rows = {row["code"]: row for row in _table(files, "new_municipalities")}
    assert set(new_rows) == {c["code"] for c in report["new"]}
    for county in report["new"]:
        row = new_rows[county["code"]]
        cockpit = county_report(County.of(world.reform.municipalities.get(code=county["code"])))
        for key in ("computers", "servers", "server_rooms", "information_systems",
                    "software_products"):
            assert int(row[key]) == county[key], key  # type: ignore[literal-required]
        assert row["ict_spend_eur"] == ("" if county["ict_spend_eur"] is None
                                        else str(county["ict_spend_eur"]))
        assert row["servers_state"] == cockpit["servers_state"]
        assert row["governance_before"] == (cockpit["governance_before"] or "")
    formers = {row["code"]: row for row in _table(files, "former_municipalities")}
    assert (int(formers["A"]["computers"]), int(formers["A"]["servers"])) == (3, 2)
    assert formers["A"]["ict_spend_share_pct"] == "0.600"
    assert formers["C"]["ict_spend_eur"] == ""
    assert sum(int(r["computers"]) for r in formers.values()) == report["computers"]


def test_it_holds_no_personal_field(world: Any, tmp_path: Path) -> None:
    """GIVEN users, device names, serials, asset tags and MACs in the records WHEN the package
    is exported THEN no column is named for them and no file holds any of their values."""
    _small_demo(world)
    result = _export(tmp_path)
    assert result.exit_code == 0, result.output
    descriptor = json.loads((tmp_path / DESCRIPTOR).read_text())
    for resource in descriptor["resources"]:
        names = [f["name"] for f in resource["schema"]["fields"]]
        header = (tmp_path / resource["path"]).read_text().splitlines()[0].split(",")
        assert header == names  # the schema names every column written
        assert not [n for n in names if PERSONAL_COLUMN.search(n)], resource["name"]
    from django.contrib.auth import get_user_model

    secrets = {value for value in (
        *Device.objects.values_list("name", flat=True),
        *Device.objects.values_list("serial", flat=True),
        *Device.objects.values_list("asset_tag", flat=True),
        *DeviceIdentifier.objects.values_list("value", flat=True),
        MAC, MAC.replace(":", ""),
        *get_user_model().objects.values_list("username", flat=True),
        *get_user_model().objects.values_list("email", flat=True)) if value}
    assert {f"{DEVICE_NAME}-00", f"{SERIAL}00", f"{ASSET_TAG}00", USER_NAME, EMAIL} <= secrets
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8").lower()
        for secret in secrets:
            assert not re.search(rf"\b{re.escape(secret.lower())}\b", text), (path.name, secret)


def test_it_says_when_the_data_is_generated_demo_data(world: Any) -> None:
    """GIVEN demo records, then surveyed records WHEN the package is made THEN its sources and
    DCAT provenance name generated demo data only in the first case."""
    _small_demo(world, demo=True)
    demo = json.loads(package_files(world.reform)[DESCRIPTOR])
    assert "Generated demo data" in " ".join(s["title"] for s in demo["sources"])
    assert demo["title"].endswith("(DEMO)")
    Device.objects.update(is_demo=False)
    IctFinance.objects.update(is_demo=False)
    files = package_files(world.reform)
    real = json.loads(files[DESCRIPTOR])
    assert "demo" not in json.dumps(real["sources"]).lower()
    assert "demo" not in json.loads(files[DCAT])["@graph"][0]["dct:provenance"][
        "rdfs:label"].lower()
    assert _table(files, "national")[0]["demo_data"] == "false"


def test_it_describes_the_dataset_in_dcat_ap(world: Any) -> None:
    """GIVEN the small demo WHEN the package is made THEN dcat.jsonld has a dcat:Dataset in
    Latvian and English with publisher, period and a CC BY 4.0 distribution per file whose
    size and checksum are the file's."""
    import hashlib

    _small_demo(world)
    files = package_files(world.reform)
    graph = json.loads(files[DCAT])["@graph"]
    dataset = next(node for node in graph if node["@type"] == "dcat:Dataset")
    assert {t["@language"] for t in dataset["dct:title"]} == {"lv", "en"}
    assert dataset["dct:publisher"]["foaf:name"]
    assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2019-01-01"
    assert dataset["dct:temporal"]["dcat:endDate"]["@value"] == "2021-07-01"
    distributions = {node["dct:title"]: node for node in graph
                     if node["@type"] == "dcat:Distribution"}
    assert set(distributions) == set(files) - {DCAT}
    for name, node in distributions.items():
        assert node["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        assert node["dcat:downloadURL"]["@id"] == name
        assert int(node["dcat:byteSize"]["@value"]) == len(files[name])
        assert node["spdx:checksum"]["spdx:checksumValue"] == hashlib.sha256(
            files[name]).hexdigest()
    assert {d["@id"] for d in dataset["dcat:distribution"]} == {
        n["@id"] for n in distributions.values()}


def test_it_serves_the_zip_to_those_who_see_the_whole_country(world: Any) -> None:
    """GIVEN the auditor and a county lead WHEN they ask the API for the open data and open
    the national page THEN the auditor gets the package's zip and the link, in Latvian and
    English; the lead gets 403 and no link."""
    _small_demo(world)
    auditor = Client()
    auditor.force_login(world.users["auditor"])
    response = auditor.get(reverse("api_national_open_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert names == set(package_files(world.reform))
    page = auditor.get(reverse("national")).content.decode()
    assert reverse("api_national_open_data") in page
    assert "Lejupielādēt atvērtos datus (ZIP)" in page
    auditor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = auditor.get(reverse("national")).content.decode()
    assert "Download open data (ZIP)" in english
    lead = Client()
    lead.force_login(world.users["lead"])
    assert lead.get(reverse("api_national_open_data")).status_code == 403
    assert reverse("api_national_open_data") not in lead.get(reverse("national")).content.decode()
    result = CliRunner().invoke(app, ["--as", "lead", "export", "open-data", "--output",
                                      "/nonexistent/never-written"])
    assert result.exit_code != 0
