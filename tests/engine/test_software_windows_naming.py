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
