"""Normaliser: editions kept, components separated, localised and broken titles, steward rules."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ictmerge.engine.software import (
    Category,
    CsvInputError,
    MatchKind,
    Method,
    Normaliser,
    RawTitle,
    UserRule,
    normalise_csv,
)
from ictmerge.engine.software.text import clean_title, fix_mojibake

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser()


def _garble(text: str, codec: str) -> str:
    """UTF-8 bytes shown through a wrong code page, the way Windows tools do it."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


@pytest.mark.parametrize(
    ("name", "product"),
    [
        ("Microsoft Office Professional Plus 2016", "Office Professional Plus"),
        ("Microsoft Office Standard 2016", "Office Standard"),
        ("Microsoft Visio Viewer 2016", "Visio Viewer"),
        ("Microsoft Visio Professional 2016", "Visio Professional"),
        ("Microsoft Windows Server 2019 Standard", "Windows Server Standard"),
        ("Microsoft Windows Server 2019 Datacenter", "Windows Server Datacenter"),
    ],
)
def test_it_keeps_the_edition_where_licences_differ(normaliser: Normaliser, name: str, product: str) -> None:
    """GIVEN near-miss titles WHEN normalised THEN each keeps its own edition."""
    assert normaliser.normalise(RawTitle(name, "Microsoft Corporation")).product == product


def test_it_tells_acrobat_reader_from_acrobat_pro(normaliser: Normaliser) -> None:
    reader = normaliser.normalise(RawTitle("Adobe Acrobat Reader DC", "Adobe Systems Incorporated"))
    pro = normaliser.normalise(RawTitle("Adobe Acrobat Pro DC", "Adobe Systems Incorporated"))
    assert (reader.product, reader.category) == ("Acrobat Reader", Category.FREE)
    assert (pro.product, pro.category) == ("Acrobat Pro", Category.LICENSABLE)


@pytest.mark.parametrize(
    "name",
    [
        "Security Update for Microsoft Office 2016 (KB3114690) 32-Bit Edition",
        "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.34.31938",
        "Microsoft Office Proofing Tools 2016 - Deutsch",
        "Realtek High Definition Audio Driver",
        "KB4019215",
        "Обновление безопасности для Microsoft Office 2016 (KB4464583) 32-разрядный выпуск",
    ],
)
def test_it_files_updates_runtimes_language_packs_and_drivers_as_components(normaliser: Normaliser, name: str) -> None:
    assert normaliser.normalise(RawTitle(name)).category is Category.COMPONENT


def test_it_reads_localised_office_titles_as_the_same_product(normaliser: Normaliser) -> None:
    names = [
        "Microsoft Office Professional Plus 2016",
        "Microsoft Office profesionālais plus 2016",
        "Microsoft Office профессиональный плюс 2016",
        "Microsoft Office Professionnel Plus 2016",
    ]
    results = {normaliser.normalise(RawTitle(n, "Microsoft Corporation")).product_key for n in names}
    assert results == {("microsoft", "office professional plus")}


@pytest.mark.parametrize("codec", ["cp1252", "cp1251"])
def test_it_repairs_broken_encodings(normaliser: Normaliser, codec: str) -> None:
    """GIVEN UTF-8 read through a wrong code page WHEN normalised THEN the product is found."""
    clean = "Microsoft Office профессиональный плюс 2016"
    assert fix_mojibake(_garble(clean, codec)) == clean
    assert normaliser.normalise(RawTitle(_garble(clean, codec))).product == "Office Professional Plus"


def test_it_leaves_correct_text_alone() -> None:
    for text in ["Café Noël", "Tildes Birojs 2019", "Škoda Ā ē", "ÄÖÜ Straße", "Crocro et ses amis"]:
        assert fix_mojibake(text) == text


def test_it_repairs_the_mojibake_in_the_glpi_fixture() -> None:
    assert clean_title("HP Fax Archive, Â© Copyright") == "HP Fax Archive, Copyright"


