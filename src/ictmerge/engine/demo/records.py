"""What the demo generator reads and writes: inputs, generated records, the values they use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Values as the inventory's choices spell them (checked by the inventory's tests).
COMPUTER_KINDS = ("desktop", "laptop", "thin_client")
LEVELS = ("low", "medium", "high")
GOVERNANCE_MODELS = ("centralised", "semi_centralised", "decentralised", "shared_service",
                     "outsourced")
SHARE_THRESHOLD = 0.0075  # the audit's "at most 0.75 % of total expenditure"


@dataclass(frozen=True)
class MunicipalityInput:
    """A former municipality as the generator sees it."""

    code: str
    name: str
    population: int
    successor_code: str
    is_city: bool = False
    surveyed: bool = True
    reports_spend: bool = True
    #: Known total expenditure (EUR a year); None: generated per capita.
    total_expenditure_eur: int | None = None


@dataclass(frozen=True)
class FunctionInput:
    """A business function: its code, mandatory national system, default C/I/A levels."""

    code: str
    national_system: str | None = None
    default_cia: tuple[str, str, str] = ("medium", "medium", "medium")
    national_registers: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoTargets:
    """The published totals the demo reproduces, over the surveyed municipalities."""

    computers: int
    servers: int
    server_rooms: int
    ict_spend_eur: int
    #: Total expenditure of every municipality in the input (surveyed or not).
    total_expenditure_eur: int
    year: int
    reform_date: dt.date
    #: Share of the reporting municipalities that must be at or below SHARE_THRESHOLD.
    min_share_at_or_below: float = 0.6


@dataclass(frozen=True)
class DemoInput:
    """Everything the generator needs."""

    municipalities: tuple[MunicipalityInput, ...]
    functions: tuple[FunctionInput, ...]
    targets: DemoTargets
    seed: int
    scale: int = 1


@dataclass(frozen=True, slots=True)
class DemoSite:
    """A generated site."""

    key: int
    name: str
    address: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class DemoRoom:
    """A generated server room."""

    key: int
    site_key: int | None
    name: str
    operation: str
    racks: int
    power_kw: float
    has_cooling: bool
    has_ups: bool
    has_generator: bool
    has_fire_suppression: bool
    has_access_control: bool
    has_monitoring: bool
    annual_cost_eur: int
    latitude: float
    longitude: float
    contract_key: int | None


@dataclass(frozen=True, slots=True)
class DemoDevice:
    """A generated device (computer, physical server, network device or printer)."""

    key: int
    kind: str
    site_key: int | None
    room_key: int | None
    name: str
    asset_tag: str
    serial: str
    manufacturer: str
    model: str
    os: str
    purchase_date: dt.date
    purchase_cost_eur: int
    warranty_until: dt.date
    cores: int | None
    ram_gb: int | None
    storage_gb: int | None
    cpu_utilisation_pct: float | None
    ram_utilisation_pct: float | None


@dataclass(frozen=True, slots=True)
class DemoWorkload:
    """A generated workload on a physical server."""

    server_key: int
    name: str
    kind: str
    cpu_cores: float
    ram_gb: float
    storage_gb: int
    cpu_p95_pct: float | None
    system_key: int | None
    anti_affinity_group: str
    pinned_on_premises: bool
    availability_class: str


@dataclass(frozen=True, slots=True)
class DemoInstallation:
    """Installed copies of one title variant, counted over a municipality's computers."""

    raw_name: str
    raw_publisher: str
    raw_version: str
    count: int


@dataclass(frozen=True, slots=True)
class DemoProduct:
    """A normalised software product that licences refer to."""

    vendor: str
    name: str
    edition: str
    major_version: str
    category: str


@dataclass(frozen=True, slots=True)
class DemoLicence:
    """A generated licence."""

    product: DemoProduct
    product_name: str
    metric: str
    quantity: int
    expires: dt.date | None
    transferable: bool
    proof_reference: str
    contract_key: int | None
    licence_type: str = ""


@dataclass(frozen=True, slots=True)
class DemoContract:
    """A generated contract."""

    key: int
    supplier: str
    title: str
    kind: str
    annual_value_eur: int
    start_date: dt.date
    end_date: dt.date | None
    notice_days: int
    assignable: bool


@dataclass(frozen=True, slots=True)
class DemoSystem:
    """A generated information system."""

    key: int
    name: str
    function_code: str
    vendor: str
    product: str
    hosting: str
    users: int
    records: int
    integrations: str
    annual_cost_eur: int
    lifecycle: str
    confidentiality: str
    integrity: str
    availability: str
    security_class: str


@dataclass(frozen=True, slots=True)
class DemoFinance:
    """ICT finance of one municipality in one year; spend None when it was not reported."""

    year: int
    total_expenditure_eur: int
    ict_spend_eur: int | None
    spend_hardware_eur: int | None
    spend_software_eur: int | None
    spend_services_eur: int | None
    spend_communications_eur: int | None
    spend_staff_eur: int | None
    ict_staff_fte: float
    governance_model: str

    @property
    def ict_share(self) -> float | None:
        """ICT spend as a fraction of total expenditure."""
        if self.ict_spend_eur is None or self.total_expenditure_eur == 0:
            return None
        return self.ict_spend_eur / self.total_expenditure_eur


@dataclass(frozen=True)
class MunicipalityInventory:
    """Everything generated for one surveyed municipality."""

    code: str
    finance: DemoFinance
    sites: tuple[DemoSite, ...] = ()
    rooms: tuple[DemoRoom, ...] = ()
    devices: tuple[DemoDevice, ...] = ()
    workloads: tuple[DemoWorkload, ...] = ()
    installations: tuple[DemoInstallation, ...] = ()
    contracts: tuple[DemoContract, ...] = ()
    licences: tuple[DemoLicence, ...] = ()
    systems: tuple[DemoSystem, ...] = ()

    @property
    def computers(self) -> int:
        """Number of computers (desktops, laptops, thin clients)."""
        return sum(1 for d in self.devices if d.kind in COMPUTER_KINDS)

    @property
    def servers(self) -> int:
        """Number of physical servers."""
        return sum(1 for d in self.devices if d.kind == "server")


@dataclass(frozen=True)
class DemoInventory:
    """The generated inventory of every surveyed municipality."""

    municipalities: tuple[MunicipalityInventory, ...]
    suppliers: tuple[str, ...]
    products: tuple[DemoProduct, ...]
    seed: int
    scale: int
    totals: dict[str, int] = field(default_factory=dict)
