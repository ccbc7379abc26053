"""The category of a title the catalogue does not know, from evidence only.

A title the catalogue does not know is a component when its words or its package name say it
is a part, or when its vendor makes hardware (the PCI and USB ID repositories) and sells no
licence the catalogue knows; it is free when a free-software signal, a Debian main source
package name or a Linux package name says so; it is licensable only with evidence (an edition
or licence word, a winget package of that name tagged as paid, or a publisher written as a company). Without any evidence it is free: it
needs no licence as far as anything known says, and its low confidence sends it to the
steward's review queue all the same.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .catalogue import Catalogue, Category
from .knowledge import (
    debian_category_is_component,
    debian_packages,
    read_lines,
    vocabulary,
    winget_licences,
)
from .text import vendor_key

__all__ = ["UnknownCategories", "free_sources", "hardware_brand", "hardware_vendors", "strip_package_arch", "vendor_key"]

_ARCH_SUFFIX = re.compile(r"(?::(?:amd64|i386|arm64|armhf|all)|\.(?:x86_64|i686|noarch|aarch64))$")
# Language modules by the distributions' naming policies (python3-yaml, node-corepack, libjson-perl).
_MODULE_PACKAGE = re.compile(r"^(?:python3?-|node-|ruby-|php-|golang-|librust-|libghc-|r-cran-|lib.+-(?:perl|java|ruby|php|ocaml)$)")
# A line of a package manager's listing: name.arch, then the repository it came from (@…).
_LISTED_PACKAGE = re.compile(r"^(\S+)\s+(?:\*\s+)?@\S*")
_WORD = re.compile(r"[^\W_]+(?:[-+.][^\W_]+)*")
_NOT_KEY = re.compile(r"[^0-9a-z]")


@lru_cache(maxsize=1)
def hardware_vendors() -> frozenset[str]:
    """Name keys of hardware makers (data/hardware_vendors.txt.gz, from pci.ids and usb.ids)."""
    return read_lines("hardware_vendors.txt.gz")


@lru_cache(maxsize=1)
def hardware_brands() -> dict[str, str]:
    """First words of hardware makers' names that are no English word, by key (data/hardware_brands.txt.gz)."""
    return dict(line.split("\t", 1) for line in read_lines("hardware_brands.txt.gz"))


def hardware_brand(word: str) -> str:
    """The hardware maker a title's first word names ('Etron' -> Etron), or ''."""
    key = _NOT_KEY.sub("", word.casefold())
    return hardware_brands().get(key, "") if len(key) >= 4 else ""


@lru_cache(maxsize=1)
def free_sources() -> frozenset[str]:
    """Debian main source package names that name free programs (data/free_sources.txt.gz)."""
    return read_lines("free_sources.txt.gz")


def strip_package_arch(name: str) -> str:
    """A package name without its rpm or dpkg architecture suffix ('gspell.x86_64', 'libc6:amd64')."""
    return _ARCH_SUFFIX.sub("", name)


