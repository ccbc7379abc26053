"""Typed inputs and outputs of the consolidation engine: frozen dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from ictmerge.engine.explain import Explanation, define


class SecurityClass(IntEnum):
    """Security class of a workload, and the highest class a room's condition meets."""

    BASIC = 1
    ELEVATED = 2
    HIGH = 3


class RuleKind(StrEnum):
    """What a placement rule forbids."""

    SEPARATE_HOSTS = "separate_hosts"
    SEPARATE_ROOMS = "separate_rooms"  # also separate hosts; rooms at least the resilience distance apart


class RoomKind(StrEnum):
    """Who runs a room."""

    OWN = "own"
    OUTSOURCED = "outsourced"
    COLOCATION = "colocation"
    CLOUD = "cloud"


@dataclass(frozen=True)
class VirtualMachine:
    """A virtual machine running on an existing server."""

    id: str
    vcpus: float
    ram_gb: float
    storage_gb: float
    cpu_utilisation: tuple[float, ...] = ()  # measured samples, fractions 0..1 of its vCPUs
    security_class: SecurityClass | None = None  # None: the server's class
    must_stay_on_premises: bool = False  # also when its server must


@dataclass(frozen=True)
class ExistingServer:
    """A physical server of a former municipality, as inventoried."""

    id: str
    room_id: str
    cores: int
    ram_gb: float
    storage_gb: float
    age_years: float
    power_kw: float | None = None  # average draw; None: Params.default_server_power_kw
    rack_units: int = 2
    cpu_utilisation: tuple[float, ...] = ()  # measured samples, fractions 0..1
    ram_utilisation: tuple[float, ...] = ()
    vms: tuple[VirtualMachine, ...] = ()
    security_class: SecurityClass = SecurityClass.BASIC
    must_stay_on_premises: bool = False
    pinned_room_id: str | None = None


@dataclass(frozen=True)
class Workload:
    """Something to place on a host: a VM, or a whole server without known VMs."""

    id: str
    source_server_id: str
    cpu_cores: float
    ram_gb: float
    storage_gb: float
    security_class: SecurityClass = SecurityClass.BASIC
    must_stay_on_premises: bool = False
    pinned_room_id: str | None = None
    demand_basis: str = ""  # how the demand was derived, in words


@dataclass(frozen=True)
class PlacementRule:
    """Workloads that must not share a host (and, for SEPARATE_ROOMS, a room)."""

    kind: RuleKind
    workload_ids: tuple[str, ...]
    reason: str = ""
    #: The reason as a code with parameters (shown in the reader's language).
    explained: Explanation | None = None


#: Why workloads are kept apart: their predecessor's anti-affinity group.
ANTI_AFFINITY = define("consolidation.rule.anti_affinity",
                       "anti-affinity group '%(group)s' of %(owner)s")
ANTI_AFFINITY_HIGH = define(
    "consolidation.rule.anti_affinity_high",
    "anti-affinity group '%(group)s' of %(owner)s (high availability: rooms far apart)")


@dataclass(frozen=True)
class HostModel:
    """A target host model from the catalogue."""

    name: str
    cores: int
    ram_gb: float
    storage_gb: float
    power_kw: float
    rack_units: int
    price_eur: float
    maintenance_eur_per_year: float
    licence_eur_per_core_per_year: float
    source: str = ""


@dataclass(frozen=True)
class Room:
    """An existing server room of a former municipality."""

    id: str
    name: str
    kind: RoomKind
    latitude: float
    longitude: float
    racks: int
    power_kw: float
    condition: SecurityClass
    annual_cost_eur: float
    retained_equipment_u: int = 0  # network, storage and other gear that stays with the room's contents
    retained_equipment_kw: float = 0.0


@dataclass(frozen=True)
class ExternalRoomOption:
    """A hosting service the municipality could buy: state data centre, commercial cloud.

    Workloads placed there are rented per resource and month; no host is bought there, and
    the provider's building is not one of the municipality's server rooms.
    """

    id: str
    name: str
    kind: RoomKind
    latitude: float
    longitude: float
    condition: SecurityClass
    eur_per_vcpu_month: float
    eur_per_gb_ram_month: float
    eur_per_tb_storage_month: float
    annual_fixed_eur: float = 0.0  # service agreement, support, connectivity
    onboarding_eur: float = 0.0
    source: str = ""

    def annual_fee_eur(self, vcpus: float, ram_gb: float, storage_tb: float) -> float:
        """What renting these resources costs a year."""
        return 12 * (vcpus * self.eur_per_vcpu_month + ram_gb * self.eur_per_gb_ram_month
                     + storage_tb * self.eur_per_tb_storage_month)


