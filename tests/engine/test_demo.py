"""The demo generator, without a database: exact totals, determinism, the 0.75 % rule."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from ictmerge.engine.demo import (
    SHARE_THRESHOLD,
    DemoInput,
    DemoInventory,
    DemoTargets,
    FunctionInput,
    MunicipalityInput,
    apportion,
    generate,
    generate_each,
)

DATA = Path(__file__).resolve().parents[2] / "src" / "ictmerge" / "reforms" / "data" / "lv-2021"
UNSURVEYED = {"0010000", "0130000"}  # Rīga, Jūrmala
NO_SPEND = {"0649300", "0641401"}  # Vaiņodes, Pāvilostas novads
TARGETS = DemoTargets(computers=68448, servers=630, server_rooms=164, ict_spend_eur=16_200_000,
                      total_expenditure_eur=2_796_500_000, year=2019,
                      reform_date=dt.date(2021, 7, 1))
FUNCTIONS = (FunctionInput("finance", None, ("medium", "high", "medium")),
             FunctionInput("education", "VIIS", ("high", "medium", "medium")),
             FunctionInput("documents", None, ("medium", "high", "medium")))


def _latvia() -> tuple[MunicipalityInput, ...]:
    with (DATA / "successions.csv").open(encoding="utf-8") as handle:
        successor = {r["former_code"]: r["new_name_in_2020_law"] for r in csv.DictReader(handle)}
    with (DATA / "former_municipalities.csv").open(encoding="utf-8") as handle:
        return tuple(
            MunicipalityInput(code=r["code"], name=r["name"], population=int(r["population"]),
                              successor_code=successor[r["code"]],
                              is_city=r["kind"] != "novads",
                              surveyed=r["code"] not in UNSURVEYED,
                              reports_spend=r["code"] not in NO_SPEND,
                              total_expenditure_eur=960_000_000 if r["code"] == "0010000" else None)
            for r in csv.DictReader(handle))


@cache
def _generate(seed: int, scale: int = 1) -> DemoInventory:
    return generate(DemoInput(_latvia(), FUNCTIONS, TARGETS, seed=seed, scale=scale))


def test_it_apportions_exactly_within_bounds() -> None:
    """Largest remainder: parts sum to the total and respect the minimum and maximum."""
    parts = apportion(10, [1, 1, 1])
    assert parts == [4, 3, 3]
    assert sum(apportion(630, [0.3, 7.1, 2.2, 0.01], minimum=1)) == 630
    capped = apportion(10, [10, 1, 1], maximum=[2, 8, 8])
    assert capped[0] == 2 and sum(capped) == 10
    with pytest.raises(ValueError):
        apportion(5, [1, 1], maximum=[1, 1])


@pytest.mark.parametrize("seed", [1, 2, 99])
def test_it_reproduces_the_published_totals_for_any_seed(seed: int) -> None:
    """117 surveyed, 68,448 computers, 630 servers, 164 rooms, 16.2 M EUR over 115."""
    inventory = _generate(seed)
    assert len(inventory.municipalities) == 117
    assert sum(m.computers for m in inventory.municipalities) == 68448
    assert sum(m.servers for m in inventory.municipalities) == 630
    assert sum(len(m.rooms) for m in inventory.municipalities) == 164
    reporting = [m.finance for m in inventory.municipalities if m.finance.ict_spend_eur is not None]
    assert len(reporting) == 115
    assert sum(f.ict_spend_eur or 0 for f in reporting) == 16_200_000
    below = [f for f in reporting if (f.ict_share or 0) <= SHARE_THRESHOLD]
    assert len(below) > len(reporting) / 2


def test_it_is_deterministic_for_a_seed() -> None:
    """Same seed, same inventory; another seed, another spread."""
    again = generate(DemoInput(_latvia(), FUNCTIONS, TARGETS, seed=1))
    assert again == _generate(1)
    one = {m.code: (m.computers, m.servers, m.finance.ict_spend_eur)
           for m in _generate(1).municipalities}
    two = {m.code: (m.computers, m.servers, m.finance.ict_spend_eur)
           for m in _generate(2).municipalities}
    assert sum(a != b for a, b in zip(one.values(), two.values(), strict=True)) > 50


def test_it_yields_each_municipality_as_the_whole_inventory_holds_it() -> None:
    """GIVEN the Latvian input WHEN generated one municipality at a time (what a load of any
    size writes and forgets) THEN each is the one the whole inventory holds, in its order."""
    spec = DemoInput(_latvia(), FUNCTIONS, TARGETS, seed=1)
    assert tuple(generate_each(spec)) == _generate(1).municipalities


def test_it_splits_spend_into_categories_that_add_up() -> None:
    """Every reporting municipality's categories sum to its ICT spend."""
    for municipality in _generate(1).municipalities:
        finance = municipality.finance
        if finance.ict_spend_eur is None:
            assert finance.spend_staff_eur is None
            continue
        parts = (finance.spend_hardware_eur, finance.spend_software_eur,
                 finance.spend_services_eur, finance.spend_communications_eur,
                 finance.spend_staff_eur)
        assert sum(p or 0 for p in parts) == finance.ict_spend_eur