def test_it_sends_a_bare_family_name_to_review(normaliser: Normaliser) -> None:
    result = normaliser.normalise(RawTitle("Microsoft Visio 2016", "Microsoft Corporation"))
    assert result.product == "Visio" and result.needs_review and result.confidence < 0.8


def test_it_sends_unknown_titles_to_review(normaliser: Normaliser) -> None:
    result = normaliser.normalise(RawTitle("Namejs klients 4.2", "SIA Zemgales IT", "4.2.1"))
    assert result.method is Method.UNKNOWN and result.needs_review
    assert (result.vendor, result.product) == ("Zemgales IT", "Namejs klients")


def test_it_matches_a_misspelt_title_fuzzily(normaliser: Normaliser) -> None:
    result = normaliser.normalise(RawTitle("Mozila Firefox"))
    assert (result.product, result.method) == ("Firefox", Method.FUZZY)


def test_a_steward_rule_takes_precedence_over_everything() -> None:
    rules = [
        UserRule("Microsoft Visio 2016", "Microsoft", "Visio Standard", Category.LICENSABLE, rule_id="7"),
        UserRule(r"^namejs", "Zemgales IT", "Namejs", Category.LICENSABLE, match=MatchKind.REGEX, rule_id="8"),
    ]
    normaliser = Normaliser(user_rules=rules)
    visio = normaliser.normalise(RawTitle("Microsoft Visio 2016", "Microsoft Corporation"))
    namejs = normaliser.normalise(RawTitle("Namejs klients 4.2"))
    assert (visio.product, visio.method, visio.rule_id, visio.needs_review) == ("Visio Standard", Method.RULE, "user:7", False)
    assert (namejs.product, namejs.rule_id) == ("Namejs", "user:8")


def test_it_takes_the_marketing_year_as_the_major_version(normaliser: Normaliser) -> None:
    result = normaliser.normalise(RawTitle("Microsoft Office Standard 2019 - en-us", "Microsoft Corporation", "16.0.10396.20023"))
    assert result.major_version == "2019"
    assert normaliser.normalise(RawTitle("Mozilla Firefox (x64 lv)", "Mozilla", "115.2.0")).major_version == "115"


def test_normalise_many_returns_one_result_per_row_in_order(normaliser: Normaliser) -> None:
    raws = [RawTitle("7-Zip 19.00 (x64)", "Igor Pavlov"), RawTitle("KB4019215"), RawTitle("7-Zip 19.00 (x64)", "Igor Pavlov")]
    results = normaliser.normalise_many(raws)
    assert [r.product for r in results] == ["7-Zip", "Windows update", "7-Zip"]
    assert results[0] is results[2]


def test_the_glpi_computer_separates_components_from_applications(normaliser: Normaliser) -> None:
    """GIVEN the GLPI example with 3,033 rpm packages WHEN normalised THEN libraries are components."""
    path = FIXTURES / "glpi-inventory" / "examples" / "computer_3.json"
    if not path.exists():
        pytest.skip("shared fixtures not present")
    software = json.loads(path.read_text("utf-8"))["content"]["softwares"]
    results = normaliser.normalise_many(
        RawTitle(s["name"], s.get("publisher") or "", s.get("version") or "") for s in software
    )
    by_name = {s["name"]: r for s, r in zip(software, results, strict=True)}
    assert len(results) == 3033
    assert {by_name[n].category for n in ("glibc", "zlib", "perl-Digest", "python3-iniparse", "libfdisk")} == {Category.COMPONENT}
    assert {by_name[n].category for n in ("bash", "gdm", "dnsmasq", "mercurial")} == {Category.FREE}
    components = sum(r.category is Category.COMPONENT for r in results)
    assert 0.6 < components / len(results) < 0.95


