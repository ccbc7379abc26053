"""Linux distributions named by package names and by a whole listing (distributions.py, normalise_listing)."""

from __future__ import annotations

import csv
import io

import pytest

from ictmerge.engine.software import Category, Normaliser, RawTitle, normalise_csv
from ictmerge.engine.software.distributions import (
    ALPINE,
    ARCH,
    MANJARO,
    OPENSUSE,
    alpine_origin,
    alpine_release,
    distribution_from_name,
    listing_distribution,
)


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser()


def _bare(*names: str) -> list[RawTitle]:
    return [RawTitle(name, "", "") for name in names]


@pytest.mark.parametrize(("name", "distribution"), [
    ("libgtk-3_0-0", OPENSUSE),
    ("glibc-32bit", OPENSUSE),
    ("typelib-1_0-Gtk-3_0", OPENSUSE),
    ("virtualbox-kmp-default", OPENSUSE),
    ("yast2-network", OPENSUSE),
    ("lib32-glibc", ARCH),
    ("xorg-xrandr", ARCH),
    ("manjaro-settings-manager", MANJARO),
    ("mhwd", MANJARO),
    ("firefox", ""),
    ("xorg-x11-server-Xorg", ""),
])
def test_it_reads_the_distribution_from_its_naming_conventions(name: str, distribution: str) -> None:
    """GIVEN a package name alone WHEN read THEN the distribution whose naming it follows, or none."""
    assert distribution_from_name(name, known_to_debian=False) == distribution


def test_it_reads_no_distribution_from_a_name_debian_ships() -> None:
    """GIVEN a name the Debian index knows ('xorg-docs') WHEN read THEN it names no other distribution."""
    assert distribution_from_name("xorg-docs", known_to_debian=True) == ""


def test_it_takes_a_listings_distribution_only_from_enough_agreeing_rows() -> None:
    """GIVEN what each row names WHEN the listing is read THEN one distribution named thrice, never a contradiction."""
    assert listing_distribution([OPENSUSE, "", OPENSUSE, OPENSUSE]) == OPENSUSE
    assert listing_distribution([OPENSUSE, "", OPENSUSE]) == ""
    assert listing_distribution([OPENSUSE, OPENSUSE, OPENSUSE, "Ubuntu"]) == ""
    assert listing_distribution([ARCH, ARCH, MANJARO]) == MANJARO
    assert listing_distribution([ARCH, ARCH, ARCH]) == ARCH


def test_it_names_the_vendor_and_source_of_an_opensuse_library(normaliser: Normaliser) -> None:
    """GIVEN an openSUSE 32-bit compatibility library WHEN normalised THEN openSUSE's part of the library's source."""
    result = normaliser.normalise(RawTitle("libxml2-2-32bit", "", ""))
    assert (result.vendor, result.product, result.category) == (OPENSUSE, "libxml2", Category.COMPONENT)
    assert result.confidence == 0.85


def test_it_keeps_the_vendor_of_a_bare_debian_name_empty(normaliser: Normaliser) -> None:
    """GIVEN a package name Debian ships, without version or publisher WHEN normalised THEN no vendor is invented."""
    result = normaliser.normalise(RawTitle("iptables", "", ""))
    assert (result.vendor, result.product) == ("", "iptables")
    assert result.needs_review


def test_it_gives_a_listings_bare_names_its_distribution(normaliser: Normaliser) -> None:
    """GIVEN an openSUSE listing WHEN normalised as one THEN its names without evidence are openSUSE's, less sure."""
    results = normaliser.normalise_listing(
        _bare("libgtk-3_0-0", "glibc-32bit", "typelib-1_0-Gtk-3_0", "iptables", "wpa_supplicant", "Firefox"))
    assert [r.vendor for r in results[:5]] == [OPENSUSE] * 5
    assert results[3].confidence == 0.8 and results[0].confidence == 0.85
    assert results[5].vendor != OPENSUSE


def test_it_gives_a_derivatives_listing_its_own_name(normaliser: Normaliser) -> None:
    """GIVEN a Manjaro listing with Arch's multilib names WHEN normalised THEN every package is Manjaro's."""
    results = normaliser.normalise_listing(_bare("lib32-glibc", "xorg-xinit", "manjaro-settings-manager", "htop"))
    assert {r.vendor for r in results} == {MANJARO}


