"""National optimisation: the counties' hosts placed across county borders (engine, no Django)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ictmerge.engine.consolidation import SecurityClass, load_external_rooms
from ictmerge.engine.consolidation.model import Params
from ictmerge.engine.consolidation.national import (
    SCENARIOS,
    NationalScenario,
    as_json,
    load_centres,
    load_hubs,
    plan_national,
    prepare_counties,
)
from ictmerge.engine.consolidation.rooms import distance_km
from ictmerge.engine.consolidation.synthetic import synthetic_country

PARAMS = Params(time_limit_s=0.5, num_workers=1)


@pytest.fixture(scope="module")
def country():
    """Eight generated counties placed at real Latvian centres, packed once."""
    centres = load_centres()
    codes = sorted(centres)[:8]
    counties = synthetic_country(servers=60, rooms=16, counties=8, seed=3, params=PARAMS)
    # The generated rooms sit near each county's real centre, as a county's rooms do.
    placed = []
    for code, county in zip(codes, counties, strict=True):
        c = centres[code]
        rooms = tuple(replace(r, latitude=c.latitude + k * 0.01, longitude=c.longitude) for k, r in
                      enumerate(county.rooms))
        placed.append(replace(county, code=code, rooms=rooms))
    return centres, prepare_counties(placed)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_it_never_costs_more_than_the_separate_plans(country, name):
    """GIVEN generated counties WHEN each national scenario is solved THEN its annual cost is at most the separate plans' sum, above its bound."""
    centres, counties = country
    hubs = load_hubs(centres)
    plan = plan_national(counties, load_external_rooms(), centres, SCENARIOS[name], PARAMS, hubs, time_limit_s=3)
    assert plan.annual_eur <= plan.annual_separate_eur + 0.01
    assert plan.lower_bound_eur <= plan.annual_eur + 0.01
    assert 0 <= plan.gap <= 1
    # The counties' shares are priced in cents, the solver's objective in whole euros per item.
    assert plan.annual_separate_eur == pytest.approx(sum(c.annual_separate_eur for c in plan.counties), rel=1e-4)
    assert plan.annual_eur == pytest.approx(sum(c.annual_eur for c in plan.counties), rel=1e-4)
    assert set(as_json(plan)) == {"scenario", "rooms_after", "hosts_after", "annual_cost_eur",
                                  "separate_plans_annual_cost_eur", "saving_eur", "lower_bound_eur", "gap",
                                  "counties"}


def test_it_keeps_neighbours_within_the_distance_limit(country):
    """GIVEN a 40 km limit WHEN the national plan serves a county from another's room THEN that room is within 40 km of its centre."""
    centres, counties = country
    scenario = replace(SCENARIOS["own_rooms"], max_distance_km=40.0)
    plan = plan_national(counties, load_external_rooms(), centres, scenario, PARAMS, time_limit_s=3)
    places = {p.id: p for p in plan.places}
    for flow in plan.flows:
        place = places.get(flow.place)
        if place is None or place.kind == "service":
            continue
        centre = centres[flow.county]
        assert distance_km(centre.latitude, centre.longitude, place.latitude, place.longitude) <= 40.0


def test_it_sends_the_high_class_to_the_state_data_centre(country):
    """GIVEN the state-data-centre scenario WHEN solved THEN no own room or hub holds a rentable high-class host."""
    centres, counties = country
    plan = plan_national(counties, load_external_rooms(), centres, SCENARIOS["state_dc_high"], PARAMS,
                         time_limit_s=3)
    high = [i for c in counties for i in c.items
            if i.security_class == SecurityClass.HIGH and i.service_load is not None and not i.on_premises_only
            and i.pinned_room_id is None]
    rented = sum(f.hosts for f in plan.flows if f.place.endswith("/ext-state-dc"))
    assert rented >= len(high)


def test_it_prices_a_hub_only_when_the_scenario_has_hubs(country):
    """GIVEN the hub catalogue WHEN a scenario without hubs is solved THEN no place is a hub, and the hub scenario offers them."""
    centres, counties = country
    hubs = load_hubs(centres)
    assert len(hubs) == 5 and all(h.basis for h in hubs)
    plain = plan_national(counties, load_external_rooms(), centres, SCENARIOS["hosting_services"], PARAMS, hubs,
                          time_limit_s=2)
    assert not [p for p in plain.places if p.kind == "hub"]
    with_hubs = plan_national(counties, load_external_rooms(), centres, SCENARIOS["regional_hubs"], PARAMS, hubs,
                              time_limit_s=2)
    assert len([p for p in with_hubs.places if p.kind == "hub"]) == 5


def test_it_ships_every_centre_with_its_source():
    """GIVEN the shipped centres WHEN loaded THEN all 43 Latvian municipalities have a point in Latvia and a source."""
    centres = load_centres()
    assert len(centres) == 43
    for c in centres.values():
        assert 55.6 < c.latitude < 58.1 and 20.9 < c.longitude < 28.3
        assert "whosonfirst" in c.source
    assert load_centres("xx-0000") == {}
    assert isinstance(SCENARIOS["own_rooms"], NationalScenario)
