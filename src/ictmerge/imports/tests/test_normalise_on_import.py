"""Installed titles are normalised as they load: a software file and a GLPI inventory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ictmerge.imports.services import import_file
from ictmerge.imports.tests.helpers import SAMPLES, load_samples
from ictmerge.inventory.models import BusinessFunction, Installation, SoftwareProduct


@pytest.mark.django_db
def test_it_links_imported_installations_to_their_products(world: Any) -> None:
    """GIVEN the sample software file (no product column) WHEN imported THEN every installation
    points at its normalised product, a product given in a file is kept, and importing the
    file again changes nothing."""
    BusinessFunction.objects.create(code="finance", name_en="Finance", name_lv="Finanses")
    load_samples(world.users["steward"])
    rows = Installation.objects.filter(municipality=world.former_a)
    assert rows.exists() and not rows.filter(product__isnull=True).exists()
    firefox = rows.get(raw_name="Firefox").product
    assert firefox is not None and firefox.vendor == "Mozilla"
    again = import_file(SAMPLES["software"].encode(), "software.csv", "software",
                        user=world.users["steward"])
    assert again.counts["created"] == again.counts["updated"] == 0
    chosen = SoftwareProduct.objects.create(vendor="Mozilla", name="Firefox ESR")
    given = SAMPLES["software"].replace("count\n", "count;product\n").replace(";1\n", ";1;Mozilla Firefox ESR\n")
    run = import_file(given.encode(), "software.csv", "software", user=world.users["steward"])
    assert run.counts["updated"] == 1, run.problems
    assert rows.get(raw_name="Firefox").product == chosen


@pytest.mark.django_db
def test_it_links_the_software_of_a_glpi_inventory(world: Any, fixtures: Path) -> None:
    """GIVEN an agent's GLPI inventory WHEN imported THEN its installed titles point at products."""
    data = (fixtures / "glpi-inventory" / "examples" / "computer_1.json").read_bytes()
    run = import_file(data, "computer_1.json", "glpi", user=world.users["steward"], municipality="A")
    assert run.status == "imported", run.problems
    rows = Installation.objects.filter(municipality=world.former_a)
    assert rows.count() > 5 and not rows.filter(product__isnull=True).exists()
