"""The API's pages (its own module: DRF reads the class from the settings while the generic
views are being defined)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import pagination

from ictmerge.core.pagecache import cached_value


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """DRF's `limit`/`offset` pages, a larger `limit` cut to ICTMERGE_MAX_PAGE_SIZE."""

    def __init__(self) -> None:
        self.max_limit = int(settings.ICTMERGE_MAX_PAGE_SIZE)

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        #: Whether the count may come from the page cache (Resource.cache_list).
        self.count_cached = bool(getattr(getattr(view, "resource", None), "cache_list", False))
        return super().paginate_queryset(queryset, request, view)

    def get_count(self, queryset: Any) -> int:
        """The number of records; of a resource whose list is cached (Resource.cache_list),
        from the page cache while no tracked record changed, under the query's SQL (which
        holds the user's scope and the filters): a COUNT of the demo's 49,000 desktops
        costs more than the page of 50 it heads."""
        count = super().get_count
        if not getattr(self, "count_cached", False) or not hasattr(queryset, "query"):
            return int(count(queryset))
        sql, params = queryset.query.sql_with_params()
        return int(cached_value("count", (sql, params), lambda: count(queryset)))
