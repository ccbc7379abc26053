"""The engine's inputs built from the predecessors' inventory."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ictmerge.consolidation.inputs import (
    class_flags,
    county_data,
    room_condition,
    room_id,
    rules_in_force,
    server_id,
    workload_id,
)
from ictmerge.engine.consolidation import RoomKind, RuleKind, SecurityClass
from ictmerge.inventory.choices import DeviceKind, Level
from ictmerge.inventory.models import BusinessFunction, Device, InformationSystem, ServerRoom
from ictmerge.reforms.models import Succession


@pytest.mark.django_db
def test_it_turns_servers_into_existing_servers_with_their_workloads(county: Any) -> None:
    """GIVEN New North's predecessors WHEN its inputs are built THEN every server and workload is there."""
    data = county_data(county.world.north)
    by_id = {s.id: s for s in data.servers}
    assert set(by_id) == {server_id(d.pk) for d in county.servers.values()}
    a1 = by_id[server_id(county.servers["a1"].pk)]
    assert a1.cores == 16 and a1.ram_gb == 128
    assert a1.room_id == room_id(county.rooms["a-own"].pk)
    assert a1.age_years > 9  # bought 2012, reform 2021
    vms = {vm.id: vm for vm in a1.vms}
    sql = vms[workload_id(county.workloads["sql"].pk)]
    assert (sql.vcpus, sql.ram_gb, sql.cpu_utilisation) == (8.0, 64.0, (0.5,))
    dc2 = next(vm for s in data.servers for vm in s.vms if vm.id == workload_id(county.workloads["dc2"].pk))
    assert dc2.cpu_utilisation == ()  # unknown: the engine's stated default applies
    a3 = by_id[server_id(county.servers["a3"].pk)]
    assert a3.vms == () and a3.cpu_utilisation == (0.2,) and a3.ram_utilisation == (0.5,)
    assert not data.is_demo


@pytest.mark.django_db
def test_it_leaves_out_virtual_retired_and_other_counties_servers(county: Any) -> None:
    """GIVEN a virtual server, a retired one and one of New South WHEN built THEN none is counted."""
    world = county.world
    for values in ({"is_virtual": True}, {"status": "retired"}):
        Device.objects.create(municipality=world.former_a, kind=DeviceKind.SERVER, name="x", **values)
    Device.objects.create(municipality=world.former_c, kind=DeviceKind.SERVER, name="south")
    assert len(county_data(world.north).servers) == 5


@pytest.mark.django_db
def test_it_derives_room_condition_and_kind_from_the_flags(county: Any) -> None:
    """GIVEN rooms with all, some and no condition flags THEN their class is HIGH, ELEVATED, BASIC."""
    rooms = {r.id: r for r in county_data(county.world.north).rooms}
    assert rooms[room_id(county.rooms["a-own"].pk)].condition == SecurityClass.HIGH
    assert rooms[room_id(county.rooms["b-own"].pk)].condition == SecurityClass.BASIC
    assert rooms[room_id(county.rooms["a-hosted"].pk)].kind == RoomKind.OUTSOURCED
    partial = ServerRoom(has_cooling=True, has_ups=True, has_access_control=True)
    assert room_condition(partial) == SecurityClass.ELEVATED
    partial.has_ups = False
    assert room_condition(partial) == SecurityClass.BASIC


@pytest.mark.django_db
def test_the_room_conditions_of_a_class_follow_the_law_of_the_reform_date(county: Any) -> None:
    """GIVEN a room with cooling, UPS and access control WHEN the county's reform is Latvian of
    2021-07-01 THEN it meets the increased class of Reg. 442 (one class for moderate and high,
    its room list unconfirmed), while under FIPS 199 it meets only ELEVATED."""
    world = county.world
    room = county.rooms["a-own"]
    room.has_fire_suppression = room.has_monitoring = False
    room.save()
    rid = room_id(room.pk)
    assert {r.id: r for r in county_data(world.north).rooms}[rid].condition == \
        SecurityClass.ELEVATED
    world.reform.country = "LV"
    world.reform.save()
    world.north.refresh_from_db()
    rules = rules_in_force(world.north)
    assert rules is not None and rules.code == "lv-442"
    assert class_flags(rules)[SecurityClass.HIGH] == ("has_cooling", "has_ups",
                                                      "has_access_control")
    assert {r.id: r for r in county_data(world.north).rooms}[rid].condition == SecurityClass.HIGH


@pytest.mark.django_db
def test_it_makes_anti_affinity_rules_per_predecessor(county: Any) -> None:
    """GIVEN DCs of A (high availability) and a backup pair of A, and one DC of B in a same-named group
    THEN A's DCs must be in rooms apart, the backup pair on separate hosts, and B's DC is free."""
    rules = {frozenset(r.workload_ids): r for r in county_data(county.world.north).rules}
    w = {k: workload_id(v.pk) for k, v in county.workloads.items()}
    assert rules[frozenset({w["dc1"], w["dc2"]})].kind == RuleKind.SEPARATE_ROOMS
    assert rules[frozenset({w["fs"], w["bak"]})].kind == RuleKind.SEPARATE_HOSTS
    assert not any(w["b-dc"] in ids for ids in rules)


@pytest.mark.django_db
def test_it_takes_security_class_and_pins_from_the_workload(county: Any) -> None:
    """GIVEN a workload of a system of high integrity, and a pinned one THEN the VM carries both."""
    function = BusinessFunction.objects.create(code="finance-t", name_en="Finance")
    system = InformationSystem.objects.create(municipality=county.world.former_a, name="Ledger",
                                              function=function, integrity=Level.HIGH,
                                              confidentiality=Level.LOW)
    sql = county.workloads["sql"]
    sql.information_system = system
    sql.save()
    vms = {vm.id: vm for s in county_data(county.world.north).servers for vm in s.vms}
    assert vms[workload_id(sql.pk)].security_class == SecurityClass.HIGH
    assert vms[workload_id(county.workloads["print"].pk)].must_stay_on_premises
    assert vms[workload_id(county.workloads["dc1"].pk)].security_class is None


@pytest.mark.django_db
def test_it_gives_a_split_predecessor_a_share_of_its_servers(county: Any) -> None:
    """GIVEN former B split 50/50 between North and South THEN each gets one of B's two servers and
    the parts add up to the whole."""
    world = county.world
    Succession.objects.filter(former=world.former_b).update(share=Decimal("0.5"), part="west")
    Succession.objects.create(reform=world.reform, former=world.former_b, new=world.south,
                              share=Decimal("0.5"), part="east")
    north = {s.id for s in county_data(world.north).servers}
    south = {s.id for s in county_data(world.south).servers}
    b_servers = {server_id(county.servers[k].pk) for k in ("b1", "b2")}
    assert len(north & b_servers) == 1 and len(south & b_servers) == 1
    assert (north | south) >= b_servers
