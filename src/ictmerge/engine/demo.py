"""Demo inventory generator: a plausible ICT inventory for a reform, from published totals.

Pure Python and deterministic: the same `DemoInput` (seed included) gives the same
`DemoInventory`. Totals (computers, physical servers, server rooms, ICT spend) are
apportioned with the largest-remainder method, so they are exact for every seed; the
seed only changes how they are spread over the municipalities. Every value is generated,
coordinates included (no map data is shipped).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

# Values as the inventory's choices spell them (checked by the inventory's tests).
COMPUTER_KINDS = ("desktop", "laptop", "thin_client")
LEVELS = ("low", "medium", "high")
GOVERNANCE_MODELS = ("centralised", "semi_centralised", "decentralised", "shared_service",
                     "outsourced")
SHARE_THRESHOLD = 0.0075  # the audit's "at most 0.75 % of total expenditure"
# Latvia's extent, kept inside so generated points stay on land; the Gulf of Riga is avoided.
_LAT_RANGE = (56.05, 57.75)
_LON_RANGE = (21.3, 27.9)
_GULF = (57.0, 22.6, 24.4)  # north of this latitude and between these longitudes is sea


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


def apportion(total: int, weights: Sequence[float], maximum: Sequence[int] | None = None,
              minimum: int = 0) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), exactly.

    Each part gets at least `minimum` and at most its `maximum`; ties go to the earlier index.
    """
    count = len(weights)
    if count == 0:
        if total:
            raise ValueError("cannot apportion a non-zero total over nothing")
        return []
    caps = list(maximum) if maximum is not None else [total] * count
    if minimum * count > total or sum(caps) < total or any(c < minimum for c in caps):
        raise ValueError(f"cannot apportion {total} within the bounds given")
    parts = [minimum] * count
    left = total - minimum * count
    while left > 0:
        open_ = [i for i in range(count) if parts[i] < caps[i]]
        weight_sum = sum(max(weights[i], 0.0) for i in open_)
        if weight_sum <= 0:
            quotas = {i: left / len(open_) for i in open_}
        else:
            quotas = {i: left * max(weights[i], 0.0) / weight_sum for i in open_}
        given = 0
        for i in open_:
            add = min(math.floor(quotas[i]), caps[i] - parts[i])
            parts[i] += add
            given += add
        rest = left - given
        order = sorted((i for i in open_ if parts[i] < caps[i]),
                       key=lambda i: (-(quotas[i] - math.floor(quotas[i])), i))
        for i in order[:rest]:
            parts[i] += 1
            given += 1
        left -= given
    return parts


def _rng(seed: int, *key: object) -> random.Random:
    """An independent, reproducible random stream for one purpose."""
    return random.Random(":".join(str(k) for k in (seed, *key)))


def _noise(rng: random.Random, sigma: float) -> float:
    return math.exp(rng.gauss(0.0, sigma))


def _place(key: str) -> tuple[float, float]:
    """A deterministic point inside Latvia for a key (the same for every seed)."""
    rng = random.Random(f"place:{key}")
    while True:
        lat = rng.uniform(*_LAT_RANGE)
        lon = rng.uniform(*_LON_RANGE)
        if not (lat > _GULF[0] and _GULF[1] < lon < _GULF[2]):
            return lat, lon


def _near(rng: random.Random, centre: tuple[float, float], spread: float) -> tuple[float, float]:
    lat = min(max(centre[0] + rng.uniform(-spread, spread) * 0.6, 55.7), 58.0)
    lon = min(max(centre[1] + rng.uniform(-spread, spread), 21.0), 28.2)
    return round(lat, 6), round(lon, 6)


def generate(spec: DemoInput) -> DemoInventory:
    """Generate the demo inventory of every surveyed municipality of the input."""
    if spec.scale < 1:
        raise ValueError("scale must be at least 1")
    targets = spec.targets
    surveyed = [m for m in spec.municipalities if m.surveyed]
    rng = _rng(spec.seed, "totals")
    sizes = [max(m.population, 1) for m in surveyed]
    city = [1.0 + 0.3 * m.is_city for m in surveyed]

    computers = apportion(
        targets.computers,
        [s ** 0.93 * c * _noise(rng, 0.18) for s, c in zip(sizes, city, strict=True)])
    servers = apportion(
        targets.servers,
        [s ** 0.9 * c * c * _noise(rng, 0.35) for s, c in zip(sizes, city, strict=True)],
        minimum=1)
    rooms = apportion(
        targets.server_rooms,
        [s ** 0.8 * c * c * _noise(rng, 0.3) for s, c in zip(sizes, city, strict=True)],
        maximum=[min(n, 8) for n in servers])
    expenditure = _total_expenditure(spec, rng)
    spend = _ict_spend(spec, surveyed, expenditure, rng)

    inventories = []
    for index, municipality in enumerate(surveyed):
        inventories.append(_municipality(
            spec, municipality, computers[index], servers[index], rooms[index],
            expenditure[municipality.code], spend.get(municipality.code)))
    totals = {
        "municipalities_surveyed": len(inventories),
        "computers": targets.computers * spec.scale,
        "servers": targets.servers * spec.scale,
        "server_rooms": targets.server_rooms * spec.scale,
        "ict_spend_eur": targets.ict_spend_eur,
    }
    return DemoInventory(
        municipalities=tuple(inventories),
        suppliers=tuple(sorted({c.supplier for m in inventories for c in m.contracts})),
        products=tuple(sorted({lic.product for m in inventories for lic in m.licences},
                              key=lambda p: (p.vendor, p.name, p.edition, p.major_version))),
        seed=spec.seed, scale=spec.scale, totals=totals,
    )