def test_csv_round_trip_keeps_rows_and_order(normaliser: Normaliser) -> None:
    source = io.StringIO("name,publisher,version\nMicrosoft Visio Viewer 2016,Microsoft Corporation,16.0\nKB4019215,,\n")
    target = io.StringIO()
    result = normalise_csv(source, target, normaliser)
    lines = target.getvalue().splitlines()
    assert lines[0] == "name,publisher,version,vendor,product,version_major,category,confidence"
    assert lines[1] == "Microsoft Visio Viewer 2016,Microsoft Corporation,16.0,Microsoft,Visio Viewer,2016,free,0.97"
    assert lines[2].startswith("KB4019215,,,Microsoft,Windows update,,component,")
    assert (result.rows, result.unique_titles) == (2, 2)


def test_csv_reports_every_bad_row_at_once(normaliser: Normaliser) -> None:
    source = io.StringIO("name,publisher,version\n,Microsoft,1\nok,,\n,x,y\n")
    with pytest.raises(CsvInputError) as raised:
        normalise_csv(source, io.StringIO(), normaliser, source_name="in.csv")
    assert str(raised.value) == "in.csv: row 2, name: empty\nin.csv: row 4, name: empty"


def test_csv_without_a_name_column_is_refused(normaliser: Normaliser) -> None:
    with pytest.raises(CsvInputError, match="missing column"):
        normalise_csv(io.StringIO("title,publisher\nx,y\n"), io.StringIO(), normaliser)


@pytest.mark.parametrize(
    ("name", "product"),
    [
        ("Microsoft Windows 10 Pro", "Windows 10 Pro"),
        ("Microsoft Windows 11 Pro", "Windows 11 Pro"),
        ("Microsoft Windows 10 Enterprise", "Windows 10 Enterprise"),
        ("Microsoft Windows 10 Профессиональная", "Windows 10 Pro"),
    ],
)
def test_it_keeps_the_windows_generation(normaliser: Normaliser, name: str, product: str) -> None:
    """GIVEN Windows desktop titles WHEN normalised THEN generation and edition both stay in the product."""
    result = normaliser.normalise(RawTitle(name, "Microsoft Corporation"))
    assert (result.vendor, result.product, result.category) == ("Microsoft", product, Category.LICENSABLE)


def test_it_names_components_by_their_own_name_not_a_bucket(normaliser: Normaliser) -> None:
    """GIVEN SQL Server and .NET parts WHEN normalised THEN each keeps its own name as a component."""
    names = ["Microsoft System CLR Types for SQL Server 2019", "Microsoft VSS Writer for SQL Server 2019",
             "Microsoft .NET Runtime - 6.0.22 (x64)", "Microsoft Windows Desktop Runtime - 6.0.22 (x64)"]
    results = [normaliser.normalise(RawTitle(n, "Microsoft Corporation")) for n in names]
    assert [r.product for r in results] == [
        "System CLR Types for SQL Server", "VSS Writer for SQL Server", ".NET Runtime", "Windows Desktop Runtime"]
    assert {r.category for r in results} == {Category.COMPONENT}


def test_it_names_a_driver_by_what_it_drives_in_any_language(normaliser: Normaliser) -> None:
    """GIVEN driver titles in English, German and Russian WHEN normalised THEN they meet as one named driver."""
    titles = [RawTitle("NVIDIA Graphics Driver 472.12", "NVIDIA Corporation"),
              RawTitle("NVIDIA Grafiktreiber 456.71", "NVIDIA Corporation"),
              RawTitle("Драйвер Realtek High Definition Audio", "Realtek Semiconductor Corp."),
              RawTitle("Realtek High Definition Audio Driver", "Realtek Semiconductor Corp.")]
    keys = [normaliser.normalise(t).product_key for t in titles]
    assert keys[0] == keys[1] == ("nvidia", "graphics driver")
    assert keys[2] == keys[3] == ("realtek", "high definition audio driver")


