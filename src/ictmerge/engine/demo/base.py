"""The state every per-municipality generator shares, and the contracts they all sign."""

from __future__ import annotations

import datetime as dt

from ictmerge.engine.demo.catalogue import _CONNECTIVITY, _OUTSOURCERS, _PRODUCTS_BY_FUNCTION
from ictmerge.engine.demo.draws import _date_between, _place, _rng
from ictmerge.engine.demo.records import (
    DemoContract,
    DemoDevice,
    DemoInput,
    DemoLicence,
    DemoRoom,
    DemoSite,
    DemoSystem,
    DemoWorkload,
    MunicipalityInput,
)


class _BuilderBase:
    """One municipality's records under construction, with the keys that link them."""

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
