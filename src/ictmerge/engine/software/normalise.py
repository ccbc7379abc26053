"""Raw installed titles to normalised products: steward rules, catalogue, rules, fuzzy."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from .catalogue import Catalogue, CatalogueProduct, CatalogueRule, Category, load_catalogue
from .text import clean_title, fold, identity_tokens, strip_accents

# Below this a result goes to the steward's review queue.
REVIEW_THRESHOLD = 0.8
FUZZY_CUTOFF = 88.0

_YEAR = re.compile(r"(?<![\d.])(19[89]\d|20[0-4]\d)(?![\d.])")
_NUMBER = re.compile(r"(?<![\w.])v?(\d+)(?:\.\d+)*(?![\w])")
_KB = re.compile(r"\bkb\d+", re.IGNORECASE)
_ARCHITECTURE = re.compile(r"\b(?:32|64)[- ]?(?:bit|разрядн\w*)|\bx(?:64|86)\b|\bamd64\b|\bwin(?:32|64)\b", re.IGNORECASE)
_LEGAL_PREFIX = re.compile(r"^(?:sia|as|vas|ooo|ооо|ао|зао|uab|oü)\s+", re.IGNORECASE)
_LINUX_VERSION = re.compile(r"\.(?:fc|el|mga|amzn)\d+|ubuntu|[+~]deb\d|\.remi\b|\.teclib\b|\.centos")
_LEGAL_SUFFIX = re.compile(
    r"[,.]?\s+(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|gmbh|ag|sia|as|"
    r"s\.?a|s\.?r\.?o|spol\. s r\.?o|oy|ab|bv|b\.v|l\.?p|plc|pty)\.?$",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_VERSIONISH = re.compile(r"(?<![\w])v?\d+(?:[.,_-]\d+)*[a-z]?(?![\w])", re.IGNORECASE)
_DASH_TAIL = re.compile(r"\s+[-–]\s+.*$")


class Method(StrEnum):
    """How a title was recognised."""

    RULE = "rule"
    CATALOGUE = "catalogue"
    FUZZY = "fuzzy"
    UNKNOWN = "unknown"


class MatchKind(StrEnum):
    """How a steward's rule compares its pattern with a title."""

    EXACT = "exact"
    CONTAINS = "contains"
    REGEX = "regex"


@dataclass(frozen=True, slots=True)
class RawTitle:
    """A title as an inventory reports it."""

    name: str
    publisher: str = ""
    version: str = ""


@dataclass(frozen=True, slots=True)
class NormalisedTitle:
    """A raw title resolved to vendor, product, major version and category."""

    vendor: str
    product: str
    major_version: str
    category: Category
    confidence: float
    method: Method
    needs_review: bool
    rule_id: str = ""

    @property
    def product_key(self) -> tuple[str, str]:
        """Case-insensitive identity of the product, for grouping and licence positions."""
        return (self.vendor.casefold(), self.product.casefold())


@dataclass(frozen=True, slots=True)
class UserRule:
    """A steward's mapping; it takes precedence over everything the engine knows."""

    pattern: str
    vendor: str
    product: str
    category: Category
    match: MatchKind = MatchKind.EXACT
    publisher: str = ""
    major_version: str | None = None
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class _Alias:
    tokens: tuple[str, ...]
    product: CatalogueProduct
    order: int

    @property
    def rank(self) -> tuple[int, int, int, int]:
        """Sort key: edition-specific first, then longer aliases, then catalogue order."""
        return (int(self.product.edition_unknown), -len(self.tokens), -len("".join(self.tokens)), self.order)


def _key(text: str) -> str:
    return " ".join(fold(clean_title(text)).split())


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(strip_accents(t) for t in identity_tokens(fold(clean_title(text))))


def major_version(folded_name: str, version: str) -> str:
    """Marketing year in the name (Office 2016) first, then the version field, then a name number."""
    name = _ARCHITECTURE.sub(" ", _KB.sub(" ", folded_name))
    year = _YEAR.search(name)
    if year:
        return year.group(1)
    found = _NUMBER.search(version.strip())
    if found:
        return found.group(1)
    found = _NUMBER.search(name)
    return found.group(1) if found else ""