def test_it_reads_windows_driver_packages_in_several_languages(normaliser: Normaliser) -> None:
    """GIVEN 'Windows Driver Package' titles in English and Portuguese WHEN normalised THEN provider and device class."""
    english = normaliser.normalise(RawTitle("Windows Driver Package - Intel (e1dexpress) Net  (12/01/2017 12.15.31.4)"))
    portuguese = normaliser.normalise(RawTitle("Pacote de Driver do Windows - Intel (e1dexpress) Net  (12/01/2017 12.15.31.4)"))
    assert (english.vendor, english.product, english.category) == ("Intel", "Net Driver", Category.COMPONENT)
    assert portuguese.product_key == english.product_key


def test_it_names_a_driver_package_by_its_class_not_its_date_and_version(normaliser: Normaliser) -> None:
    """GIVEN driver packages whose only parentheses hold a date and a version WHEN normalised THEN the class names the driver."""
    bare = normaliser.normalise(RawTitle(
        "Windows Driver Package - HP Inc bemk_4_3_10_420 ActivityMonitor  (05/25/2022 4.3.10.420)", "HP Inc",
        "05/25/2022 4.3.10.420"))
    german = normaliser.normalise(RawTitle(
        "Windows-Treiberpaket - Contoso Printer  (05/02/2013 2.9.1.0)", "Contoso", "05/02/2013 2.9.1.0"))
    assert (bare.vendor, bare.product, bare.category) == ("HP", "ActivityMonitor Driver", Category.COMPONENT)
    assert (german.vendor, german.product) == ("Contoso", "Printer Driver")


def test_it_names_no_date_when_a_driver_package_names_no_class(normaliser: Normaliser) -> None:
    """GIVEN a driver package with a provider alone and a date WHEN normalised THEN no date in the product, not 'Driver' alone, reviewed."""
    result = normaliser.normalise(RawTitle("Windows Driver Package - Contoso Ltd  (05/02/2013 2.9.1.0)", "Contoso Ltd",
                                           "05/02/2013 2.9.1.0"))
    assert not any(ch.isdigit() for ch in result.product)
    assert result.product.casefold() != "driver" and result.needs_review


def test_it_takes_the_vendor_from_the_title_when_no_publisher_is_given(normaliser: Normaliser) -> None:
    """GIVEN titles without publisher WHEN normalised THEN the vendor lexicon or the product family names the vendor."""
    assert normaliser.normalise(RawTitle("Intel(R) Serial IO")).vendor == "Intel"
    assert normaliser.normalise(RawTitle("Windows SDK Desktop Tools x64")).vendor == "Microsoft"
    assert normaliser.normalise(RawTitle("Acronis Cyber Protect Home Office")).vendor == "Acronis"


def test_it_never_answers_a_generic_word_alone(normaliser: Normaliser) -> None:
    """GIVEN titles that are only a generic word WHEN normalised THEN the product is qualified and reviewed."""
    for name in ("Driver", "Update", "Software", "Runtime"):
        result = normaliser.normalise(RawTitle(name))
        assert result.product.casefold() != name.casefold() and result.needs_review


def test_a_family_name_followed_by_other_words_is_another_product(normaliser: Normaliser) -> None:
    """GIVEN 'Windows Media Player 10' WHEN normalised THEN it is not filed as Windows."""
    result = normaliser.normalise(RawTitle("Windows Media Player 10"))
    assert result.product == "Windows Media Player" and result.vendor == "Microsoft"


