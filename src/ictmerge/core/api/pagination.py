"""The API's pages (its own module: DRF reads the class from the settings while the generic
views are being defined)."""

from __future__ import annotations

from django.conf import settings
from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """DRF's `limit`/`offset` pages, a larger `limit` cut to ICTMERGE_MAX_PAGE_SIZE."""

    def __init__(self) -> None:
        self.max_limit = int(settings.ICTMERGE_MAX_PAGE_SIZE)
