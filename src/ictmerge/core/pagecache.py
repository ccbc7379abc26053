"""Rendered parts of pages kept while no record changed: keyed by the history's version
counters (core.ScopeVersion), as the national and county figures are (reports.services).

Every statement that writes the change history bumps its municipalities' counters inside
the writing transaction (a trigger), so the sum of the counters, read before the part is
rendered, changes with any committed write of a tracked record: a write shows at once.
Reading the sum costs one row per municipality, not one per record or change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Sum
from django.utils import translation
from django.utils.safestring import SafeString

#: The cache alias of settings.CACHES: a file cache every web worker on the host shares,
#: beside the report cache (reports.services).
PAGE_CACHE = "pages"
#: Raised when what a cached part holds changes shape, so that old entries are not read.
PAGE_CACHE_VERSION = 1


def page_cache() -> Any:
    """The cache, or None when it is not configured or cannot be trusted.

    Inside a transaction a part may show writes not yet committed (and SQLite gives a
    rolled-back id out again), so nothing rendered there is cached.
    """
    if PAGE_CACHE not in settings.CACHES or connection.in_atomic_block:
        return None
    return caches[PAGE_CACHE]


def version_stamp() -> int:
    """The sum of every municipality's history version counter (and scope 0's), one query."""
    from ictmerge.core.models import ScopeVersion

    total = ScopeVersion.objects.aggregate(total=Sum("version"))["total"]
    return int(total or 0)


def _database() -> tuple[Any, ...]:
    """Which database the records come from: two databases may share one cache folder
    (a staging copy beside production), and their ids and counters can coincide."""
    database = settings.DATABASES["default"]
    return (database["ENGINE"], database.get("HOST"), database.get("PORT"), database["NAME"])


def cached_value(name: str, parts: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """The value `name` for these key parts (which must hold everything it depends on that
    is not a tracked record: the user's scope, the query string...), from the cache while no
    tracked record changed, else computed (and cached) by `compute` (never None)."""
    cache = page_cache()
    if cache is None:
        return compute()
    key_parts = (PAGE_CACHE_VERSION, *_database(), translation.get_language(), name,
                 parts, version_stamp())  # read before the value: never older than it
    key = f"page:{name}:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()[:40]
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found)
    return found


def cached_part(name: str, parts: tuple[Any, ...],
                render: Callable[[], SafeString]) -> SafeString:
    """The part `name` as HTML, as cached_value keeps it (a SafeString is pickled as one, so
    the HTML stays safe, not escaped again)."""
    found: SafeString = cached_value(name, parts, render)
    return found


def rendered_once(name: str, inputs: tuple[Any, ...],
                  render: Callable[[], SafeString]) -> SafeString:
    """The part `name` rendered from `inputs` alone, from the cache when the same inputs
    were rendered before, else rendered (and cached) by `render`.

    The key is a hash of the inputs' repr (and the language and the database, whose names a
    part may show beside the inputs): the same inputs give the same HTML, so the part is
    never older than its inputs. They must be plain data (numbers,
    strings, lists, dicts, None): a model instance's repr leaves its fields out.
    """
    cache = page_cache()
    if cache is None:
        return render()
    key_parts = (PAGE_CACHE_VERSION, *_database(), translation.get_language(), name, inputs)
    key = f"part:{name}:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()[:40]
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found)
    return found  # pickled as a SafeString: stays safe
