"""The demo's money parameters are the sourced ones: every sourced reference value, and the
hosting prices per resource, are taken (or derived as stated) from the table of sourced
parameters (/work/shared/data/lv-2021/parameters_sourced.csv), not set to move a result."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ictmerge.engine.consolidation.catalogue import load_external_rooms
from ictmerge.engine.planning.budget import load_catalogue
from ictmerge.engine.planning.reference import reference_parameters

SOURCED = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lv-2021"
           / "parameters_sourced.csv")


def _sourced() -> dict[str, list[tuple[float, str]]]:
    """Each sourced parameter's numeric values with their unit (NA and text rows left out)."""
    found: dict[str, list[tuple[float, str]]] = {}
    with SOURCED.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            try:
                value = float(row["value"])
            except ValueError:
                continue
            found.setdefault(row["parameter"], []).append((value, row["unit"]))
    return found


def _in_table(value: float, table: dict[str, list[tuple[float, str]]]) -> bool:
    """The value appears in the table (a percentage counts as its fraction)."""
    for rows in table.values():
        for number, unit in rows:
            scale = 0.01 if unit.startswith("%") else 1.0
            if number * scale == pytest.approx(value, rel=1e-6):
                return True
    return False


def test_it_takes_every_sourced_reference_value_from_the_table_of_sources() -> None:
    """GIVEN the shipped reference parameters WHEN each sourced one's value, low and high are
    looked up in the table of sourced parameters THEN each is there, and the rest say
    "assumption"."""
    table = _sourced()
    for value in reference_parameters().values():
        if not value.source:
            assert value.basis.startswith("assumption:"), value.name
            continue
        for number in (value.value, value.low, value.high):
            assert _in_table(number, table), (value.name, number)


def test_it_derives_the_hosting_prices_per_resource_as_their_sources_state() -> None:
    """GIVEN the shipped hosting services WHEN their prices per resource are derived again from
    the sourced list prices THEN they agree to the cent: the state data centre from the
    Universität Wien rates (an assumption, and said so), the commercial cloud from Azure's
    4 vCPU + 16 GB price split over 20 equal units and Hetzner's volume price."""
    table = _sourced()
    options = {o.id: o for o in load_external_rooms()}
    vienna = next(row for row in csv.DictReader(SOURCED.open(encoding="utf-8"))
                  if row["parameter"] == "public_sector_VM_chargeback_Uni_Vienna")
    per_vcpu, per_gb, per_gb_disk = (float(x) for x in re.findall(
        r"([\d.]+) per (?:vCPU|GB RAM|GB data disk)", vienna["value"]))
    state = options["ext-state-dc"]
    assert state.source.startswith("assumption:")
    assert state.eur_per_vcpu_month == pytest.approx(per_vcpu / 12, abs=0.005)
    assert state.eur_per_gb_ram_month == pytest.approx(per_gb / 12, abs=0.005)
    assert state.eur_per_tb_storage_month == pytest.approx(per_gb_disk * 1000 / 12, abs=0.005)
    cloud = options["ext-public-cloud"]
    (azure, _unit), = table["cloud_vm_4vCPU_16GB_Azure_GermanyWestCentral"]
    assert cloud.eur_per_vcpu_month == pytest.approx(azure / (4 + 16), abs=0.005)
    assert cloud.eur_per_gb_ram_month == pytest.approx(azure / (4 + 16), abs=0.005)
    (volume, _unit), = table["block_storage_Hetzner_volume"]
    assert cloud.eur_per_tb_storage_month == pytest.approx(volume, abs=0.005)


def test_it_names_a_source_or_an_assumption_for_every_catalogue_price() -> None:
    """GIVEN the cost catalogue WHEN read THEN every price says "source:" or "assumption:"
    and its expected value lies in its low–high range."""
    for item in load_catalogue().values():
        assert item.basis.startswith(("source: ", "assumption: ")), item.key
        assert item.low <= item.expected <= item.high, item.key
