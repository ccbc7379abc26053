"""The shipped software catalogue: vendors, products with aliases, and ordered rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any


class Category(StrEnum):
    """What a normalised title is for licensing purposes."""

    LICENSABLE = "licensable"
    FREE = "free"
    COMPONENT = "component"


class LicenceMetric(StrEnum):
    """How a licence is counted."""

    DEVICE = "device"
    USER = "user"
    CORE = "core"
    SITE = "site"
    SUBSCRIPTION = "subscription"
    CONCURRENT = "concurrent"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class CatalogueVendor:
    """A vendor and the spellings publishers and titles use for it."""

    name: str
    publisher_aliases: tuple[str, ...]
    title_prefixes: tuple[str, ...]
    default_category: Category | None = None
    distribution: bool = False
    # Trademarks that name the vendor when a title begins with one; kept in the product name.
    title_brands: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CatalogueProduct:
    """A product (edition kept where licences differ) and its aliases."""

    vendor: str
    product: str
    family: str
    category: Category
    metric: LicenceMetric
    aliases: tuple[str, ...]
    edition_unknown: bool = False


@dataclass(frozen=True, slots=True)
class CatalogueRule:
    """An ordered pattern rule; vendor/product may use {vendor}, {catalogue_vendor}, {catalogue_family}."""

    rule_id: str
    pattern: str
    vendor: str
    product: str
    category: Category
    # A title merely tagged with a KB number may be a product shipped as a KB (MSXML).
    defer_to_catalogue: bool = False


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Everything the normaliser knows before any steward mapping."""

    source: str
    assumption: str
    version: str
    vendors: tuple[CatalogueVendor, ...]
    rules: tuple[CatalogueRule, ...]
    products: tuple[CatalogueProduct, ...]
    linux_component_patterns: tuple[str, ...]


def _vendor(data: dict[str, Any]) -> CatalogueVendor:
    default = data.get("default_category")
    return CatalogueVendor(
        name=data["name"],
        publisher_aliases=tuple(data.get("publisher_aliases", ())),
        title_prefixes=tuple(data.get("title_prefixes", ())),
        default_category=Category(default) if default else None,
        distribution=bool(data.get("distribution", False)),
        title_brands=tuple(data.get("title_brands", ())),
    )


def _product(data: dict[str, Any]) -> CatalogueProduct:
    return CatalogueProduct(
        vendor=data["vendor"],
        product=data["product"],
        family=data.get("family", data["product"]),
        category=Category(data["category"]),
        metric=LicenceMetric(data.get("metric", "none")),
        aliases=tuple(data["aliases"]),
        edition_unknown=bool(data.get("edition_unknown", False)),
    )


def _rule(data: dict[str, Any]) -> CatalogueRule:
    return CatalogueRule(
        rule_id=data["id"],
        pattern=data["pattern"],
        vendor=data["vendor"],
        product=data["product"],
        category=Category(data["category"]),
        defer_to_catalogue=bool(data.get("defer_to_catalogue", False)),
    )


def catalogue_from_dict(data: dict[str, Any]) -> Catalogue:
    """Build a catalogue from its JSON form."""
    return Catalogue(
        source=data["source"],
        assumption=data["assumption"],
        version=data.get("version", ""),
        vendors=tuple(_vendor(v) for v in data["vendors"]),
        rules=tuple(_rule(r) for r in data["rules"]),
        products=tuple(_product(p) for p in data["products"]),
        linux_component_patterns=tuple(data.get("linux", {}).get("component_patterns", ())),
    )


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load the shipped catalogue, or the one at path."""
    if path is None:
        text = resources.files(__package__).joinpath("data/catalogue.json").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return catalogue_from_dict(json.loads(text))
