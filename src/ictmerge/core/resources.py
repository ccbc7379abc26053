"""Resources: one declaration per model gives it list, detail, edit, delete, export and API.

Like NetBox's generic views, the pages and endpoints of every record type are built from
a few declared attributes, so that they behave alike and the tests can be generated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Resource:
    """How a model appears in the web UI, the REST API and the exports."""

    model: type[models.Model]
    #: URL segment and API route, e.g. "devices".
    slug: str
    #: Editable fields, in form order; also the API's writable fields and the export columns.
    fields: tuple[str, ...]
    #: Columns of the list table; the first links to the record.
    list_columns: tuple[str, ...]
    filter_fields: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ()
    #: Foreign keys that may have too many targets for a drop-down: entered by id.
    raw_id_fields: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("pk",)
    #: Menu group (a phase or area) and order; None keeps it out of the menu.
    menu_group: Any = None
    menu_order: int = 100
    #: Extra read-only fields the API returns.
    read_only_fields: tuple[str, ...] = field(default=())
    #: File fields served by a scope-checked view: (field, page URL name, API URL name), each
    #: URL taking the record's pk. MEDIA_URL is served by nothing, so the edit form and the
    #: API link to these views instead.
    file_views: tuple[tuple[str, str, str], ...] = ()
    #: What each JSON field holds, as a type hint (a TypedDict, list[...], dict[...]), so the
    #: API schema names its fields.
    json_types: Mapping[str, Any] = field(default_factory=dict)
    #: The list's filters and table rendered once per user scope and query string while no
    #: tracked record changes (core.pagecache): only for a model whose every write path
    #: records history (signals, record_bulk, the importers, the takeover).
    cache_list: bool = False

    @property
    def verbose_name(self) -> Any:
        """The model's singular name."""
        return self.model._meta.verbose_name

    @property
    def verbose_name_plural(self) -> Any:
        """The model's plural name."""
        return self.model._meta.verbose_name_plural

    @property
    def scoped(self) -> bool:
        """True when records belong to a municipality (not reference data)."""
        return getattr(self.model, "scope_field", None) is not None

    def url_name(self, action: str) -> str:
        """The URL name of one of the resource's pages."""
        return f"{self.slug}_{action}"


REGISTRY: dict[str, Resource] = {}
_BY_MODEL: dict[type[models.Model], Resource] = {}


def register(resource: Resource) -> Resource:
    """Add a resource to the registry and the menu."""
    from ictmerge.core.navigation import MenuItem, add_menu_item

    if resource.slug in REGISTRY and REGISTRY[resource.slug].model is not resource.model:
        raise ValueError(f"Two resources use the slug {resource.slug!r}")
    REGISTRY[resource.slug] = resource
    _BY_MODEL[resource.model] = resource
    if resource.menu_group is not None:
        add_menu_item(
            MenuItem(
                group=resource.menu_group,
                label=resource.verbose_name_plural,
                url_name=resource.url_name("list"),
                order=resource.menu_order,
            )
        )
    return resource


def resource_for(model: type[models.Model]) -> Resource | None:
    """The resource registered for a model, if any."""
    return _BY_MODEL.get(model)