class UnknownCategories:
    """Decides the category of titles the catalogue does not know; build once per catalogue."""

    def __init__(self, catalogue: Catalogue, linux_patterns: list[re.Pattern[str]]) -> None:
        self._vocabulary = vocabulary()
        self._linux_patterns = linux_patterns
        self._default: dict[str, Category] = {}
        # A vendor whose licences the catalogue knows is not a device maker giving its software away.
        selling = {p.vendor for p in catalogue.products if p.category is Category.LICENSABLE}
        self._vendor_keys: dict[str, tuple[str, ...]] = {}
        for vendor in catalogue.vendors:
            if vendor.default_category is not None:
                self._default[vendor.name] = vendor.default_category
            keys = tuple(vendor_key(n) for n in (vendor.name, *vendor.publisher_aliases))
            self._vendor_keys[vendor.name] = () if vendor.name in selling else keys
        self._selling = selling
        # A vendor's licensable family whose name holds a licence word ("SQL Server"): in an unknown title of
        # that vendor naming it, the word is the family's name, not an edition ("SQL Server 2016 XEvent" is a part).
        families: dict[str, set[str]] = {}
        for p in catalogue.products:
            if p.category is Category.LICENSABLE and len(p.family.split()) > 1 \
                    and self._vocabulary.licensable.search(p.family.casefold()):
                families.setdefault(p.vendor, set()).add(re.escape(p.family.casefold()))
        self._licensable_family = {vendor: re.compile(r"\b(?:" + "|".join(sorted(names)) + r")\b")
                                   for vendor, names in families.items()}

    def is_hardware_vendor(self, vendor: str, publisher: str) -> bool:
        """True when the vendor (or the publisher) is a device maker that sells no licence the catalogue knows."""
        if vendor in self._selling:
            return False
        hardware = hardware_vendors()
        keys = self._vendor_keys.get(vendor) or (vendor_key(vendor), vendor_key(publisher))
        return any(len(k) >= 3 and k in hardware for k in keys)

    def package_component(self, name: str) -> bool | None:
        """For a Linux package name: True when it is a part, False when a program, None when not a package name."""
        lowered = name.strip()
        listed = _LISTED_PACKAGE.match(lowered)
        if listed is not None:
            # "json-c.x86_64 * @rhel-8-baseos-rpms * 0.13.1-0.4.el8": a package manager's listing line.
            lowered = listed.group(1)
        lowered = strip_package_arch(lowered)
        if not self._vocabulary.package_name.fullmatch(lowered):
            return None
        package = lowered
        index = debian_packages()
        known = index.get(package)
        if known is not None and package.startswith("lib"):
            # 'lib…' only suggests a library; Debian's section says whether it is one (libreswan is not).
            return debian_category_is_component(package, known.section, known.source)
        if any(p.search(package) for p in self._linux_patterns) or debian_category_is_component(package, "") \
                or _MODULE_PACKAGE.match(package) or index.is_library_source(package):
            return True
        return known is not None and debian_category_is_component(package, known.section, known.source)

    def _without_licensable_family(self, folded: str, vendor: str) -> str:
        """The title without the name of a licensable family of its vendor, whose words are no edition evidence."""
        family = self._licensable_family.get(vendor)
        return family.sub(" ", folded) if family is not None else folded

    def names_free_source(self, folded: str) -> bool:
        """True when the title's first words are a Debian main source package ('Telegram Desktop', 'Wireshark')."""
        words = _WORD.findall(folded)
        sources = free_sources()
        return any(len(words) >= size and "-".join(words[:size]) in sources for size in (3, 2, 1))

    def names_part(self, folded: str) -> bool:
        """True when the words name a part of something (installer, services, plug-in, runtime…)."""
        return bool(self._vocabulary.component.search(folded) or self._vocabulary.unknown_part.search(folded))

    def category(self, name: str, folded: str, publisher: str, vendor: str, tokens: tuple[str, ...] = ()) -> Category:
        """The category of an unknown title, from the strongest evidence found."""
        # What the winget package of that exact name is tagged ("trial", "foss"): how its maker licenses it.
        tagged = winget_licences().get(tokens, "") if tokens else ""
        # A package name is judged by the distributions' naming (x86_64 is no setup identifier).
        package = self.package_component(name)
        if package or self.names_part(strip_package_arch(folded)):
            return Category.COMPONENT
        default = self._default.get(vendor)
        if default is not None:
            return default
        if self.is_hardware_vendor(vendor, publisher):
            return Category.COMPONENT
        publisher_text = publisher.casefold()
        if self._vocabulary.free_title.search(folded) or self._vocabulary.unknown_free.search(folded) \
                or self._vocabulary.free_publisher.search(publisher_text):
            return Category.FREE
        if package is False or self.names_free_source(folded) or tagged == "free":
            return Category.FREE
        if self._vocabulary.licensable.search(self._without_licensable_family(folded, vendor)) or tagged == "paid":
            return Category.LICENSABLE
        if vendor in self._selling:
            # The catalogue lists what this vendor sells licences for; another of its titles is a part.
            return Category.COMPONENT
        if self._vocabulary.commercial_publisher.search(publisher_text):
            return Category.LICENSABLE
        return Category.FREE
