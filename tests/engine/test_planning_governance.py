"""Governance alternatives: calculations that respond to geography and parameters."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ictmerge.engine.planning.governance import (
    GovernanceInventory,
    GovernanceModel,
    GovernanceParameters,
    RiskLevel,
    Site,
    assess_alternative,
    haversine_km,
    parameter_basis,
    recommend_governance,
    tour_km,
)

HUB = Site("Preiļi", 56.2942, 26.7247, users=300, devices=330, servers=10)


def spread_sites(count: int, step_km: float) -> list[Site]:
    """The hub plus `count` equal village sites on a line east of it, `step_km` apart."""
    # 1 degree of longitude at 56.3° N is about 61.7 km.
    return [HUB] + [
        Site(f"village{k}", HUB.latitude, HUB.longitude + k * step_km / 61.7, 40, 45, 1)
        for k in range(1, count + 1)
    ]


def gap_central_minus_decentral(sites: list[Site]) -> float:
    """How much more the centralised model costs than the decentralised one (per year)."""
    inventory = GovernanceInventory(sites, information_systems=20)
    p = GovernanceParameters()
    central = assess_alternative(GovernanceModel.CENTRALISED, inventory, p)
    decentral = assess_alternative(GovernanceModel.DECENTRALISED, inventory, p)
    return central.annual_cost_eur - decentral.annual_cost_eur


def test_it_measures_distance_on_the_sphere() -> None:
    """GIVEN points a degree apart WHEN measured THEN the distance is 2πR/360, shrunk by cos(latitude)."""
    assert haversine_km(Site("a", 0, 0, 0, 0), Site("b", 0, 1, 0, 0)) == pytest.approx(
        111.195, abs=0.01
    )
    assert haversine_km(Site("a", 60, 0, 0, 0), Site("b", 60, 1, 0, 0)) == pytest.approx(
        55.60, abs=0.05
    )
    assert haversine_km(Site("a", 56, 24, 0, 0), Site("b", 57, 24, 0, 0)) == pytest.approx(
        111.195, abs=0.01
    )


def test_it_finds_the_short_tour_not_the_listed_order() -> None:
    """GIVEN stops listed out of order on a line WHEN toured THEN the tour goes out and back once."""
    sites = spread_sites(4, 10.0)
    order, km = tour_km(HUB, [sites[3], sites[1], sites[4], sites[2]])
    assert km == pytest.approx(2 * 40, rel=0.02)
    assert order in (
        ("village1", "village2", "village3", "village4"),
        tuple(reversed(("village1", "village2", "village3", "village4"))),
    )


def test_it_gives_decentralised_more_advantage_when_sites_are_farther_apart() -> None:
    """GIVEN the same sites close together and far apart WHEN assessed THEN distance favours local staff."""
    near = gap_central_minus_decentral(spread_sites(5, 5.0))
    far = gap_central_minus_decentral(spread_sites(5, 40.0))
    assert far > near


def test_it_raises_central_travel_with_more_and_farther_sites() -> None:
    """GIVEN more sites spread further WHEN assessed THEN the centralised travel and response grow."""
    p = GovernanceParameters()
    few = assess_alternative(
        GovernanceModel.CENTRALISED, GovernanceInventory(spread_sites(2, 10.0)), p
    )
    many = assess_alternative(
        GovernanceModel.CENTRALISED, GovernanceInventory(spread_sites(6, 30.0)), p
    )
    assert many.travel_km_per_year > few.travel_km_per_year
    assert many.worst_response_hours > few.worst_response_hours
    assert many.users_beyond_target > 0 == few.users_beyond_target


def test_it_needs_no_travel_when_every_site_is_staffed() -> None:
    """GIVEN a decentralised model WHEN assessed THEN there is no travel and each tiny site is a SPOF."""
    inventory = GovernanceInventory(spread_sites(3, 30.0), information_systems=10)
    result = assess_alternative(GovernanceModel.DECENTRALISED, inventory, GovernanceParameters())
    assert result.travel_km_per_year == 0
    assert result.response_risk is RiskLevel.LOW
    assert sum("village" in s for s in result.single_points_of_failure) == 3


def test_it_recommends_with_reasons_and_a_different_runner_up() -> None:
    """GIVEN an inventory WHEN recommended THEN the best and runner-up differ and reasons name the best."""
    rec = recommend_governance(GovernanceInventory(spread_sites(4, 15.0), information_systems=20))
    assert rec.recommended != rec.runner_up
    assert len(rec.alternatives) == len(GovernanceModel)
    assert rec.reasons[0].startswith(rec.recommended.value)
    best = min(rec.alternatives, key=lambda a: a.comparison_cost_eur)
    assert best.model is rec.recommended


def test_it_changes_the_recommendation_when_parameters_change() -> None:
    """GIVEN cheap outsourcing with a fast SLA WHEN recommended THEN outsourcing wins, unlike dear outsourcing."""
    inventory = GovernanceInventory(spread_sites(4, 15.0), information_systems=20)
    default = recommend_governance(inventory, replace(
        GovernanceParameters(), outsourcing_price_per_device_month_eur=40.0))
    cheap = replace(
        GovernanceParameters(),
        outsourcing_price_per_device_month_eur=5.0,
        outsourcing_sla_hours=1.0,
        penalty_per_single_point_of_failure_eur=0.0,
    )
    assert default.recommended is not GovernanceModel.OUTSOURCED
    assert recommend_governance(inventory, cheap).recommended is GovernanceModel.OUTSOURCED


def test_it_charges_severance_when_the_model_needs_fewer_staff() -> None:
    """GIVEN twelve support staff today WHEN a leaner model is assessed THEN the one-off includes severance."""
    inventory = GovernanceInventory(
        spread_sites(3, 10.0),
        information_systems=10,
        current_model=GovernanceModel.DECENTRALISED,
        current_support_fte=12.0,
    )
    result = assess_alternative(GovernanceModel.CENTRALISED, inventory, GovernanceParameters())
    assert result.support_fte < 12
    assert any("severance" in line for line in result.calculation)
    assert result.one_off_cost_eur > GovernanceParameters().reorganisation_cost_eur


def test_it_states_a_source_or_assumption_for_every_parameter() -> None:
    """GIVEN the default parameters WHEN their basis is listed THEN each is a source or an assumption."""
    basis = parameter_basis()
    assert basis
    for name, text in basis.items():
        assert text.startswith(("source:", "assumption:")), name


def test_it_rejects_an_unknown_hub() -> None:
    """GIVEN a hub name that is not a site WHEN assessed THEN the message names it."""
    with pytest.raises(ValueError, match="'Nowhere'"):
        recommend_governance(GovernanceInventory(spread_sites(1, 5.0), hub_site="Nowhere"))
