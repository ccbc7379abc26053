"""Vendor and product identity: canonical vendors, vendors from titles, Linux packages, parts of a family."""

from __future__ import annotations

import pytest

from ictmerge.engine.software import Category, Normaliser, RawTitle
from ictmerge.engine.software.knowledge import debian_packages, vendor_aliases
from ictmerge.engine.software.normalise import clean_publisher


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser()


@pytest.mark.parametrize(("publisher", "cleaned"), [
    ("(с) ООО «Новые облачные технологии», 2013–2024", "Новые облачные технологии"),
    ('АО "Лаборатория Касперского"', "Лаборатория Касперского"),
    ("компания «Кредо-Диалог»", "Кредо-Диалог"),
    ("Sysinternals - www.sysinternals.com", "Sysinternals"),
    ("Название организации", ""),
    ("Company", ""),
    ("Microsoft Corporation", "Microsoft"),
    ("Корпорация Майкрософт (Microsoft Corp.)", "Корпорация Майкрософт"),
    ("XnView, http://www.xnview.com", "XnView"),
    ("GreenTree Applications SRL", "GreenTree Applications"),
    ("腾讯科技(深圳)有限公司", "腾讯科技(深圳)"),
])
def test_it_cleans_legal_forms_quotes_years_and_placeholders_off_a_publisher(publisher: str, cleaned: str) -> None:
    """GIVEN a publisher with a legal form, quotes, a copyright year, a web address or a template placeholder WHEN cleaned THEN only the name is left."""
    assert clean_publisher(publisher) == cleaned


@pytest.mark.parametrize(("name", "publisher", "vendor"), [
    ("KOMPAS-3D v21", 'ООО "АСКОН-Бизнес-решения"', "ASCON"),
    ("nanoCAD 23.0", "ООО «Нанософт разработка»", "Nanosoft"),
    ("nanoCAD 23.0", "Nanosoft Razrabotka", "Nanosoft"),
    ("Kaspersky Security Center Network Agent", 'АО "Лаборатория Касперского"', "Kaspersky"),
    ("微信", "腾讯科技(深圳)有限公司", "Tencent"),
    ("Some Tool", "Корпорация Майкрософт", "Microsoft"),
    ("Scanner Utility", "SEIKO EPSON Corporation", "Epson"),
    ("HydraVision", "ATI Technologies Inc.", "AMD"),
    ("Catalyst Control Center", "ATI", "AMD"),
    ("Printer Utility", "Lexmark International, Inc.", "Lexmark"),
])
def test_it_gives_localised_and_legal_vendor_names_one_canonical_vendor(
        normaliser: Normaliser, name: str, publisher: str, vendor: str) -> None:
    """GIVEN a vendor's localised or legal name as publisher WHEN normalised THEN the vendor is the canonical one."""
    assert normaliser.normalise(RawTitle(name, publisher, "1.0")).vendor == vendor


def test_it_keeps_at_least_sixty_vendors_with_localised_or_legal_aliases() -> None:
    """GIVEN the vendor alias data WHEN loaded THEN it names many vendors, each with aliases."""
    aliases = vendor_aliases()
    assert len(aliases) >= 60
    assert all(a.publisher_aliases for a in aliases)


@pytest.mark.parametrize(("name", "publisher", "vendor", "product"), [
    ("Epson Event Manager", "SEIKO EPSON Corporation", "Epson", "Event Manager"),
    ("AOMEI Backupper 7.3", "AOMEI International Network Limited.", "AOMEI", "Backupper"),
    ("HUAWEI PC Manager", "Название организации", "Huawei", "PC Manager"),
])
def test_it_takes_the_vendor_from_the_title_when_the_publisher_is_unknown(
        normaliser: Normaliser, name: str, publisher: str, vendor: str, product: str) -> None:
    """GIVEN an unknown or placeholder publisher and a title beginning with a known vendor WHEN normalised THEN the title's vendor wins and leaves the product."""
    result = normaliser.normalise(RawTitle(name, publisher, ""))
    assert (result.vendor, result.product) == (vendor, product)


