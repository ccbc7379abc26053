"""Exports of the action plan: XLSX for spreadsheets, iCalendar for calendars."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence

from django.utils import timezone
from openpyxl import Workbook

from ictmerge.core.exports import xlsx_cell
from ictmerge.planning.models import Task
from ictmerge.reforms.models import Municipality

COLUMNS = ("key", "title", "phase", "role", "staff", "duration_days", "depends_on",
           "planned_start", "planned_end", "critical", "late_days", "status", "percent_done",
           "assignee", "origin")


def tasks_xlsx(county: Municipality, tasks: Sequence[Task]) -> bytes:
    """One row per task, in schedule order."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = county.code[:31] or "plan"
    sheet.append(list(COLUMNS))
    for task in tasks:
        sheet.append([xlsx_cell(value) for value in (
            task.key, task.title, task.phase, task.role, task.staff, task.duration_days,
            ", ".join(task.dependency_keys), task.planned_start, task.planned_end,
            task.critical, task.late_days, task.status, task.percent_done,
            task.assignee.get_username() if task.assignee else "", task.origin,
        )])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


#: Control characters a TEXT value may not hold (RFC 5545 3.3.11: all but horizontal tab).
_ICS_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, each line
    break (CRLF, a bare CR or LF) as \\n, other control characters left out."""
    escaped = (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
               .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))
    return _ICS_CONTROL.sub("", escaped)


def _fold(line: str) -> str:
    """Fold lines longer than 75 octets (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def tasks_ics(county: Municipality, tasks: Sequence[Task]) -> str:
    """One all-day event per scheduled task (RFC 5545)."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ictmerge//action plan//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_escape(county.name)}"]
    for task in tasks:
        if task.planned_start is None or task.planned_end is None:
            continue
        lines += [
            "BEGIN:VEVENT",
            f"UID:task-{task.pk}@ictmerge",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{task.planned_start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{task.planned_end + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(task.display_title)}",
            f"DESCRIPTION:{_escape(f'{task.key} · {task.get_phase_display()} · {task.get_role_display()} · {task.get_status_display()}')}",
            f"CATEGORIES:{_escape(str(task.get_phase_display()))}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
