"""The software register and portfolio of a new municipality.

Per predecessor and merged: distinct products, installs and devices; products that do
the same job (several archivers, PDF editors, office suites, antivirus products) grouped
by function, with a recommendation to keep one, its reasoning and what it saves.

A product here is a vendor's product with its edition, every version together (the
normaliser's identity, the one the licence position uses). "Product records" are the
register's SoftwareProduct rows (versions apart), the figure the national view counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from ictmerge.core.payloads import AfterFigures
from ictmerge.core.providers import AFTER_PROVIDERS
from ictmerge.engine.software import LicenceMetric, ProductRef
from ictmerge.inventory.choices import ProductCategory
from ictmerge.inventory.ledger import held_before
from ictmerge.inventory.models import Installation, SoftwareProduct
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import County, county_members, covered_ids
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.software import services
from ictmerge.software.payloads import PortfolioPayload, ProductLinePayload, RegisterPayload

#: Products that do the same job: function code → (label, [(vendor, product)]).
#: Only end-user applications a municipality could standardise on; built-in or
#: bundled software (Windows' Defender, browsers shipped with the OS) is left out.
FUNCTIONS: dict[str, tuple[Any, tuple[tuple[str, str], ...]]] = {
    "office_suite": (_("Office suite"), (
        ("Microsoft", "Office Professional Plus"), ("Microsoft", "Office Professional"),
        ("Microsoft", "Office Standard"), ("Microsoft", "Office Home and Business"),
        ("Microsoft", "Office Home and Student"), ("Microsoft", "Office"),
        ("Microsoft", "Microsoft 365 Apps for enterprise"),
        ("Microsoft", "Microsoft 365 Apps for business"), ("Microsoft", "Microsoft 365"),
        ("The Document Foundation", "LibreOffice"), ("Apache", "OpenOffice"))),
    "pdf_editor": (_("PDF editor"), (
        ("Adobe", "Acrobat Pro"), ("Adobe", "Acrobat Standard"), ("Adobe", "Acrobat"),
        ("Foxit", "PDF Editor"), ("Nitro", "Nitro Pro"), ("PDF-XChange", "PDF-XChange Editor"),
        ("PDF-XChange", "PDF-XChange Pro"), ("geek software", "PDF24 Creator"),
        ("PDFCreator", "PDFCreator"))),
    "pdf_reader": (_("PDF reader"), (("Adobe", "Acrobat Reader"), ("Foxit", "PDF Reader"))),
    "archiver": (_("File archiver"), (
        ("Igor Pavlov", "7-Zip"), ("win.rar", "WinRAR"), ("WinZip", "WinZip"),
        ("PeaZip", "PeaZip"))),
    "antivirus": (_("Antivirus and end-point security"), (
        ("ESET", "Endpoint Antivirus"), ("ESET", "Endpoint Security"), ("ESET", "NOD32 Antivirus"),
        ("ESET", "Internet Security"), ("Kaspersky", "Endpoint Security"),
        ("Kaspersky", "Anti-Virus"), ("Kaspersky", "Small Office Security"),
        ("Broadcom", "Symantec Endpoint Protection"), ("Sophos", "Endpoint Agent"),
        ("Bitdefender", "Endpoint Security Tools"), ("Avast", "Free Antivirus"),
        ("Avast", "Business Antivirus"))),
    "remote_support": (_("Remote support"), (("TeamViewer", "TeamViewer"), ("AnyDesk", "AnyDesk"))),
    "video_meetings": (_("Video meetings"), (
        ("Zoom", "Zoom"), ("Cisco", "Webex Meetings"), ("Microsoft", "Teams"))),
    "vpn_client": (_("VPN client"), (
        ("Cisco", "AnyConnect Secure Mobility Client"), ("Fortinet", "FortiClient"),
        ("OpenVPN", "OpenVPN"), ("WireGuard", "WireGuard"))),
    "gis_desktop": (_("Desktop GIS"), (
        ("Esri", "ArcGIS Desktop"), ("Esri", "ArcGIS Pro"), ("QGIS", "QGIS"),
        ("Precisely", "MapInfo Pro"))),
    "image_editor": (_("Image editor"), (
        ("Adobe", "Photoshop"), ("Adobe", "Photoshop Elements"), ("GIMP", "GIMP"),
        ("Paint.NET", "Paint.NET"))),
    "vector_graphics": (_("Vector graphics"), (
        ("Adobe", "Illustrator"), ("Corel", "CorelDRAW Graphics Suite"), ("Inkscape", "Inkscape"))),
    "file_transfer": (_("File transfer"), (("WinSCP", "WinSCP"), ("FileZilla", "FileZilla Client"))),
    "desktop_virtualisation": (_("Desktop virtualisation"), (
        ("VMware", "Workstation Pro"), ("VMware", "Workstation Player"), ("Oracle", "VirtualBox"))),
}

FUNCTION_OF: dict[ProductRef, str] = {
    ProductRef(vendor.casefold(), product.casefold()): code
    for code, (_label, members) in FUNCTIONS.items() for vendor, product in members
}


@dataclass(frozen=True)
class ProductInfo:
    """What the portfolio needs of one SoftwareProduct record."""

    ref: ProductRef
    vendor: str
    product: str
    category: str
    metric: str


@dataclass
class ProductLine:
    """One product (versions together) in a county: where and how much it is installed."""

    vendor: str
    product: str
    category: str
    metric: str
    function: str | None
    installs: int = 0
    devices: int = 0
    records: set[int] = field(default_factory=set)
    by_municipality: dict[int, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Vendor and product."""
        return f"{self.vendor} {self.product}"


