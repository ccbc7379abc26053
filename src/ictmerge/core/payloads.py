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
