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
ALPINE = "Alpine Linux"

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


# Alpine's package release: every apk version ends in `-r<pkgrel>`, `-r0` included (APKBUILD
# Reference, `pkgrel`). Gentoo also writes `-rN`, but never `-r0` (its revision 0 is implied: PMS,
# "version specification"), so only `-r0` names Alpine by itself; the listing vote does the rest.
_ALPINE_RELEASE = re.compile(r"^\d[\w.+]*-r0$")
# Alpine's sub-packages, by the APKBUILD Reference ("subpackages"): the default split functions
# `-doc`, `-dev`, `-dbg`, `-static`, `-openrc`, `-lang`, `-libs`, the shell completions and `-pyc`,
# named `<origin>-<suffix>`; and the PHP APKBUILDs' sub-packages `php<N>-<ext>` of `php<N>`: each
# extension bundled with PHP's source (php-src `ext/`, PHP 5 to 8) and the SAPIs and parts the
# APKBUILD splits off. An extension from PECL (`php7-apcu`, `php7-pecl-…`) has its own APKBUILD, so
# only the bundled names count.
_PHP_BUNDLED = (
    "bcmath|bz2|calendar|ctype|curl|dba|dom|enchant|exif|ffi|fileinfo|filter|ftp|gd|gettext|gmp|hash"
    "|iconv|imap|interbase|intl|json|ldap|mbstring|mcrypt|mssql|mysql|mysqli|mysqlnd|odbc|opcache"
    "|openssl|pcntl|pdo|pdo_dblib|pdo_firebird|pdo_mysql|pdo_odbc|pdo_pgsql|pdo_sqlite|pgsql|phar"
    "|posix|pspell|readline|recode|session|shmop|simplexml|snmp|soap|sockets|sodium|sqlite3|sysvmsg"
    "|sysvsem|sysvshm|tidy|tokenizer|wddx|xml|xmlreader|xmlrpc|xmlwriter|xsl|zip|zlib"
    "|common|cli|cgi|fpm|apache2|embed|phpdbg|litespeed|pear")
_ALPINE_SUBPACKAGE = re.compile(
    r"^(?P<origin>.+?)-(?:doc|dev|dbg|static|openrc|lang|libs|pyc|(?:bash|zsh|fish)-completion)$"
    rf"|^(?P<php>php\d*)-(?:{_PHP_BUNDLED})$")


# `apk info -v` writes each package as `name-version-r<pkgrel>` ("musl-1.1.15-r5"); Alpine's
# versions start with a digit (APKBUILD Reference, `pkgver`). A slash is Gentoo's `category/name`.
_APK_NAME_VERSION = re.compile(r"^(?P<name>[a-z0-9][^/\s]*?)-(?P<version>\d[\w.+]*-r\d+)$")


def apk_name_version(title: str) -> tuple[str, str] | None:
    """The name and version of an `apk info -v` line ('musl-1.1.15-r5' → ('musl', '1.1.15-r5')), or None."""
    found = _APK_NAME_VERSION.match(title.strip())
    return None if found is None else (found.group("name"), found.group("version"))


def alpine_release(version: str) -> str:
    """ALPINE when a package version carries Alpine's `-r0` release ('6.6.2-r0'), else ''."""
    return ALPINE if _ALPINE_RELEASE.match(version.strip()) else ""


def alpine_origin(name: str) -> str:
    """The origin (APKBUILD) of an Alpine sub-package name ('php7-curl' → php7, 'xz-libs' → xz), or ''."""
    found = _ALPINE_SUBPACKAGE.match(name)
    if found is None:
        return ""
    return found.group("origin") or found.group("php")


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
