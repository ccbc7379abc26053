"""Knowledge kept as data: the vendor lexicon, Debian package metadata and component words.

Each file under data/ names its source and licence (data/SOURCES.md); they are read once per
process and shared by every Normaliser.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# Debian sections whose packages are parts of something else, never a program of their own.
COMPONENT_SECTIONS = frozenset(
    ["libs", "oldlibs", "libdevel", "kernel", "fonts", "localization", "doc", "debug", "introspection", "javascript"]
)
# Sections whose packages are language modules when their name says so (python3-yaml, libjson-perl).
MODULE_SECTIONS = frozenset(["python", "perl", "java", "ruby", "php", "rust", "golang", "ocaml", "haskell", "lisp", "httpd", "gnome", "kde", "x11", "misc", "net", "devel"])

# Names the distributions give to parts of another program, by their naming conventions: a plug-in,
# add-on, extension or backend of the program it names (gvfs-backends, abrt-addon-kerneloops,
# nautilus-extension-gnome-terminal, grilo-plugins-0.3-base), a printer driver (Debian Printing
# Team: printer-driver-foo2zjs), a part of the X server (xserver-xorg-input-all) and a
# NetworkManager VPN plug-in (network-manager-openvpn; network-manager-gnome is the applet), an
# Apache module (libapache2-mod-fcgid) and a KDE Frameworks library as Fedora names them (kf5-…, kf6-…;
# Debian: libkf5…, libkf6…); a theme (adwaita-icon-theme, dmz-cursor-theme, sound-theme-freedesktop,
# gnome-themes-standard: data of a desktop), a VA-API driver (i965-va-driver, va-driver-all) and a QML
# module (qml-module-org-kde-kirigami2, qml6-module-…: the Debian Qt/KDE team's names).
_PART_PACKAGE_NAME = re.compile(
    r"(?:^|-)(?:plugins?|addons?|extensions?|backends?)(?:-|$)|^(?:printer-driver|xserver-xorg|libapache2-mod|kf[56])-|"
    r"^network-manager-(?!gnome$)|(?:^|-)themes?(?:-|$)|(?:^|-)va-driver(?:-|$)|^qml6?-module-")


@dataclass(frozen=True, slots=True)
class LexiconVendor:
    """A vendor from the lexicon: its display name and the words its titles start with."""

    name: str
    title_prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VendorAliases:
    """Localised and legal names of a vendor, and the trademarks its titles may begin with."""

    name: str
    publisher_aliases: tuple[str, ...]
    title_prefixes: tuple[str, ...]
    title_brands: tuple[str, ...]
    setup_id_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DebianPackage:
    """What the Debian Packages index says of a binary package."""

    source: str
    section: str


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Compiled words of data/vocabulary.json, all languages at once.

    The rules' words (update, language pack, driver, component) and the weaker evidence the
    category of a title the catalogue does not know is read from (unknown_part, unknown_free,
    licensable, commercial_publisher, package_name; categories.py).
    """

    update: re.Pattern[str]
    language_pack: re.Pattern[str]
    driver: re.Pattern[str]
    component: re.Pattern[str]
    free_title: re.Pattern[str]
    free_publisher: re.Pattern[str]
    technical_word: re.Pattern[str]
    driver_words: tuple[tuple[re.Pattern[str], str], ...]
    unknown_part: re.Pattern[str]
    unknown_free: re.Pattern[str]
    licensable: re.Pattern[str]
    commercial_publisher: re.Pattern[str]
    package_name: re.Pattern[str]


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(f"data/{name}").read_text("utf-8")


def read_lines(name: str) -> frozenset[str]:
    """The lines of a gzip-compressed list under data/, without its '#' comment lines."""
    raw = resources.files(__package__).joinpath(f"data/{name}").read_bytes()
    return frozenset(line for line in gzip.decompress(raw).decode("utf-8").splitlines() if line and line[0] != "#")


@lru_cache(maxsize=1)
def lexicon_vendors() -> tuple[LexiconVendor, ...]:
    """The vendor lexicon (data/vendors.json)."""
    data = json.loads(_read("vendors.json"))
    return tuple(LexiconVendor(v["name"], tuple(v["title_prefixes"])) for v in data["vendors"])


