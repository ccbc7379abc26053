"""Load the generated demo inventory of a reform: bulk writes with history, in one transaction.

The figures come from `ictmerge.engine.demo` (pure, deterministic); this module maps them to
records. Loading replaces the reform's previous demo data and never touches real records.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, overload

from django.db import connection, models, reset_queries, transaction

from ictmerge.core.bulk import bulk_insert
from ictmerge.core.choices import ChangeAction
from ictmerge.core.history import record_bulk
from ictmerge.core.providers import normalise_loaded
from ictmerge.engine import demo as engine
from ictmerge.engine.systems.taxonomy import load_functions as read_taxonomy
from ictmerge.inventory.models import (
    BusinessFunction,
    Contract,
    Device,
    IctFinance,
    InformationSystem,
    Installation,
    Licence,
    ServerRoom,
    Site,
    SoftwareProduct,
    Supplier,
    Workload,
)
from ictmerge.inventory.services import load_functions
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import successions_from
from ictmerge.reforms.models import Municipality, Reform

PROFILES_PATH = Path(__file__).resolve().parent / "data" / "demo_profiles.json"
BATCH_SIZE = 2000
#: Municipalities are generated and written in chunks of at least this many devices.
CHUNK_DEVICES = 10_000
#: Demo records in the order they are deleted (dependants first) and written (reversed).
DEMO_MODELS: tuple[type[models.Model], ...] = (
    Workload, Installation, Licence, Device, ServerRoom, InformationSystem, IctFinance,
    Contract, Site,
)
Progress = Callable[[float, str], None]


class DemoError(Exception):
    """The demo cannot be generated (unknown reform, bad parameters)."""


@dataclass(frozen=True)
class DemoLoadResult:
    """What a demo load wrote."""

    reform: str
    seed: int
    scale: int
    municipalities: int
    counts: dict[str, int]
    deleted: int
    seconds: float


def _profile(reform: Reform) -> dict[str, Any] | None:
    profiles = json.loads(PROFILES_PATH.read_text(encoding="utf-8"))["profiles"]
    profile = profiles.get(reform.code)
    return dict(profile) if profile is not None else None


def demo_input(reform: Reform, seed: int, scale: int = 1) -> engine.DemoInput:
    """The generator's input for a reform: its former municipalities and the published totals."""
    formers = list(Municipality.objects.filter(reform=reform, stage=Stage.FORMER)
                   .order_by("code"))
    if not formers:
        raise DemoError(f"reform {reform.code} has no former municipalities")
    successor: dict[int, tuple[Decimal, str]] = {}
    for former_id, successions in successions_from(reform=reform, by_name=True).items():
        best = max(successions, key=lambda s: s.share)  # the first of the largest shares
        successor[former_id] = (best.share, best.new.code)
    known_population = [m.population for m in formers if m.population]
    typical = int(statistics.median(known_population)) if known_population else 5000
    profile = _profile(reform)
    if profile is None:
        profile = _per_capita_profile(reform, [m.population or typical for m in formers])
    known = {code: int(v) for code, v in profile.get("known_total_expenditure_eur", {}).items()}
    unsurveyed = set(profile.get("unsurveyed", ()))
    no_spend = set(profile.get("no_spend_reported", ()))
    cities = set(profile.get("city_kinds", ()))
    municipalities = tuple(
        engine.MunicipalityInput(
            code=m.code, name=m.name, population=m.population or typical,
            successor_code=successor.get(m.pk, (Decimal(1), m.code))[1],
            is_city=m.kind in cities, surveyed=m.code not in unsurveyed,
            reports_spend=m.code not in no_spend, total_expenditure_eur=known.get(m.code),
        )
        for m in formers
    )
    functions = tuple(
        engine.FunctionInput(code=f.code, national_system=f.mandatory_national_system,
                             default_cia=_levels(f.default_requirements),
                             national_registers=f.national_registers)
        for f in _taxonomy()
    )
    targets = engine.DemoTargets(
        computers=int(profile["computers"]), servers=int(profile["servers"]),
        server_rooms=int(profile["server_rooms"]), ict_spend_eur=int(profile["ict_spend_eur"]),
        total_expenditure_eur=int(profile["total_expenditure_eur"]), year=int(profile["year"]),
        reform_date=reform.effective_date,
    )
    return engine.DemoInput(municipalities=municipalities, functions=functions,
                            targets=targets, seed=seed, scale=scale)


