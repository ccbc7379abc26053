"""Planning charts as inline SVG geometry computed on the server (no JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

GANTT_WIDTH = 1000
GANTT_LABEL = 300
ROW = 14
TOP = 24


def gantt(tasks: Sequence[Any], deadline_day: int | None) -> dict[str, Any]:
    """Bars per scheduled task (working days on x), the deadline line, month-free ticks."""
    scheduled = [t for t in tasks if t.start_day is not None and t.end_day is not None]
    if not scheduled:
        return {"rows": [], "height": 0, "width": GANTT_WIDTH}
    scheduled.sort(key=lambda t: (t.start_day, t.end_day, t.pk))
    span = max(max(t.end_day for t in scheduled), deadline_day or 0, 1)
    plot = GANTT_WIDTH - GANTT_LABEL - 10
    scale = plot / span
    rows = []
    for index, task in enumerate(scheduled):
        width = max((task.end_day - task.start_day) * scale, 2.0)
        rows.append({
            "y": TOP + index * ROW, "text_y": TOP + index * ROW + ROW - 4,
            "x": GANTT_LABEL + task.start_day * scale, "width": width,
            "label": title if len(title := task.display_title) <= 48 else title[:47] + "…",
            "title": (_("%(title)s: day %(start)s–%(end)s") % {
                "title": title, "start": task.start_day, "end": task.end_day}
                + (ngettext(", late by %(days)s working day", ", late by %(days)s working days",
                            task.late_days) % {"days": task.late_days}
                   if task.late_days else "")),
            "critical": task.critical, "late": task.late_days > 0,
            "done": task.percent_done * width / 100,
        })
    step = max(1, round(span / 10 / 5) * 5) if span > 10 else 1
    ticks = [{"x": GANTT_LABEL + d * scale, "day": d} for d in range(0, span + 1, step)]
    height = TOP + len(rows) * ROW + 10
    deadline_x = GANTT_LABEL + deadline_day * scale if deadline_day is not None else None
    return {"rows": rows, "height": height, "width": GANTT_WIDTH, "ticks": ticks,
            "deadline_x": deadline_x, "left": GANTT_LABEL, "bottom": height - 10}


def bars(items: Sequence[tuple[str, float, float, float]], width: int = 640,
         label_width: int = 180) -> dict[str, Any]:
    """Horizontal bars (label, low, expected, high) with a low–high whisker; values ≥ 0 or not."""
    row = 22
    lowest = min((min(i[1], 0.0) for i in items), default=0.0)
    highest = max((max(i[3], 0.0) for i in items), default=0.0) or 1.0
    plot = width - label_width - 90
    scale = plot / (highest - lowest or 1.0)
    zero = label_width + (-lowest) * scale
    drawn = []
    for index, (label, low, expected, high) in enumerate(items):
        x1, x2 = sorted((zero, label_width + (expected - lowest) * scale))
        drawn.append({
            "label": label, "y": 8 + index * row, "text_y": 8 + index * row + 14,
            "x": x1, "width": max(x2 - x1, 1.0),
            "low_x": label_width + (low - lowest) * scale,
            "high_x": label_width + (high - lowest) * scale,
            "mid_y": 8 + index * row + 8, "value": expected, "negative": expected < 0,
            "value_x": max(label_width + (high - lowest) * scale, x2) + 4,
        })
    return {"width": width, "height": 16 + len(items) * row, "bars": drawn, "zero_x": zero,
            "label_width": label_width}