class ServiceLevel(StrEnum):
    """Which rules the plan meets: today's service level, or the chosen policy."""

    TODAY = "today"  # no failover host, second room or room class the predecessors lack today
    POLICY = "policy"  # N+1, resilience separation, security-class rooms


@dataclass(frozen=True)
class Reason:
    """Why own servers or rooms go up: a stable code and its parameters (rendered by the caller)."""

    code: str
    params: tuple[tuple[str, float | int | str], ...] = ()

    def as_dict(self) -> dict[str, object]:
        """{"code": ..., "params": {...}} for JSON."""
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class ServiceUse:
    """Workloads rented from one hosting service: their resources and what they cost."""

    option_id: str
    name: str
    kind: RoomKind
    workload_ids: tuple[str, ...]
    vcpus: int
    ram_gb: float
    storage_tb: float
    annual_eur: float  # the resources plus the service's fixed fee
    onboarding_eur: float
    reason: str
    #: The reason as codes with parameters (joined, they read as `reason`).
    explained: tuple[Explanation, ...] = ()


@dataclass(frozen=True)
class Params:
    """Scenario parameters; every default is a stated assumption that a user may change."""

    cpu_headroom: float = 0.70
    ram_headroom: float = 0.80
    storage_headroom: float = 0.80
    failover_hosts: int = 1  # N+1 per county cluster
    demand_percentile: float = 95.0
    default_cpu_utilisation: float = 0.25
    default_ram_utilisation: float = 0.60
    default_storage_utilisation: float = 0.60
    host_model: str | None = None  # None: the catalogue model with the lowest cost over the horizon
    reuse_max_age_years: float = 3.0
    reuse_min_cores: int = 16
    reuse_min_ram_gb: float = 128.0
    allowed_external: tuple[str, ...] | None = None  # None: every catalogue option
    horizon_years: int = 5
    electricity_eur_per_kwh: float = 0.20
    pue: float = 1.6  # power usage effectiveness of a small server room
    default_server_power_kw: float = 0.35
    existing_maintenance_eur_per_server_per_year: float = 600.0
    existing_licence_eur_per_core_per_year: float = 60.0
    move_cost_per_host_eur: float = 400.0
    move_cost_per_u_eur: float = 150.0
    migration_cost_per_workload_eur: float = 300.0
    resilience_distance_km: float = 30.0
    rack_units_per_rack: int = 42
    time_limit_s: float = 2.0
    num_workers: int = 2
    seed: int = 0
    cp_sat_max_items: int = 150  # above this the heuristic alone decides; CP-SAT cannot help in time


#: The money parameters of a consolidation scenario, with the source or stated assumption of
#: each default (the cost model's register lists them; a scenario may set its own values).
PARAMS_BASIS: dict[str, str] = {
    "electricity_eur_per_kwh": (
        "assumption: 0.20 EUR/kWh for a municipal building (a non-household consumer), near the "
        "EU average non-household price of 0.1899 EUR/kWh in 2024 S2 (Eurostat, as reported by "
        "cccv.info, https://cccv.info/economy/electricity-prices-in-the-eu-which-countries-have-"
        "increased-and-which-have-decreased; EU range 0.089–0.276 EUR/kWh in 2023 S2, Eurostat "
        "Statistics Explained); the Latvian non-household price (Eurostat nrg_pc_205) was not "
        "retrieved; each scenario may set its own"),
    "pue": "assumption: power usage effectiveness 1.6 of a small server room (cooling, UPS losses)",
    "default_server_power_kw": "assumption: 350 W average draw of a server without a recorded figure",
    "existing_maintenance_eur_per_server_per_year": (
        "assumption: 600 EUR a year of support and spare parts for an existing server"),
    "existing_licence_eur_per_core_per_year": (
        "assumption: a 16-core Windows Server Datacenter licence (about 6,000 EUR) spread over 6 "
        "years, about 60 EUR per core a year"),
    "move_cost_per_host_eur": "assumption: transport, re-racking and re-cabling of a host, half a supplier day",
    "move_cost_per_u_eur": "assumption: 150 EUR per rack unit moved",
    "migration_cost_per_workload_eur": "assumption: 300 EUR to migrate one virtual machine",
    "horizon_years": "assumption: the plans compare costs over 5 years (a server's usual life)",
}