@dataclass(frozen=True)
class Register:
    """One municipality's figures."""

    municipality: Municipality
    products: int
    product_records: int
    installs: int
    devices: int
    components: int


@dataclass
class Group:
    """Products of one function, with the one to keep and what keeping it saves."""

    code: str
    label: str
    products: list[ProductLine]
    keep: ProductLine
    drop: list[ProductLine]
    installs_to_change: int
    licences_freed: int
    avoided_eur: dict[str, float]
    extra_licences: int
    extra_eur: dict[str, float]
    reasoning: list[str]

    @property
    def net_saving_eur(self) -> dict[str, float]:
        """Avoided licence cost less the licences the kept product then needs."""
        return {k: round(self.avoided_eur[k] - self.extra_eur[k], 2) for k in ("low", "expected", "high")}


@dataclass
class Portfolio:
    """A county's software portfolio before and after keeping one product per function."""

    county: Municipality
    registers: list[Register]
    merged: Register
    products: list[ProductLine]
    groups: list[Group]
    products_before: int
    products_after: int
    products_recommended: int
    records_after: int
    records_recommended: int
    unnormalised_installs: int
    is_demo: bool
    assumptions: list[str]


def _zero() -> dict[str, float]:
    return {"low": 0.0, "expected": 0.0, "high": 0.0}


def _add_cost(total: dict[str, float], product: str, metric: str, quantity: int) -> None:
    cost = services.shortfall_cost(product, metric, quantity)
    if cost is not None:
        total["low"] += cost.low
        total["expected"] += cost.expected
        total["high"] += cost.high


def product_infos(product_ids: Iterable[int]) -> dict[int, ProductInfo]:
    """Each product record's identity (the normaliser's vendor and product) and metric."""
    identity = services._Identity(services.current_normaliser())
    metrics = services._catalogue_metrics()
    infos = {}
    for product in SoftwareProduct.objects.filter(pk__in=set(product_ids)):
        ref, _result = identity.of_product(product)
        vendor, name = identity.names[ref]
        infos[product.pk] = ProductInfo(ref, vendor, name, product.category,
                                        metrics.get(ref, LicenceMetric.DEVICE).value)
    return infos


def recommend(code: str, members: list[ProductLine]) -> Group:
    """Keep the most installed product of a function (fewest machines to change)."""
    ranked = sorted(members, key=lambda p: (-p.installs, p.category != ProductCategory.FREE, p.label))
    keep, drop = ranked[0], ranked[1:]
    total = sum(p.installs for p in ranked)
    to_change = total - keep.installs
    avoided, extra = _zero(), _zero()
    freed = 0
    for p in drop:
        if p.category == ProductCategory.LICENSABLE:
            freed += p.installs
            _add_cost(avoided, p.product, p.metric, p.installs)
    extra_licences = to_change if keep.category == ProductCategory.LICENSABLE else 0
    if extra_licences:
        _add_cost(extra, keep.product, keep.metric, extra_licences)
    share = 100 * keep.installs / total if total else 0
    reasoning = [
        str(_("Rule: keep the product installed most often in the county, so that the fewest "
              "machines change; on a tie a free product before a licensable one.")),
        str(_("%(product)s: %(installs)s of the function's %(total)s installations (%(share)s%%).")
            % {"product": keep.label, "installs": keep.installs, "total": total,
               "share": f"{share:.0f}"}),
    ]
    for p in drop:
        reasoning.append(str(_("%(product)s (%(category)s): %(installs)s installations to replace.")
                             % {"product": p.label, "category": p.category, "installs": p.installs}))
    free = [p for p in ranked if p.category == ProductCategory.FREE]
    if keep.category == ProductCategory.LICENSABLE and free:
        alternative = free[0]
        reasoning.append(str(_("Alternative: keeping the free %(product)s instead needs no licence "
                               "for this function but changes %(change)s installations.")
                             % {"product": alternative.label,
                                "change": total - alternative.installs}))
    if extra_licences:
        reasoning.append(str(_("%(product)s then needs licences for %(count)s more installations "
                               "(priced from the cost catalogue).")
                             % {"product": keep.label, "count": extra_licences}))
    label = str(FUNCTIONS[code][0])
    return Group(code=code, label=label, products=ranked, keep=keep, drop=drop,
                 installs_to_change=to_change, licences_freed=freed,
                 avoided_eur={k: round(v, 2) for k, v in avoided.items()},
                 extra_licences=extra_licences, extra_eur={k: round(v, 2) for k, v in extra.items()},
                 reasoning=reasoning)