@lru_cache(maxsize=1)
def vendor_aliases() -> tuple[VendorAliases, ...]:
    """Canonical vendor names for localised and legal forms (data/vendor_aliases.json)."""
    data = json.loads(_read("vendor_aliases.json"))
    return tuple(
        VendorAliases(v["name"], tuple(v.get("publisher_aliases", ())), tuple(v.get("title_prefixes", ())),
                      tuple(v.get("title_brands", ())), tuple(v.get("setup_id_prefixes", ())))
        for v in data["vendors"]
    )


# A shared library package's soname at the end of its name ("libblkid1", "libgweather-4-0", "libssl3t64").
_SONAME = re.compile(r"(?:\d+(?:[.-]\d+)*[a-z]?|-\d+(?:[.-]\d+)*)(?:t64)?$")


def library_stem(package: str) -> str:
    """A library package name without its soname: 'libavfilter7' → 'libavfilter'."""
    return _SONAME.sub("", package).rstrip("-.")


class DebianIndex:
    """Binary package name to source package and section, parsed on first use."""

    def __init__(self) -> None:
        self._rows: dict[str, str] | None = None
        self._library_sources: frozenset[str] | None = None
        self._sources_by_stem: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        raw = resources.files(__package__).joinpath("data/debian_packages.tsv.gz").read_bytes()
        lines = gzip.decompress(raw).decode("utf-8").splitlines()[1:]
        return {line[:tab]: line[tab + 1 :] for line in lines for tab in (line.find("\t"),)}

    def get(self, package: str) -> DebianPackage | None:
        """What the index says of a binary package, or None."""
        if self._rows is None:
            self._rows = self._load()
        row = self._rows.get(package)
        if row is None:
            return None
        source, section = row.split("\t")
        return DebianPackage(source or package, section)

    def is_library_source(self, name: str) -> bool:
        """True when the name is no binary package but a source package whose binaries are all parts.

        Other distributions name a library's package after its source ('jemalloc.x86_64',
        'kf6-kcalendarcore.x86_64', 'pcaudiolib'), where Debian ships 'libjemalloc2' and its '-dev'.
        """
        if self._library_sources is None:
            self._library_sources = self._load_library_sources()
        return name in self._library_sources

    def _load_library_sources(self) -> frozenset[str]:
        if self._rows is None:
            self._rows = self._load()
        parts: dict[str, bool] = {}
        for binary, row in self._rows.items():
            source, section = row.split("\t")
            source = source or binary
            parts[source] = parts.get(source, True) and debian_category_is_component(binary, section, source)
        return frozenset(source for source, all_parts in parts.items() if all_parts and source not in self._rows)

    def soname_source(self, package: str) -> str:
        """The source of the library a package name is another soname of ('libavfilter7' → ffmpeg), or ''.

        Debian names a shared library's package after its soname ('libblkid1', 'libavfilter8',
        'libssl3t64'); another release or distribution ships the same library under another soname,
        or none ('libavfilter7' in Ubuntu 22.04, 'libblkid' in Fedora). The name without its soname
        names the library when every Debian package of that stem comes from one source.
        """
        if self._sources_by_stem is None:
            self._sources_by_stem = self._load_sources_by_stem()
        return self._sources_by_stem.get(library_stem(package), "")

    def _load_sources_by_stem(self) -> dict[str, str]:
        if self._rows is None:
            self._rows = self._load()
        sources: dict[str, set[str]] = {}
        for package, row in self._rows.items():
            if package.startswith("lib") and _SONAME.search(package):
                sources.setdefault(library_stem(package), set()).add(row.split("\t")[0] or package)
        return {stem: found.pop() for stem, found in sources.items() if len(found) == 1 and len(stem) > 4}

    def __len__(self) -> int:
        if self._rows is None:
            self._rows = self._load()
        return len(self._rows)


