"""Categories and confidence of the normaliser: evidence before licensable, calibrated confidence."""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

import pytest

from ictmerge.engine.software import Category, Method, Normaliser, RawTitle
from ictmerge.engine.software.categories import free_sources, hardware_vendors, vendor_key
from ictmerge.engine.software.evaluation import evaluate, read_labelled_titles
from ictmerge.engine.software.normalise import REVIEW_THRESHOLD

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser()


def test_it_keeps_an_unknown_title_without_evidence_out_of_licensable(normaliser: Normaliser) -> None:
    """GIVEN titles nobody catalogued, with no edition word and no company publisher WHEN normalised THEN not licensable, to review."""
    for raw in (RawTitle("Zorblax Photo Sorter 3.1", "Jan Kowalski", "3.1"), RawTitle("Quirkel Notes", "", "")):
        result = normaliser.normalise(raw)
        assert result.method is Method.UNKNOWN, raw
        assert result.category is not Category.LICENSABLE, raw
        assert result.needs_review and result.confidence < REVIEW_THRESHOLD, raw


def test_it_calls_an_unknown_title_licensable_on_evidence(normaliser: Normaliser) -> None:
    """GIVEN unknown titles naming an edition or published by a company WHEN normalised THEN licensable, still to review."""
    for raw in (RawTitle("Zorblax Photo Sorter Professional 3", "Jan Kowalski", "3.0"),
                RawTitle("Quirkel Ledger", "Quirkel Systems GmbH", "2.0"),
                RawTitle("Квиркель Смета", "ООО «Квиркель»", "1.0")):
        result = normaliser.normalise(raw)
        assert result.category is Category.LICENSABLE, raw
        assert result.needs_review, raw


def test_it_takes_no_licensable_evidence_from_a_placeholder_publisher(normaliser: Normaliser) -> None:
    """GIVEN unknown titles whose publisher is an installer template's placeholder WHEN normalised THEN not licensable: it names no company."""
    for publisher in ("company", "Company Name", "Название организации"):
        assert normaliser.normalise(RawTitle("Quirkel Cam Monitor", publisher, "1.0")).category is not Category.LICENSABLE
    assert normaliser.normalise(RawTitle("Quirkel Cam Monitor", "Quirkel Company", "1.0")).category is Category.LICENSABLE


def test_it_calls_a_device_makers_software_a_component(normaliser: Normaliser) -> None:
    """GIVEN unknown titles of device makers from pci.ids/usb.ids WHEN normalised THEN components; a vendor selling licences is not one."""
    for raw in (RawTitle("Quirkel Panel", "Seiko Epson Corporation", "1.0"), RawTitle("EasyQuirk", "GIGABYTE", "1.2"),
                RawTitle("Quirk Center", "ASRock Inc.", "3.0")):
        assert normaliser.normalise(raw).category is Category.COMPONENT, raw
    assert {"seikoepson", "gigabyte", "asrock", "microsoft"} <= hardware_vendors()
    # Microsoft makes mice, but the catalogue knows its licences: its unknown titles are not device software.
    assert normaliser.normalise(RawTitle("Quirkel Server Enterprise", "Microsoft Corporation", "1.0")).category \
        is Category.LICENSABLE


def test_it_calls_parts_by_their_words_in_many_languages(normaliser: Normaliser) -> None:
    """GIVEN unknown titles naming an uninstaller, a setup, an agent or an executable WHEN normalised THEN components."""
    for name in ("Quirkel Printer Uninstall", "Quirkel Setup", "QuirkelCrashReport.exe", "Quirkel Endpoint Agent",
                 "Quirkel License Manager", "Агент администрирования Квиркель", "Quirkel Deinstallation",
                 "Quirkel 支援檔案"):
        assert normaliser.normalise(RawTitle(name, "Quirkel Systems GmbH", "1.0")).category is Category.COMPONENT, name


def test_it_reads_linux_package_names_for_their_category(normaliser: Normaliser) -> None:
    """GIVEN package names no index knows (t64 libraries, rpm parts, listing lines) WHEN normalised THEN parts are components, programs free."""
    for name in ("libquirk7t64:amd64", "quirkel-libs.x86_64", "python3-quirkel", "node-quirkel",
                 "quirkel-libs.x86_64 * @anaconda * 1.0-1.el8"):
        assert normaliser.normalise(RawTitle(name, "", "")).category is Category.COMPONENT, name
    for name in ("quirkel-tui", "quirkel.x86_64"):
        assert normaliser.normalise(RawTitle(name, "", "")).category is Category.FREE, name