@dataclass(frozen=True)
class CountyInputs:
    """Everything the engine needs to plan one new municipality."""

    code: str
    name: str
    servers: tuple[ExistingServer, ...]
    rooms: tuple[Room, ...]
    host_models: tuple[HostModel, ...]
    external_options: tuple[ExternalRoomOption, ...] = ()
    rules: tuple[PlacementRule, ...] = ()
    params: Params = field(default_factory=Params)
    unchanged: bool = False  # the reform leaves the municipality as it is: it keeps its estate


@dataclass(frozen=True)
class PlannedHost:
    """One host of the plan, with its load and its room."""

    id: str
    model: str
    reused_server_id: str | None
    is_failover: bool
    room_id: str
    workload_ids: tuple[str, ...]
    cpu_cores_used: float
    ram_gb_used: float
    storage_gb_used: float
    cpu_cores: float
    ram_gb: float
    storage_gb: float
    rack_units: int
    power_kw: float
    security_class: SecurityClass

    @property
    def cpu_utilisation(self) -> float:
        """Share of the host's cores in use."""
        return self.cpu_cores_used / self.cpu_cores

    @property
    def ram_utilisation(self) -> float:
        """Share of the host's RAM in use."""
        return self.ram_gb_used / self.ram_gb

    @property
    def storage_utilisation(self) -> float:
        """Share of the host's storage in use."""
        return self.storage_gb_used / self.storage_gb if self.storage_gb else 0.0


@dataclass(frozen=True)
class RoomDecision:
    """A candidate room, kept or closed, and why."""

    room_id: str
    name: str
    kind: RoomKind
    is_external: bool
    kept: bool
    reason: str
    hosts: int
    rack_units_used: int
    power_kw_used: float
    annual_cost_eur: float
    #: The reason as codes with parameters (joined, they read as `reason`).
    explained: tuple[Explanation, ...] = ()


@dataclass(frozen=True)
class MoneySummary:
    """One-off and annual cost before and after, in EUR."""

    annual_before_eur: float
    annual_after_eur: float
    one_off_eur: float
    annual_saving_eur: float
    payback_years: float | None  # None: the plan saves nothing a year
    annual_before_lines: dict[str, float]
    annual_after_lines: dict[str, float]
    one_off_lines: dict[str, float]


@dataclass(frozen=True)
class CountyPlan:
    """The consolidation plan of one new municipality, with its bound and its reasons."""

    code: str
    name: str
    host_model: str
    workloads: tuple[Workload, ...]
    hosts: tuple[PlannedHost, ...]
    assignment: dict[str, str]  # workload id -> host id
    servers_before: int
    servers_after: int
    ffd_hosts: int  # first-fit-decreasing with the same model and failover, for comparison
    lower_bound: int  # no plan can use fewer hosts
    gap_hosts: int
    proven_optimal: bool
    packing_method: str
    solver_time_s: float
    rooms_before: int
    rooms_after: int
    rooms: tuple[RoomDecision, ...]
    room_cost_eur: float  # objective of the room plan over the horizon
    room_lower_bound_eur: float
    room_gap: float
    room_proven_optimal: bool
    money: MoneySummary
    service_level: ServiceLevel = ServiceLevel.POLICY
    external_services: tuple[ServiceUse, ...] = ()
    reasons: tuple[Reason, ...] = ()  # empty unless own servers or rooms go up
    kept_estate: bool = False  # today's servers and rooms kept as they are
    fell_back: bool = False  # kept because no room plan was found in time, not because it is best

    @property
    def own_rooms_before(self) -> int:
        """The predecessors' server rooms (own or outsourced buildings holding their hardware)."""
        return self.rooms_before

    @property
    def own_rooms_after(self) -> int:
        """Server rooms kept; hosting services are not rooms of the municipality."""
        return self.rooms_after


@dataclass(frozen=True)
class LevelPlans:
    """The consolidation at today's service level and the plan that meets the chosen policy."""

    today: CountyPlan
    policy: CountyPlan

    @property
    def uplift_annual_eur(self) -> float:
        """What meeting the policy adds to the annual cost (negative: it saves)."""
        return round(self.policy.money.annual_after_eur - self.today.money.annual_after_eur, 2)

    @property
    def uplift_one_off_eur(self) -> float:
        """What meeting the policy adds to the one-off cost."""
        return round(self.policy.money.one_off_eur - self.today.money.one_off_eur, 2)

    def of(self, level: ServiceLevel) -> CountyPlan:
        """The plan of one level."""
        return self.policy if level == ServiceLevel.POLICY else self.today
