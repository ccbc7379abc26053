"""ICT governance and support alternatives for a new municipality, compared by calculation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from ictmerge.engine.planning.reference import annual_cost_per_fte, reference


class GovernanceModel(StrEnum):
    """How ICT support is organised."""

    CENTRALISED = "centralised"
    SEMI_CENTRALISED = "semi_centralised"
    DECENTRALISED = "decentralised"
    SHARED_SERVICE = "shared_service"
    OUTSOURCED = "outsourced"


class RiskLevel(StrEnum):
    """Response-time risk band."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class Site:
    """A place with users and equipment to support (coordinates in decimal degrees)."""

    name: str
    latitude: float
    longitude: float
    users: int
    devices: int
    servers: int = 0


@dataclass(frozen=True)
class GovernanceInventory:
    """What the new municipality has to support, and how it is supported today."""

    sites: Sequence[Site]
    information_systems: int = 0
    current_model: GovernanceModel | None = None
    current_support_fte: float = 0.0
    # Where a central team sits; default: the site with the most users.
    hub_site: str | None = None


def _basis(text: str) -> dict[str, Any]:
    """Field metadata carrying a default's source or stated assumption."""
    return {"basis": text}


@dataclass(frozen=True)
class GovernanceParameters:
    """Editable parameters; every default states its source or is marked as an assumption."""

    users_per_support_fte: float = field(
        default=100.0,
        metadata=_basis(
            "assumption: one end-user support FTE per 100 users, inside the 1:70–1:150 range "
            "commonly quoted for service desks; replace with the municipality's own ratio"
        ),
    )
    devices_per_support_fte: float = field(
        default=150.0,
        metadata=_basis(
            "assumption: one end-user support FTE per 150 computers; devices outnumber users "
            "where schools and libraries share machines"
        ),
    )
    servers_per_admin_fte: float = field(
        default=30.0,
        metadata=_basis(
            "assumption: one system administrator per 30 physical servers, mostly virtualised"
        ),
    )
    systems_per_admin_fte: float = field(
        default=15.0,
        metadata=_basis("assumption: one application administrator per 15 information systems"),
    )
    productive_hours_per_fte: float = field(
        default=1600.0,
        metadata=_basis(
            "assumption: 40 h × 52 weeks less 4 weeks' annual leave (Darba likums s.149), "
            "public holidays and training ≈ 1,600 productive hours a year"
        ),
    )
    fte_granularity: float = field(
        default=0.5, metadata=_basis("assumption: local posts are filled in half-time steps")
    )
    minimum_local_fte: float = field(
        default=0.5,
        metadata=_basis(
            "assumption: a site with its own support needs at least a half-time person"
        ),
    )
    local_support_user_threshold: int = field(
        default=60,
        metadata=_basis(
            "assumption: in the semi-centralised model a site keeps local support from 60 users"
        ),
    )
    decentralised_duplication: float = field(
        default=0.15,
        metadata=_basis(
            "assumption: each additional autonomous site repeats 15 % of the application "
            "administration (own settings, own updates, own contacts with vendors)"
        ),
    )
    monthly_gross_salary_eur: float = field(
        default=reference("ict_gross_wage_eur_month").value,
        metadata=_basis(reference("ict_gross_wage_eur_month").basis),
    )
    employer_contribution_rate: float = field(
        default=reference("employer_contribution_rate").value,
        metadata=_basis(reference("employer_contribution_rate").basis),
    )
    road_factor: float = field(
        default=1.3,
        metadata=_basis(
            "source: Ballou, Rahardja and Sakai (2002), road circuity factors of about "
            "1.2–1.4 over great-circle distance; 1.3 taken for rural roads"
        ),
    )
    average_speed_kmh: float = field(
        default=60.0, metadata=_basis("assumption: 60 km/h door to door on regional roads")
    )
    travel_cost_per_km_eur: float = field(
        default=0.30, metadata=_basis("assumption: 0.30 EUR/km running cost of a service car")
    )
    site_visit_rounds_per_year: int = field(
        default=48,
        metadata=_basis(
            "assumption: a technician tours the sites without local staff about once a week"
        ),
    )
    dispatch_hours: float = field(
        default=0.5,
        metadata=_basis("assumption: half an hour from call to departure for in-house staff"),
    )
    response_target_hours: float = field(
        default=2.0,
        metadata=_basis("assumption: on-site help within two hours (the same half working day)"),
    )
    outsourcing_sla_hours: float = field(
        default=4.0,
        metadata=_basis(
            "assumption: standard outsourcing contracts promise on-site response within 4 h"
        ),
    )
    outsourcing_price_per_device_month_eur: float = field(
        default=20.0,
        metadata=_basis(
            "assumption: 20 EUR per computer per month for managed end-user support; no "
            "Latvian price list was found, and the published US rates are higher (50–100 USD "
            "per workstation a month, micro-it.net 'Managed IT pricing models', 2026, "
            "https://micro-it.net/resources/article-pricing-models): confirm with a local quote"
        ),
    )
    outsourcing_price_per_server_month_eur: float = field(
        default=80.0,
        metadata=_basis(
            "assumption: 80 EUR per server per month for managed server administration; no "
            "Latvian price list was found (a published US example: 185 USD per server a month, "
            "technoirsolutions.com 'MSP pricing examples'): confirm with a local quote"
        ),
    )
    outsourcing_retained_fte: float = field(
        default=0.5,
        metadata=_basis("assumption: the municipality keeps a half-time contract and ICT manager"),
    )
    shared_service_pooling_saving: float = field(
        default=0.10,
        metadata=_basis(
            "assumption: pooling with a neighbour saves 10 % of support staff (shared "
            "service desk and on-call)"
        ),
    )
    shared_service_fee_rate: float = field(
        default=0.08,
        metadata=_basis("assumption: the neighbour adds 8 % for management and premises"),
    )
    shared_service_extra_km: float = field(
        default=40.0,
        metadata=_basis("assumption: the neighbour's service base is 40 km road from our hub"),
    )
    reorganisation_cost_eur: float = field(
        default=5000.0,
        metadata=_basis(
            "assumption: procedures, job descriptions and service catalogue for a new model"
        ),
    )
    service_desk_setup_eur: float = field(
        default=8000.0,
        metadata=_basis("assumption: a central service-desk tool and phone line set up once"),
    )
    procurement_cost_eur: float = field(
        default=12000.0,
        metadata=_basis(
            "assumption: preparing and running an open procurement (Publisko iepirkumu "
            "likums) for outsourced support"
        ),
    )
    outsourcing_transition_per_device_eur: float = field(
        default=15.0,
        metadata=_basis(
            "assumption: supplier's one-off take-on per computer (inventory, agent install)"
        ),
    )
    shared_service_agreement_eur: float = field(
        default=6000.0,
        metadata=_basis("assumption: drafting and approving an inter-municipal agreement"),
    )
    severance_months: float = field(
        default=2.0,
        metadata=_basis(
            "source: Darba likums s.112, severance of 1–4 months' average earnings by length "
            "of service; assumption: 2 months typical"
        ),
    )
    recruitment_cost_per_fte_eur: float = field(
        default=3000.0,
        metadata=_basis("assumption: advertising, selection and induction of one new ICT post"),
    )
    appraisal_years: int = field(
        default=5,
        metadata=_basis(
            "assumption: one-off costs spread over 5 years when alternatives are compared"
        ),
    )
    penalty_per_user_beyond_target_eur: float = field(
        default=50.0,
        metadata=_basis(
            "assumption: 2 incidents per user a year × 1 h extra wait × 25 EUR/h of lost work time"
        ),
    )
    penalty_per_single_point_of_failure_eur: float = field(
        default=5000.0,
        metadata=_basis(
            "assumption: expected yearly cost of absence or loss of one person or provider "
            "holding a function alone"
        ),
    )

    @property
    def annual_cost_per_fte_eur(self) -> float:
        """Salary with the employer's contribution, for one FTE for a year."""
        return annual_cost_per_fte(self.monthly_gross_salary_eur, self.employer_contribution_rate)