def _total_expenditure(spec: DemoInput, rng: random.Random) -> dict[str, int]:
    """Total expenditure per municipality: known values kept, the rest per capita."""
    unknown = [m for m in spec.municipalities if m.total_expenditure_eur is None]
    known_sum = sum(m.total_expenditure_eur or 0 for m in spec.municipalities)
    # Small municipalities spend more per resident (fixed costs); cities a little more again.
    weights = [
        max(m.population, 1) * (1.0 + 1.2 / math.sqrt(max(m.population, 1) / 1000.0))
        * (1.1 if m.is_city else 1.0) * _noise(rng, 0.1)
        for m in unknown
    ]
    parts = apportion(max(spec.targets.total_expenditure_eur - known_sum, 0), weights)
    result = {m.code: part for m, part in zip(unknown, parts, strict=True)}
    result.update({m.code: m.total_expenditure_eur for m in spec.municipalities
                   if m.total_expenditure_eur is not None})
    return result


def _ict_spend(spec: DemoInput, surveyed: Sequence[MunicipalityInput],
               expenditure: dict[str, int], rng: random.Random) -> dict[str, int]:
    """ICT spend of the reporting municipalities: exact total, most at or below 0.75 %."""
    reporting = [m for m in surveyed if m.reports_spend]
    if not reporting:
        return {}
    # A skewed share: larger municipalities spend a larger share on ICT, a few are outliers.
    raw = [
        expenditure[m.code] * math.pow(max(m.population, 1) / 10000.0, 0.15)
        * (1.25 if m.is_city else 1.0) * min(max(_noise(rng, 0.45), 0.45), 2.2)
        for m in reporting
    ]
    scale = spec.targets.ict_spend_eur / sum(raw)
    amounts = [r * scale for r in raw]
    needed = math.floor(len(reporting) * spec.targets.min_share_at_or_below) + 1

    def share(i: int) -> float:
        return amounts[i] / expenditure[reporting[i].code]

    # If too few are at or below the line, bring the nearest ones just below it and spread
    # the difference over the others above it (the sum stays exact).
    while sum(1 for i in range(len(reporting)) if share(i) <= SHARE_THRESHOLD * 0.995) < needed:
        above = sorted((i for i in range(len(reporting)) if share(i) > SHARE_THRESHOLD * 0.995),
                       key=share)
        nearest, others = above[0], above[1:]
        if not others:
            break
        lowered = expenditure[reporting[nearest].code] * SHARE_THRESHOLD * rng.uniform(0.9, 0.99)
        others_sum = sum(amounts[i] for i in others)
        for i in others:
            amounts[i] += (amounts[nearest] - lowered) * amounts[i] / others_sum
        amounts[nearest] = lowered
    parts = apportion(spec.targets.ict_spend_eur, amounts)
    return {m.code: part for m, part in zip(reporting, parts, strict=True)}


# --- per-municipality content -------------------------------------------------------------

_SITE_NAMES = ("Administrācijas ēka", "Pagasta pārvalde", "Vidusskola", "Pamatskola",
               "Pirmsskolas izglītības iestāde", "Bibliotēka", "Sociālais dienests",
               "Kultūras nams", "Būvvalde", "Komunālā saimniecība", "Mūzikas skola",
               "Sporta centrs")
_STREETS = ("Rīgas iela", "Brīvības iela", "Skolas iela", "Pils iela", "Dzirnavu iela",
            "Parka iela", "Raiņa iela", "Lāčplēša iela", "Daugavas iela", "Stacijas iela")
# (manufacturer, model, serial prefix, cost EUR, first year, last year)
_PC_MODELS = (
    ("HP", "ProDesk 400 G4", "CZC", 620, 2016, 2020), ("HP", "EliteDesk 800 G1", "CZC", 750, 2013, 2016),
    ("Dell", "OptiPlex 3050", "DL", 600, 2016, 2019), ("Dell", "OptiPlex 7010", "DL", 700, 2012, 2015),
    ("Lenovo", "ThinkCentre M720s", "MJ", 640, 2018, 2020), ("Fujitsu", "Esprimo P556", "YM", 580, 2015, 2018),
    ("RDE", "RDE Office PC", "RDE", 520, 2011, 2020),
)
_LAPTOP_MODELS = (
    ("HP", "ProBook 450 G5", "5CD", 780, 2017, 2020), ("Dell", "Latitude 5490", "DL", 900, 2017, 2020),
    ("Lenovo", "ThinkPad T470", "PF", 950, 2016, 2019), ("Lenovo", "IdeaPad 330", "PF", 520, 2018, 2020),
)
_THIN_MODELS = (("HP", "t520 Thin Client", "CZC", 300, 2015, 2020),
                ("IGEL", "UD3", "IG", 330, 2016, 2020))
_SERVER_MODELS = (
    ("HPE", "ProLiant DL380 Gen10", "CZJ", 7200, 2018, 2020, 24, 192),
    ("HPE", "ProLiant DL360 Gen9", "CZJ", 5200, 2015, 2018, 16, 128),
    ("HP", "ProLiant ML350 G6", "CZJ", 3800, 2009, 2012, 8, 32),
    ("Dell", "PowerEdge R740", "DLS", 7800, 2018, 2020, 28, 256),
    ("Dell", "PowerEdge T430", "DLS", 3400, 2015, 2018, 12, 64),
    ("Dell", "PowerEdge R720", "DLS", 5000, 2012, 2015, 16, 96),
    ("Fujitsu", "PRIMERGY RX2540 M4", "YLS", 6600, 2017, 2020, 20, 192),
    ("Lenovo", "ThinkSystem SR650", "J30", 6900, 2018, 2020, 24, 256),
)
_SERVER_OS = ("VMware ESXi 6.7", "VMware ESXi 6.5", "Microsoft Hyper-V Server 2016",
              "Windows Server 2016 Standard", "Windows Server 2012 R2 Standard",
              "Windows Server 2008 R2 Standard", "Ubuntu 18.04 LTS", "Proxmox VE 6")
