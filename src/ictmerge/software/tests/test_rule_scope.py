"""Title rules hold where their owner may write; reference data has no side door.

Issue 19, finding 3: a steward's rule mapped a title to a free product of a made-up vendor,
and another county's normalisation then moved its installations to it; the steward also
created a software product (through the rule) and a supplier (through a contracts import).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.core.models import ChangeRecord
from ictmerge.imports.services import import_file, problem_lines
from ictmerge.inventory.models import Installation, SoftwareProduct, Supplier
from ictmerge.reforms.counties import covered_ids
from ictmerge.software import services
from ictmerge.software.models import TitleRule
from ictmerge.software.tests.conftest import Register, install

pytestmark = pytest.mark.django_db

ACROBAT = ("Adobe Acrobat Pro DC", "Adobe Inc.")


def _api(register: Register, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(register.world.users[persona])
    return client


def _product_of(municipality: Any, name: str) -> str:
    installation = Installation.objects.select_related("product").get(
        municipality=municipality, raw_name=name)
    return str(installation.product)


def _free_pdf() -> SoftwareProduct:
    """A free product an administrator added to the register."""
    return SoftwareProduct.objects.create(vendor="Example", name="Free PDF", category="free")


def test_it_keeps_a_stewards_rule_out_of_other_municipalities(register: Register) -> None:
    """GIVEN Acrobat in A, B and C WHEN A's steward maps it to a free product and then C's
    steward and North's lead normalise THEN only A's installation moves; B's and C's keep
    the catalogue's product, and no change in B or C is recorded for the rule."""
    world = register.world
    install(world.former_a, *ACROBAT, "20.013", 1)
    install(world.former_c, *ACROBAT, "20.013", 4)
    _free_pdf()
    services.normalise_installations([world.former_b.pk, world.former_c.pk])
    before = {m: _product_of(m, ACROBAT[0]) for m in (world.former_b, world.former_c)}
    changes = ChangeRecord.objects.filter(municipality_id__in=[world.former_b.pk,
                                                               world.former_c.pk]).count()
    answer = _api(register, "steward").post(reverse("api_software_review"), {
        "name": ACROBAT[0], "publisher": ACROBAT[1], "vendor": "Example", "product": "Free PDF",
        "category": "free"}, format="json")
    assert answer.status_code == 201, answer.content
    rule = TitleRule.objects.get()
    assert rule.municipality == world.former_a and not rule.shared
    assert _product_of(world.former_a, ACROBAT[0]).startswith("Example Free PDF")
    services.normalise_installations([world.former_c.pk])
    services.normalise_installations(covered_ids(world.north))
    assert {m: _product_of(m, ACROBAT[0]) for m in (world.former_b, world.former_c)} == before
    assert "Free PDF" not in before[world.former_c]
    assert ChangeRecord.objects.filter(municipality_id__in=[world.former_b.pk,
                                                            world.former_c.pk]).count() == changes
    assert services.user_rules([world.former_c.pk]) == []
    assert not TitleRule.objects.restrict(world.users["outsider"]).exists()


def test_it_lets_only_an_administrator_share_a_rule(register: Register) -> None:
    """GIVEN Acrobat in A and C WHEN A's steward asks for a shared rule THEN it is refused;
    WHEN the admin shares one THEN C's next normalisation applies it, and every user sees it."""
    world = register.world
    install(world.former_a, *ACROBAT, "20.013", 1)
    install(world.former_c, *ACROBAT, "20.013", 4)
    _free_pdf()
    body = {"name": ACROBAT[0], "publisher": ACROBAT[1], "vendor": "Example",
            "product": "Free PDF", "category": "free", "shared": True}
    refused = _api(register, "steward").post(reverse("api_software_review"), body, format="json")
    assert refused.status_code == 400 and "administrator" in refused.json()["detail"]
    assert not TitleRule.objects.exists()
    made = _api(register, "admin").post(reverse("api_software_review"),
                                        body | {"municipality": world.former_a.pk}, format="json")
    assert made.status_code == 201, made.content
    assert TitleRule.objects.get().shared
    services.normalise_installations([world.former_c.pk])
    assert _product_of(world.former_c, ACROBAT[0]).startswith("Example Free PDF")
    assert TitleRule.objects.restrict(world.users["outsider"]).count() == 1
    steward = _api(register, "steward")  # the rule's municipality is A, but it is shared
    url = f"/api/software-rules/{TitleRule.objects.get().pk}/"
    etag = steward.get(url)["ETag"]
    edit = steward.patch(url, {"product": "Other"}, format="json", HTTP_IF_MATCH=etag)
    assert edit.status_code == 403 and TitleRule.objects.get().product == "Free PDF"


def test_it_refuses_a_rule_naming_a_product_the_register_lacks(register: Register) -> None:
    """GIVEN a steward WHEN they map a title to a product nobody added (review queue, API,
    the rules' own API) THEN 400 naming the product field, and no product and no rule are
    created; an administrator's shared rule may name a new product."""
    world = register.world
    body = {"name": "Grāmatvedis Pro klients", "publisher": "Birojs SIA",
            "vendor": "Made-up Vendor", "product": "Made-up Product", "category": "free"}
    products = SoftwareProduct.objects.count()
    with pytest.raises(ValidationError) as error:
        services.map_title(world.users["steward"], body["name"], body["publisher"],
                           body["vendor"], body["product"], "free")
    assert "product" in error.value.message_dict
    answer = _api(register, "steward").post(reverse("api_software_review"), body, format="json")
    assert answer.status_code == 400 and "Made-up Product" in str(answer.json()["product"])
    direct = _api(register, "steward").post("/api/software-rules/", {
        "municipality": world.former_a.pk, "match": "exact", "pattern": body["name"],
        "vendor": body["vendor"], "product": body["product"], "category": "free",
        "shared": True}, format="json")
    assert direct.status_code == 400 and "product" in direct.json()
    assert not TitleRule.objects.exists() and SoftwareProduct.objects.count() == products
    shared = _api(register, "admin").post(reverse("api_software_review"),
                                          body | {"shared": True}, format="json")
    assert shared.status_code == 201, shared.content
    assert SoftwareProduct.objects.filter(vendor="Made-up Vendor").exists()


@pytest.mark.parametrize(("persona", "created"), [("steward", False), ("lead", False),
                                                  ("admin", True)])
def test_only_an_administrators_import_adds_a_supplier(register: Register, persona: str,
                                                       created: bool) -> None:
    """GIVEN a contracts file naming a supplier the register lacks WHEN a steward or lead
    imports it THEN the row is refused naming file, row and the supplier column, and no
    supplier is created; an administrator's import creates it."""
    data = (b"municipality;supplier;title;kind;annual_value_eur\n"
            b"A;Made-up Supplier SIA;Support;maintenance;100\n")
    run = import_file(data, "contracts.csv", "contracts", user=register.world.users[persona])
    assert Supplier.objects.filter(name="Made-up Supplier SIA").exists() is created
    if not created:
        assert run.status != "imported"
        lines = list(problem_lines(run))
        assert any(line.startswith("contracts.csv, row 2, supplier:")
                   and "Made-up Supplier SIA" in line for line in lines), lines
