"""GLPI licence information (`licenseinfos`): imported as licences, keys never kept whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.models import ChangeRecord
from ictmerge.imports.services import import_file
from ictmerge.imports.sources import key_fingerprint, masked_key
from ictmerge.imports.tests.helpers import database_state
from ictmerge.inventory.models import Licence

#: The full key both legacy XML fixtures report for their Office 2010.
OFFICE_KEY = "V33KV-CMD8V-6JXQ9-YJP62-7FTGD"
#: Legacy XML fixtures: file → licences it reports.
XML_LICENCES = {"2.xml": 1, "12.xml": 1, "1.xml": 0, "5-good.xml": 0, "18.xml": 0}


def _xml(fixtures: Path, name: str) -> bytes:
    return (fixtures / "glpi-inventory" / "xml" / name).read_bytes()


def _key_variants() -> list[str]:
    """The key as written and without its dashes, in either case."""
    bare = OFFICE_KEY.replace("-", "")
    return [OFFICE_KEY, bare, OFFICE_KEY.lower(), bare.lower(), bare[:-5]]


def test_it_masks_a_key_to_its_last_five_characters() -> None:
    assert masked_key(OFFICE_KEY) == "…7FTGD"
    assert masked_key("abc12-XYZ") == "…YZ"  # 8 characters: a quarter shows
    assert masked_key("") == "" and masked_key("--") == ""
    assert key_fingerprint(OFFICE_KEY) == key_fingerprint(OFFICE_KEY.replace("-", "").lower())
    assert key_fingerprint(OFFICE_KEY) != key_fingerprint(OFFICE_KEY[:-1] + "X")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "expected"), sorted(XML_LICENCES.items()))
def test_it_imports_the_licences_of_each_legacy_xml_inventory(world: Any, fixtures: Path,
                                                              name: str, expected: int) -> None:
    run = import_file(_xml(fixtures, name), name, "glpi", user=world.users["steward"],
                      municipality="A")
    assert run.status == "imported", run.problems
    assert Licence.objects.count() == expected
    assert run.counts.get("licences created", 0) == expected


@pytest.mark.django_db
def test_it_links_the_office_licence_to_its_product_and_keeps_only_the_key_tail(
        world: Any, fixtures: Path) -> None:
    """GIVEN 2.xml with an OEM Office 2010 licence WHEN imported into A THEN one device licence
    of A for Microsoft Office Professional 2010, the key's tail and no full key."""
    import_file(_xml(fixtures, "2.xml"), "2.xml", "glpi", user=world.users["steward"],
                municipality="A")
    licence = Licence.objects.select_related("product").get()
    assert licence.municipality.code == "A"
    assert licence.product_name == "Microsoft Office Professionnel 2010"
    assert licence.product is not None
    assert (licence.product.vendor, licence.product.name, licence.product.major_version) == \
        ("Microsoft", "Office Professional", "2010")
    assert (licence.metric, licence.quantity, licence.transferable) == ("device", 1, True)
    assert "…7FTGD" in licence.notes and "OEM" in licence.notes
    assert licence.proof_reference == ""  # a key seen on a machine is no proof of purchase
    stored = json.dumps([{f.name: str(getattr(licence, f.attname)) for f in Licence._meta.fields}])
    history = json.dumps([[c.before, c.after] for c in ChangeRecord.objects.all()], default=str)
    for variant in _key_variants():
        assert variant not in stored and variant not in history
    assert "27208" not in stored  # nor the product id


@pytest.mark.django_db
def test_it_is_a_no_op_to_import_again_or_the_same_key_from_another_device(
        world: Any, fixtures: Path) -> None:
    """GIVEN 2.xml imported WHEN 2.xml again and then 12.xml (another machine, same key) are
    imported THEN still one licence, nothing written to it, the second device added."""
    user = world.users["steward"]
    import_file(_xml(fixtures, "2.xml"), "2.xml", "glpi", user=user, municipality="A")
    licence = Licence.objects.get()
    changes = ChangeRecord.objects.filter(object_id=str(licence.pk),
                                          content_type__model="licence").count()
    before = database_state()
    again = import_file(_xml(fixtures, "2.xml"), "2.xml", "glpi", user=user, municipality="A")
    assert again.counts.get("licences created", 0) == 0
    assert again.counts["licences unchanged"] == 1
    assert database_state() == before
    other = import_file(_xml(fixtures, "12.xml"), "12.xml", "glpi", user=user, municipality="A")
    assert other.status == "imported", other.problems
    assert other.counts["licences unchanged"] == 1
    assert Licence.objects.count() == 1
    assert ChangeRecord.objects.filter(object_id=str(licence.pk),
                                       content_type__model="licence").count() == changes