def test_it_reads_the_distributions_naming_of_parts(normaliser: Normaliser) -> None:
    """GIVEN package names that say they are plug-ins, back-ends, printer or X server drivers WHEN normalised THEN components."""
    for name in ("quirkel-backends", "quirkel-addon-sync.x86_64", "nautilus-extension-quirkel", "quirkel-plugin-pdf:amd64",
                 "printer-driver-quirkel", "xserver-xorg-video-quirkel", "network-manager-quirkel",
                 "libapache2-mod-quirkel"):
        assert normaliser.normalise(RawTitle(name, "", "1.0-1")).category is Category.COMPONENT, name
    assert normaliser.normalise(RawTitle("network-manager-gnome", "", "1.0-1")).category is Category.FREE


def test_it_calls_browser_add_ons_samples_and_host_controllers_components(normaliser: Normaliser) -> None:
    """GIVEN unknown titles of a browser add-on, code samples or a USB host controller, in several languages WHEN normalised THEN components."""
    for name in ("Quirkel Clipper for Google Chrome", "Quirkel Сохранялка для Firefox", "Quirkel Helfer für Microsoft Edge",
                 "Quirkel SDK Samples 2.0", "Quirkel Exemplos", "Quirkel USB 3.1 Host Controller"):
        assert normaliser.normalise(RawTitle(name, "", "")).category is Category.COMPONENT, name


def test_it_reads_japanese_update_driver_and_part_words(normaliser: Normaliser) -> None:
    """GIVEN Japanese titles of an update, a driver, a runtime, an uninstaller and a viewer WHEN normalised THEN parts are components, the viewer free."""
    update = normaliser.normalise(RawTitle("Quirkel セキュリティ更新プログラム (KB1234567)", "", ""))
    assert (update.product, update.category) == ("Quirkel update", Category.COMPONENT)
    for name in ("Quirkel プリンター ドライバー", "Quirkel ランタイム 2.0", "Quirkel アンインストール"):
        assert normaliser.normalise(RawTitle(name, "", "")).category is Category.COMPONENT, name
    assert normaliser.normalise(RawTitle("Quirkel ビューアー", "", "")).category is Category.FREE


def test_it_calls_a_kde_frameworks_library_a_component(normaliser: Normaliser) -> None:
    """GIVEN Fedora's names of KDE Frameworks libraries (kf5-…, kf6-…) WHEN normalised THEN components."""
    for name in ("kf5-kquirkel.x86_64", "kf6-kquirkel.x86_64"):
        assert normaliser.normalise(RawTitle(name, "", "6.6.0-1.fc40")).category is Category.COMPONENT, name


def test_it_calls_a_package_named_after_a_library_source_a_component(normaliser: Normaliser) -> None:
    """GIVEN rpm names that are Debian source packages shipping only libraries WHEN normalised THEN components.

    Debian ships abseil as libabsl…, aalib as libaa1; Fedora names the package after the source."""
    for name in ("abseil.x86_64", "aalib.x86_64"):
        assert normaliser.normalise(RawTitle(name, "", "1.0-1.fc40")).category is Category.COMPONENT, name


def test_it_lets_debian_say_whether_a_lib_name_is_a_library(normaliser: Normaliser) -> None:
    """GIVEN 'lib…' names Debian files as programs (sound) WHEN normalised as rpm or unknown packages THEN free, not components."""
    for raw in (RawTitle("libambix-utils.x86_64", "", "1.0-1.fc40"), RawTitle("libambix-utils", "", "1.0build1")):
        assert normaliser.normalise(raw).category is Category.FREE, raw
    assert normaliser.normalise(RawTitle("libquirkel.x86_64", "", "1.0-1.fc40")).category is Category.COMPONENT


def test_it_calls_a_program_debian_main_ships_free(normaliser: Normaliser) -> None:
    """GIVEN titles of programs Debian main ships (DFSG-free), a GPL title and a viewer WHEN normalised THEN free, even from a company."""
    assert {"wireshark", "telegram-desktop"} <= free_sources()
    for raw in (RawTitle("Wireshark Portable (64-bit)", "PortableApps.com", "3.6"),
                RawTitle("Telegram Desktop", "Telegram FZ-LLC", "4.14"),
                RawTitle("GPL Quirkscript 9", "Quirk Software Inc.", "9.0"),
                RawTitle("Квиркель Вьювер", "ООО «Квиркель»", "1.0")):
        assert normaliser.normalise(raw).category is Category.FREE, raw


def test_it_does_not_take_a_catalogue_product_for_a_part_of_it(normaliser: Normaliser) -> None:
    """GIVEN a catalogue product's name followed by part words WHEN normalised THEN a component, not the product."""
    whole = normaliser.normalise(RawTitle("Google Chrome", "Google LLC", "120.0"))
    part = normaliser.normalise(RawTitle("Google Chrome Installer", "Google LLC", "120.0"))
    assert whole.category is Category.FREE and whole.confidence >= 0.9
    assert part.category is Category.COMPONENT
    assert part.product_key != whole.product_key