def display_product(cleaned: str, vendor: str) -> str:
    """A readable product name from an unknown title: no versions, brackets or vendor prefix."""
    text = _BRACKETED.sub(" ", _ARCHITECTURE.sub(" ", cleaned))
    text = _DASH_TAIL.sub("", text)
    text = _VERSIONISH.sub(" ", text)
    words = text.split()
    vendor_words = vendor.casefold().split()
    if vendor_words and [w.casefold() for w in words[: len(vendor_words)]] == vendor_words and len(words) > len(vendor_words):
        words = words[len(vendor_words) :]
    return " ".join(words).strip(" -_,.:;") or cleaned


def clean_publisher(publisher: str) -> str:
    """Publisher without legal suffixes and copyright noise."""
    text = clean_title(publisher)
    text = re.sub(r"^(?:copyright\s*)?(?:\(c\)\s*)?", "", text, flags=re.IGNORECASE)
    text = _LEGAL_PREFIX.sub("", text.strip('"'))
    for _ in range(2):
        text = _LEGAL_SUFFIX.sub("", text).strip(" ,.")
    return text


class Normaliser:
    """Normalises raw titles; build once from the catalogue and the stewards' rules."""

    def __init__(self, catalogue: Catalogue | None = None, user_rules: Sequence[UserRule] = ()) -> None:
        self.catalogue = catalogue if catalogue is not None else load_catalogue()
        self._cache: dict[tuple[str, str, str], NormalisedTitle] = {}
        self._exact_rules: dict[tuple[str, str], UserRule] = {}
        self._pattern_rules: list[tuple[re.Pattern[str], UserRule]] = []
        for rule in user_rules:
            self._add_user_rule(rule)
        self._vendor_by_publisher: dict[str, str] = {}
        self._vendor_prefixes: list[tuple[tuple[str, ...], str]] = []
        self._default_category: dict[str, Category] = {}
        self._distribution_vendors: set[str] = set()
        for vendor in self.catalogue.vendors:
            self._vendor_by_publisher[_key(vendor.name)] = vendor.name
            for alias in vendor.publisher_aliases:
                self._vendor_by_publisher[_key(alias)] = vendor.name
            for prefix in vendor.title_prefixes:
                self._vendor_prefixes.append((_tokens(prefix), vendor.name))
            if vendor.default_category is not None:
                self._default_category[vendor.name] = vendor.default_category
            if vendor.distribution:
                self._distribution_vendors.add(vendor.name)
        self._vendor_prefixes.sort(key=lambda item: -len(item[0]))
        self._aliases_by_token: dict[str, list[_Alias]] = {}
        fuzzy_choices: list[str] = []
        self._fuzzy_products: list[CatalogueProduct] = []
        for order, product in enumerate(self.catalogue.products):
            for alias_text in (*product.aliases, f"{product.vendor} {product.product}"):
                tokens = _tokens(alias_text)
                if not tokens:
                    continue
                entry = _Alias(tokens, product, order)
                self._aliases_by_token.setdefault(tokens[0], []).append(entry)
                fuzzy_choices.append(" ".join(tokens))
                self._fuzzy_products.append(product)
        for aliases in self._aliases_by_token.values():
            aliases.sort(key=lambda a: a.rank)
        self._fuzzy_choices = fuzzy_choices
        self._rules = [(re.compile(r.pattern), r) for r in self.catalogue.rules]
        self._linux_patterns = [re.compile(p) for p in self.catalogue.linux_component_patterns]

    def _add_user_rule(self, rule: UserRule) -> None:
        if rule.match is MatchKind.EXACT:
            self._exact_rules[(_key(rule.pattern), _key(rule.publisher))] = rule
        elif rule.match is MatchKind.CONTAINS:
            self._pattern_rules.append((re.compile(re.escape(_key(rule.pattern))), rule))
        else:
            self._pattern_rules.append((re.compile(rule.pattern, re.IGNORECASE), rule))

    def normalise(self, raw: RawTitle) -> NormalisedTitle:
        """Normalise one raw title (cached: inventories repeat titles thousands of times)."""
        key = (raw.name, raw.publisher, raw.version)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._normalise_uncached(raw)
            self._cache[key] = cached
        return cached

    def normalise_many(self, raws: Iterable[RawTitle]) -> list[NormalisedTitle]:
        """Normalise many raw titles, in order."""
        cache = self._cache
        out: list[NormalisedTitle] = []
        append = out.append
        for raw in raws:
            hit = cache.get((raw.name, raw.publisher, raw.version))
            append(hit if hit is not None else self.normalise(raw))
        return out

    # -- the steps, in precedence order --------------------------------------------------

    def _normalise_uncached(self, raw: RawTitle) -> NormalisedTitle:
        cleaned = clean_title(raw.name)
        folded = fold(cleaned)
        publisher_vendor = self._publisher_vendor(raw.publisher)
        version = major_version(folded, raw.version)
        tokens = tuple(strip_accents(t) for t in identity_tokens(folded))
        return (
            self._by_user_rule(raw, cleaned, folded, version)
            or self._by_linux_package(raw, publisher_vendor)
            or self._by_rule(folded, tokens, publisher_vendor, version)
            or self._by_catalogue(tokens, publisher_vendor, version)
            or self._by_fuzzy(tokens, publisher_vendor, version)
            or self._unknown(cleaned, tokens, raw.publisher, publisher_vendor, version)
        )

    def _by_user_rule(self, raw: RawTitle, cleaned: str, folded: str, version: str) -> NormalisedTitle | None:
        name_key = " ".join(folded.split())
        rule = self._exact_rules.get((name_key, _key(raw.publisher))) or self._exact_rules.get((name_key, ""))
        if rule is None:
            publisher_key = _key(raw.publisher)
            for pattern, candidate in self._pattern_rules:
                if candidate.publisher and _key(candidate.publisher) != publisher_key:
                    continue
                if pattern.search(name_key if candidate.match is MatchKind.CONTAINS else cleaned):
                    rule = candidate
                    break
        if rule is None:
            return None
        return NormalisedTitle(
            vendor=rule.vendor,
            product=rule.product,
            major_version=rule.major_version if rule.major_version is not None else version,
            category=rule.category,
            confidence=1.0,
            method=Method.RULE,
            needs_review=False,
            rule_id=f"user:{rule.rule_id}" if rule.rule_id else "user",
        )

    def _by_linux_package(self, raw: RawTitle, publisher_vendor: str) -> NormalisedTitle | None:
        """Distribution packages: the package name is the product; libraries are components."""
        if publisher_vendor not in self._distribution_vendors and not _LINUX_VERSION.search(raw.version):
            return None
        name = raw.name.strip()
        if not name or " " in name:
            return None
        lowered = name.casefold()
        is_component = any(p.search(lowered) for p in self._linux_patterns)
        return NormalisedTitle(
            vendor=publisher_vendor or clean_publisher(raw.publisher) or "Linux distribution",
            product=name,
            major_version=major_version("", raw.version),
            category=Category.COMPONENT if is_component else Category.FREE,
            confidence=0.85,
            method=Method.RULE,
            needs_review=False,
            rule_id="linux-package",
        )

    def _by_rule(
        self, folded: str, tokens: tuple[str, ...], publisher_vendor: str, version: str
    ) -> NormalisedTitle | None:
        for pattern, rule in self._rules:
            if not pattern.search(folded):
                continue
            if rule.defer_to_catalogue:
                found = self._by_catalogue(tokens, publisher_vendor, version)
                if found is not None and found.category is Category.COMPONENT:
                    return found
            return self._apply_rule(rule, tokens, publisher_vendor, version)
        return None

    def _apply_rule(
        self, rule: CatalogueRule, tokens: tuple[str, ...], publisher_vendor: str, version: str
    ) -> NormalisedTitle:
        found = self._best_alias(tokens, anchored=False)
        vendor = publisher_vendor or self._title_vendor(tokens)
        family = ""
        if found is not None:
            family = found.product.family
            vendor_from_catalogue = found.product.vendor
        else:
            vendor_from_catalogue = vendor
        product = rule.product.replace("{catalogue_family}", family).strip()
        product = product[:1].upper() + product[1:]
        resolved_vendor = rule.vendor.replace("{catalogue_vendor}", vendor_from_catalogue).replace("{vendor}", vendor)
        confidence = 0.95 if resolved_vendor else 0.75
        return NormalisedTitle(
            vendor=resolved_vendor,
            product=product,
            major_version=version,
            category=rule.category,
            confidence=confidence,
            method=Method.RULE,
            needs_review=confidence < REVIEW_THRESHOLD,
            rule_id=rule.rule_id,
        )

    def _by_catalogue(
        self, tokens: tuple[str, ...], publisher_vendor: str, version: str
    ) -> NormalisedTitle | None:
        found = self._best_alias(tokens, anchored=True)
        if found is None:
            return None
        product = found.product
        if product.edition_unknown:
            # A misspelt edition ("Acrobat Reder") beats the bare family name.
            refined = self._by_fuzzy(tokens, publisher_vendor, version, family=product.family)
            if refined is not None:
                return refined
            confidence = 0.6
        elif publisher_vendor and publisher_vendor != product.vendor:
            # A known publisher that disagrees with the catalogue is worth a second look.
            confidence = 0.7
        else:
            confidence = 0.97
        return self._from_product(product, confidence, Method.CATALOGUE, version)

    def _by_fuzzy(
        self, tokens: tuple[str, ...], publisher_vendor: str, version: str, family: str = ""
    ) -> NormalisedTitle | None:
        if not tokens:
            return None
        query = " ".join(tokens)
        match = process.extractOne(query, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if match is None:
            return None
        product = self._fuzzy_products[match[2]]
        if publisher_vendor and publisher_vendor != product.vendor:
            return None
        if family and (product.family != family or product.edition_unknown):
            return None
        confidence = round(float(match[1]) / 100 * 0.85, 2)
        if product.edition_unknown:
            confidence = min(confidence, 0.6)
        return self._from_product(product, confidence, Method.FUZZY, version, "fuzzy")

    def _unknown(
        self, cleaned: str, tokens: tuple[str, ...], publisher: str, publisher_vendor: str, version: str
    ) -> NormalisedTitle:
        known_vendor = publisher_vendor or self._title_vendor(tokens)
        vendor = known_vendor or clean_publisher(publisher)
        category = self._default_category.get(vendor, Category.LICENSABLE)
        return NormalisedTitle(
            vendor=vendor,
            product=display_product(cleaned, known_vendor),
            major_version=version,
            # Unknown titles count as licensable until a steward says otherwise: a missed
            # licence costs more than a free program reviewed once.
            category=category,
            confidence=0.5 if vendor in self._default_category else 0.3,
            method=Method.UNKNOWN,
            needs_review=True,
            rule_id="",
        )

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _from_product(
        product: CatalogueProduct, confidence: float, method: Method, version: str, rule_id: str = "catalogue"
    ) -> NormalisedTitle:
        return NormalisedTitle(
            vendor=product.vendor,
            product=product.product,
            major_version=version,
            category=product.category,
            confidence=confidence,
            method=method,
            needs_review=product.edition_unknown or confidence < REVIEW_THRESHOLD,
            rule_id=rule_id,
        )

    def _publisher_vendor(self, publisher: str) -> str:
        if not publisher:
            return ""
        key = _key(publisher)
        vendor = self._vendor_by_publisher.get(key)
        if vendor is None:
            vendor = self._vendor_by_publisher.get(_key(clean_publisher(publisher)), "")
        return vendor

    def _vendor_prefix_length(self, tokens: tuple[str, ...]) -> int:
        for prefix, _vendor in self._vendor_prefixes:
            if tokens[: len(prefix)] == prefix:
                return len(prefix)
        return 0

    def _title_vendor(self, tokens: tuple[str, ...]) -> str:
        for prefix, vendor in self._vendor_prefixes:
            if tokens[: len(prefix)] == prefix:
                return vendor
        return ""

    def _best_alias(self, tokens: tuple[str, ...], anchored: bool) -> _Alias | None:
        """The most specific catalogue alias found as a contiguous run of the title's tokens."""
        best: _Alias | None = None
        best_key: tuple[int, int, int, int, int] | None = None
        start_limit = self._vendor_prefix_length(tokens)
        for index, token in enumerate(tokens):
            for alias in self._aliases_by_token.get(token, ()):
                size = len(alias.tokens)
                if tokens[index : index + size] != alias.tokens:
                    continue
                # A bare family name ("Windows", "Visio") names the product only at the start.
                if anchored and (size == 1 or alias.product.edition_unknown) and index > start_limit:
                    continue
                # Longer aliases win; on a tie the one reaching further right ("Excel Viewer").
                generic, longer, chars, order = alias.rank
                key = (generic, longer, -(index + size), chars, order)
                if best_key is None or key < best_key:
                    best, best_key = alias, key
                break
        return best


def normaliser_for(user_rules: Sequence[UserRule] = ()) -> Normaliser:
    """A normaliser over the shipped catalogue and the given steward rules."""
    return Normaliser(load_catalogue(), user_rules)