def test_it_keeps_a_lexicon_vendor_that_the_publisher_does_not_name_from_claiming_the_title(
        normaliser: Normaliser) -> None:
    """GIVEN a title that is a lexicon vendor's name and a publisher that is someone else WHEN normalised THEN the publisher stays the vendor."""
    assert normaliser.normalise(RawTitle("Revo Uninstaller 2.4", "VS Revo Group", "2.4")).vendor == "VS Revo Group"


@pytest.mark.parametrize("name", ["vs_professionalx64msi", "icecap_collection_neutral", "Universal CRT Tools x64"])
def test_it_names_microsoft_for_visual_studio_setup_parts_without_a_publisher(normaliser: Normaliser, name: str) -> None:
    """GIVEN a Visual Studio setup identifier or SDK part with no publisher WHEN normalised THEN the vendor is Microsoft."""
    assert normaliser.normalise(RawTitle(name)).vendor == "Microsoft"


def test_it_knows_debian_13_packages_and_their_source(normaliser: Normaliser) -> None:
    """GIVEN a Debian 13 t64 library from a dpkg listing WHEN normalised THEN its source package is the product and Debian the vendor."""
    assert debian_packages().get("libssl3t64") is not None
    result = normaliser.normalise(RawTitle("libssl3t64:amd64", "", "3.5.1-1"))
    assert (result.vendor, result.product, result.category) == ("Debian", "openssl", Category.COMPONENT)


@pytest.mark.parametrize(("raw", "vendor", "product"), [
    (RawTitle("fuse-libs.x86_64", "@anaconda", ""), "Red Hat", "fuse"),
    (RawTitle("NetworkManager-tui.x86_64", "@rhel-8-for-x86_64-baseos-rpms", ""), "Red Hat", "NetworkManager"),
    (RawTitle("vim-common.x86_64 * @updates * 2:8.0.1763-19.el8", "", ""), "Red Hat", "vim"),
    (RawTitle("gnome-terminal.x86_64", "@fedora", ""), "Fedora Project", "gnome-terminal"),
])
def test_it_reads_an_rpm_listing_as_source_packages(
        normaliser: Normaliser, raw: RawTitle, vendor: str, product: str) -> None:
    """GIVEN an rpm listing's 'name.arch' (or a packed 'name * repo * version' line) WHEN normalised THEN the distribution and the source package."""
    result = normaliser.normalise(raw)
    assert (result.vendor, result.product) == (vendor, product)


@pytest.mark.parametrize(("raw", "vendor"), [
    (RawTitle("libxcb1:amd64", "Debian X Strike Force <debian-x@lists.debian.org>", "1.14-2astra.se10"), "Astra Linux"),
    (RawTitle("fly-admin-ltsp", "Ivan Petrov <ipetrov@astralinux.ru>", "1.2"), "Astra Linux"),
    (RawTitle("libxcb1:amd64", "Debian X Strike Force <debian-x@lists.debian.org>", "1.15-1"), "Debian"),
])
def test_it_names_the_derivative_distribution_from_version_or_maintainer(
        normaliser: Normaliser, raw: RawTitle, vendor: str) -> None:
    """GIVEN a package whose version or maintainer domain names a derivative WHEN normalised THEN the derivative is the vendor."""
    assert normaliser.normalise(raw).vendor == vendor


@pytest.mark.parametrize(("name", "family"), [
    ("Microsoft SQL Server 2019 Tools", "SQL Server"),
    ("1C:Enterprise 8 Thin client (8.3.22.1709)", "1C:Enterprise"),
    ("1С:Предприятие 8 (x86-64) Сервер (8.3.22.1709)", "1C:Enterprise"),
])
def test_it_keeps_a_part_named_after_a_product_apart_from_the_product(
        normaliser: Normaliser, name: str, family: str) -> None:
    """GIVEN a title that names a catalogue product and then a part word (Tools, Server, Thin client) WHEN normalised THEN it is not grouped with the product."""
    assert normaliser.normalise(RawTitle(name)).product != family