def test_it_gives_no_distribution_to_a_listing_that_names_two(normaliser: Normaliser) -> None:
    """GIVEN openSUSE names and an Ubuntu version in one listing WHEN normalised THEN bare names stay without vendor."""
    raws = [*_bare("libgtk-3_0-0", "glibc-32bit", "typelib-1_0-Gtk-3_0", "iptables"),
            RawTitle("bash", "", "5.1-6ubuntu1")]
    assert normaliser.normalise_listing(raws)[3].vendor == ""


def test_it_reads_a_csv_file_as_one_listing() -> None:
    """GIVEN a CSV of an openSUSE listing WHEN normalised THEN a bare name takes the listing's distribution."""
    source = io.StringIO("name,publisher,version\nlibgtk-3_0-0,,\nglibc-32bit,,\ntypelib-1_0-Gtk-3_0,,\niptables,,\n")
    target = io.StringIO()
    normalise_csv(source, target, Normaliser())
    rows = list(csv.DictReader(io.StringIO(target.getvalue())))
    assert rows[3]["vendor"] == OPENSUSE


def _ubuntu_listing() -> list[RawTitle]:
    return [RawTitle("bash", "", "5.2.21-2ubuntu4"), RawTitle("coreutils", "", "9.4-3ubuntu6"),
            RawTitle("systemd", "", "255.4-1ubuntu8"), RawTitle("cabextract", "", "1.11-1"),
            RawTitle("ubuntu-release-upgrader-core", "", "1:24.04.19")]


def test_it_gives_an_ubuntu_listings_debian_versions_to_ubuntu(normaliser: Normaliser) -> None:
    """GIVEN an Ubuntu listing with a package at Debian's version WHEN normalised as one THEN it is Ubuntu's, less sure."""
    raws = _ubuntu_listing()
    alone = normaliser.normalise(raws[3])
    listed = normaliser.normalise_listing(raws)
    assert alone.vendor == "Debian"
    assert listed[3].vendor == "Ubuntu" and listed[3].confidence <= 0.8


def test_it_gives_an_unnamed_versioned_package_the_listings_distribution(normaliser: Normaliser) -> None:
    """GIVEN an Ubuntu listing with a native package whose version names nobody WHEN normalised as one THEN Ubuntu's."""
    raws = [*_ubuntu_listing(), RawTitle("frobnicate-symptoms", "", "0.25")]
    assert normaliser.normalise(raws[-1]).vendor == ""
    assert normaliser.normalise_listing(raws)[-1].vendor == "Ubuntu"


def test_it_keeps_a_debian_listing_with_two_ubuntu_versions_debian(normaliser: Normaliser) -> None:
    """GIVEN a Debian listing where two packages carry '…ubuntu…' versions WHEN normalised THEN the others stay Debian's."""
    raws = [RawTitle("bash", "", "5.2.15-2+b2"), RawTitle("coreutils", "", "9.1-1"), RawTitle("cabextract", "", "1.11-1"),
            RawTitle("foo-tool", "", "1.0-0ubuntu1"), RawTitle("bar-tool", "", "2.0-1ubuntu2")]
    assert [r.vendor for r in normaliser.normalise_listing(raws)[:3]] == ["Debian"] * 3
    assert listing_distribution(["Debian", "Debian", "Ubuntu", "Ubuntu"]) == "Debian"
    assert listing_distribution(["Debian", "Ubuntu", "Ubuntu", "Ubuntu"]) == "Ubuntu"


@pytest.mark.parametrize("name", ["breeze-cursor-theme", "gnome-accessibility-themes", "sound-theme-freedesktop",
                                  "i965-va-driver", "va-driver-all", "qml-module-qtquick-controls2"])
def test_it_calls_themes_va_drivers_and_qml_modules_components(normaliser: Normaliser, name: str) -> None:
    """GIVEN a theme, a VA-API driver or a QML module package WHEN normalised THEN a component (data or part of a desktop)."""
    assert normaliser.normalise(RawTitle(name, "", "1.0-1")).category is Category.COMPONENT


