"""Windows naming the earlier sets did not show: titles written with '_' for spaces (text.spaced_underscores)."""

from __future__ import annotations

import pytest

from ictmerge.engine.software import Normaliser, RawTitle
from ictmerge.engine.software.text import spaced_underscores


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser()


@pytest.mark.parametrize(("name", "spaced"), [
    ("Mozilla_Firefox_115.0_(x64_en-US)", "Mozilla Firefox 115.0 (x64 en-US)"),
    ("Microsoft_Visual_C++_2010_x64_Redistributable_-_10.0.40219", "Microsoft Visual C++ 2010 x64 Redistributable - 10.0.40219"),
    ("Java_8_Update_351", "Java 8 Update 351"),
])
def test_it_reads_underscores_as_spaces_in_a_title_written_so(name: str, spaced: str) -> None:
    """GIVEN a title with no space and words joined by '_' WHEN cleaned THEN the '_' are spaces."""
    assert spaced_underscores(name) == spaced


@pytest.mark.parametrize("name", [
    "libgtk-3_0-0",  # openSUSE soname
    "typelib-1_0-Gdm-1_0",
    "boost-license1_53_0",
    "wpa_supplicant",  # a Linux package
    "icecap_collection_neutral",  # Visual Studio setup identifiers
    "vs_FileTracker_Singleton",
    "sptools_Microsoft.VisualStudio.Vsto.Msi",
    "DiagnosticsHub_CollectionService",  # CamelCase identifier: no plain word
    "Heroku_CLI",  # one plain word: an identifier by itself, a title in a listing written so
    "Mozilla Firefox (x64_en-US)",  # has spaces: its '_' is its own
])
def test_it_keeps_underscores_of_identifiers_and_package_names(name: str) -> None:
    """GIVEN an identifier, a package name or a spaced title WHEN cleaned by itself THEN it is unchanged."""
    assert spaced_underscores(name) == name


def test_it_reads_a_listing_written_with_underscores_as_one(normaliser: Normaliser) -> None:
    """GIVEN a listing with three titles written with '_' WHEN normalised as one THEN a one-word title is read so too."""
    raws = [RawTitle(name, "", "") for name in (
        "Mozilla_Firefox_115.0", "Google_Chrome", "Java_8_Update_351", "Heroku_CLI")]
    alone = normaliser.normalise(raws[3])
    listed = normaliser.normalise_listing(raws)
    assert listed[3].product == "Heroku CLI" != alone.product
    assert listed[1].product == "Chrome"


def test_it_leaves_a_package_listing_alone(normaliser: Normaliser) -> None:
    """GIVEN an openSUSE listing with underscored sonames WHEN normalised as one THEN no name is spaced."""
    raws = [RawTitle(name, "", "") for name in ("libgtk-3_0-0", "typelib-1_0-Gtk-3_0", "wpa_supplicant", "dd_rescue")]
    assert [r.product for r in normaliser.normalise_listing(raws)][2:] == ["wpa_supplicant", "dd_rescue"]


@pytest.mark.parametrize("code", ["cht", "chs", "ita", "deu", "fra", "esn", "jpn", "kor", "rus", "ptb", "plk", "csy", "trk"])
def test_it_drops_microsofts_language_code_after_a_dash(normaliser: Normaliser, code: str) -> None:
    """GIVEN a localised part's title ending ' - <Microsoft language code>' WHEN normalised THEN the code is no word of the product."""
    result = normaliser.normalise(RawTitle(f"Visual Studio 2010 Tools for Office Runtime Language Pack Setup - {code}", "Microsoft Corporation", "10.0.50903"))
    plain = normaliser.normalise(RawTitle("Visual Studio 2010 Tools for Office Runtime Language Pack Setup", "Microsoft Corporation", "10.0.50903"))
    assert result.product == plain.product
    assert code not in result.product.casefold().split()


def test_it_keeps_a_dash_tail_that_names_something(normaliser: Normaliser) -> None:
    """GIVEN a ' - tail' with a word beside a language code WHEN normalised THEN the tail stays."""
    assert "Desktop" in normaliser.normalise(RawTitle("Windows Phone 8.0 SDK - Desktop ita", "Microsoft Corporation", "")).product


def test_it_reads_a_years_update_as_a_release(normaliser: Normaliser) -> None:
    """GIVEN 'Visual Studio 2017 Update 2 <part>' WHEN normalised THEN 'Update 2' is not in the part's name."""
    result = normaliser.normalise(RawTitle("Microsoft Visual Studio 2017 Update 2 Profiling Tools", "Microsoft Corporation", "15.2"))
    assert result.product == "Visual Studio Profiling Tools"


def test_it_names_a_microsoft_update_that_names_nothing_a_windows_update(normaliser: Normaliser) -> None:
    """GIVEN 'Security Update KB…' of Microsoft WHEN normalised THEN a Windows update, as a bare KB number is."""
    for name in ("Security Update KB5005565", "Update KB5001234"):
        result = normaliser.normalise(RawTitle(name, "Microsoft Corporation", ""))
        assert (result.vendor, result.product, result.category.value) == ("Microsoft", "Windows update", "component")


def test_it_writes_software_development_kit_as_sdk(normaliser: Normaliser) -> None:
    """GIVEN 'Windows Software Development Kit' WHEN normalised THEN the product is Windows SDK, as the sets label it."""
    assert normaliser.normalise(RawTitle("Windows Software Development Kit", "Microsoft Corporation", "10.1")).product == "Windows SDK"


@pytest.mark.parametrize("name", [
    "Paquete de idioma de Microsoft Help Viewer 2.3 - ESN",
    "Module linguistique de Microsoft Help Viewer 2.3 - FRA",
    "Pacote de idiomas do Microsoft Help Viewer 2.3",
])
def test_it_drops_the_preposition_of_a_localised_language_pack(normaliser: Normaliser, name: str) -> None:
    """GIVEN a Spanish, French or Portuguese language pack 'of' a product WHEN normalised THEN the pack of that product, no 'De'."""
    assert normaliser.normalise(RawTitle(name, "Microsoft Corporation", "2.3")).product == "Help Viewer language pack"