def test_it_does_not_fuzzily_add_words_to_a_title(normaliser: Normaliser) -> None:
    """GIVEN 'Microsoft Visual Studio' WHEN normalised THEN it is not Visual Studio Code (a product with one word more)."""
    assert normaliser.normalise(RawTitle("Microsoft® Visual Studio®", "Microsoft Corporation", "17.0")).product \
        != "Visual Studio Code"


@pytest.mark.parametrize(("name", "product"), [
    ("Contoso Backup Manager for Windows 4.2", "Backup Manager"),
    ("Contoso Backup Manager для Linux", "Backup Manager"),
    ("System software for Windows 2.1", "System software for Windows"),
])
def test_it_drops_the_platform_a_product_is_built_for_from_its_name(
        normaliser: Normaliser, name: str, product: str) -> None:
    """GIVEN a title ending in 'for Windows' (or Linux, macOS) WHEN normalised THEN the platform is not part of the product, unless the rest is a generic word."""
    assert normaliser.normalise(RawTitle(name, "Contoso Ltd", "")).product == product


def test_it_names_the_publisher_of_a_title_that_is_its_one_word_brand(normaliser: Normaliser) -> None:
    """GIVEN titles without publisher that are exactly a one-word winget name its publisher is named after WHEN normalised THEN that vendor.

    The words are ordinary English words ("Obsidian"), so they never name the vendor of a longer title."""
    for name, vendor in (("Obsidian", "Obsidian"), ("Joplin 2.14.1", "Joplin"), ("Obsidian x86_64 1.4.16", "Obsidian"),
                         ("Blender", "Blender")):
        assert normaliser.normalise(RawTitle(name, "", "")).vendor == vendor, name
    assert normaliser.normalise(RawTitle("Obsidian Quirkel Tracker", "", "")).vendor != "Obsidian"


def test_it_finds_a_vendor_or_a_trademark_of_two_words_inside_a_title(normaliser: Normaliser) -> None:
    """GIVEN titles without publisher naming a known vendor or a two-word trademark after other words WHEN normalised THEN that vendor."""
    assert normaliser.normalise(RawTitle("Herramientas de Visual Studio 2022", "", "")).vendor == "Microsoft"
    assert normaliser.normalise(RawTitle("Guia Epson XP-241", "", "")).vendor == "Epson"


@pytest.mark.parametrize(("version", "vendor"), [
    ("6.5.0-14.14~22.04.1", "Ubuntu"),
    ("2.3-1", "Debian"),
    ("1.8", ""),
])
def test_it_takes_the_distribution_of_an_unknown_package_from_its_version(
        normaliser: Normaliser, version: str, vendor: str) -> None:
    """GIVEN a package name no index knows and no publisher WHEN its version is a distribution's THEN that distribution, else none."""
    assert normaliser.normalise(RawTitle("quirkel-headers-generic", "", version)).vendor == vendor


def test_it_names_the_maker_of_a_driver_from_the_first_word_of_its_title(normaliser: Normaliser) -> None:
    """GIVEN driver titles without publisher beginning with a hardware maker's name (pci.ids, usb.ids) WHEN normalised THEN that maker.

    English words that begin makers' names ("Standard Microsystems") name nobody."""
    assert normaliser.normalise(RawTitle("Etron USB 3.1 Host Controller Driver", "", "")).vendor == "Etron"
    assert normaliser.normalise(RawTitle("Standard USB Host Controller Driver", "", "")).vendor == ""


def test_it_reads_ubuntus_rebuild_of_a_native_package(normaliser: Normaliser) -> None:
    """GIVEN a Debian package Ubuntu rebuilt ('1.1.28build2', a native version) WHEN normalised THEN Ubuntu's."""
    assert normaliser.normalise(RawTitle("adduser", "", "3.118build2")).vendor == "Ubuntu"
