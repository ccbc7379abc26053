"""The county document's base: sections that the planning apps contribute, and the table
cells, numbers and dates as the PDF and the XLSX print them.

The reports app assembles the documents; the apps below it (consolidation, systems,
planning) build their sections from these and register them in `core.providers`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Rows of a section's table that the PDF shows; the XLSX holds them all.
PDF_ROW_LIMIT = 15


#: Dates in tables, short (the long Latvian "2021. gada 28. janvāris" is too wide for a
#: column): (Django, Excel) format per language; ISO for any other language.
SHORT_DATE_FORMATS: dict[str, tuple[str, str]] = {
    "lv": ("d.m.Y", "dd.mm.yyyy"),
    "en": ("Y-m-d", "yyyy-mm-dd"),
}


def short_date_formats() -> tuple[str, str]:
    """(Django, Excel) short date format of the active language."""
    language = (translation.get_language() or "en").split("-")[0]
    return SHORT_DATE_FORMATS.get(language, SHORT_DATE_FORMATS["en"])


def table_cell(value: Any) -> Any:
    """A table cell as the PDF prints it: dates (and times) short, other values unchanged."""
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return dateformat.format(moment, f"{short_date_formats()[0]} H:i")
    if isinstance(value, dt.date):
        return dateformat.format(value, short_date_formats()[0])
    return value


def local_number(value: Any, decimals: int = 0, signed: bool = False) -> str:
    """A number in the active language's format, grouped ("104 252" in Latvian, "104,252" in
    English); `signed` prefixes a plus to positive values."""
    text = str(formats.number_format(round(float(value), decimals), decimal_pos=decimals,
                                     use_l10n=True, force_grouping=True))
    return f"+{text}" if signed and round(float(value), decimals) > 0 else text


def pdf_table_rows(rows: list[list[Any]], limit: int) -> list[list[Any]]:
    """The first `limit` rows with their cells as the PDF prints them."""
    return [[table_cell(value) for value in row] for row in rows[:limit]]


class _PdfRows:
    """The first `limit` rows go in the PDF; the XLSX holds them all."""

    rows: list[list[Any]]
    limit: int

    @property
    def pdf_rows(self) -> list[list[Any]]:
        """The rows the PDF prints, dates short."""
        return pdf_table_rows(self.rows, self.limit)

    @property
    def more_rows(self) -> int:
        """How many rows only the XLSX holds."""
        return max(len(self.rows) - self.limit, 0)


@dataclass
class SectionTable(_PdfRows):
    """A further table of a section, with its own heading (and its own XLSX sheet)."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    limit: int = PDF_ROW_LIMIT


@dataclass
class Section(_PdfRows):
    """A part of a county's plan that another app contributes (decisions, plan, budget)."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    #: Tasks with "name", "start" and "end" (dates) to draw as a Gantt chart.
    gantt: list[dict[str, Any]] = field(default_factory=list)
    #: A date the Gantt chart marks with a labelled line (the reform date).
    gantt_marker: dt.date | None = None
    chart: dict[str, Any] | None = None
    tables: list[SectionTable] = field(default_factory=list)
    #: Said when nothing is stored yet (the template shows it as pending).
    pending: str = ""
    limit: int = PDF_ROW_LIMIT


#: The sections a council expects, in order; those no provider fills say "not yet planned".
EXPECTED_SECTIONS: tuple[tuple[str, Any], ...] = (
    ("servers", gettext_lazy("Servers and server rooms")),
    ("systems", gettext_lazy("Information systems to keep")),
    ("governance", gettext_lazy("Governance and support model")),
    ("action_plan", gettext_lazy("Action plan")),
    ("budget", gettext_lazy("Budget")),
)


def section_title(key: str) -> str:
    """The title of one of the EXPECTED_SECTIONS, in the active language."""
    return str(dict(EXPECTED_SECTIONS)[key])


#: What a council reads where a section is not planned yet: which page of the county
#: computes it (plain language; a council document names no command and no internal id).
PENDING_HINTS: dict[str, Any] = {
    "servers": gettext_lazy("the county computes the server plan on its servers and server "
                            "rooms page"),
    "systems": gettext_lazy("the county compares its information systems on its systems "
                            "page"),
    "governance": gettext_lazy("the county compares the governance models on its governance "
                               "page"),
    "action_plan": gettext_lazy("the county generates and schedules its action plan on the "
                                "action plan page"),
    "budget": gettext_lazy("the budget follows from the scheduled action plan"),
}


def not_yet_planned(key: str) -> Section:
    """A section with nothing stored yet, saying in plain words where it is computed."""
    hint = PENDING_HINTS.get(key)
    pending = (_("not yet planned: %(hint)s") % {"hint": hint} if hint
               else str(_("not yet planned")))
    return Section(key=key, title=section_title(key), pending=pending)
