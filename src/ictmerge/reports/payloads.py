"""The JSON of the national and county reports (API and CLI), typed.

The REST schema is generated from these (ictmerge.core.api.typed), so it names every field.
"""

from __future__ import annotations

from typing import TypedDict

from ictmerge.core.payloads import AfterFigures, EuroRange
from ictmerge.planning.payloads import PlanMoney, Range


class ReformRef(TypedDict):
    """The reform the figures are of."""

    code: str
    name: str
    effective_date: str


class ShareBin(TypedDict):
    """Municipalities whose ICT spend is this share of their expenditure (to_pct null: open)."""

    from_pct: float
    to_pct: float | None
    count: int


class NationalCounty(TypedDict):
    """A new municipality: its predecessors' figures summed, and the plan's."""

    code: str
    name: str
    predecessors: list[str]
    surveyed: bool
    computers: int
    servers: int
    server_rooms: int
    information_systems: int
    software_products: int
    ict_spend_eur: int | None
    total_expenditure_eur: int | None
    share_pct: float | None
    after: AfterFigures
    servers_after: int | None
    server_rooms_after: int | None
    information_systems_after: int | None
    software_products_after: int | None
    governance_after: str | None
    governance_after_label: str | None
    #: The plan's one-off and annual change as shares of today's ICT spend (null: no plan).
    one_off_share_of_ict_spend: float | None
    annual_change_share_of_ict_spend: float | None


class NationalSummary(TypedDict):
    """The published figures recomputed from records."""

    reform: ReformRef
    demo_data: bool
    former_municipalities: int
    former_municipalities_surveyed: int
    new_municipalities: int
    new_municipalities_surveyed: int
    computers: int
    servers: int
    server_rooms: int
    information_systems: int
    ict_spend_eur: float
    municipalities_reporting_spend: int
    municipalities_at_or_below_0_75_pct: int
    share_threshold_pct: float
    median_share_pct: float | None
    share_histogram: list[ShareBin]
    #: The counties' plans of record summed: one-off and change in annual cost.
    one_off_eur: Range
    annual_change_eur: Range
    #: The same with today's cost, shares, change by source and largest drivers.
    money: PlanMoney


class CountyReport(TypedDict):
    """A county's figures before and after the reform, each read from the one function that
    computes it (the national view's row, the governance assessment); null: not yet planned."""

    code: str
    name: str
    servers_before: int
    servers_after: int | None
    server_rooms_before: int
    server_rooms_after: int | None
    information_systems_before: int
    information_systems_after: int | None
    software_products_before: int
    software_products_after: int | None
    governance_before: str | None
    governance_before_label: str | None
    governance_after: str | None
    governance_after_label: str | None
    governance_after_chosen: bool | None
    one_off_eur: float | None
    annual_change_eur: float | None
    #: The range (low, expected, high) of the two sums and the payback, from the same plan.
    one_off_range_eur: EuroRange | None
    annual_change_range_eur: EuroRange | None
    payback_years: float | None
    #: Each answer's state: not_planned, planned (computed or recommended) or chosen.
    servers_state: str
    server_rooms_state: str
    information_systems_state: str
    software_products_state: str
    governance_state: str


class NationalReport(NationalSummary):
    """The published figures recomputed from records, and one row per new municipality."""

    new: list[NationalCounty]
