"""Import templates: one per record type, built from the model's own fields.

Columns are natural keys and plain values (municipality code, site name, asset tag,
serial), never database ids. Types, lengths, limits and choices come from the model
fields, so a template cannot drift from the model it fills.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import validators
from django.db import models
from django.db.models.fields import PositiveIntegerRelDbTypeMixin
from django.utils.translation import gettext_lazy as _

from ictmerge.engine.imports.rows import Column, Kind
from ictmerge.inventory.choices import DeviceKind

#: Foreign keys filled from a natural key: field → what the cell names.
REFERENCES = {
    "municipality": "municipality code",
    "site": "site name",
    "room": "server room name",
    "contract": "contract title",
    "supplier": "supplier name",
    "function": "business function code",
    "product": "software product (vendor name edition version)",
    "device": "device serial, else asset tag, else name",
    "server": "server serial, else asset tag, else name",
}


@dataclass(frozen=True)
class Template:
    """What one import type reads and which records it fills."""

    slug: str
    title: Any
    model_label: str
    #: The resource whose list exports in this template's columns.
    resource_slug: str
    fields: tuple[str, ...]
    #: Fields that identify a record within its municipality.
    key: tuple[str, ...]
    #: Identify by the first of these that is not empty (serial, asset tag, name).
    key_choice: tuple[str, ...] = ()
    #: Device kinds this type accepts, and the kind of a row that names none.
    kinds: tuple[str, ...] = ()
    default_kind: str = ""
    #: SQL giving the history's record label from the row's columns.
    repr_sql: str = "name"
    #: Fields the register fills when a row leaves them empty (an installation's product,
    #: by normalising its title): an empty cell keeps the stored value.
    derived: tuple[str, ...] = ()
    columns: tuple[Column, ...] = field(default=(), compare=False)
    #: Columns its export adds after the template's, for reading only (an import skips them).
    export_only: tuple[str, ...] = ()

    @property
    def model(self) -> type[models.Model]:
        """The model the template fills."""
        return apps.get_model(self.model_label)

    def column(self, name: str) -> Column:
        """The column of that name."""
        return next(c for c in self.columns if c.name == name)


def _limit(field: models.Field[Any, Any], kind: type[validators.BaseValidator]) -> Decimal | None:
    for validator in field.validators:
        if isinstance(validator, kind):
            limit = validator.limit_value
            return Decimal(str(limit() if callable(limit) else limit))
    return None


def column_for(model: type[models.Model], name: str, **overrides: Any) -> Column:
    """A template column from a model field: type, limits, choices and default."""
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    default = model_field.get_default() if model_field.has_default() else None
    help_text = str(model_field.help_text or "")
    common: dict[str, Any] = {"name": name, "field": name, "help": help_text}
    if model_field.is_relation:
        column = Column(kind=Kind.REF, required=not model_field.null, default=None,
                        help=f"{REFERENCES.get(name, name)}. {help_text}".strip(),
                        name=name, field=name)
    elif model_field.choices:
        choices = tuple((str(v), str(label)) for v, label in model_field.choices if v != "")
        column = Column(kind=Kind.CHOICE, choices=choices, **common,
                        required=not model_field.blank and default in (None, ""),
                        default="" if default is None else str(default))
    elif isinstance(model_field, models.BooleanField):
        column = Column(kind=Kind.BOOL, default=bool(default), **common)
    elif isinstance(model_field, models.CharField | models.TextField | models.FileField):
        free_text = settings.ICTMERGE_TEXT_MAX_CHARS if isinstance(model_field, models.TextField) else 0
        column = Column(kind=Kind.TEXT, max_length=model_field.max_length or free_text,
                        required=not model_field.blank, default=default or "", **common)
    elif isinstance(model_field, models.DecimalField):
        minimum = _limit(model_field, validators.MinValueValidator)
        maximum = _limit(model_field, validators.MaxValueValidator)
        column = Column(kind=Kind.DECIMAL, places=model_field.decimal_places or 0,
                        digits=model_field.max_digits or 0, minimum=minimum, maximum=maximum,
                        required=not model_field.null and default is None, default=default,
                        **common)
    elif isinstance(model_field, models.IntegerField):
        minimum = _limit(model_field, validators.MinValueValidator)
        if minimum is None and isinstance(model_field, PositiveIntegerRelDbTypeMixin):
            minimum = Decimal(0)
        maximum = {models.PositiveSmallIntegerField: Decimal(32767),
                   models.SmallIntegerField: Decimal(32767),
                   models.PositiveIntegerField: Decimal(2147483647),
                   models.IntegerField: Decimal(2147483647)}.get(type(model_field))
        column = Column(kind=Kind.INT, minimum=minimum, maximum=maximum,
                        required=not model_field.null and default is None, default=default,
                        **common)
    elif isinstance(model_field, models.DateField):
        column = Column(kind=Kind.DATE, required=not model_field.null, default=None, **common)
    else:  # pragma: no cover - every inventory field type is handled above
        raise TypeError(f"No template column for {model.__name__}.{name}")
    if overrides:
        column = Column(**{**column.__dict__, **overrides})
    return column


def _build(template: Template, **overrides: dict[str, Any]) -> Template:
    model = template.model
    columns = tuple(column_for(model, name, **overrides.get(name, {}))
                    for name in template.fields)
    return Template(**{**template.__dict__, "columns": columns})


DEVICE_FIELDS = ("municipality", "name", "kind", "site", "room", "asset_tag", "serial",
                 "manufacturer", "model", "os", "status", "purchase_date", "purchase_cost_eur",
                 "warranty_until", "cores", "ram_gb", "storage_gb", "cpu_utilisation_pct",
                 "ram_utilisation_pct", "is_virtual", "notes")


#: What a device export adds: its MAC addresses (the ones kept for matching), when an agent
#: last reported it, and where it came from (an agent, an import type, or by hand).
DEVICE_EXPORT_ONLY = ("mac_addresses", "last_seen", "source")


def _device_template(slug: str, title: Any, kinds: tuple[str, ...], default: str) -> Template:
    labels = dict(DeviceKind.choices)
    base = Template(slug=slug, title=title, model_label="inventory.Device",
                    resource_slug="devices", fields=DEVICE_FIELDS, key=(),
                    key_choice=("serial", "asset_tag", "name"), kinds=kinds,
                    default_kind=default, export_only=DEVICE_EXPORT_ONLY)
    return _build(base, kind={"choices": tuple((k, str(labels[k])) for k in kinds),
                              "default": default, "required": False})


def _templates() -> dict[str, Template]:
    computer_kinds = tuple(str(k) for k in DeviceKind.COMPUTER_KINDS)
    network_kinds = (str(DeviceKind.NETWORK), str(DeviceKind.PRINTER), str(DeviceKind.OTHER))
    all_kinds = tuple(str(k) for k in DeviceKind.values)
    found = [
        _device_template("computers", _("Computers"), computer_kinds, str(DeviceKind.DESKTOP)),
        _device_template("servers", _("Servers"), (str(DeviceKind.SERVER),),
                         str(DeviceKind.SERVER)),
        _device_template("network", _("Network and other equipment"), network_kinds,
                         str(DeviceKind.NETWORK)),
        _device_template("devices", _("Devices of every kind"), all_kinds,
                         str(DeviceKind.DESKTOP)),
        _build(Template(
            slug="sites", title=_("Sites"), model_label="inventory.Site", resource_slug="sites",
            fields=("municipality", "name", "address", "latitude", "longitude", "notes"),
            key=("name",))),
        _build(Template(
            slug="rooms", title=_("Server rooms"), model_label="inventory.ServerRoom",
            resource_slug="server-rooms",
            fields=("municipality", "name", "site", "operation", "racks", "power_kw",
                    "has_cooling", "has_ups", "has_generator", "has_fire_suppression",
                    "has_access_control", "has_monitoring", "annual_cost_eur", "latitude",
                    "longitude", "contract", "notes"),
            key=("name",))),
        _build(Template(
            slug="software", title=_("Software installations"),
            model_label="inventory.Installation", resource_slug="installations",
            fields=("municipality", "device", "raw_name", "raw_publisher", "raw_version",
                    "count", "product", "notes"),
            key=("device", "raw_name", "raw_publisher", "raw_version"), repr_sql="raw_name",
            derived=("product",))),
        _build(Template(
            slug="licences", title=_("Licences"), model_label="inventory.Licence",
            resource_slug="licences",
            fields=("municipality", "product_name", "product", "metric", "quantity", "expires",
                    "transferable", "proof_reference", "contract", "notes", "licence_type"),
            key=("product_name", "metric", "proof_reference"),
            repr_sql="product_name || ' × ' || quantity")),
        _build(Template(
            slug="contracts", title=_("Contracts"), model_label="inventory.Contract",
            resource_slug="contracts",
            fields=("municipality", "supplier", "title", "kind", "annual_value_eur",
                    "start_date", "end_date", "notice_days", "assignable", "notes"),
            key=("supplier", "title"), repr_sql="title")),
        _build(Template(
            slug="systems", title=_("Information systems"),
            model_label="inventory.InformationSystem", resource_slug="information-systems",
            fields=("municipality", "name", "function", "vendor", "product", "hosting", "users",
                    "records", "integrations", "annual_cost_eur", "lifecycle",
                    "confidentiality", "integrity", "availability", "security_class",
                    "notes"),
            key=("function", "name"))),
        _build(Template(
            slug="spend", title=_("ICT spend and staff"), model_label="inventory.IctFinance",
            resource_slug="ict-finance",
            fields=("municipality", "year", "surveyed", "total_expenditure_eur",
                    "ict_spend_eur", "spend_hardware_eur", "spend_software_eur",
                    "spend_services_eur", "spend_communications_eur", "spend_staff_eur",
                    "ict_staff_fte", "governance_model", "notes"),
            key=("year",), repr_sql="CAST(year AS TEXT)")),
    ]
    return {t.slug: t for t in found}


_CACHE: dict[str, Template] = {}


def templates() -> dict[str, Template]:
    """Every import template by its type name."""
    if not _CACHE:
        _CACHE.update(_templates())
    return _CACHE


def template(slug: str) -> Template:
    """The template of one import type; KeyError names the known types."""
    found = templates().get(slug)
    if found is None:
        raise KeyError(f"unknown import type {slug!r}; known: {', '.join(templates())}")
    return found


def template_for_resource(resource_slug: str) -> Template | None:
    """The template whose columns a resource's list exports in."""
    for candidate in templates().values():
        if candidate.resource_slug == resource_slug:
            return candidate
    return None


def documentation(tpl: Template) -> list[tuple[str, str, str, str]]:
    """(column, required, type, meaning) for each column of a template."""
    return [(c.name, "yes" if c.required else "", c.describe(), c.help) for c in tpl.columns]


ValueGetter = Callable[[Any], Any]
