"""XLSX workbooks with every table behind the report documents (openpyxl)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from ictmerge.core.documents import short_date_formats
from ictmerge.core.exports import xlsx_cell
from ictmerge.reports.documents import AFTER_COLUMNS, as_number


def _cell(value: Any) -> Any:
    """A workbook cell: numbers as numbers; texts (some typed by users) never run as formulas."""
    if isinstance(value, (list, dict)):
        value = str(value)
    return xlsx_cell(as_number(value))


def _sheet(workbook: Workbook, title: str, headers: Sequence[Any],
           rows: Iterable[Sequence[Any]]) -> Worksheet:
    # Excel refuses these characters and titles over 31; openpyxl numbers repeated titles.
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31].strip())
    sheet.append([xlsx_cell(str(h)) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    date_format = short_date_formats()[1]
    for row in rows:
        sheet.append([_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = f"{date_format} hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = date_format
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    return sheet


def _demo_note(workbook: Workbook, demo: bool) -> None:
    if demo:
        sheet = workbook.create_sheet("DEMO", 0)
        sheet.append([_("Generated demo data, not real municipal records.")])


def national_workbook(context: dict[str, Any]) -> Workbook:
    """The national report's tables: summary, share histogram, counties, questions, progress."""
    report = context["report"]
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    summary_keys = ("former_municipalities", "former_municipalities_surveyed",
                    "new_municipalities", "new_municipalities_surveyed", "computers",
                    "servers", "server_rooms", "information_systems", "ict_spend_eur",
                    "municipalities_reporting_spend", "municipalities_at_or_below_0_75_pct",
                    "share_threshold_pct", "median_share_pct")
    _sheet(workbook, "Summary", [_("figure"), _("value")],
           [(key, report[key]) for key in summary_keys])
    _sheet(workbook, "Share histogram", [_("from %"), _("to %"), _("municipalities")],
           [(b["from_pct"], b["to_pct"], b["count"]) for b in report["share_histogram"]])
    columns = ("code", "name", "computers", "servers", "server_rooms", "information_systems",
               "software_products", "ict_spend_eur", "total_expenditure_eur", "share_pct",
               "servers_after", "server_rooms_after")
    _sheet(workbook, "New municipalities", [*columns, "predecessors"],
           [[c[k] for k in columns] + ["; ".join(c["predecessors"])] for c in report["new"]])
    after_keys = [key for key, _label, _keys in AFTER_COLUMNS]
    _sheet(workbook, "Four questions",
           ["code", "name", *[f"{k}_before" for k in after_keys],
            *[f"{k}_after" for k in after_keys]],
           [[q["code"], q["name"], *[q["before"][k] for k in after_keys],
             *[q["after"][k] if q["after"][k] is not None else _("not yet planned")
               for k in after_keys]] for q in context["questions"]])
    progress = context["progress"]
    phases = [value for value, _label in context["phases"]]
    _sheet(workbook, "Phase progress",
           ["code", "name", *[f"{p}_pct" for p in phases], "overall_pct", "laggard"],
           [[c["code"], c["name"], *[c["phases"][p] for p in phases], c["overall_percent"],
             c["laggard"]] for c in progress["counties"]])
    items = [(c, i) for c in progress["counties"] for i in c["items"]]
    _sheet(workbook, "Checklist", ["code", "name", "phase", "item", "percent", "status",
                                   "computed", "basis"],
           [[c["code"], c["name"], i["phase"], i["item"], i["percent"], i["status"],
             i["computed"], i["basis"]] for c, i in items])
    _demo_note(workbook, report["demo_data"])
    return workbook


def county_workbook(context: dict[str, Any]) -> Workbook:
    """A county plan's tables: before/after, predecessors, systems, rooms, risks, checklist."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    _sheet(workbook, "Before and after", ["indicator", "label", "before", "after"],
           [[i["key"], i["label"], i["before"],
             i["after"] if i["after"] is not None else _("not yet planned")]
            for i in context["indicators"]])
    keys = ("computers", "servers", "network", "rooms", "systems", "contracts", "licences",
            "not_transferable", "spend", "expenditure", "staff", "share", "governance")
    rows = [[r["municipality"].code, r["municipality"].name, *[r.get(k) for k in keys]]
            for r in context["rows"]]
    merged = context["merged"]
    rows.append(["", _("Merged"), *[merged.get(k) for k in keys]])
    _sheet(workbook, "Predecessors", ["code", "name", *keys], rows)
    _sheet(workbook, "Systems per function",
           [_("function"), *[m.name for m in context["predecessors"]], _("distinct")],
           [[f["function"], *["; ".join(cell) for cell in f["cells"]], f["distinct"]]
            for f in context["functions"]])
    _sheet(workbook, "Server rooms", ["name", "municipality", "operation", "racks",
                                      "latitude", "longitude"],
           [[r["name"], r["municipality"], str(r["operation"]), r["racks"], r["latitude"],
             r["longitude"]] for r in context["rooms"]])
    for section in context["sections"]:
        if section.rows:
            _sheet(workbook, section.title, section.headers, section.rows)
        for table in section.tables:
            if table.rows:
                _sheet(workbook, table.title, table.headers, table.rows)
        if section.gantt:
            _sheet(workbook, f"{section.title} (tasks)", ["task", "start", "end"],
                   [[t["name"], t.get("start"), t.get("end")] for t in section.gantt])
        if section.pending:
            _sheet(workbook, section.title, [section.title], [[section.pending]])
    _sheet(workbook, "Risks", ["risk", "records", "response"],
           [[r["risk"], r["count"], r["response"]] for r in context["risks"]])
    progress = context["progress"]
    _sheet(workbook, "Checklist", ["phase", "item", "label", "percent", "status", "computed",
                                   "basis", "evidence"],
           [[i.phase, i.item, i.label,
             None if i.fraction is None else round(100 * i.fraction, 1), i.status,
             i.computed, i.basis, i.evidence] for i in progress.items])
    _demo_note(workbook, context["is_demo"])
    return workbook