def parameter_basis(parameters: GovernanceParameters | None = None) -> dict[str, str]:
    """The source or assumption behind every parameter, by field name."""
    del parameters  # the basis belongs to the field, not to the value
    return {f.name: str(f.metadata["basis"]) for f in fields(GovernanceParameters)}


@dataclass(frozen=True)
class GovernanceAssessment:
    """One alternative, calculated."""

    model: GovernanceModel
    support_fte: float
    annual_cost_eur: float
    one_off_cost_eur: float
    travel_km_per_year: float
    travel_hours_per_year: float
    mean_response_hours: float
    worst_response_hours: float
    users_beyond_target: int
    response_risk: RiskLevel
    single_points_of_failure: tuple[str, ...]
    # Annual cost + one-off spread over the appraisal years + risk and SPOF penalties.
    comparison_cost_eur: float
    calculation: tuple[str, ...]
    # The annual cost's parts: staff, travel and external fees (they sum to annual_cost_eur).
    staff_cost_eur: float = 0.0
    travel_cost_eur: float = 0.0
    external_fees_eur: float = 0.0


@dataclass(frozen=True)
class GovernanceRecommendation:
    """All alternatives side by side, the recommended one, the runner-up and why."""

    recommended: GovernanceModel
    runner_up: GovernanceModel
    reasons: tuple[str, ...]
    alternatives: tuple[GovernanceAssessment, ...]
    parameters: GovernanceParameters


EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def haversine_km(a: Site, b: Site) -> float:
    """Great-circle distance between two sites."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def tour_km(hub: Site, stops: Sequence[Site]) -> tuple[tuple[str, ...], float]:
    """Closed great-circle tour from the hub through all stops: nearest neighbour, then 2-opt."""
    if not stops:
        return (), 0.0
    points = [hub, *stops]
    dist = [[haversine_km(a, b) for b in points] for a in points]
    order = [0]
    left = set(range(1, len(points)))
    while left:
        last = order[-1]
        nxt = min(left, key=lambda j: (dist[last][j], j))
        order.append(nxt)
        left.remove(nxt)
    order.append(0)
    improved = True
    while improved:
        improved = False
        for i in range(1, len(order) - 2):
            for k in range(i + 1, len(order) - 1):
                a, b, c, d = order[i - 1], order[i], order[k], order[k + 1]
                if dist[a][c] + dist[b][d] < dist[a][b] + dist[c][d] - 1e-9:
                    order[i : k + 1] = reversed(order[i : k + 1])
                    improved = True
    length = sum(dist[order[i]][order[i + 1]] for i in range(len(order) - 1))
    return tuple(points[i].name for i in order[1:-1]), length


def _round_up(value: float, step: float) -> float:
    """Round a staffing figure up to the posting granularity."""
    return math.ceil(value / step - 1e-9) * step if value > 0 else 0.0


def _hub(inventory: GovernanceInventory) -> Site:
    """The site where a central team sits."""
    if not inventory.sites:
        raise ValueError("governance: the inventory has no sites")
    if inventory.hub_site is not None:
        for site in inventory.sites:
            if site.name == inventory.hub_site:
                return site
        raise ValueError(f"governance: hub_site {inventory.hub_site!r} is not among the sites")
    return max(inventory.sites, key=lambda s: s.users)


def _end_user_fte(users: int, devices: int, p: GovernanceParameters) -> float:
    """End-user support workload: the heavier of the user and device ratios."""
    return max(users / p.users_per_support_fte, devices / p.devices_per_support_fte)


@dataclass
class _Staffing:
    """Intermediate figures of one alternative."""

    teams: dict[str, float]  # team name -> FTE
    travel_km: float = 0.0
    response_hours: dict[str, float] = field(default_factory=dict)  # site -> hours
    external_annual_eur: float = 0.0
    spof_extra: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _road_hours(a: Site, b: Site, p: GovernanceParameters) -> float:
    """One-way driving time between two sites."""
    return haversine_km(a, b) * p.road_factor / p.average_speed_kmh


def _touring(hub: Site, remote: Sequence[Site], p: GovernanceParameters, s: _Staffing) -> float:
    """Add the weekly tour over unstaffed remote sites; return the travel FTE it takes."""
    order, km = tour_km(hub, remote)
    road_km = km * p.road_factor * p.site_visit_rounds_per_year
    s.travel_km += road_km
    if order:
        s.notes.append(
            f"tour {hub.name} → {' → '.join(order)} → {hub.name}: {km * p.road_factor:.0f} km "
            f"by road × {p.site_visit_rounds_per_year} rounds"
        )
    return road_km / p.average_speed_kmh / p.productive_hours_per_fte


def _infra_fte(inventory: GovernanceInventory, p: GovernanceParameters) -> float:
    """Server and application administration workload."""
    servers = sum(site.servers for site in inventory.sites)
    return (
        servers / p.servers_per_admin_fte + inventory.information_systems / p.systems_per_admin_fte
    )


def _staff_centralised(inv: GovernanceInventory, p: GovernanceParameters) -> _Staffing:
    """One team at the hub, touring every other site."""
    hub = _hub(inv)
    s = _Staffing(teams={})
    users = sum(site.users for site in inv.sites)
    devices = sum(site.devices for site in inv.sites)
    remote = [site for site in inv.sites if site.name != hub.name]
    travel = _touring(hub, remote, p, s)
    s.teams[f"central team at {hub.name}"] = _round_up(
        _end_user_fte(users, devices, p) + _infra_fte(inv, p) + travel, p.fte_granularity
    )
    for site in inv.sites:
        s.response_hours[site.name] = p.dispatch_hours + _road_hours(hub, site, p)
    return s


def _staff_semi_centralised(inv: GovernanceInventory, p: GovernanceParameters) -> _Staffing:
    """A central core at the hub plus local support at the larger sites."""
    hub = _hub(inv)
    s = _Staffing(teams={})
    local = [
        site
        for site in inv.sites
        if site.name != hub.name and site.users >= p.local_support_user_threshold
    ]
    local_names = {site.name for site in local}
    covered = [site for site in inv.sites if site.name not in local_names]
    remote = [site for site in covered if site.name != hub.name]
    travel = _touring(hub, remote, p, s)
    core = (
        _end_user_fte(sum(x.users for x in covered), sum(x.devices for x in covered), p)
        + _infra_fte(inv, p)
        + travel
    )
    s.teams[f"central core at {hub.name}"] = _round_up(core, p.fte_granularity)
    for site in local:
        s.teams[f"local support at {site.name}"] = max(
            p.minimum_local_fte,
            _round_up(_end_user_fte(site.users, site.devices, p), p.fte_granularity),
        )
        s.response_hours[site.name] = p.dispatch_hours
    for site in covered:
        s.response_hours[site.name] = p.dispatch_hours + _road_hours(hub, site, p)
    return s


def _staff_decentralised(inv: GovernanceInventory, p: GovernanceParameters) -> _Staffing:
    """Every site runs its own ICT, repeating part of the application work."""
    s = _Staffing(teams={})
    n = len(inv.sites)
    systems = inv.information_systems / p.systems_per_admin_fte
    systems *= 1 + p.decentralised_duplication * (n - 1)
    for site in inv.sites:
        work = (
            _end_user_fte(site.users, site.devices, p)
            + site.servers / p.servers_per_admin_fte
            + systems / n
        )
        s.teams[f"own ICT at {site.name}"] = max(
            p.minimum_local_fte, _round_up(work, p.fte_granularity)
        )
        s.response_hours[site.name] = p.dispatch_hours
    s.notes.append(
        f"application work repeated: × {1 + p.decentralised_duplication * (n - 1):.2f} "
        f"over {n} sites"
    )
    return s


def _staff_shared_service(inv: GovernanceInventory, p: GovernanceParameters) -> _Staffing:
    """A neighbour's service centre supports us, pooled with its own staff."""
    s = _staff_centralised(inv, p)
    hub = _hub(inv)
    [(name, fte)] = s.teams.items()
    extra_km = 2 * p.shared_service_extra_km * p.site_visit_rounds_per_year
    s.travel_km += extra_km
    extra_fte = extra_km / p.average_speed_kmh / p.productive_hours_per_fte
    pooled = _round_up((fte + extra_fte) * (1 - p.shared_service_pooling_saving), p.fte_granularity)
    s.teams = {"neighbour's shared service centre": pooled}
    s.external_annual_eur = pooled * p.annual_cost_per_fte_eur * p.shared_service_fee_rate
    extra_hours = p.shared_service_extra_km / p.average_speed_kmh
    s.response_hours = {site: hours + extra_hours for site, hours in s.response_hours.items()}
    s.spof_extra.append("support depends on one inter-municipal agreement with the neighbour")
    s.notes.append(
        f"base {p.shared_service_extra_km:.0f} km from {hub.name} ({name} pooled, "
        f"−{p.shared_service_pooling_saving:.0%} staff, +{p.shared_service_fee_rate:.0%} fee)"
    )
    return s