def build_lines(rows: Iterable[tuple[int, int, int, int]],
                infos: dict[int, ProductInfo]) -> list[ProductLine]:
    """Product lines from (municipality id, product id, installs, devices) rows."""
    lines: dict[ProductRef, ProductLine] = {}
    for municipality_id, product_id, installs, devices in rows:
        info = infos[product_id]
        line = lines.get(info.ref)
        if line is None:
            line = lines[info.ref] = ProductLine(info.vendor, info.product, info.category,
                                                 info.metric, FUNCTION_OF.get(info.ref))
        line.installs += installs
        line.devices += devices
        line.records.add(product_id)
        line.by_municipality[municipality_id] = line.by_municipality.get(municipality_id, 0) + installs
    return sorted(lines.values(), key=lambda p: (-p.installs, p.label))


def build_groups(lines: list[ProductLine]) -> list[Group]:
    """A group for every function with two or more products installed."""
    members: dict[str, list[ProductLine]] = defaultdict(list)
    for line in lines:
        if line.function is not None and line.installs > 0:
            members[line.function].append(line)
    groups = [recommend(code, found) for code, found in members.items() if len(found) > 1]
    return sorted(groups, key=lambda g: (-g.installs_to_change - sum(p.installs for p in g.products), g.code))


def records_recommended(lines: list[ProductLine], groups: list[Group]) -> int:
    """The "software products after" of a county: its product records less those of the
    products the portfolio recommends dropping (one product kept per function). The county's
    portfolio and the national view both count it here."""
    dropped = {r for g in groups for p in g.drop for r in p.records}
    return len({r for p in lines for r in p.records} - dropped)


def _register(municipality: Municipality, lines: list[ProductLine], devices: int) -> Register:
    mine = [p for p in lines if municipality.pk in p.by_municipality] if municipality.stage == Stage.FORMER \
        else lines
    apps = [p for p in mine if p.category != ProductCategory.COMPONENT]
    return Register(municipality=municipality, products=len(apps),
                    product_records=len({r for p in mine for r in p.records}),
                    installs=sum(p.by_municipality.get(municipality.pk, 0) for p in mine)
                    if municipality.stage == Stage.FORMER else sum(p.installs for p in mine),
                    devices=devices, components=len(mine) - len(apps))


def portfolio(county: Municipality) -> Portfolio:
    """The register of a new municipality (or a former one) and its recommended portfolio."""
    # By the municipality that held each installation before the takeover (the handover log),
    # so that the predecessors' registers read the same after the acts.
    ids = covered_ids(county)
    held = held_before(Installation, ids)
    rows = list(held.filter(product__isnull=False).order_by()
                .values_list("held_by", "product_id")
                .annotate(installs=Sum("count"), devices=Count("device", distinct=True)))
    infos = product_infos(r[1] for r in rows)
    lines = build_lines(rows, infos)
    groups = build_groups(lines)
    device_rows = dict(held.order_by().values_list("held_by")
                       .annotate(n=Count("device", distinct=True)))
    formers = County.of(county).formers if county.stage == Stage.NEW else []
    registers = [_register(m, lines, device_rows.get(m.pk, 0)) for m in formers]
    merged = _register(county, lines, sum(device_rows.values()))
    dropped = [p for g in groups for p in g.drop]
    dropped_apps = sum(1 for p in dropped if p.category != ProductCategory.COMPONENT)
    records_after = len({r for p in lines for r in p.records})
    unnormalised = held.filter(product__isnull=True).aggregate(n=Sum("count"))["n"] or 0
    is_demo = held.filter(is_demo=True).exists()
    assumptions = [
        str(_("A product is a vendor's product with its edition; its versions count together.")),
        str(_("Components (updates, runtimes, drivers) are not counted as products.")),
        str(_("Before: each predecessor's distinct products, summed; after: the distinct products "
              "of the merged register.")),
        str(_("Licence costs are the cost catalogue's prices per installation; a predecessor split "
              "between new municipalities is counted whole in each.")),
    ]
    if unnormalised:
        assumptions.append(str(_("%(count)s installations are not normalised to a product yet and "
                                 "are not counted.") % {"count": unnormalised}))
    return Portfolio(
        county=county, registers=registers, merged=merged, products=lines, groups=groups,
        products_before=sum(r.products for r in registers) if registers else merged.products,
        products_after=merged.products, products_recommended=merged.products - dropped_apps,
        records_after=records_after,
        records_recommended=records_recommended(lines, groups),
        unnormalised_installs=unnormalised, is_demo=is_demo, assumptions=assumptions)