@pytest.mark.parametrize(
    ("name", "publisher", "version", "product", "category", "vendor"),
    [
        ("libc6", "Debian", "2.36-9+deb12u4", "glibc", Category.COMPONENT, "Debian"),
        ("login", "Debian", "1:4.13+dfsg1-1+b1", "shadow", Category.FREE, "Debian"),
        ("python3-yaml", "Debian Python Team <team+python@tracker.debian.org>", "6.0-3", "pyyaml", Category.COMPONENT, "Debian"),
        ("libc6:amd64", "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>", "2.35-0ubuntu3.1", "glibc", Category.COMPONENT, "Ubuntu"),
        ("fonts-dejavu-core", "", "2.37-6", "fonts-dejavu", Category.COMPONENT, "Debian"),
        ("bash", "", "5.1-2ubuntu3", "bash", Category.FREE, "Ubuntu"),
    ],
)
def test_debian_packages_take_source_and_section_from_the_package_index(
    normaliser: Normaliser, name: str, publisher: str, version: str, product: str, category: Category, vendor: str
) -> None:
    """GIVEN dpkg rows WHEN normalised THEN the source package is the product and the section says component."""
    result = normaliser.normalise(RawTitle(name, publisher, version))
    assert (result.vendor, result.product, result.category) == (vendor, product, category)


def test_the_knowledge_files_are_large_enough() -> None:
    """GIVEN the shipped knowledge WHEN loaded THEN the lexicon has over 1,000 vendors and the Debian index its packages."""
    from ictmerge.engine.software.knowledge import debian_packages, lexicon_vendors

    assert len(lexicon_vendors()) + len(Normaliser().catalogue.vendors) >= 1000
    assert len(debian_packages()) > 50_000


def test_a_title_in_another_version_keeps_its_product_and_takes_its_own_major_version() -> None:
    """GIVEN one title in two versions WHEN normalised THEN same product, each its own major version."""
    normaliser = Normaliser()
    first = normaliser.normalise(RawTitle("Mozilla Firefox (x64 lv)", "Mozilla", "115.2.0"))
    second = normaliser.normalise(RawTitle("Mozilla Firefox (x64 lv)", "Mozilla", "128.0.1"))
    package = normaliser.normalise(RawTitle("libc6", "Debian", "2.36-9+deb12u4"))
    newer = normaliser.normalise(RawTitle("libc6", "Debian", "3.1-1"))
    assert (first.product, first.major_version, second.product, second.major_version) == ("Firefox", "115", "Firefox", "128")
    assert (package.major_version, newer.major_version, newer.product) == ("2", "3", "glibc")


def test_it_names_the_vendor_from_winget_package_names(normaliser: Normaliser) -> None:
    """GIVEN titles without a publisher that winget lists WHEN normalised THEN the vendor publishing that name."""
    assert normaliser.normalise(RawTitle("Cinema 4D 2024", "", "")).vendor == "Maxon"
    assert normaliser.normalise(RawTitle("K-Lite Codec Pack 18.0 Mega", "", "")).vendor == "CodecGuide"
    assert normaliser.normalise(RawTitle("Zzqx Frobnicator 2", "", "")).vendor == ""


def test_it_names_the_vendor_from_its_trademark_and_keeps_the_name(normaliser: Normaliser) -> None:
    """GIVEN a title beginning with a vendor's trademark WHEN normalised THEN that vendor, trademark kept, a component."""
    result = normaliser.normalise(RawTitle("IIS URL Rewrite Module 2", "", "7.2.1993"))
    assert (result.vendor, result.product, result.category) == ("Microsoft", "IIS URL Rewrite Module", Category.COMPONENT)


def test_it_drops_architectures_glued_to_setup_identifiers(normaliser: Normaliser) -> None:
    """GIVEN setup parts differing only in a glued architecture WHEN normalised THEN one component product."""
    names = ["vs_setupcorex64msi", "vs_setupcorex86msi", "vs_setupcore_amd64"]
    results = [normaliser.normalise(RawTitle(name, "", "")) for name in names]
    assert {r.product for r in results[:2]} == {"vs_setupcoremsi"}
    assert results[2].product == "vs_setupcore"
    assert {r.category for r in results} == {Category.COMPONENT}
    dotted = [normaliser.normalise(RawTitle(f"Microsoft.WindowsDesktop.App.Ref.8.win-{arch} ({arch})", "", ""))
              for arch in ("x64", "arm64")]
    assert {r.product for r in dotted} == {"Microsoft.WindowsDesktop.App.Ref.win"}
    assert {r.category for r in dotted} == {Category.COMPONENT}


