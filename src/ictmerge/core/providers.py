"""Registries that apps fill at start-up (AppConfig.ready) for apps that may not import them.

The reports app sits above the apps that plan (consolidation, software, systems,
planning), and the importers sit beside the software register; the apps register here,
in core below them all, so that no app imports one above or beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ictmerge.core.documents import Section
from ictmerge.core.payloads import AfterFigures

#: Functions (reform, only=None) → {new municipality id: "after" figures} for the national
#: report, of every county or of those whose ids `only` holds.
AfterProvider = Callable[..., dict[int, AfterFigures]]
AFTER_PROVIDERS: list[AfterProvider] = []

#: Functions county (a new Municipality) → Sections of its document; planning, systems and
#: consolidation register here.
SectionProvider = Callable[[Any], list[Section]]
SECTION_PROVIDERS: list[SectionProvider] = []

#: Exports that write a directory (`ictmerge export NAME --output DIR`), by NAME: a function
#: (acting user, directory) → the files written. The reports app registers "open-data".
DirectoryExport = Callable[[Any, Path], list[Path]]
DIRECTORY_EXPORTS: dict[str, DirectoryExport] = {}

#: Makes a matcher for one import into a municipality: licence title → the id of the
#: software product it names when the software register's normaliser is sure (with the
#: title rules that hold in that municipality), else None. The software app registers.
LicenceMatcher = Callable[[str], int | None]
LICENCE_MATCHERS: list[Callable[[int | None], LicenceMatcher]] = []


def licence_matcher(municipality_id: int | None = None) -> LicenceMatcher:
    """A matcher from the registered factory; without one, no title names a product."""
    if not LICENCE_MATCHERS:
        return lambda _title: None
    return LICENCE_MATCHERS[-1](municipality_id)

#: Normalises the installed titles of municipalities (ids) that no product is linked to yet,
#: after a load: the demo, a file import or an agent's report; `titles` (name, publisher)
#: limits it to those. The software register registers; without it titles stay as reported.
InstallationNormaliser = Callable[..., Any]
INSTALLATION_NORMALISERS: list[InstallationNormaliser] = []


def normalise_loaded(municipality_ids: Any, titles: set[tuple[str, str]] | None = None) -> None:
    """Normalise the installations just loaded into the municipalities (no-op without a normaliser)."""
    ids = sorted(set(municipality_ids))
    if ids and INSTALLATION_NORMALISERS:
        INSTALLATION_NORMALISERS[-1](ids, titles=titles, unlinked_only=True)


#: Functions county (a new Municipality) → the products its IS plan retires, as
#: (vendor, product, replacement "vendor product" or "", reason) of the systems the plan
#: replaces; the systems app registers, the software register reads them (its licence need).
RetiredProducts = Callable[[Any], list[tuple[str, str, str, str]]]
RETIRED_PRODUCT_PROVIDERS: list[RetiredProducts] = []
