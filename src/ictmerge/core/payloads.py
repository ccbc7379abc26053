"""JSON answers shared by the apps' APIs, typed (the REST schema is generated from them)."""

from __future__ import annotations

from typing import TypedDict


class Detail(TypedDict):
    """Why the request was refused or found nothing."""

    detail: str


class JobLink(TypedDict):
    """A background job started; follow it at its URL."""

    job: int
    url: str


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