_HYPERVISORS = ("VMware ESXi 6.7", "VMware ESXi 6.5", "Microsoft Hyper-V Server 2016",
                "Proxmox VE 6")
_NETWORK = (("Cisco", "Catalyst 2960-X"), ("HPE", "Aruba 2530"), ("MikroTik", "CCR1036"),
            ("Fortinet", "FortiGate 60E"), ("Ubiquiti", "UniFi AP AC Pro"))
_PRINTERS = (("HP", "LaserJet Pro M404"), ("Kyocera", "ECOSYS M2540dn"),
             ("Canon", "i-SENSYS MF443dw"), ("Ricoh", "MP 2014AD"))
# Workload templates: name, function it serves, cores, RAM GB, storage GB, availability.
_WORKLOADS = (
    ("dc01", None, 2, 4, 80, "high"), ("dc02", None, 2, 4, 80, "high"),
    ("fs01", "documents", 2, 8, 1500, "medium"), ("sql01", "finance", 4, 16, 400, "high"),
    ("gramatvediba", "finance", 4, 8, 200, "high"), ("lietvediba", "documents", 2, 8, 300, "medium"),
    ("nin", "property_tax", 2, 8, 150, "medium"), ("soc", "social_assistance", 2, 8, 150, "medium"),
    ("mail", "email_office", 4, 16, 800, "high"), ("web", "eservices_web", 2, 4, 100, "medium"),
    ("backup", "backup", 2, 8, 4000, "medium"), ("av", "endpoint_security", 2, 4, 100, "low"),
    ("print", None, 1, 4, 60, "low"), ("rdp", None, 8, 32, 300, "medium"),
    ("personals", "hr_payroll", 2, 8, 150, "high"), ("komunalie", "utilities_billing", 2, 8, 150, "medium"),
    ("gis", "gis_planning", 4, 16, 600, "low"), ("monitoring", None, 1, 2, 60, "low"),
)
# Software per function: (vendor, product); the national system is used where it is mandatory.
_PRODUCTS_BY_FUNCTION: dict[str, tuple[tuple[str, str], ...]] = {
    "finance": (("Visma Enterprise", "Horizon"), ("Visvaris", "Visvaris"),
                ("ZZ Dats", "ZZ Dats Budžets un grāmatvedība"), ("Namejs", "Namejs")),
    "budget": (("Visma Enterprise", "Horizon budžets"), ("Microsoft", "Excel"),
               ("Visvaris", "Visvaris budžets")),
    "hr_payroll": (("ZZ Dats", "Kadri"), ("Visma Enterprise", "Horizon algas"),
                   ("Visvaris", "Visvaris algas")),
    "documents": (("ZZ Dats", "Lietvaris"), ("DocLogix", "DocLogix"), ("Namejs", "Namejs DVS"),
                  ("Microsoft", "SharePoint")),
    "property_tax": (("ZZ Dats", "NINO"), ("Visma Enterprise", "Horizon NĪN")),
    "social_assistance": (("ZZ Dats", "SOPA"), ("Visma Enterprise", "Horizon sociālais")),
    "education": (("VIIS", "VIIS"),),
    "preschool_queue": (("ZZ Dats", "PII rinda"), ("Microsoft", "Excel"),
                        ("Municipal web developer", "Rindu e-pakalpojums")),
    "utilities_billing": (("ZZ Dats", "Klients"), ("Visma Enterprise", "Horizon norēķini"),
                          ("Tildes Birojs", "Aplikums")),
    "property_management": (("Visma Enterprise", "Horizon pamatlīdzekļi"),
                            ("Microsoft", "Excel"), ("ZZ Dats", "NĪVS")),
    "gis_planning": (("Topo GIS", "Topo GIS"), ("Esri", "ArcGIS Desktop")),
    "construction": (("BIS", "BIS"),),
    "eservices_web": (("WordPress", "WordPress"), ("Joomla", "Joomla"), ("Drupal", "Drupal"),
                      ("Municipal web developer", "Custom CMS")),
    "email_office": (("Microsoft", "Exchange Server 2016"), ("Microsoft", "Exchange Server 2010"),
                     ("Microsoft", "Microsoft 365"), ("Google", "Google Workspace"),
                     ("Zimbra", "Zimbra Collaboration")),
    "backup": (("Veeam", "Veeam Backup & Replication"), ("Acronis", "Acronis Backup"),
               ("Microsoft", "Windows Server Backup")),
    "endpoint_security": (("ESET", "ESET Endpoint Security"), ("Kaspersky", "Kaspersky Endpoint Security"),
                          ("Microsoft", "Windows Defender")),
    "council_meetings": (("ZZ Dats", "Lietvaris sēdes"), ("DocLogix", "DocLogix sēdes"),
                         ("Municipal web developer", "e-Dome")),
}
_CORE_FUNCTIONS = frozenset({"finance", "hr_payroll", "documents", "property_tax",
                             "social_assistance", "email_office", "eservices_web", "backup",
                             "endpoint_security", "education", "civil_registry",
                             "residents_declarations", "construction"})
_SECURITY_CLASSES = ("1. klase", "2. klase", "3. klase")
_CONNECTIVITY = ("Sakaru tīkli SIA (demo)", "Optiskie tīkli SIA (demo)", "Mobilie sakari AS (demo)")
_OUTSOURCERS = ("Novadu IT SIA (demo)", "Datu serviss SIA (demo)", "Kurzemes datori SIA (demo)",
                "Latgales IT centrs SIA (demo)", "Vidzemes datu centrs SIA (demo)")
