"""Which Linux distribution a package name, or a whole listing of package names, names.

A listing such as `zypper search -i` or `pacman -Qqe` gives package names only: no version, no
publisher. Some names carry their distribution's naming conventions (openSUSE's `-32bit` and
sonames with underscores, Arch's `lib32-`, Manjaro's own packages); the other names of the same
listing carry none, but a listing is one machine's, so one distribution. The rules below were
checked against the Debian 12 and 13 indexes (data/debian_packages.tsv.gz): no Debian binary
package name matches any of them, so none fires on a Debian or Ubuntu listing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

OPENSUSE = "openSUSE"
ARCH = "Arch Linux"
MANJARO = "Manjaro"
UBUNTU = "Ubuntu"
DEBIAN = "Debian"

# Naming conventions of one distribution (packaging guidelines of openSUSE, Arch and Manjaro):
# openSUSE: 32-bit compatibility packages `…-32bit`, library packages named after the soname with
# dots written as underscores (`libgtk-3_0-0`, `boost-license1_53_0`), GObject typelibs
# `typelib-1_0-…`, kernel module packages `…-kmp-<flavour>`, YaST, patterns and branding packages.
# Arch: multilib packages `lib32-…`; the X.org split packages `xorg-<program>` (Debian's four
# `xorg-…` names are excluded by the caller: only names Debian does not know count).
# Manjaro: its own tools and settings (`manjaro-…`, `mhwd…`).
_NAME_CONVENTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"-32bit$|\d_\d|^typelib-\d+_\d+-|-kmp-[a-z]+$|^yast2(?:-|$)|^patterns-(?:opensuse|sles?|base)"
                r"|-branding-opensuse$", re.IGNORECASE), OPENSUSE),
    (re.compile(r"^manjaro-|-manjaro$|^mhwd(?:-|$)", re.IGNORECASE), MANJARO),
    (re.compile(r"^lib32-|^xorg-(?!x11-)[a-z]", re.IGNORECASE), ARCH),
)
# A derivative and the distribution it is built from: the derivative's own packages name it,
# the inherited ones name the parent (Ubuntu syncs Debian's packages with Debian's versions: on an
# Ubuntu machine they come from Ubuntu's archive all the same).
_PARENT = {MANJARO: ARCH, UBUNTU: DEBIAN}
# Rows that must name the same distribution before a listing's other rows take it (assumption:
# one or two names could be a package built elsewhere; three agreeing names of one listing are
# a distribution's naming, not chance).
MIN_LISTING_EVIDENCE = 3
# Rows that must name the derivative before the listing is the derivative's: Manjaro's own tools
# (`manjaro-…`, `mhwd`) are installed on Manjaro only; one or two "…ubuntu…" versions could be a
# PPA's packages on a Debian machine (assumption, the listing threshold).
_DERIVATIVE_EVIDENCE = {MANJARO: 1, UBUNTU: MIN_LISTING_EVIDENCE}


def distribution_from_name(name: str, known_to_debian: bool) -> str:
    """The distribution whose naming conventions a package name follows ('libgtk-3_0-0' → openSUSE), or ''."""
    if known_to_debian or " " in name:
        return ""
    for pattern, distribution in _NAME_CONVENTIONS:
        if pattern.search(name):
            return distribution
    return ""


def derivative_of(derivative: str, parent: str) -> bool:
    """True when `derivative` is built from `parent` (Manjaro from Arch Linux)."""
    return _PARENT.get(derivative) == parent


def listing_distribution(evidence: Iterable[str]) -> str:
    """The one distribution a listing's rows name, or '' when they name none, too few, or several.

    `evidence` is what each row names by itself ('' for nothing). A derivative's rows and its
    parent's rows agree (Manjaro with Arch Linux: the derivative); any other distribution
    contradicts, and then the listing names nothing.
    """
    counts = Counter(found for found in evidence if found)
    if not counts or sum(counts.values()) < MIN_LISTING_EVIDENCE:
        return ""
    families = {_PARENT.get(found, found) for found in counts}
    if len(families) != 1:
        return ""
    derivatives = [found for found in counts if found in _PARENT and counts[found] >= _DERIVATIVE_EVIDENCE[found]]
    if len(derivatives) == 1:
        return derivatives[0]
    parent = families.pop()
    return parent if parent in counts else ""