def _staff_outsourced(inv: GovernanceInventory, p: GovernanceParameters) -> _Staffing:
    """A supplier does the support under an SLA; a small retained function manages it."""
    s = _Staffing(teams={"retained ICT manager": p.outsourcing_retained_fte})
    devices = sum(site.devices for site in inv.sites)
    servers = sum(site.servers for site in inv.sites)
    s.external_annual_eur = 12 * (
        devices * p.outsourcing_price_per_device_month_eur
        + servers * p.outsourcing_price_per_server_month_eur
    )
    s.response_hours = {site.name: p.outsourcing_sla_hours for site in inv.sites}
    s.spof_extra.append("one supplier holds all administration, access and knowledge")
    s.notes.append(
        f"supplier: {devices} computers × {p.outsourcing_price_per_device_month_eur:.0f} EUR + "
        f"{servers} servers × {p.outsourcing_price_per_server_month_eur:.0f} EUR per month"
    )
    return s


_STAFFING = {
    GovernanceModel.CENTRALISED: _staff_centralised,
    GovernanceModel.SEMI_CENTRALISED: _staff_semi_centralised,
    GovernanceModel.DECENTRALISED: _staff_decentralised,
    GovernanceModel.SHARED_SERVICE: _staff_shared_service,
    GovernanceModel.OUTSOURCED: _staff_outsourced,
}


