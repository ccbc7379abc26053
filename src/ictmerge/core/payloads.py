"""JSON answers shared by the apps' APIs, typed (the REST schema is generated from them)."""

from __future__ import annotations

from typing import TypedDict


class Detail(TypedDict):
    """Why the request was refused or found nothing."""

    detail: str


#: A refused list of items: per field its messages, or per item (by position) its fields'
#: messages, as DRF writes the errors of a list of serializers.
ListFieldErrors = dict[str, list[str] | dict[str, dict[str, list[str]]]]


class JobLink(TypedDict):
    """A background job started; follow it at its URL."""

    job: int
    url: str


class EuroRange(TypedDict):
    """An amount in euros: low, expected and high."""

    low: float
    expected: float
    high: float


class PlanDriver(TypedDict):
    """A group of a plan's budget lines that moves its one-off or annual cost most."""

    label: str
    source: str
    expected: float
    lines: int
    basis: str


class AfterFigures(TypedDict, total=False):
    """A new municipality's figures after the reform, from the plans made (absent: none).

    Each app that plans gives some (reports.services.AFTER_PROVIDERS); the national report
    shows them.
    """

    servers_after: int | None
    server_rooms_after: int | None
    servers_after_chosen: bool
    information_systems_after: int
    information_system_products_after: int
    information_systems_after_basis: str
    software_products_after: int
    software_products_after_basis: str
    governance_after: str | None
    governance_after_chosen: bool
    one_off_cost_eur: float | None
    annual_cost_change_eur: float | None
    #: The same with their low and high ends, the annual change by source (governance,
    #: consolidation, licences, contracts, other), today's recorded cost and the plan's
    #: largest drivers (one_off, annual), as the county's plan stored them.
    one_off_range_eur: EuroRange
    annual_change_range_eur: EuroRange
    annual_change_by_source: dict[str, float]
    baseline_eur: float | None
    drivers: dict[str, list[PlanDriver]]
