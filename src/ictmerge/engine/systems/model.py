"""Typed inputs shared by the systems engine: an information system and the reform it goes through."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ictmerge.engine.systems.security import CIA, Level


class Hosting(StrEnum):
    """Where a system runs."""

    ON_PREMISES = "on_premises"
    COLOCATION = "colocation"
    VENDOR_SAAS = "vendor_saas"
    STATE_DATA_CENTRE = "state_data_centre"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class InformationSystem:
    """An information system in use by a predecessor, or an external candidate (owner None)."""

    system_id: str  # natural key, unique within a county plan
    name: str
    product: str  # normalised product name; the same product in two predecessors counts once
    vendor: str
    function_code: str
    owner_code: str | None  # former municipality running it; None for an external candidate
    users: int
    records: int
    functional_coverage: float  # share of the function's required features, 0-1
    technical_fit: float  # expert score 0-5: architecture, platform, maintainability
    support_years_left: float  # years until the vendor ends support of this version
    annual_cost_per_user_eur: float
    vendor_support: float  # expert score 0-5
    integrated_registers: frozenset[str] = frozenset()
    hosting: Hosting = Hosting.UNKNOWN
    security_compliance: float = 0.0  # share of its class's controls met, 0-1
    requirements: CIA | None = None  # confidentiality/integrity/availability, if assessed
    declared_class: Level | None = None  # the class the owner assigned, if any
    data_subjects: int = 0  # persons whose data it holds
    is_national: bool = False  # a national system (VIIS, BIS, ...), not the municipality's product

    @property
    def external(self) -> bool:
        """True for a candidate no predecessor runs."""
        return self.owner_code is None


@dataclass(frozen=True)
class ReformContext:
    """The facts of the new municipality the reform changes in every kept system."""

    new_municipality_code: str
    new_municipality_name: str
    reform_date: dt.date
    atvk_code: str = ""  # territorial classifier code; empty when not yet assigned
    registration_number: str = ""  # new legal entity's registration number, if known
    predecessor_names: tuple[str, ...] = ()
