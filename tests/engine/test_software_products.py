"""Product grouping keys: renamed product lines, architectures, fuzzy matches, distribution rebuilds."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ictmerge.engine.software import Category, Normaliser, RawTitle
from ictmerge.engine.software.categories import hardware_vendors
from ictmerge.engine.software.knowledge import debian_packages
from ictmerge.engine.software.text import (
    fix_mojibake,
    identity_tokens,
    strip_legal_form,
    vendor_key,
)

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_category_knowledge.py"
_SPEC = importlib.util.spec_from_file_location("build_category_knowledge", _SCRIPT)
assert _SPEC is not None and _SPEC.loader is not None
build_category_knowledge = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(build_category_knowledge)

MICROSOFT = "Microsoft Corporation"


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser()


@pytest.mark.parametrize(("older", "newer"), [
    ("Microsoft .NET Core Host - 3.1.32 (x64)", "Microsoft .NET Host - 6.0.20 (x64)"),
    ("Microsoft .NET Core Targeting Pack - 3.1.0 (x64)", "Microsoft .NET Targeting Pack - 8.0.1 (x64)"),
    ("Microsoft .NET Core 3.1 Templates 3.1.426 (x64)", "Microsoft .NET 7.0 Templates 7.0.306 (x64)"),
])
def test_it_groups_a_dotnet_core_part_with_the_same_part_of_dotnet(normaliser: Normaliser, older: str, newer: str) -> None:
    """GIVEN a .NET Core 3.1 part and the same part of .NET 6 or later WHEN normalised THEN one product (.NET Core was renamed .NET)."""
    first = normaliser.normalise(RawTitle(older, MICROSOFT))
    second = normaliser.normalise(RawTitle(newer, MICROSOFT))
    assert first.product_key == second.product_key
    assert "Core" not in first.product


def test_it_keeps_asp_net_core_its_name(normaliser: Normaliser) -> None:
    """GIVEN an ASP.NET Core part WHEN normalised THEN 'ASP.NET Core' stays whole (that product line kept its name)."""
    result = normaliser.normalise(RawTitle("Microsoft ASP.NET Core 8.0.3 Targeting Pack (x64)", MICROSOFT))
    assert result.product.startswith("ASP.NET Core")


def test_it_drops_an_x86_64_architecture_from_a_product(normaliser: Normaliser) -> None:
    """GIVEN a title with 'x86_64' in it WHEN normalised THEN the product is the same as without it."""
    with_arch = normaliser.normalise(RawTitle("Contoso Reporter x86_64 10.15.0"))
    without = normaliser.normalise(RawTitle("Contoso Reporter 10.21.0"))
    assert with_arch.product == without.product == "Contoso Reporter"


def test_it_does_not_take_a_longer_name_for_a_misspelt_catalogue_name(normaliser: Normaliser) -> None:
    """GIVEN 'MySQL Server' (letters added to 'SQL Server') WHEN normalised THEN it is not Microsoft SQL Server."""
    result = normaliser.normalise(RawTitle("MySQL Server 8.0"))
    assert result.product_key != ("microsoft", "sql server")


@pytest.mark.parametrize(("name", "version"), [("nano", "6.2-1build2"), ("libcontoso-common", "1.0-2build1")])
def test_it_names_ubuntu_for_a_no_change_rebuild_version(normaliser: Normaliser, name: str, version: str) -> None:
    """GIVEN a package without maintainer whose version ends 'buildN' WHEN normalised THEN Ubuntu is its vendor."""
    assert normaliser.normalise(RawTitle(name, "", version)).vendor == "Ubuntu"


@pytest.mark.parametrize(("name", "bare"), [
    ("Gigabyte Technology Co., Ltd.", "Gigabyte Technology"),
    ("North Shore Circuit Design L.L.P.", "North Shore Circuit Design"),
    ("Phoenix Contact GmbH & Co. KG", "Phoenix Contact"),
    ("SteelSeries ApS", "SteelSeries"),
    ("Tilde SIA", "Tilde"),
    ("Asus", "Asus"),
])
def test_it_strips_legal_forms_off_a_company_name(name: str, bare: str) -> None:
    """GIVEN a company name as inventories and the PCI/USB ID lists write it WHEN stripped THEN its legal forms go, its name stays."""
    assert strip_legal_form(name) == bare


def test_it_builds_hardware_keys_and_looks_them_up_with_one_function() -> None:
    """GIVEN a maker written with a legal form the old run-time list lacked WHEN keyed at build and at run time THEN the keys agree."""
    built = build_category_knowledge.key("SteelSeries ApS")
    assert built == vendor_key("SteelSeries ApS") == vendor_key("SteelSeries") == "steelseries"
    assert built in hardware_vendors()


def test_it_finds_a_known_vendor_written_without_spaces_or_with_a_legal_form(normaliser: Normaliser) -> None:
    """GIVEN a publisher spelt with other spacing and a legal form than the known vendor WHEN normalised THEN the known vendor."""
    assert normaliser.normalise(RawTitle("Contoso Tool 2", "Kaspersky-Lab, Inc.")).vendor == "Kaspersky"


def _through_cp850(text: str) -> str:
    """Text written in code page 850 (a Windows console's) and read back as cp1252."""
    return text.encode("cp850").decode("cp1252", errors="replace")


@pytest.mark.parametrize("clean", ["Atualização do produto", "Inno Setup versão 6", "dispositivos móveis", "Médios negócios"])
def test_it_repairs_portuguese_titles_written_in_code_page_850(clean: str) -> None:
    """GIVEN a Portuguese title written in cp850 and read as cp1252 (once more garbled as UTF-8 too) WHEN cleaned THEN the title."""
    garbled = _through_cp850(clean)
    assert garbled != clean
    assert fix_mojibake(garbled) == clean
    assert fix_mojibake(garbled.encode("utf-8").decode("cp1252", errors="replace")) == clean


@pytest.mark.parametrize("text", ["Don’t “quote” Loading…", "Größe Ärger Übung", "Microsoft\xa0Office", "Æon Flux", "£20 Voucher"])
def test_it_leaves_genuine_cp1252_punctuation_and_umlauts_alone(text: str) -> None:
    """GIVEN text whose curly quotes, umlauts, NBSP or Æ are genuine WHEN repaired THEN it is unchanged."""
    assert fix_mojibake(text) == text


@pytest.mark.parametrize("name", ["NVIDIA Driver de gráficos 536.23", "NVIDIA Графический драйвер 466.27",
                                  "NVIDIA Grafiktreiber 471.11"])
def test_it_names_a_localised_graphics_driver_graphics_driver(normaliser: Normaliser, name: str) -> None:
    """GIVEN NVIDIA's graphics driver under its pt, ru and de names WHEN normalised THEN one product: Graphics Driver."""
    assert normaliser.normalise(RawTitle(name)).product == "Graphics Driver"


def test_it_drops_a_version_with_a_letter_after_it_from_the_identity() -> None:
    """GIVEN 'CrystalDiskMark 8.0.4c' and 'Postman x86_64 10.15.0' WHEN tokenised THEN only the name's words are left."""
    assert identity_tokens("crystaldiskmark 8.0.4c") == ("crystaldiskmark",)
    assert identity_tokens("postman x86_64 10.15.0") == ("postman",)
    assert identity_tokens("cinema 4d r21") == ("cinema", "4d", "r21")


@pytest.mark.parametrize(("raw", "product"), [
    (RawTitle("libavfilter7:amd64", "", "7:4.4.2-0ubuntu0.22.04.1"), "ffmpeg"),
    (RawTitle("libswscale5:amd64", "", "7:4.4.2-0ubuntu0.22.04.1"), "ffmpeg"),
    (RawTitle("libblkid.x86_64", "", "2.40.1-1.fc40"), "util-linux"),
    (RawTitle("libsmartcols.x86_64", "", "2.40.1-1.fc40"), "util-linux"),
    (RawTitle("libreoffice-writer.x86_64", "", "1:24.2.6.2-2.fc40"), "libreoffice"),
])
def test_it_finds_the_source_of_a_package_debian_ships_under_another_name(
        normaliser: Normaliser, raw: RawTitle, product: str) -> None:
    """GIVEN a library under another soname, or an rpm sub-package Debian builds from the source its name begins with, WHEN normalised THEN that source."""
    assert normaliser.normalise(raw).product == product


def test_it_keeps_a_library_whose_stem_several_sources_share_as_it_is(normaliser: Normaliser) -> None:
    """GIVEN a library stem Debian builds from several sources ('libllvm') WHEN normalised THEN no source is guessed."""
    assert debian_packages().soname_source("libllvm99") == ""
    assert normaliser.normalise(RawTitle("libllvm99.x86_64", "", "99.0-1.fc40")).product == "libllvm99"


@pytest.mark.parametrize(("name", "product"), [
    ("SQL Server 2017 DMF", "SQL Server DMF"),
    ("SQL Server 2017 XEvent", "SQL Server XEvent"),
    ("Microsoft SQL Server 2017 (64-bit)", "SQL Server"),
    ("Microsoft Office Enterprise 2007", "Office"),
    ("Microsoft SQL Server 2019 Beta", "SQL Server"),
])
def test_it_keeps_a_product_of_a_family_apart_from_the_family(normaliser: Normaliser, name: str, product: str) -> None:
    """GIVEN a family's name followed by a word that names no edition, release or language WHEN normalised THEN another product of the family."""
    assert normaliser.normalise(RawTitle(name, MICROSOFT)).product == product


@pytest.mark.parametrize("name", ["Microsoft System CLR Types для SQL Server 2019", "Microsoft System CLR Types para SQL Server 2019",
                                  "Microsoft System CLR Types for SQL Server 2019"])
def test_it_reads_a_localised_preposition_inside_an_english_name_as_for(normaliser: Normaliser, name: str) -> None:
    """GIVEN an English component name whose installer translated only 'for' WHEN normalised THEN one product."""
    assert normaliser.normalise(RawTitle(name)).product == "System CLR Types for SQL Server"


def test_it_keeps_a_localised_preposition_between_words_of_its_own_language(normaliser: Normaliser) -> None:
    """GIVEN 'для' between Cyrillic words WHEN normalised THEN it stays (the name is not English)."""
    assert "для" in normaliser.normalise(RawTitle("Программа для ЭВМ Контур")).product


@pytest.mark.parametrize(("name", "product"), [
    ("AutoCAD Map 3D 2011", "AutoCAD Map 3D"),
    ("Autodesk AutoCAD Civil 3D 2020", "AutoCAD Civil 3D"),
    ("AutoCAD Raster Design 2023", "AutoCAD Raster Design"),
    ("Autodesk AutoCAD 2024 - English", "AutoCAD"),
    ("AutoCAD LT 2022 - English", "AutoCAD LT"),
])
def test_it_keeps_autocads_separately_licensed_toolsets_apart_from_autocad(normaliser: Normaliser, name: str, product: str) -> None:
    """GIVEN AutoCAD and its toolsets sold as products of their own WHEN normalised THEN each is its own licensable product."""
    result = normaliser.normalise(RawTitle(name, "Autodesk, Inc."))
    assert (result.vendor, result.product, result.category.value) == ("Autodesk", product, "licensable")


@pytest.mark.parametrize(("first", "second", "product"), [
    ("Microsoft SQL Server VSS Writer", "Microsoft VSS Writer for SQL Server 2016", "VSS Writer for SQL Server"),
    ("Browser for SQL Server 2016", "SQL Server Browser", "SQL Server Browser"),
    ("Microsoft ODBC Driver 17 for SQL Server", "Microsoft SQL Server ODBC Driver", "ODBC Driver for SQL Server"),
])
def test_it_gives_a_sql_server_component_one_name_in_either_word_order(
        normaliser: Normaliser, first: str, second: str, product: str) -> None:
    """GIVEN a SQL Server component named in either order its installers use WHEN normalised THEN one component product."""
    results = [normaliser.normalise(RawTitle(name, MICROSOFT)) for name in (first, second)]
    assert {(r.product, r.category.value) for r in results} == {(product, "component")}


@pytest.mark.parametrize(("name", "publisher", "product"), [
    ("CCC Help Korean", "ATI", "Catalyst Control Center language pack"),
    ("Catalyst Control Center Localization All", "Advanced Micro Devices, Inc.", "Catalyst Control Center language pack"),
    ("ccc-utility64", "ATI", "Catalyst Control Center"),
    ("AMD Catalyst Control Center", "AMD", "Catalyst Control Center"),
])
def test_it_gathers_catalyst_control_center_parts(normaliser: Normaliser, name: str, publisher: str, product: str) -> None:
    """GIVEN AMD's Catalyst Control Center parts (CCC, help in a language, localisation) WHEN normalised THEN AMD's CCC, a component."""
    result = normaliser.normalise(RawTitle(name, publisher, "2011.0115.2246.40819"))
    assert (result.vendor, result.product, result.category) == ("AMD", product, Category.COMPONENT)


def test_it_is_less_sure_of_a_product_named_after_another_vendors_name(normaliser: Normaliser) -> None:
    """GIVEN a catalogue product's name after another vendor's name ('circleci-python') WHEN normalised THEN below 0.9."""
    prefixed = normaliser.normalise(RawTitle("circleci-python-3.5.0", "", "1"))
    plain = normaliser.normalise(RawTitle("Python 3.5.0", "", "3.5.0"))
    assert prefixed.confidence < 0.9 <= plain.confidence