def _per_capita_profile(reform: Reform, populations: Sequence[int]) -> dict[str, Any]:
    """Totals for a reform without published figures, at Latvia's 2019 rates (an assumption)."""
    people = sum(populations)
    lv_people = 1_250_000  # the 117 surveyed Latvian municipalities, roughly
    return {
        "year": reform.effective_date.year - 2,
        "computers": round(68448 * people / lv_people),
        "servers": max(len(populations), round(630 * people / lv_people)),
        "server_rooms": round(164 * people / lv_people),
        "ict_spend_eur": round(16_200_000 * people / lv_people),
        "total_expenditure_eur": round(1_420 * people),
    }


def _taxonomy() -> tuple[Any, ...]:
    return read_taxonomy()


def _levels(requirements: Any) -> tuple[str, str, str]:
    names = {1: "low", 2: "medium", 3: "high"}
    return (names[int(requirements.confidentiality)], names[int(requirements.integrity)],
            names[int(requirements.availability)])


@overload
def _money(value: float) -> Decimal: ...
@overload
def _money(value: None) -> None: ...
@overload
def _money(value: float | None) -> Decimal | None: ...
def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(round(value, 2)).quantize(Decimal("0.01"))


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def delete_demo(reform: Reform) -> int:
    """Delete the reform's demo records in bulk, recording each deletion in the history."""
    deleted = 0
    owners = {m.pk: m for m in Municipality.objects.filter(reform=reform)}

    def with_owner(rows: Any) -> Any:
        for row in rows:  # the owner from memory, not one join (or query) per row
            row.municipality = owners[row.municipality_id]
            yield row

    for model in DEMO_MODELS:
        queryset = model.objects.filter(is_demo=True, municipality_id__in=list(owners))  # type: ignore[attr-defined]
        deleted += record_bulk(with_owner(queryset.iterator(chunk_size=BATCH_SIZE)),
                               ChangeAction.DELETE)
        # A raw delete: no per-row signals or cascade collection (the history is recorded above).
        queryset._raw_delete(queryset.db)
    return deleted


def load_demo(reform_code: str, seed: int, scale: int = 1,
              progress: Progress | None = None) -> DemoLoadResult:
    """Generate and write the demo inventory of a reform, replacing its previous demo data."""
    started = time.perf_counter()
    report = progress or (lambda percent, message: None)
    if scale < 1:
        raise DemoError("--scale must be at least 1")
    reform = Reform.objects.filter(code=reform_code).first()
    if reform is None:
        raise DemoError(f"no reform '{reform_code}' is loaded (try: ictmerge reform load "
                        f"{reform_code})")
    report(2, "Generating the inventory")
    spec = demo_input(reform, seed, scale)
    surveyed = sum(1 for m in spec.municipalities if m.surveyed)
    with transaction.atomic():
        report(15, "Deleting the previous demo data")
        deleted = delete_demo(reform)
        report(25, "Loading the function taxonomy")
        load_functions()
        writer = _Writer(reform, seed, scale)
        done = 0
        # A chunk of municipalities at a time, generated, written with its history and
        # normalised, then forgotten: the memory stays that of one chunk at any size.
        for chunk in _chunks(engine.generate_each(spec), CHUNK_DEVICES):
            report(25 + 72 * done / max(surveyed, 1),
                   f"Writing the inventory of municipalities {done + 1}–{done + len(chunk)} "
                   f"of {surveyed}")
            owners = writer.write(chunk)
            normalise_loaded(m.pk for m in owners)
            done += len(chunk)
            reset_queries()  # with DEBUG on, the log of every query would grow with the load
        report(100, "Done")
    refresh_statistics()
    return DemoLoadResult(reform=reform.code, seed=seed, scale=scale, municipalities=done,
                          counts=writer.counts, deleted=deleted,
                          seconds=time.perf_counter() - started)


def _chunks(inventories: Iterable[engine.MunicipalityInventory],
            devices: int) -> Iterator[list[engine.MunicipalityInventory]]:
    """Consecutive municipalities in lists of at least `devices` devices (the last fewer)."""
    chunk: list[engine.MunicipalityInventory] = []
    count = 0
    for inventory in inventories:
        chunk.append(inventory)
        count += len(inventory.devices)
        if count >= devices:
            yield chunk
            chunk, count = [], 0
    if chunk:
        yield chunk