def _line_json(p: ProductLine) -> ProductLinePayload:
    return {"vendor": p.vendor, "product": p.product, "category": p.category, "metric": p.metric,
            "function": p.function, "installs": p.installs, "devices": p.devices,
            "product_records": len(p.records)}


def _register_json(r: Register) -> RegisterPayload:
    return {"code": r.municipality.code, "name": r.municipality.name, "stage": r.municipality.stage,
            "products": r.products, "product_records": r.product_records, "installs": r.installs,
            "devices": r.devices, "components": r.components}


def portfolio_json(result: Portfolio) -> PortfolioPayload:
    """The portfolio as JSON-safe data (API and CLI)."""
    return {
        "municipality": {"code": result.county.code, "name": result.county.name,
                         "stage": result.county.stage},
        "reform": {"code": result.county.reform.code,
                   "effective_date": result.county.reform.effective_date.isoformat()},
        "demo_data": result.is_demo,
        "products_before": result.products_before,
        "products_after": result.products_after,
        "products_recommended": result.products_recommended,
        "product_records_after": result.records_after,
        "product_records_recommended": result.records_recommended,
        "unnormalised_installs": result.unnormalised_installs,
        "predecessors": [_register_json(r) for r in result.registers],
        "merged": _register_json(result.merged),
        "groups": [{
            "function": g.code, "label": g.label, "keep": _line_json(g.keep),
            "drop": [_line_json(p) for p in g.drop], "installs_to_change": g.installs_to_change,
            "licences_freed": g.licences_freed, "avoided_licence_eur": g.avoided_eur,
            "extra_licences": g.extra_licences, "extra_licence_eur": g.extra_eur,
            "net_saving_eur": g.net_saving_eur, "reasoning": g.reasoning,
        } for g in result.groups],
        "products": [_line_json(p) for p in result.products],
        "assumptions": result.assumptions,
    }


def after_figures(reform: Reform, only: Collection[int] | None = None
                  ) -> dict[int, AfterFigures]:
    """The national view's "after" software products (of the counties `only` names): the
    register's product records less the ones the portfolio recommends dropping (marked as
    recommended).

    A predecessor split between new municipalities is in each one's register whole, before
    and after the handover (installations read by who held them before, from the log)."""
    county_of: dict[int, set[int]] = defaultdict(set)
    for new_id, members in county_members(reform).items():
        if only is not None and new_id not in only:
            continue
        for member in members:
            county_of[member].add(new_id)
    # By the municipality that held each installation before the takeover (the handover log):
    # a split predecessor's products are in each successor's register, before and after.

    rows = list(held_before(Installation, list(county_of)).filter(product__isnull=False).order_by()
                .values_list("held_by", "product_id")
                .annotate(installs=Sum("count"), devices=Count("device", distinct=True)))
    if not rows:
        return {}
    infos = product_infos(r[1] for r in rows)
    per_county: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for row in rows:
        for new_id in county_of[row[0]]:
            per_county[new_id].append(row)
    figures: dict[int, AfterFigures] = {}
    for new_id, county_rows in per_county.items():
        lines = build_lines(county_rows, infos)
        figures[new_id] = {"software_products_after": records_recommended(lines,
                                                                          build_groups(lines)),
                           "software_products_after_basis": "recommended"}
    return figures


def register_provider() -> None:
    """Add the portfolio's figures to the national report (called once at start-up)."""
    if after_figures not in AFTER_PROVIDERS:
        AFTER_PROVIDERS.append(after_figures)