class ProductNames:
    """Package names of the winget repository (identity tokens) to the vendor that publishes them."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, ...], str] | None = None

    def _load(self) -> dict[tuple[str, ...], str]:
        raw = resources.files(__package__).joinpath("data/winget_products.tsv.gz").read_bytes()
        names: dict[tuple[str, ...], str] = {}
        # A title that is a one-word name its publisher is named after ("Discord") names it; such
        # names are ordinary words, so they never name the vendor of a longer title.
        for line in _read("winget_brands.tsv").splitlines()[1:]:
            word, publisher = line.split("\t")
            names[(word,)] = publisher
        prefixes: dict[tuple[str, ...], list[str]] = {}
        for line in gzip.decompress(raw).decode("utf-8").splitlines()[1:]:
            key, vendor = line.split("\t")
            tokens = tuple(key.split())
            names[tokens] = vendor
            for size in range(2, len(tokens)):
                prefixes.setdefault(tokens[:size], []).append(vendor)
        # A beginning of two words or more that several package names share ("k lite codec
        # pack") names its vendor when every one of those names is that vendor's.
        for prefix, vendors in prefixes.items():
            if len(vendors) > 1 and len(set(vendors)) == 1 and prefix not in names:
                names[prefix] = vendors[0]
        return names

    def vendor(self, tokens: tuple[str, ...]) -> str:
        """The vendor whose package name the title's tokens are or begin with, or ''."""
        if self._names is None:
            self._names = self._load()
        for size in range(len(tokens), 0, -1):
            vendor = self._names.get(tokens[:size])
            if vendor is not None and (size > 1 or size == len(tokens)):
                return vendor
        return ""


@lru_cache(maxsize=1)
def product_names() -> ProductNames:
    """The winget package-name index (data/winget_products.tsv.gz), shared and loaded lazily."""
    return ProductNames()


@lru_cache(maxsize=1)
def winget_licences() -> dict[tuple[str, ...], str]:
    """winget package names (identity tokens) whose tags say how they are licensed: 'paid' or 'free'
    (data/winget_licences.tsv.gz)."""
    raw = resources.files(__package__).joinpath("data/winget_licences.tsv.gz").read_bytes()
    rows = (line.split("\t") for line in gzip.decompress(raw).decode("utf-8").splitlines()[1:])
    return {tuple(key.split()): kind for key, kind in rows}


@lru_cache(maxsize=1)
def debian_packages() -> DebianIndex:
    """The Debian package index (data/debian_packages.tsv.gz), shared and loaded lazily."""
    return DebianIndex()


def _alternation(groups: dict[str, list[str]]) -> re.Pattern[str]:
    fragments = [fragment for words in groups.values() for fragment in words]
    return re.compile("|".join(f"(?:{f})" for f in fragments), re.IGNORECASE)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary (data/vocabulary.json), compiled."""
    data: dict[str, Any] = json.loads(_read("vocabulary.json"))
    words = sorted(data["driver_words"].items(), key=lambda item: -len(item[0]))
    return Vocabulary(
        update=_alternation(data["update"]),
        language_pack=_alternation(data["language_pack"]),
        driver=_alternation(data["driver"]),
        component=_alternation(data["component"]),
        free_title=_alternation(data["free_title"]),
        free_publisher=_alternation(data["free_publisher"]),
        technical_word=_alternation(data["technical_word"]),
        driver_words=tuple((re.compile(re.escape(word), re.IGNORECASE), english) for word, english in words),
        unknown_part=_alternation(data["unknown_part"]),
        unknown_free=_alternation(data["unknown_free"]),
        licensable=_alternation(data["licensable"]),
        commercial_publisher=_alternation(data["commercial_publisher"]),
        # Case matters in a package name (rpm and dpkg names are lower-case): not IGNORECASE.
        package_name=re.compile("|".join(data["package_name"]["all"])),
    )


def debian_category_is_component(package: str, section: str, source: str = "") -> bool:
    """A Debian package is a component when its section or its name says it is a part."""
    if section in COMPONENT_SECTIONS:
        return True
    if package.startswith("lib") and source and not source.startswith("lib") and package != source:
        # libpam-modules, libbinutils: the library half of a program's source package.
        return True
    if section in MODULE_SECTIONS and re.match(
        r"^(?:python3?-|lib.+-(?:perl|java|ruby|php|ocaml)$|ruby-|php-|golang-|node-|librust-|libghc-)", package
    ):
        return True
    if re.match(r"^(?:aspell|hunspell|myspell|hyphen|mythes|ispell|wamerican|wbritish)-|^(?:base-files|base-passwd|"
                r"ca-certificates|tzdata|media-types|mime-support|sgml-base|xml-core|docbook(?:-.*)?|.*-archive-keyring)$",
                package):
        return True
    if _PART_PACKAGE_NAME.search(package):
        return True
    return bool(re.search(r"-(?:dev|data|common|doc|docs|l10n|i18n|locale|man|dbg|headers|firmware|fonts?|icon-theme|"
                          r"schemas|conf|config|keyring|core|plugins?|modules?|cups|alsa|runtime|minimal|"
                          r"emulator|user-session)$|\.ids$", package))