def test_it_links_records_by_keys_that_exist() -> None:
    """Rooms, servers, workloads and licences refer to records of the same municipality."""
    for municipality in _generate(1).municipalities:
        sites = {s.key for s in municipality.sites}
        rooms = {r.key for r in municipality.rooms}
        devices = {d.key: d for d in municipality.devices}
        assert {r.site_key for r in municipality.rooms} - {None} <= sites
        assert {d.room_key for d in municipality.devices} - {None} <= rooms
        assert all(devices[w.server_key].kind == "server" for w in municipality.workloads)
        serials = [d.serial for d in municipality.devices]
        assert len(serials) == len(set(serials))


def test_it_writes_messy_software_titles() -> None:
    """Inventories report one product under several titles, localised ones included."""
    titles = {i.raw_name for m in _generate(1).municipalities for i in m.installations}
    assert "Microsoft Office profesionālais plus 2016" in titles
    assert "Microsoft Office Professional Plus 2016" in titles
    assert any(t.startswith("Security Update for Microsoft Office 2016") for t in titles)
    assert any("Visual C++" in t for t in titles)


def test_it_multiplies_contents_with_scale() -> None:
    """Scale 2 doubles computers, servers and rooms, and keeps serials unique."""
    doubled = _generate(1, 2)
    assert sum(m.computers for m in doubled.municipalities) == 2 * 68448
    assert sum(m.servers for m in doubled.municipalities) == 2 * 630
    assert sum(len(m.rooms) for m in doubled.municipalities) == 2 * 164


def test_it_gives_a_municipality_few_domain_controllers_and_pairs_each_backup_with_its_source() -> None:
    """GIVEN the Latvian demo WHEN its anti-affinity groups are read THEN two DCs (a city up to four) share
    one group, each backup group is one backup and one source on different servers, and the rest are free."""
    inputs = {m.code: m for m in _latvia()}
    for municipality in _generate(1).municipalities:
        groups: dict[str, list[str]] = {}
        servers: dict[str, set[int]] = {}
        for w in municipality.workloads:
            if w.anti_affinity_group:
                groups.setdefault(w.anti_affinity_group, []).append(w.name.split("-")[0])
                servers.setdefault(w.anti_affinity_group, set()).add(w.server_key)
        dcs = groups.get("domain-controllers", [])
        assert 1 <= len(dcs) <= (4 if inputs[municipality.code].is_city else 2)
        assert all(name.startswith("dc") for name in dcs)
        for name, members in groups.items():
            if name.startswith("backup-"):
                assert sorted(members)[0] == "backup" and len(members) == 2, (municipality.code, name)
                assert len(servers[name]) == 2
            else:
                assert name == "domain-controllers"
        assert sum(w.name.startswith("dc") for w in municipality.workloads) == len(dcs)