def test_it_gives_heuristic_results_less_than_the_catalogues_certainty(normaliser: Normaliser) -> None:
    """GIVEN an exact catalogue title, one with words the alias leaves unexplained and a driver named from its title WHEN normalised THEN only the first reaches 0.9."""
    exact = normaliser.normalise(RawTitle("Microsoft Office Professional Plus 2016", "Microsoft Corporation", "16.0"))
    extra = normaliser.normalise(RawTitle("Microsoft Office Professional Plus 2016 Quirkel", "Microsoft Corporation",
                                          "16.0"))
    driver = normaliser.normalise(RawTitle("Quirkel Tablet Driver", "Wacom Technology Corp.", "6.4"))
    assert exact.confidence >= 0.9
    assert extra.confidence < 0.9 and not extra.needs_review
    assert driver.category is Category.COMPONENT and driver.confidence < 0.9


@pytest.mark.parametrize("name", ["software_titles_labelled.csv", "software_titles_test.csv"])
def test_it_keeps_confidence_honest_and_components_unbought(normaliser: Normaliser, name: str) -> None:
    """GIVEN the development and retired labelled sets WHEN evaluated THEN >= 90 % right at confidence >= 0.9 and <= 2 % of components licensable."""
    with (DATA / name).open(encoding="utf-8", newline="") as stream:
        report = evaluate(normaliser, read_labelled_titles(stream))
    assert report.high_confidence_accuracy >= 0.9, report.table()
    assert report.components_called_licensable <= 0.02, report.table()
    top = [b for b in report.calibration if b.low >= 0.9]
    low = [b for b in report.calibration if b.high <= 0.5]
    assert top[0].accuracy > low[0].accuracy


def test_it_ships_its_category_knowledge_with_sources() -> None:
    """GIVEN the category knowledge files WHEN read THEN each says where it comes from, and names compare without legal forms."""
    data = resources.files("ictmerge.engine.software").joinpath("data")
    for name, source in (("hardware_vendors.txt.gz", "pci.ids"), ("free_sources.txt.gz", "Debian")):
        first = gzip.decompress(data.joinpath(name).read_bytes()).decode("utf-8").splitlines()[0]
        assert first.startswith("#") and source in first, name
    assert vendor_key("Seiko Epson Corp.") == vendor_key("SEIKO EPSON Corporation") == "seikoepson"


def test_it_calls_an_unknown_title_licensable_when_its_winget_package_is_tagged_paid(normaliser: Normaliser) -> None:
    """GIVEN titles nobody catalogued, without publisher, whose winget package is tagged trial or shareware
    WHEN normalised THEN licensable, at a heuristic's confidence (still to review)."""
    for raw in (RawTitle("DupScout 15.2.14", "", ""), RawTitle("StarUML 6.1", "", "")):
        result = normaliser.normalise(raw)
        assert result.method is Method.UNKNOWN, raw
        assert result.category is Category.LICENSABLE, raw
        assert result.needs_review and result.confidence < REVIEW_THRESHOLD, raw


def test_it_calls_a_company_title_free_when_its_winget_package_is_tagged_open_source(normaliser: Normaliser) -> None:
    """GIVEN an unknown title of a publisher written as a company whose winget package is tagged open source
    WHEN normalised THEN free: the tag outweighs the company form."""
    assert normaliser.normalise(RawTitle("GitHub CLI", "GitHub, Inc.", "2.40.1")).category is Category.FREE
    assert normaliser.normalise(RawTitle("Quirkel CLI", "Quirkel, Inc.", "2.40.1")).category is Category.LICENSABLE


def test_it_ships_winget_licence_tags_both_ways_and_small() -> None:
    """GIVEN the shipped winget licence tags WHEN read THEN both classes occur, only those two, and the file stays small."""
    from ictmerge.engine.software.knowledge import winget_licences

    tags = winget_licences()
    assert set(tags.values()) == {"paid", "free"}
    assert tags[("staruml",)] == "paid" and tags[("vlc", "media", "player")] == "free"
    packed = resources.files("ictmerge.engine.software").joinpath("data/winget_licences.tsv.gz").read_bytes()
    assert len(packed) < 3_000_000


@pytest.mark.parametrize("name", ["SQL Server 2019 Replication Monitor", "Microsoft SQL Server 2019 Polybase Query Service"])
def test_it_reads_a_licensable_familys_name_as_no_edition_word(normaliser: Normaliser, name: str) -> None:
    """GIVEN an unknown Microsoft title naming SQL Server WHEN normalised THEN 'Server' is the family's name: a part, not licensable."""
    result = normaliser.normalise(RawTitle(name, "Microsoft Corporation", "15.0.2000.5"))
    assert result.category is Category.COMPONENT
    assert result.needs_review


def test_it_keeps_a_licence_word_in_another_vendors_title(normaliser: Normaliser) -> None:
    """GIVEN an unknown vendor's 'Endpoint Security' title WHEN normalised THEN its licence words still count."""
    result = normaliser.normalise(RawTitle("Acmesoft Endpoint Security Client", "Acmesoft", "2.1"))
    assert result.category is Category.LICENSABLE