def refresh_statistics() -> None:
    """Let the planner see the tables just filled. PostgreSQL's autovacuum would, minutes
    later: right after a bulk load its stale statistics made the county page's handover
    subquery take 1.3 s instead of 0.1 s. SQLite never would: without statistics it sorts
    all 49,000 desktops for a page of the device list instead of walking the municipality
    names' index (100 ms instead of 1 ms); ANALYZE costs it a third of a second."""
    if connection.vendor in ("postgresql", "sqlite") and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _Writer:
    """Maps generated inventories to records and writes them in bulk, a chunk at a time."""

    def __init__(self, reform: Reform, seed: int, scale: int) -> None:
        self.municipalities = {m.code: m for m in Municipality.objects.filter(
            reform=reform, stage=Stage.FORMER)}
        self.note = f"Generated demo data (seed {seed}, scale {scale})."
        self.place_note = self.note + " Coordinates are generated, not surveyed."
        self.counts: dict[str, int] = {}
        self.suppliers: dict[str, Supplier] = {}
        self.products: dict[engine.DemoProduct, SoftwareProduct] = {}
        self.functions = {f.code: f for f in BusinessFunction.objects.all()}

    def _create(self, model: type[models.Model], rows: list[Any]) -> list[Any]:
        created = bulk_insert(model, rows)
        record_bulk(created)
        name = model._meta.model_name or model.__name__
        self.counts[name] = self.counts.get(name, 0) + len(created)
        return list(created)

    def _suppliers(self, names: set[str]) -> dict[str, Supplier]:
        wanted = sorted(names - set(self.suppliers))
        if wanted:
            existing = {s.name: s for s in Supplier.objects.filter(name__in=wanted)}
            missing = [Supplier(name=name, country="LV") for name in wanted
                       if name not in existing]
            if missing:
                record_bulk(Supplier.objects.bulk_create(missing))
            self.suppliers.update(
                (s.name, s) for s in Supplier.objects.filter(name__in=wanted))
        return self.suppliers

    def _products(self, products: set[engine.DemoProduct]) -> dict[engine.DemoProduct,
                                                                     SoftwareProduct]:
        wanted = sorted(products - set(self.products),
                        key=lambda p: (p.vendor, p.name, p.edition, p.major_version))
        if wanted:
            stored = {(p.vendor, p.name, p.edition, p.major_version): p
                      for p in SoftwareProduct.objects.all()}
            missing = [SoftwareProduct(vendor=p.vendor, name=p.name, edition=p.edition,
                                       major_version=p.major_version, category=p.category)
                       for p in wanted
                       if (p.vendor, p.name, p.edition, p.major_version) not in stored]
            if missing:
                for product in record_bulk_and_return(SoftwareProduct, missing):
                    stored[(product.vendor, product.name, product.edition,
                            product.major_version)] = product
            self.products.update(
                (p, stored[(p.vendor, p.name, p.edition, p.major_version)]) for p in wanted)
        return self.products

    def write(self, inventories: Sequence[engine.MunicipalityInventory]) -> list[Municipality]:
        """Write the records of the municipalities' inventories; returns the municipalities."""
        suppliers = self._suppliers({c.supplier for m in inventories for c in m.contracts})
        products = self._products({lic.product for m in inventories for lic in m.licences})
        functions = self.functions
        items = [(self.municipalities[m.code], m) for m in inventories]
        note, place_note = self.note, self.place_note

        sites = self._create(Site, [
            Site(municipality=owner, is_demo=True, notes=place_note, name=s.name,
                 address=s.address, latitude=_coordinate(s.latitude),
                 longitude=_coordinate(s.longitude))
            for owner, m in items for s in m.sites])
        site_of = _keyed(items, lambda m: m.sites, sites)

        contracts = self._create(Contract, [
            Contract(municipality=owner, is_demo=True, notes=note,
                     supplier=suppliers[c.supplier], title=c.title[:300], kind=c.kind,
                     annual_value_eur=_money(c.annual_value_eur), start_date=c.start_date,
                     end_date=c.end_date, notice_days=c.notice_days, assignable=c.assignable)
            for owner, m in items for c in m.contracts])
        contract_of = _keyed(items, lambda m: m.contracts, contracts)

        rooms = self._create(ServerRoom, [
            ServerRoom(
                municipality=owner, is_demo=True, notes=place_note, name=r.name,
                site=site_of[(m.code, r.site_key)] if r.site_key is not None else None,
                operation=r.operation, racks=r.racks, power_kw=_money(r.power_kw),
                has_cooling=r.has_cooling, has_ups=r.has_ups, has_generator=r.has_generator,
                has_fire_suppression=r.has_fire_suppression,
                has_access_control=r.has_access_control, has_monitoring=r.has_monitoring,
                annual_cost_eur=_money(r.annual_cost_eur), latitude=_coordinate(r.latitude),
                longitude=_coordinate(r.longitude),
                contract=contract_of[(m.code, r.contract_key)]
                if r.contract_key is not None else None)
            for owner, m in items for r in m.rooms])
        room_of = _keyed(items, lambda m: m.rooms, rooms)

        systems = self._create(InformationSystem, [
            InformationSystem(
                municipality=owner, is_demo=True, notes=note, name=s.name,
                function=functions[s.function_code], vendor=s.vendor, product=s.product,
                hosting=s.hosting, users=s.users, records=s.records,
                integrations=s.integrations, annual_cost_eur=_money(s.annual_cost_eur),
                lifecycle=s.lifecycle, confidentiality=s.confidentiality,
                integrity=s.integrity, availability=s.availability,
                security_class=s.security_class)
            for owner, m in items for s in m.systems])
        system_of = _keyed(items, lambda m: m.systems, systems)

        devices = self._create(Device, [
            Device(
                municipality=owner, is_demo=True, notes=note, kind=d.kind, name=d.name,
                site=site_of[(m.code, d.site_key)] if d.site_key is not None else None,
                room=room_of[(m.code, d.room_key)] if d.room_key is not None else None,
                asset_tag=d.asset_tag, serial=d.serial, manufacturer=d.manufacturer,
                model=d.model, os=d.os, purchase_date=d.purchase_date,
                purchase_cost_eur=Decimal(d.purchase_cost_eur), warranty_until=d.warranty_until,
                cores=d.cores, ram_gb=d.ram_gb, storage_gb=d.storage_gb,
                cpu_utilisation_pct=_money(d.cpu_utilisation_pct),
                ram_utilisation_pct=_money(d.ram_utilisation_pct))
            for owner, m in items for d in m.devices])
        device_of = _keyed(items, lambda m: m.devices, devices)

        self._create(Workload, [
            Workload(
                municipality=owner, is_demo=True, notes=note, name=w.name, kind=w.kind,
                server=device_of[(m.code, w.server_key)], cpu_cores=_money(w.cpu_cores),
                ram_gb=_money(w.ram_gb), storage_gb=Decimal(w.storage_gb),
                cpu_p95_pct=_money(w.cpu_p95_pct),
                information_system=system_of[(m.code, w.system_key)]
                if w.system_key is not None else None,
                anti_affinity_group=w.anti_affinity_group,
                pinned_on_premises=w.pinned_on_premises,
                availability_class=w.availability_class)
            for owner, m in items for w in m.workloads])
        self._create(Installation, [
            Installation(municipality=owner, is_demo=True, notes=note, raw_name=i.raw_name,
                         raw_publisher=i.raw_publisher, raw_version=i.raw_version,
                         count=i.count)
            for owner, m in items for i in m.installations])
        self._create(Licence, [
            Licence(municipality=owner, is_demo=True, notes=note, product=products[lic.product],
                    product_name=lic.product_name, metric=lic.metric, quantity=lic.quantity,
                    expires=lic.expires, transferable=lic.transferable,
                    licence_type=lic.licence_type, proof_reference=lic.proof_reference,
                    contract=contract_of[(m.code, lic.contract_key)]
                    if lic.contract_key is not None else None)
            for owner, m in items for lic in m.licences])
        self._create(IctFinance, [
            IctFinance(
                municipality=owner, is_demo=True, notes=note, year=f.year, surveyed=True,
                total_expenditure_eur=_money(f.total_expenditure_eur),
                ict_spend_eur=_money(f.ict_spend_eur),
                spend_hardware_eur=_money(f.spend_hardware_eur),
                spend_software_eur=_money(f.spend_software_eur),
                spend_services_eur=_money(f.spend_services_eur),
                spend_communications_eur=_money(f.spend_communications_eur),
                spend_staff_eur=_money(f.spend_staff_eur),
                ict_staff_fte=_money(f.ict_staff_fte), governance_model=f.governance_model)
            for owner, m in items for f in (m.finance,)])
        return [owner for owner, _ in items]


def record_bulk_and_return(model: type[models.Model], rows: list[Any]) -> list[Any]:
    """Bulk-create rows of a model and record their history; returns the created rows."""
    created = bulk_insert(model, rows)
    record_bulk(created)
    return created


def _keyed(items: Sequence[tuple[Municipality, engine.MunicipalityInventory]],
           generated: Callable[[engine.MunicipalityInventory], Sequence[Any]],
           created: Sequence[Any]) -> dict[tuple[str, int], Any]:
    """Map (municipality code, generated key) to the created record, in creation order."""
    result: dict[tuple[str, int], Any] = {}
    position = 0
    for _, inventory in items:
        for item in generated(inventory):
            result[(inventory.code, item.key)] = created[position]
            position += 1
    return result