def _one_off_cost(
    model: GovernanceModel, fte: float, inv: GovernanceInventory, p: GovernanceParameters
) -> tuple[float, list[str]]:
    """Cost of moving from the current model to this one."""
    lines: list[str] = []
    cost = 0.0
    if model != inv.current_model:
        cost += p.reorganisation_cost_eur
        lines.append(f"reorganisation {p.reorganisation_cost_eur:.0f} EUR")
    delta = fte - inv.current_support_fte
    if delta < 0:
        severance = -delta * p.severance_months * p.monthly_gross_salary_eur
        cost += severance
        lines.append(f"severance for {-delta:.1f} FTE: {severance:.0f} EUR")
    elif delta > 0:
        cost += delta * p.recruitment_cost_per_fte_eur
        lines.append(
            f"recruiting {delta:.1f} FTE: {delta * p.recruitment_cost_per_fte_eur:.0f} EUR"
        )
    central = {GovernanceModel.CENTRALISED, GovernanceModel.SEMI_CENTRALISED}
    if model in central and inv.current_model not in central:
        cost += p.service_desk_setup_eur
        lines.append(f"central service desk {p.service_desk_setup_eur:.0f} EUR")
    if model is GovernanceModel.OUTSOURCED and inv.current_model is not model:
        devices = sum(site.devices for site in inv.sites)
        take_on = devices * p.outsourcing_transition_per_device_eur
        cost += p.procurement_cost_eur + take_on
        lines.append(f"procurement {p.procurement_cost_eur:.0f} EUR, take-on {take_on:.0f} EUR")
    if model is GovernanceModel.SHARED_SERVICE and inv.current_model is not model:
        cost += p.shared_service_agreement_eur
        lines.append(f"inter-municipal agreement {p.shared_service_agreement_eur:.0f} EUR")
    return cost, lines


def _risk_level(share_beyond: float) -> RiskLevel:
    """Band the share of users who wait longer than the target."""
    if share_beyond < 0.10:
        return RiskLevel.LOW
    if share_beyond < 0.40:
        return RiskLevel.MEDIUM
    return RiskLevel.HIGH


