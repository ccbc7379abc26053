"""Hardware identifiers for duplicate detection: normalised, with the junk ones left out."""

from __future__ import annotations

import re
from enum import StrEnum

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")

#: Values firmware and agents put where a serial or UUID should be.
JUNK_VALUES = frozenset({
    "", "0", "00", "000", "0000", "NONE", "NULL", "NA", "N/A", "UNKNOWN", "DEFAULT",
    "DEFAULTSTRING", "TOBEFILLEDBYOEM", "SYSTEMSERIALNUMBER", "SERIALNUMBER",
    "CHASSISSERIALNUMBER", "NOTSPECIFIED", "NOTAPPLICABLE", "NOTAVAILABLE", "OEM",
    "123456789", "1234567890", "0123456789", "INVALID", "EMPTY", "XXXXXXXX", "SN", "TBD",
})
#: MAC prefixes of virtual adapters (VMware, VirtualBox, Hyper-V, QEMU/KVM, Xen, Parallels).
VIRTUAL_MAC_PREFIXES = ("000569", "000C29", "001C14", "005056", "080027", "0A0027",
                        "00155D", "525400", "00163E", "001C42")


class IdentifierKind(StrEnum):
    """Which identifier a value is."""

    SERIAL = "serial"
    UUID = "uuid"
    MAC = "mac"


def normalise(kind: str, value: str) -> str:
    """The identifier in a form that compares equal across tools; "" when it is junk."""
    compact = _NOT_ALNUM.sub("", value.upper())
    if compact in JUNK_VALUES or len(set(compact)) <= 1:
        return ""
    if kind == IdentifierKind.MAC:
        if len(compact) != 12 or compact.startswith(VIRTUAL_MAC_PREFIXES):
            return ""
        if compact in ("FFFFFFFFFFFF",):
            return ""
        return ":".join(compact[i:i + 2] for i in range(0, 12, 2))
    if kind == IdentifierKind.UUID:
        if len(compact) != 32 or compact in ("03000200040005000006000700080009",
                                             "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"):
            return ""
        return compact
    if compact.startswith(("TOBEFILLED", "SYSTEMSERIAL", "DEFAULTSTRING")):
        return ""
    return compact


def is_junk(kind: str, value: str) -> bool:
    """True for an identifier that must not be used to match records."""
    return normalise(kind, value) == ""