_HOSTERS = ("Baltijas datu centrs SIA (demo)", "Datu centrs Rīga SIA (demo)")
_RESELLERS = ("Licenču serviss SIA (demo)", "Programmatūras nams SIA (demo)")


def _pick(rng: random.Random, options: Sequence[str], weights: Sequence[float]) -> str:
    return rng.choices(list(options), weights=list(weights))[0]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))


class _Builder:
    """Builds one municipality's records, keeping the keys that link them."""

    def __init__(self, spec: DemoInput, municipality: MunicipalityInput) -> None:
        self.spec = spec
        self.m = municipality
        self.rng = _rng(spec.seed, "municipality", municipality.code)
        self.reform_date = spec.targets.reform_date
        self.survey_day = dt.date(spec.targets.year, 12, 31)
        centre = _place(municipality.successor_code)
        own = _place(municipality.code)
        # Predecessors sit around the centre of the municipality they went into.
        self.centre = (centre[0] + (own[0] - centre[0]) * 0.15,
                       centre[1] + (own[1] - centre[1]) * 0.15)
        self.sites: list[DemoSite] = []
        self.rooms: list[DemoRoom] = []
        self.devices: list[DemoDevice] = []
        self.workloads: list[DemoWorkload] = []
        self.installations: dict[tuple[str, str, str], int] = {}
        self.contracts: list[DemoContract] = []
        self.licences: list[DemoLicence] = []
        self.systems: list[DemoSystem] = []
        self.is_city = municipality.is_city
        self.town = municipality.name.replace(" novads", "").replace(" republikas pilsēta", "")
        self.accounting = self.rng.choice(_PRODUCTS_BY_FUNCTION["finance"])

    # sites and rooms -----------------------------------------------------------------------

    def add_sites(self, copy: int) -> list[int]:
        count = max(1, min(30, round(self.m.population / 3500 * _noise(self.rng, 0.25))))
        keys = []
        for number in range(count):
            name = _SITE_NAMES[0] if number == 0 else self.rng.choice(_SITE_NAMES[1:])
            suffix = f" {copy + 1}" if copy else ""
            lat, lon = _near(self.rng, self.centre, 0.02 if number == 0 else 0.12)
            key = len(self.sites)
            self.sites.append(DemoSite(
                key=key, name=f"{self.town}: {name}{suffix}" + (f" #{number}" if number else ""),
                address=f"{self.rng.choice(_STREETS)} {self.rng.randint(1, 80)}, {self.town}",
                latitude=lat, longitude=lon))
            keys.append(key)
        return keys

    def add_rooms(self, count: int, site_keys: list[int], copy: int) -> list[int]:
        keys = []
        size = self.m.population
        for number in range(count):
            if number == 0:
                operation = _pick(self.rng, ("own", "outsourced"), (0.85, 0.15))
            else:
                operation = _pick(self.rng, ("own", "outsourced", "colocation", "cloud"),
                                  (0.55, 0.15, 0.2, 0.1))
            good = min(0.9, 0.35 + size / 60000)  # larger municipalities keep better rooms
            contract_key = None
            if operation != "own":
                contract_key = self.add_contract(
                    _pick(self.rng, _HOSTERS, (1, 1)) if operation != "outsourced"
                    else self.rng.choice(_OUTSOURCERS),
                    "hosting", f"{self.town}: server hosting ({operation})",
                    self.rng.randint(3000, 24000))
            site_key = site_keys[min(number, len(site_keys) - 1)] if operation == "own" else None
            if site_key is not None:
                lat, lon = self.sites[site_key].latitude, self.sites[site_key].longitude
            else:
                lat, lon = _near(self.rng, _place("riga-datacentres"), 0.05)
            racks = max(1, round(self.rng.uniform(0.5, 2.5) * (1 + size / 40000)))
            key = len(self.rooms)
            self.rooms.append(DemoRoom(
                key=key, site_key=site_key,
                name=f"{self.town}: server room {number + 1}" + (f" ({copy + 1})" if copy else ""),
                operation=operation, racks=racks,
                power_kw=round(racks * self.rng.uniform(1.5, 5.0), 2),
                has_cooling=self.rng.random() < good + 0.1,
                has_ups=self.rng.random() < good + 0.05,
                has_generator=self.rng.random() < good * 0.4,
                has_fire_suppression=self.rng.random() < good * 0.5,
                has_access_control=self.rng.random() < good,
                has_monitoring=self.rng.random() < good * 0.7,
                annual_cost_eur=round(racks * self.rng.uniform(1500, 6000)),
                latitude=lat, longitude=lon, contract_key=contract_key))
            keys.append(key)
        return keys

    # devices ---------------------------------------------------------------------------------

    def _device(self, kind: str, site_key: int | None, room_key: int | None, name: str,
                model: tuple[str, str, str, int, int, int], os: str,
                cores: int | None, ram: int | None, storage: int | None,
                cpu: float | None, ram_use: float | None) -> int:
        rng = self.rng
        key = len(self.devices)
        year = rng.randint(model[4], model[5])
        bought = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        self.devices.append(DemoDevice(
            key=key, kind=kind, site_key=site_key, room_key=room_key, name=name,
            asset_tag=f"INV-{key + 1:06d}", serial=f"{model[2]}{rng.randint(100, 999)}{key:06d}",
            manufacturer=model[0], model=model[1], os=os, purchase_date=bought,
            purchase_cost_eur=round(model[3] * rng.uniform(0.85, 1.15)),
            warranty_until=bought.replace(year=year + rng.choice((1, 3, 3, 5))),
            cores=cores, ram_gb=ram, storage_gb=storage,
            cpu_utilisation_pct=cpu, ram_utilisation_pct=ram_use))
        return key

    def add_computers(self, count: int, site_keys: list[int]) -> None:
        rng = self.rng
        thin = rng.random() < 0.2
        weights = (0.7, rng.uniform(0.15, 0.35), rng.uniform(0.05, 0.25) if thin else 0.0)
        split = apportion(count, weights)
        site_weights = [3.0] + [1.0] * (len(site_keys) - 1)
        windows7_until = rng.randint(2013, 2016)
        for kind, number in zip(COMPUTER_KINDS, split, strict=True):
            models = {"desktop": _PC_MODELS, "laptop": _LAPTOP_MODELS, "thin_client": _THIN_MODELS}
            for _ in range(number):
                model = rng.choice(models[kind])
                site_key = rng.choices(site_keys, weights=site_weights)[0]
                if kind == "thin_client":
                    os = "HP ThinPro 7" if model[0] == "HP" else "IGEL OS 11"
                else:
                    os = ("Windows 7 Professional" if model[5] <= windows7_until
                          else rng.choice(("Windows 10 Pro", "Windows 10 Pro", "Windows 10 Pro",
                                           "Windows 8.1 Pro")))
                prefix = {"desktop": "PC", "laptop": "NB", "thin_client": "TC"}[kind]
                self._device(kind, site_key, None, f"{prefix}-{len(self.devices) + 1:05d}", model,
                             os, rng.choice((2, 4, 4, 6)), rng.choice((4, 8, 8, 16)),
                             rng.choice((256, 500, 1000)), None, None)

    def add_servers(self, count: int, room_keys: list[int], site_keys: list[int]) -> list[int]:
        rng = self.rng
        keys = []
        for number in range(count):
            choice = rng.choice(_SERVER_MODELS)
            model = choice[:6]
            cores, ram = choice[6], choice[7]
            os = rng.choice(_SERVER_OS)
            room_key = room_keys[number % len(room_keys)] if room_keys else None
            site_key = self.rooms[room_key].site_key if room_key is not None else site_keys[0]
            known = rng.random() < 0.7
            keys.append(self._device(
                "server", site_key, room_key, f"SRV-{len(self.devices) + 1:05d}",
                model, os, cores, ram, rng.choice((600, 1200, 2400, 4800, 9600)),
                round(rng.uniform(3, 55), 1) if known else None,
                round(rng.uniform(20, 85), 1) if known else None))
        return keys

    def add_equipment(self, computers: int, site_keys: list[int]) -> None:
        rng = self.rng
        for site_key in site_keys:
            for _ in range(rng.randint(1, 3)):
                maker, model = rng.choice(_NETWORK)
                self._device("network", site_key, None, f"NET-{len(self.devices) + 1:05d}",
                             (maker, model, "NW", 900, 2012, 2020), "", None, None, None,
                             None, None)
        for _ in range(max(1, computers // 15)):
            maker, model = rng.choice(_PRINTERS)
            self._device("printer", rng.choice(site_keys), None,
                         f"PRN-{len(self.devices) + 1:05d}", (maker, model, "PR", 350, 2012, 2020),
                         "", None, None, None, None, None)

    def add_workloads(self, server_keys: list[int], systems_by_function: dict[str, int]) -> None:
        rng = self.rng
        templates = list(_WORKLOADS)
        rng.shuffle(templates)
        # Domain controllers first, so that every municipality has one.
        templates.sort(key=lambda t: not t[0].startswith("dc"))
        # A municipality runs two domain controllers (a city up to four), in one anti-affinity
        # group; the template cycle would give one per few servers, so the rest become plain
        # application servers with the same size. Each copy (see DemoInput.scale) is its own domain.
        batch = len({w.anti_affinity_group for w in self.workloads
                     if w.anti_affinity_group.startswith("domain-controllers")})
        dc_group = "domain-controllers" if not batch else f"domain-controllers-{batch + 1}"
        dc_limit = 4 if self.is_city else 2
        first = len(self.workloads)
        dcs = apps = 0
        for index, server_key in enumerate(server_keys):
            server = self.devices[server_key]
            hypervisor = server.os in _HYPERVISORS
            cores, ram = server.cores or 8, server.ram_gb or 32
            how_many = rng.randint(3, 9) if hypervisor else rng.randint(1, 2)
            used_cores = used_ram = 0.0
            for number in range(how_many):
                name, function, vcpu, vram, disk, availability = \
                    templates[(index * 3 + number) % len(templates)]
                if used_cores + vcpu > cores * 1.5 or used_ram + vram > ram * 0.9:
                    break  # overcommit CPU a little, never RAM
                used_cores += vcpu
                used_ram += vram
                is_dc = name.startswith("dc")
                shown, group = name, ""
                if is_dc and dcs < dc_limit:
                    dcs += 1
                    group = dc_group
                elif is_dc:
                    apps += 1
                    shown, availability = f"app{apps:02d}", "medium"
                self.workloads.append(DemoWorkload(
                    server_key=server_key, name=f"{shown}-{server_key}",
                    kind="vm" if hypervisor else "service",
                    cpu_cores=float(vcpu), ram_gb=float(vram),
                    storage_gb=round(disk * rng.uniform(0.5, 1.5)),
                    cpu_p95_pct=round(rng.uniform(5, 80), 1) if rng.random() < 0.7 else None,
                    system_key=systems_by_function.get(function) if function else None,
                    anti_affinity_group=group,
                    # The draw is made only for what the template is not pinned by, as it always was,
                    # so that everything generated after the workloads stays the same.
                    pinned_on_premises=(shown == name) if name.startswith(("dc", "print"))
                    else rng.random() < 0.1,
                    availability_class=availability))
        self._pair_backups(first)

    def _pair_backups(self, first: int) -> None:
        """Each backup workload with one source it protects, on another server, in a group of two."""
        sources = ("fs01", "sql01", "mail", "gramatvediba", "lietvediba")
        paired: set[int] = set()
        pair = sum(1 for w in self.workloads[:first] if w.anti_affinity_group.startswith("backup-")) // 2
        for b in range(first, len(self.workloads)):
            backup = self.workloads[b]
            if not backup.name.startswith("backup-"):
                continue
            source = next((k for k in range(first, len(self.workloads))
                           if k not in paired and self.workloads[k].server_key != backup.server_key
                           and self.workloads[k].name.split("-")[0] in sources), None)
            if source is None:
                continue
            paired.add(source)
            pair += 1
            group = f"backup-{pair}"
            self.workloads[b] = dataclasses.replace(backup, anti_affinity_group=group)
            self.workloads[source] = dataclasses.replace(self.workloads[source], anti_affinity_group=group)

    # software and licences --------------------------------------------------------------------

    def _install(self, name: str, publisher: str, version: str, count: int) -> None:
        if count > 0:
            key = (name, publisher, version)
            self.installations[key] = self.installations.get(key, 0) + count

    def add_software(self, computers: int, server_keys: list[int], first_device: int) -> None:
        rng = self.rng
        windows = [d for d in self.devices[first_device:] if d.kind in ("desktop", "laptop")]
        os_counts: dict[str, int] = {}
        for device in windows:
            os_counts[device.os] = os_counts.get(device.os, 0) + 1
        for os, number in sorted(os_counts.items()):
            self._install(f"Microsoft {os}", "Microsoft Corporation", "", number)
        office_users = round(len(windows) * rng.uniform(0.9, 1.0))
        office = (
            ("Microsoft Office Professional Plus 2016", "Microsoft Corporation", "16.0.4266.1001"),
            ("Microsoft Office profesionālais plus 2016", "Microsoft Corporation", "16.0.4266.1001"),
            ("Microsoft Office Standard 2013", "Microsoft Corporation", "15.0.4569.1506"),
            ("Microsoft Office Professional Plus 2010", "Microsoft Corporation", "14.0.7015.1000"),
            ("Microsoft Office Home and Business 2019 - lv-lv", "Microsoft Corporation", "16.0.11929.20300"),
            ("Microsoft 365 Apps for enterprise - lv-lv", "Microsoft Corporation", "16.0.13127.20508"),
            ("LibreOffice 6.4.7.2", "The Document Foundation", "6.4.7.2"),
        )
        office_weights = [rng.uniform(0, 1) ** 2 for _ in office]
        office_counts = apportion(office_users, office_weights)
        for (name, publisher, version), number in zip(office, office_counts, strict=True):
            self._install(name, publisher, version, number)
        self._install("Security Update for Microsoft Office 2016 (KB4484103) 32-Bit Edition",
                      "Microsoft Corporation", "", round(sum(office_counts[:2]) * rng.uniform(0.6, 0.95)))
        self._install("Microsoft Visio Viewer 2016", "Microsoft Corporation", "16.0.4266.1001",
                      round(computers * rng.uniform(0.1, 0.4)))
        reader = round(computers * rng.uniform(0.8, 0.98))
        reader_lv = round(reader * rng.uniform(0, 0.5))
        self._install("Adobe Acrobat Reader DC", "Adobe Systems Incorporated", "20.012.20048",
                      reader - reader_lv)
        self._install("Adobe Acrobat Reader DC - Latviešu", "Adobe Systems Incorporated",
                      "20.012.20048", reader_lv)
        acrobat_pro = max(1, round(computers * rng.uniform(0.01, 0.06)))
        self._install("Adobe Acrobat Pro DC", "Adobe Inc.", "20.013.20064", acrobat_pro)
        self._install("Adobe Acrobat XI Pro", "Adobe Systems", "11.0.23",
                      round(acrobat_pro * rng.uniform(0, 0.6)))
        zip_count = round(computers * rng.uniform(0.3, 0.8))
        zip_old = round(zip_count * rng.uniform(0.1, 0.5))
        self._install("7-Zip 19.00 (x64)", "Igor Pavlov", "19.00", zip_count - zip_old)
        self._install("7-Zip 16.04", "Igor Pavlov", "16.04", zip_old)
        for name, version, share in (
            ("Microsoft Visual C++ 2015-2019 Redistributable (x64) - 14.28.29913", "14.28.29913", 0.8),
            ("Microsoft Visual C++ 2015-2019 Redistributable (x86) - 14.28.29913", "14.28.29913", 0.8),
            ("Microsoft Visual C++ 2010  x86 Redistributable - 10.0.40219", "10.0.40219", 0.6),
            ("Microsoft Visual C++ 2013 Redistributable (x64) - 12.0.30501", "12.0.30501", 0.4),
        ):
            self._install(name, "Microsoft Corporation", version,
                          round(computers * share * rng.uniform(0.7, 1.1)))
        self._install("Google Chrome", "Google LLC", "87.0.4280.88",
                      round(computers * rng.uniform(0.4, 0.9)))
        self._install("Mozilla Firefox (x64 lv)", "Mozilla", "84.0.1",
                      round(computers * rng.uniform(0.05, 0.3)))
        antivirus = rng.choice((("ESET Endpoint Security", "ESET, spol. s r.o.", "7.3.2041.0"),
                                ("ESET Endpoint Antivirus", "ESET, spol. s r.o.", "7.3.2036.0"),
                                ("Kaspersky Endpoint Security 11 for Windows",
                                 "AO Kaspersky Lab", "11.5.0.590")))
        self._install(*antivirus, round(computers * rng.uniform(0.85, 1.0)))
        tilde = round(computers * rng.uniform(0.1, 0.5))
        self._install(rng.choice(("Tildes Birojs 2018", "Tildes Birojs 2016", "Tildes birojs 2018 LV")),
                      "Tilde", "", tilde)
        self._install("eParakstītājs 3.0", "LVRTC", "3.0.5", round(computers * rng.uniform(0.2, 0.6)))
        accounting_users = max(2, round(computers * rng.uniform(0.02, 0.05)))
        vendor, product = self.accounting
        for spelling in (product, f"{product} klients", product.upper()):
            share = rng.uniform(0.2, 0.6)
            self._install(spelling, vendor, "", max(1, round(accounting_users * share)))
        windows_servers = [self.devices[k] for k in server_keys
                           if self.devices[k].os.startswith("Windows")]
        for device in windows_servers:
            self._install(f"Microsoft {device.os}", "Microsoft Corporation", "", 1)
        self._licences(office_counts, acrobat_pro, tilde, accounting_users, antivirus[0],
                       sum(d.cores or 0 for d in windows_servers), len(windows), os_counts)

    def _licences(self, office_counts: list[int], acrobat_pro: int, tilde: int,
                  accounting_users: int, antivirus: str, server_cores: int, windows: int,
                  os_counts: dict[str, int]) -> None:
        rng = self.rng
        reseller = self.add_contract(rng.choice(_RESELLERS), "licence",
                                     f"{self.town}: Microsoft licences (volume agreement)",
                                     rng.randint(2000, 30000)) if rng.random() < 0.6 else None

        def licence(product: DemoProduct, name: str, metric: str, needed: int,
                    expires: dt.date | None, transferable: bool, contract: int | None) -> None:
            if needed <= 0:
                return
            # Some municipalities bought too few, a few more than they use.
            quantity = max(1, round(needed * rng.choice((0.7, 0.85, 1.0, 1.0, 1.0, 1.1))))
            proof = "" if rng.random() < 0.15 else f"Rēķins Nr. {rng.randint(2012, 2020)}/{rng.randint(1, 999)}"
            self.licences.append(DemoLicence(
                product=product, product_name=name, metric=metric, quantity=quantity,
                expires=expires, transferable=transferable, proof_reference=proof,
                contract_key=contract))

        office_2016 = office_counts[0] + office_counts[1]
        licence(DemoProduct("Microsoft", "Office", "Professional Plus", "2016", "licensable"),
                "Microsoft Office Professional Plus 2016", "device", office_2016, None,
                rng.random() < 0.85, reseller)
        licence(DemoProduct("Microsoft", "Office", "Standard", "2013", "licensable"),
                "Microsoft Office Standard 2013", "device", office_counts[2], None,
                rng.random() < 0.8, reseller)
        licence(DemoProduct("Microsoft", "Office", "Professional Plus", "2010", "licensable"),
                "Microsoft Office Professional Plus 2010", "device", office_counts[3], None,
                rng.random() < 0.7, None)
        licence(DemoProduct("Microsoft", "Microsoft 365 Apps", "for enterprise", "", "licensable"),
                "Microsoft 365 E3", "subscription", office_counts[5],
                dt.date(self.reform_date.year + rng.choice((-1, 0, 0, 1)), rng.randint(1, 12), 1),
                True, reseller)
        licence(DemoProduct("Microsoft", "Windows", "Professional", "10", "licensable"),
                "Windows 10 Pro (OEM)", "device", os_counts.get("Windows 10 Pro", 0), None,
                False, None)  # OEM licences stay with the device, never with the buyer
        licence(DemoProduct("Microsoft", "Windows Server", "Standard", "2016", "licensable"),
                "Windows Server 2016 Standard (core licence)", "core", server_cores, None,
                rng.random() < 0.8, reseller)
        licence(DemoProduct("Adobe", "Acrobat", "Pro", "DC", "licensable"),
                "Adobe Acrobat Pro DC", "subscription", acrobat_pro,
                dt.date(self.reform_date.year, rng.randint(1, 12), 1), rng.random() < 0.5, None)
        vendor = "ESET" if antivirus.startswith("ESET") else "Kaspersky"
        licence(DemoProduct(vendor, antivirus, "", "", "licensable"), antivirus, "subscription",
                windows, dt.date(self.reform_date.year + rng.choice((0, 1)), rng.randint(1, 12), 1),
                rng.random() < 0.6, None)
        licence(DemoProduct("Tilde", "Tildes Birojs", "", "2018", "licensable"),
                "Tildes Birojs 2018", "user", tilde, None, rng.random() < 0.7, None)
        acc_vendor, acc_product = self.accounting
        maintenance = self.add_contract(acc_vendor, "maintenance",
                                        f"{self.town}: {acc_product} maintenance",
                                        rng.randint(1500, 15000))
        licence(DemoProduct(acc_vendor, acc_product, "", "", "licensable"), acc_product,
                rng.choice(("site", "user")), accounting_users, None, rng.random() < 0.6,
                maintenance)

    # contracts and systems --------------------------------------------------------------------

    def add_contract(self, supplier: str, kind: str, title: str, value: int) -> int:
        rng = self.rng
        roll = rng.random()
        if roll < 0.25:  # ends around the reform date: the new municipality must decide now
            end: dt.date | None = self.reform_date + dt.timedelta(days=rng.randint(-90, 120))
        elif roll < 0.35:
            end = None
        else:
            end = _date_between(rng, dt.date(2019, 6, 1), dt.date(2025, 12, 31))
        start = (end or self.reform_date) - dt.timedelta(days=365 * rng.randint(1, 5))
        key = len(self.contracts)
        self.contracts.append(DemoContract(
            key=key, supplier=supplier, title=title, kind=kind, annual_value_eur=value,
            start_date=start, end_date=end, notice_days=rng.choice((30, 60, 90, 180)),
            assignable=rng.random() < 0.75))
        return key

    def add_base_contracts(self, governance: str) -> None:
        rng = self.rng
        size = self.m.population
        self.add_contract(rng.choice(_CONNECTIVITY), "connectivity",
                          f"{self.town}: internet and data network",
                          round(rng.uniform(3000, 9000) * (1 + size / 20000)))
        if governance == "outsourced" or rng.random() < 0.3:
            self.add_contract(rng.choice(_OUTSOURCERS), "outsourcing",
                              f"{self.town}: ICT support and maintenance",
                              round(rng.uniform(8000, 40000) * (1 + size / 30000)))

    def add_systems(self, copy: int) -> dict[str, int]:
        rng = self.rng
        size = self.m.population
        by_function: dict[str, int] = {}
        for function in self.spec.functions:
            if function.code not in _CORE_FUNCTIONS and rng.random() > min(0.9, 0.45 + size / 40000):
                continue
            if function.national_system:
                vendor, product, hosting = "State", function.national_system, "state"
            else:
                options = _PRODUCTS_BY_FUNCTION.get(function.code, (("Microsoft", "Excel"),))
                vendor, product = (self.accounting if function.code == "finance"
                                   else rng.choice(options))
                hosting = _pick(rng, ("on_premises", "vendor_hosted", "cloud"), (0.55, 0.3, 0.15))
                if product in ("Microsoft 365", "Google Workspace"):
                    hosting = "cloud"
            levels = [self._assessed(level) for level in function.default_cia]
            key = len(self.systems)
            self.systems.append(DemoSystem(
                key=key, name=f"{product}" + (f" ({copy + 1})" if copy else ""),
                function_code=function.code, vendor=vendor, product=product, hosting=hosting,
                users=max(1, round(rng.uniform(0.002, 0.02) * size)),
                records=round(size * rng.uniform(0.5, 20)),
                integrations="\n".join(function.national_registers),
                annual_cost_eur=0 if hosting == "state" else round(rng.uniform(300, 3000)
                                                                  * (1 + size / 15000)),
                lifecycle=_pick(rng, ("current", "ageing", "end_of_life"), (0.5, 0.35, 0.15)),
                confidentiality=levels[0], integrity=levels[1], availability=levels[2],
                security_class=self._security_class(levels)))
            if hosting == "on_premises":
                by_function[function.code] = key
        return by_function

    def _assessed(self, default: str) -> str:
        """A requirement as the predecessor assessed it: often the default, often not."""
        roll = self.rng.random()
        if roll < 0.1:
            return ""  # never assessed
        if roll < 0.6:
            return default
        index = LEVELS.index(default) + self.rng.choice((-1, 1))
        return LEVELS[min(max(index, 0), len(LEVELS) - 1)]

    def _security_class(self, levels: list[str]) -> str:
        """The class as the predecessor assigned it: not always what its requirements imply."""
        roll = self.rng.random()
        if roll < 0.2:
            return ""
        if roll < 0.5:
            return self.rng.choice(_SECURITY_CLASSES)
        highest = max((LEVELS.index(level) for level in levels if level), default=0)
        return _SECURITY_CLASSES[len(_SECURITY_CLASSES) - 1 - highest]

    # finance ----------------------------------------------------------------------------------

    def finance(self, computers: int, expenditure: int, spend: int | None) -> DemoFinance:
        rng = self.rng
        size = self.m.population
        if self.m.is_city:
            weights: tuple[float, ...] = (0.45, 0.3, 0.1, 0.1, 0.05)
        elif size < 5000:
            weights = (0.15, 0.2, 0.3, 0.1, 0.25)
        else:
            weights = (0.3, 0.3, 0.2, 0.1, 0.1)
        governance = _pick(rng, GOVERNANCE_MODELS, weights)
        parts: list[int | None] = [None] * 5
        if spend is not None:
            category_weights = [rng.uniform(0.18, 0.3), rng.uniform(0.12, 0.25),
                                rng.uniform(0.15, 0.35), rng.uniform(0.07, 0.15),
                                rng.uniform(0.15, 0.35)]
            if governance == "outsourced":
                category_weights[2] *= 2
                category_weights[4] *= 0.3
            parts = list(apportion(spend, category_weights))
        fte = max(0.5, round(computers / rng.uniform(150, 400) * 4) / 4)
        return DemoFinance(
            year=self.spec.targets.year, total_expenditure_eur=expenditure, ict_spend_eur=spend,
            spend_hardware_eur=parts[0], spend_software_eur=parts[1],
            spend_services_eur=parts[2], spend_communications_eur=parts[3],
            spend_staff_eur=parts[4], ict_staff_fte=fte, governance_model=governance)


def _municipality(spec: DemoInput, municipality: MunicipalityInput, computers: int,
                  servers: int, rooms: int, expenditure: int,
                  spend: int | None) -> MunicipalityInventory:
    builder = _Builder(spec, municipality)
    finance = builder.finance(computers, expenditure, spend)
    builder.add_base_contracts(finance.governance_model)
    for copy in range(spec.scale):
        site_keys = builder.add_sites(copy)
        room_keys = builder.add_rooms(rooms, site_keys, copy)
        systems = builder.add_systems(copy)
        server_keys = builder.add_servers(servers, room_keys, site_keys)
        first_computer = len(builder.devices)
        builder.add_computers(computers, site_keys)
        builder.add_equipment(computers, site_keys)
        builder.add_workloads(server_keys, systems)
        builder.add_software(computers, server_keys, first_computer)
    return MunicipalityInventory(
        code=municipality.code, finance=finance, sites=tuple(builder.sites),
        rooms=tuple(builder.rooms), devices=tuple(builder.devices),
        workloads=tuple(builder.workloads),
        installations=tuple(DemoInstallation(name, publisher, version, count)
                            for (name, publisher, version), count
                            in sorted(builder.installations.items())),
        contracts=tuple(builder.contracts), licences=tuple(builder.licences),
        systems=tuple(builder.systems))