def assess_alternative(
    model: GovernanceModel, inventory: GovernanceInventory, parameters: GovernanceParameters
) -> GovernanceAssessment:
    """Calculate staff, costs, response risk and single points of failure of one model."""
    p = parameters
    s = _STAFFING[model](inventory, p)
    fte = sum(s.teams.values())
    travel_cost = s.travel_km * p.travel_cost_per_km_eur
    annual = fte * p.annual_cost_per_fte_eur + travel_cost + s.external_annual_eur
    one_off, one_off_lines = _one_off_cost(model, fte, inventory, p)
    users = {site.name: site.users for site in inventory.sites}
    total_users = sum(users.values())
    beyond = sum(users[n] for n, h in s.response_hours.items() if h > p.response_target_hours)
    mean_response = (
        sum(users[n] * h for n, h in s.response_hours.items()) / total_users if total_users else 0.0
    )
    spofs = [f"{team}: {size:.1f} FTE, one person" for team, size in s.teams.items() if size < 2]
    spofs += s.spof_extra
    comparison = (
        annual
        + one_off / p.appraisal_years
        + beyond * p.penalty_per_user_beyond_target_eur
        + len(spofs) * p.penalty_per_single_point_of_failure_eur
    )
    calculation = (
        *(f"{team}: {size:.1f} FTE" for team, size in s.teams.items()),
        f"staff {fte:.1f} FTE × {p.annual_cost_per_fte_eur:.0f} EUR = {fte * p.annual_cost_per_fte_eur:.0f} EUR/yr",
        f"travel {s.travel_km:.0f} km × {p.travel_cost_per_km_eur:.2f} EUR = {travel_cost:.0f} EUR/yr",
        *([f"external fees {s.external_annual_eur:.0f} EUR/yr"] if s.external_annual_eur else []),
        *s.notes,
        *one_off_lines,
        f"{beyond} of {total_users} users wait longer than {p.response_target_hours:g} h",
    )
    return GovernanceAssessment(
        model=model,
        support_fte=fte,
        annual_cost_eur=round(annual, 2),
        one_off_cost_eur=round(one_off, 2),
        travel_km_per_year=round(s.travel_km, 1),
        travel_hours_per_year=round(s.travel_km / p.average_speed_kmh, 1),
        mean_response_hours=round(mean_response, 2),
        worst_response_hours=round(max(s.response_hours.values(), default=0.0), 2),
        users_beyond_target=beyond,
        response_risk=_risk_level(beyond / total_users if total_users else 0.0),
        single_points_of_failure=tuple(spofs),
        comparison_cost_eur=round(comparison, 2),
        calculation=calculation,
        staff_cost_eur=round(fte * p.annual_cost_per_fte_eur, 2),
        travel_cost_eur=round(travel_cost, 2),
        external_fees_eur=round(s.external_annual_eur, 2),
    )


def recommend_governance(
    inventory: GovernanceInventory, parameters: GovernanceParameters | None = None
) -> GovernanceRecommendation:
    """Assess all five models and recommend the one with the lowest comparison cost."""
    p = parameters or GovernanceParameters()
    alternatives = tuple(assess_alternative(m, inventory, p) for m in GovernanceModel)
    # Ties go to the enum order, so the answer is stable.
    ranked = sorted(alternatives, key=lambda a: a.comparison_cost_eur)
    best, second = ranked[0], ranked[1]
    reasons = [
        f"{best.model.value}: lowest comparison cost {best.comparison_cost_eur:,.0f} EUR/yr "
        f"(annual cost + one-off over {p.appraisal_years} years + response and "
        f"single-point-of-failure penalties), {second.comparison_cost_eur - best.comparison_cost_eur:,.0f} "
        f"EUR/yr below the runner-up {second.model.value}",
        f"{best.model.value}: {best.support_fte:.1f} support FTE, annual cost "
        f"{best.annual_cost_eur:,.0f} EUR, one-off {best.one_off_cost_eur:,.0f} EUR",
        f"response risk {best.response_risk.value}: {best.users_beyond_target} users beyond "
        f"{p.response_target_hours:g} h, worst {best.worst_response_hours:.1f} h",
        f"{len(best.single_points_of_failure)} single points of failure"
        + (
            f": {'; '.join(best.single_points_of_failure)}" if best.single_points_of_failure else ""
        ),
    ]
    if second.annual_cost_eur < best.annual_cost_eur:
        reasons.append(
            f"{second.model.value} is cheaper to run ({second.annual_cost_eur:,.0f} EUR/yr) but "
            f"loses on change cost, response or resilience"
        )
    return GovernanceRecommendation(
        recommended=best.model,
        runner_up=second.model,
        reasons=tuple(reasons),
        alternatives=alternatives,
        parameters=p,
    )
