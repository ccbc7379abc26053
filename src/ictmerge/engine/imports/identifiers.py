"""Hardware identifiers for duplicate detection: normalised, with the junk ones left out.

The junk values (placeholders of firmware, adapters shared by every machine of a VPN or
of Windows) are shipped data with their sources: `data/junk_identifiers.csv`.
"""

from __future__ import annotations

import csv
import re
from enum import StrEnum
from functools import cache
from pathlib import Path

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_HEX12 = re.compile(r"[0-9A-F]{12}")
DATA = Path(__file__).resolve().parent / "data" / "junk_identifiers.csv"
#: A serial longer than this is a dump of raw bytes, not a maker's serial (an assumption:
#: the serials of the real files tried are at most 20 characters).
MAX_SERIAL = 50


class IdentifierKind(StrEnum):
    """Which identifier a value is."""

    SERIAL = "serial"
    UUID = "uuid"
    MAC = "mac"


def _compact(value: str) -> str:
    return _NOT_ALNUM.sub("", value.upper())


@cache
def junk_lists() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """Per kind, (exact junk values, junk prefixes), compacted, from the shipped data."""
    exact: dict[str, set[str]] = {}
    prefixes: dict[str, list[str]] = {}
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            value = _compact(row["value"])
            if row["match"] == "prefix":
                prefixes.setdefault(row["kind"], []).append(value)
            else:
                exact.setdefault(row["kind"], set()).add(value)
    return {kind: (frozenset(exact.get(kind, ())), tuple(prefixes.get(kind, ())))
            for kind in ("serial", "uuid", "mac")}


#: Values firmware and agents put where a serial or UUID should be (from the shipped data).
JUNK_VALUES = junk_lists()["serial"][0]
#: MAC prefixes of virtual adapters (from the shipped data).
VIRTUAL_MAC_PREFIXES = junk_lists()["mac"][1]


def _is_listed(kind: str, compact: str) -> bool:
    exact, prefixes = junk_lists()[kind]
    return compact in exact or compact.startswith(prefixes)


def normalise(kind: str, value: str) -> str:
    """The identifier in a form that compares equal across tools; "" when it is junk."""
    compact = _compact(value)
    if compact in JUNK_VALUES or len(set(compact)) <= 1:
        return ""
    if kind == IdentifierKind.MAC:
        if not _HEX12.fullmatch(compact) or _is_listed("mac", compact):
            return ""
        first = int(compact[:2], 16)
        if first & 0b11:  # locally administered or group address (IEEE 802-2014, 8.2)
            return ""
        return ":".join(compact[i:i + 2] for i in range(0, 12, 2))
    if kind == IdentifierKind.UUID:
        if len(compact) != 32 or _is_listed("uuid", compact):
            return ""
        return compact
    if len(compact) > MAX_SERIAL or _is_listed("serial", compact):
        return ""
    return compact


def is_junk(kind: str, value: str) -> bool:
    """True for an identifier that must not be used to match records."""
    return normalise(kind, value) == ""
