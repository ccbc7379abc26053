"""Two levels of "after": today's service level never grows the estate; the policy names its rules."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ictmerge.engine.consolidation import (
    CountyInputs,
    ExistingServer,
    Params,
    PlacementRule,
    Room,
    RoomKind,
    RuleKind,
    SecurityClass,
    ServiceLevel,
    load_external_rooms,
    load_host_catalogue,
    plan_county,
    plan_levels,
)
from ictmerge.engine.consolidation.synthetic import synthetic_county

FAST = Params(time_limit_s=0.2)


def _room(rid: str, lat: float, condition: SecurityClass = SecurityClass.BASIC) -> Room:
    """An own room on the 24th meridian."""
    return Room(rid, rid, RoomKind.OWN, lat, 24.0, 2, 10.0, condition, 3000.0, retained_equipment_u=2)


def _server(sid: str, room: str, **kwargs: object) -> ExistingServer:
    """A small old server."""
    return ExistingServer(sid, room, cores=8, ram_gb=32, storage_gb=500, age_years=8, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_servers=st.integers(1, 12), n_rooms=st.integers(1, 4), seed=st.integers(0, 10_000))
def test_it_never_grows_servers_or_own_rooms_at_todays_service_level(n_servers: int, n_rooms: int, seed: int) -> None:
    """GIVEN any generated county WHEN planned at today's service level THEN own servers and rooms do
    not go up, no host stands at a hosting service, and no reason is needed."""
    inputs = synthetic_county("T", n_servers, n_rooms, seed, Params(seed=seed, time_limit_s=0.1))
    plan = plan_county(inputs, ServiceLevel.TODAY)
    assert plan.service_level == ServiceLevel.TODAY
    assert plan.servers_after <= plan.servers_before
    assert plan.own_rooms_after <= plan.own_rooms_before
    options = {e.id for e in inputs.external_options}
    assert not any(h.room_id in options or h.is_failover for h in plan.hosts)
    assert plan.reasons == ()


def test_it_names_n_plus_one_when_the_policy_adds_a_host() -> None:
    """GIVEN one server in one room WHEN planned at both levels THEN today's level keeps one host and
    names nothing, the policy adds the failover host and names n_plus_one, and the uplift is its cost."""
    inputs = CountyInputs("X", "X", (_server("S1", "A"),), (_room("A", 56.0),), load_host_catalogue(), (), (), FAST)
    levels = plan_levels(inputs)
    assert levels.today.servers_after <= 1 and levels.today.reasons == ()
    assert levels.policy.servers_after == 2
    codes = {r.code: r.as_dict()["params"] for r in levels.policy.reasons}
    assert codes["n_plus_one"] == {"failover_hosts": 1, "servers_before": 1, "servers_after": 2}
    assert levels.uplift_annual_eur == round(
        levels.policy.money.annual_after_eur - levels.today.money.annual_after_eur, 2)
    assert levels.uplift_one_off_eur > 0  # the spare host is bought


def test_it_keeps_rooms_apart_only_where_the_predecessors_have_them_today() -> None:
    """GIVEN a backup group in one room today and a far room WHEN planned THEN today's level keeps one
    room (separate hosts), the policy keeps two rooms far apart."""
    rooms = (_room("A", 56.0), _room("Far", 56.5))
    servers = (_server("src", "A"), _server("bak", "A"), _server("other", "Far"))
    rules = (PlacementRule(RuleKind.SEPARATE_ROOMS, ("src", "bak"), "backup"),)
    inputs = CountyInputs("X", "X", servers, rooms, load_host_catalogue(), (), rules, FAST)
    levels = plan_levels(inputs)
    assert levels.today.rooms_after == 1
    assert levels.today.assignment["src"] != levels.today.assignment["bak"]
    assert levels.policy.rooms_after == 2


def test_it_rents_a_high_class_workload_only_under_the_policy() -> None:
    """GIVEN a HIGH workload in a BASIC room today WHEN planned THEN today's level keeps it in the room,
    the policy rents it from the HIGH service."""
    rooms = (_room("A", 56.0),)
    servers = (_server("secret", "A", security_class=SecurityClass.HIGH), _server("plain", "A"))
    inputs = CountyInputs("X", "X", servers, rooms, load_host_catalogue(), load_external_rooms(), (),
                          Params(time_limit_s=0.2, allowed_external=("ext-state-dc",)))
    levels = plan_levels(inputs)
    rented_policy = {w for s in levels.policy.external_services for w in s.workload_ids}
    assert "secret" in rented_policy
    own_today = set(levels.today.assignment)
    rented_today = {w for s in levels.today.external_services for w in s.workload_ids}
    assert own_today | rented_today == {"secret", "plain"}


def test_it_keeps_the_estate_of_a_municipality_the_reform_leaves_unchanged() -> None:
    """GIVEN an unchanged municipality WHEN planned at today's level THEN its servers and rooms stay as
    they are, nothing is bought or moved, and the annual cost is today's."""
    rooms = (_room("A", 56.0), _room("B", 56.01))
    servers = tuple(_server(f"S{k}", rooms[k % 2].id) for k in range(5))
    inputs = CountyInputs("X", "X", servers, rooms, load_host_catalogue(), load_external_rooms(), (), FAST,
                          unchanged=True)
    plan = plan_county(inputs, ServiceLevel.TODAY)
    assert plan.kept_estate
    assert (plan.servers_after, plan.rooms_after) == (5, 2)
    assert plan.money.one_off_eur == 0 and plan.money.annual_saving_eur == 0
    assert plan.external_services == ()
    assert {h.reused_server_id for h in plan.hosts} == {s.id for s in servers}