def test_it_names_an_update_for_the_product_it_is_for(normaliser: Normaliser) -> None:
    """GIVEN updates for Windows and for a product named after it WHEN normalised THEN two update products."""
    windows = normaliser.normalise(RawTitle("Security Update for Windows XP (KB2079403)", "Microsoft Corporation", ""))
    player = normaliser.normalise(RawTitle("Security Update for Windows Media Center (KB973768)", "Microsoft Corporation", ""))
    assert windows.product == "Windows update"
    assert player.product == "Windows Media Center update"
    assert player.category is Category.COMPONENT


def test_it_takes_no_technical_abbreviation_for_a_vendor(normaliser: Normaliser) -> None:
    """GIVEN a title beginning with a licence or technology abbreviation WHEN normalised THEN it is not the vendor."""
    assert normaliser.normalise(RawTitle("GPL Frobnicator 9.54", "", "")).vendor != "GPL"
    assert normaliser.normalise(RawTitle("SDK Frobnicator Additions", "", "")).vendor != "SDK"


def test_it_calls_the_library_half_of_a_debian_program_a_component(normaliser: Normaliser) -> None:
    """GIVEN Debian binary packages that are a program's library or runtime part WHEN normalised THEN components."""
    for name in ("libpam-modules", "libnss-systemd", "llvm-runtime", "hwdata"):
        result = normaliser.normalise(RawTitle(name, "Debian", "1.0-1"))
        assert result.rule_id == "debian-package", name
    parts = [normaliser.normalise(RawTitle(n, "Debian", "1.0-1")) for n in ("libpam-modules", "libnss-systemd", "llvm-runtime")]
    assert {r.category for r in parts} == {Category.COMPONENT}
    assert normaliser.normalise(RawTitle("gettext-base", "Debian", "0.21-12")).category is Category.FREE


def test_it_finds_a_known_vendor_named_inside_the_title(normaliser: Normaliser) -> None:
    """GIVEN titles without publisher naming a catalogue vendor after their start WHEN normalised THEN that vendor."""
    assert normaliser.normalise(RawTitle("Frobnicator Add-in for Microsoft Excel", "", "")).vendor == "Microsoft"
    assert normaliser.normalise(RawTitle("setup_Adobe.Frobnicator.Msi", "", "")).vendor == "Adobe"
    assert normaliser.normalise(RawTitle("Frobnicator Pro for Everyone", "", "")).vendor == ""


def test_it_calls_packages_configurations_and_bluetooth_stacks_components(normaliser: Normaliser) -> None:
    """GIVEN unknown setup packages, configurations and Bluetooth software WHEN normalised THEN components."""
    for name in ("Frobnicator Resource Package", "Frobnicator Setup Configuration", "Frobco Bluetooth 22.1",
                 "Frobnicator CoreRuntime"):
        assert normaliser.normalise(RawTitle(name, "Frobco", "1.0")).category is Category.COMPONENT, name


def test_it_keeps_visual_cpp_debug_runtimes_apart_from_the_redistributable(normaliser: Normaliser) -> None:
    """GIVEN Visual C++ debug and minimum runtimes WHEN normalised THEN the debug runtime is not the redistributable."""
    debug = normaliser.normalise(RawTitle("Microsoft Visual C++ 2019 X64 Debug Runtime - 14.29.30139", "", ""))
    minimum = normaliser.normalise(RawTitle("Microsoft Visual C++ 2019 X64 Minimum Runtime - 14.29.30139", "", ""))
    assert minimum.product == "Visual C++ Redistributable"
    assert debug.product != minimum.product
    assert debug.category is Category.COMPONENT