def _alpine_listing() -> list[RawTitle]:
    return [RawTitle("musl", "", "1.1.15-r5"), RawTitle("busybox", "", "1.25.1-r0"), RawTitle("zlib", "", "1.2.8-r2"),
            RawTitle("alpine-conf", "", "3.5.0-r0"), RawTitle("openssl", "", "1.0.2j-r0")]


@pytest.mark.parametrize(("version", "distribution"), [
    ("1.25.1-r0", ALPINE), ("1.2.8-r2", ""), ("3.0.30-r3", ""), ("1.11-1", ""), ("r0", "")])
def test_it_reads_alpine_from_the_r0_release_only(version: str, distribution: str) -> None:
    """GIVEN a package version WHEN read THEN only Alpine's written '-r0' names Alpine (Gentoo writes '-rN' for N ≥ 1 only)."""
    assert alpine_release(version) == distribution


@pytest.mark.parametrize(("name", "origin"), [
    ("xz-libs", "xz"), ("openssh-doc", "openssh"), ("nginx-openrc", "nginx"), ("git-bash-completion", "git"),
    ("php7-curl", "php7"), ("php7-pdo_mysql", "php7"), ("php8-fpm", "php8"), ("php7-apcu", ""),
    ("php7", ""), ("apr-util", ""), ("libressl", "")])
def test_it_reads_the_origin_of_an_alpine_subpackage(name: str, origin: str) -> None:
    """GIVEN an Alpine package name WHEN read THEN a sub-package names its origin (APKBUILD subpackages), PECL's own do not."""
    assert alpine_origin(name) == origin


def test_it_gives_an_alpine_listings_subpackages_their_origin(normaliser: Normaliser) -> None:
    """GIVEN an Alpine listing ('-r0' releases) with php7 extensions WHEN normalised as one THEN each is php7's part, Alpine's."""
    raws = [*_alpine_listing(), RawTitle("php7-json", "", "7.0.14-r0"), RawTitle("php7-mbstring", "", "7.0.14-r0")]
    listed = normaliser.normalise_listing(raws)[-2:]
    assert {(r.vendor, r.product, r.category) for r in listed} == {("Alpine Linux", "php7", Category.COMPONENT)}


def test_it_leaves_a_listing_with_gentoo_revisions_alone(normaliser: Normaliser) -> None:
    """GIVEN rows with '-r1', '-r2' revisions only (Gentoo's too) WHEN normalised as one THEN no Alpine vendor is given."""
    raws = [RawTitle("zlib", "", "1.2.8-r2"), RawTitle("foo-tool", "", "1.0-r1"), RawTitle("bar-tool", "", "2.0-r3"),
            RawTitle("php7-json", "", "7.0.14-r1")]
    assert all(r.vendor != "Alpine Linux" for r in normaliser.normalise_listing(raws))


def test_it_reads_an_apk_info_v_listing_as_names_and_versions(normaliser: Normaliser) -> None:
    """GIVEN an `apk info -v` listing ('name-version-rN') WHEN normalised as one THEN the version leaves the name."""
    raws = [RawTitle(f"{raw.name}-{raw.version}", "", "") for raw in _alpine_listing()]
    listed = normaliser.normalise_listing([*raws, RawTitle("php7-json-7.0.14-r0", "", "")])
    assert listed[1].product == "busybox" and listed[1].vendor == "Alpine Linux"
    assert (listed[-1].product, listed[-1].vendor) == ("php7", "Alpine Linux")


def test_it_is_less_sure_of_a_secondary_binary_called_free(normaliser: Normaliser) -> None:
    """GIVEN a source's other binary its section calls free WHEN normalised THEN below 0.9; the source's own binary is not."""
    other = normaliser.normalise(RawTitle("gitweb", "", "1:2.25.1-1ubuntu3"))
    own = normaliser.normalise(RawTitle("git", "", "1:2.25.1-1ubuntu3"))
    assert (other.product, other.category, own.product) == ("git", Category.FREE, "git")
    assert other.confidence < 0.9 <= own.confidence