@pytest.mark.django_db
def test_a_dry_run_writes_no_licence(world: Any, fixtures: Path) -> None:
    run = import_file(_xml(fixtures, "2.xml"), "2.xml", "glpi", user=world.users["steward"],
                      municipality="A", dry_run=True)
    assert run.counts["licences created"] == 1
    assert Licence.objects.count() == 0


@pytest.mark.django_db
def test_the_full_key_is_neither_in_the_api_the_page_nor_the_export(
        world: Any, fixtures: Path) -> None:
    import_file(_xml(fixtures, "2.xml"), "2.xml", "glpi", user=world.users["steward"],
                municipality="A")
    licence = Licence.objects.get()
    api = APIClient()
    api.force_authenticate(world.users["lead"])
    answers = [api.get("/api/licences/").content, api.get(f"/api/licences/{licence.pk}/").content,
               api.get(f"/api/licences/{licence.pk}/history/").content]
    client = Client()
    client.force_login(world.users["lead"])
    for name in ("licences_detail", "licences_history"):
        answers.append(client.get(reverse(name, args=[licence.pk])).content)
    answers.append(client.get(reverse("licences_export")).content)
    answers.append(client.get(reverse("licences_export") + "?format=xlsx").content)
    assert all(b"7FTGD" in a for a in answers[:-1])  # the tail is there (xlsx is zipped)
    for answer in answers:
        for variant in _key_variants():
            assert variant.encode() not in answer


@pytest.mark.django_db
def test_the_agent_json_licenseinfos_section_imports_too(world: Any, fixtures: Path) -> None:
    """GIVEN a GLPI Agent JSON inventory with a trial, a keyless and a keyed licence WHEN
    imported THEN only the keyed one is a licence, the others are counted."""
    inventory = json.loads((fixtures / "glpi-inventory" / "examples" / "computer_1.json")
                           .read_text())
    inventory["content"]["licenseinfos"] = [
        {"name": "Microsoft Windows", "fullname": "Microsoft Windows 10 Pro",
         "key": "NF6HC-QH89W-F8WYV-WWXV4-WFG6P", "trial": False},
        {"name": "Trial thing", "key": "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", "trial": True},
        {"name": "Keyless thing", "productid": "00330-80000-00000-AA000"},
    ]
    run = import_file(json.dumps(inventory).encode(), "c1.json", "glpi",
                      user=world.users["steward"], municipality="A")
    assert run.status == "imported", run.problems
    assert run.counts["licences created"] == 1
    assert run.counts["trial licences skipped"] == 1
    assert run.counts["licences without a product key skipped"] == 1
    licence = Licence.objects.select_related("product").get()
    assert licence.product is not None and licence.product.name == "Windows 10 Pro"
    assert "…WFG6P" in licence.notes and "NF6HC" not in licence.notes


@pytest.mark.django_db
def test_another_municipality_keeps_its_own_record_of_the_same_key(world: Any,
                                                                 fixtures: Path) -> None:
    import_file(_xml(fixtures, "2.xml"), "2.xml", "glpi", user=world.users["admin"],
                municipality="A")
    import_file(_xml(fixtures, "12.xml"), "12.xml", "glpi", user=world.users["admin"],
                municipality="B")
    assert sorted(Licence.objects.values_list("municipality__code", flat=True)) == ["A", "B"]


@pytest.mark.django_db
def test_the_cli_imports_the_licences_as_the_system_or_refuses_an_outsider(
        world: Any, fixtures: Path) -> None:
    """GIVEN 2.xml WHEN `ictmerge import glpi` runs without --as (the system) THEN the licence
    is created; WHEN C's steward imports it into A THEN it is refused, nothing written."""
    from typer.testing import CliRunner

    from ictmerge.cli import app

    path = str(fixtures / "glpi-inventory" / "xml" / "2.xml")
    runner = CliRunner()
    refused = runner.invoke(app, ["--as", "outsider", "import", "glpi", path,
                                  "--municipality", "A"])
    assert refused.exit_code == 1 and Licence.objects.count() == 0
    result = runner.invoke(app, ["import", "glpi", path, "--municipality", "A"])
    assert result.exit_code == 0, result.output
    assert "1 licences created" in " ".join(result.output.split())
    assert Licence.objects.get().municipality.code == "A"
