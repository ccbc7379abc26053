"""List exports as CSV or XLSX, for every resource, with formula-like cells neutralised.

An app may register the columns a resource exports in (e.g. its import template, so that
an export imports back unchanged); otherwise the resource's id and fields are exported.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import models
from django.http import HttpResponse

from ictmerge.engine import spreadsheets

#: resource slug → function(queryset) → (header, rows)
Exporter = Callable[[Any], tuple[list[str], Iterable[list[Any]]]]
_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(slug: str, exporter: Exporter) -> None:
    """Export a resource's lists through this function instead of id + fields."""
    _EXPORTERS[slug] = exporter


def default_table(resource: Any, queryset: Any) -> tuple[list[str], Iterable[list[Any]]]:
    """id and the resource's fields, foreign keys by their name."""
    columns = ["id", *resource.fields]

    def rows() -> Iterator[list[Any]]:
        for record in queryset.iterator(chunk_size=2000):
            values = []
            for name in columns:
                value = getattr(record, name)
                if isinstance(value, models.Model):
                    value = str(value)
                elif isinstance(value, models.fields.files.FieldFile):
                    value = value.name or ""
                values.append(value)
            yield values

    return columns, rows()


def export_table(resource: Any, queryset: Any) -> tuple[list[str], Iterable[list[Any]]]:
    """The header and rows a resource's list exports as: the record's id first (for
    reference only; imports match by natural keys and ignore it), then the columns."""
    exporter = _EXPORTERS.get(resource.slug)
    if exporter is None:
        return default_table(resource, queryset)
    ids = queryset.values_list("pk", flat=True).iterator(chunk_size=2000)
    header, rows = exporter(queryset)
    return ["id", *header], ([pk, *row] for pk, row in zip(ids, rows, strict=True))


def csv_cell(value: Any) -> str:
    """A value as safe CSV text (the one cell function: engine.spreadsheets.csv_cell)."""
    return spreadsheets.csv_cell(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text line by line, with a BOM so that Excel reads Latvian letters."""
    writer = spreadsheets.SafeCsvWriter(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(header: list[str], rows: Iterable[list[Any]], title: str = "export") -> bytes:
    """An XLSX workbook with one sheet: numbers and dates typed, text neutralised."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "export")
    sheet.append([xlsx_cell(v) for v in header])
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell of any workbook the project writes: an aware time in local
    time (a worksheet has no time zones), the rest through engine.spreadsheets.xlsx_cell."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return spreadsheets.xlsx_cell(value)


def export_response(resource: Any, queryset: Any, file_format: str) -> HttpResponse:
    """The list as a download: CSV (streamed) or XLSX."""
    header, rows = export_table(resource, queryset)
    if file_format == "xlsx":
        response = HttpResponse(
            xlsx_bytes(header, rows, resource.slug),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{resource.slug}.xlsx"'
        return response
    response = HttpResponse("".join(csv_lines(header, rows)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{resource.slug}.csv"'
    return response
