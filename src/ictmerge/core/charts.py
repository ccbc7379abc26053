"""Charts drawn as inline SVG on the server: no JavaScript, no map tiles, no CDN."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format

WIDTH = 640
HEIGHT = 240
MARGIN_LEFT = 40
MARGIN_BOTTOM = 40
MARGIN_TOP = 16


@dataclass(frozen=True)
class Bar:
    """One bar of a histogram with its geometry."""

    x: float
    y: float
    width: float
    height: float
    count: int
    label: str


def histogram(bins: Sequence[Mapping[str, Any]], threshold: float) -> dict[str, Any]:
    """Bars and the threshold line of a share histogram, in SVG coordinates."""
    plot_width = WIDTH - MARGIN_LEFT - 10
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    top = max((b["count"] for b in bins), default=0) or 1
    step = plot_width / max(len(bins), 1)
    bars = []
    for index, b in enumerate(bins):
        height = plot_height * b["count"] / top
        # Text, not geometry: written as the reader's language writes numbers (0,25).
        value = number_format(b["from_pct"], decimal_pos=2)
        label = value if b["to_pct"] is not None else f"≥{value}"
        bars.append(Bar(x=MARGIN_LEFT + index * step + 1, y=MARGIN_TOP + plot_height - height,
                        width=step - 2, height=height, count=b["count"], label=label))
    width_pct = (bins[0]["to_pct"] - bins[0]["from_pct"]) if bins and bins[0]["to_pct"] else 1
    threshold_x = MARGIN_LEFT + step * threshold / width_pct
    ticks = [{"y": MARGIN_TOP + plot_height * (1 - v / top), "value": v}
             for v in sorted({0, top // 2, top})]
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "threshold_x": threshold_x,
            "threshold_label": f"{number_format(threshold, decimal_pos=2)} %",
            "axis_y": MARGIN_TOP + plot_height, "left": MARGIN_LEFT, "ticks": ticks,
            "top": MARGIN_TOP, "right": WIDTH - 10}


#: Estimated advance of one character and height of one line of chart text (11 px sans).
CHAR_WIDTH = 6.6
LINE_HEIGHT = 13.0

Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(points: Sequence[tuple[float, float, str]], width: float, height: float,
                 radius: float = 6.0, char_width: float = CHAR_WIDTH,
                 line_height: float = LINE_HEIGHT) -> list[dict[str, Any] | None]:
    """A position for each point's label that overlaps no other label or marker and stays
    inside the box: right, left, above or below the marker, tried in that order; None for a
    label with no free position (the point keeps its tooltip and the table beside it)."""
    markers: list[Box] = [(x - radius, y - radius, x + radius, y + radius)
                          for x, y, _text in points]
    placed: list[Box] = []
    found: list[dict[str, Any] | None] = []
    gap = radius + 2
    for x, y, text in points:
        w, h = len(text) * char_width, line_height
        candidates = (
            (x + gap, y - h / 2, "start"), (x - gap - w, y - h / 2, "end"),
            (x - w / 2, y - gap - h, "middle"), (x - w / 2, y + gap, "middle"),
            (x + gap, y - gap - h, "start"), (x + gap, y + gap, "start"),
            (x - gap - w, y - gap - h, "end"), (x - gap - w, y + gap, "end"),
        )
        chosen = None
        for left, top, anchor in candidates:
            box = (left, top, left + w, top + h)
            if left < 0 or top < 0 or box[2] > width or box[3] > height:
                continue
            if any(_overlaps(box, other) for other in placed + markers):
                continue
            chosen = box, anchor
            break
        if chosen is None:
            found.append(None)
            continue
        box, anchor = chosen
        placed.append(box)
        text_x = {"start": box[0], "end": box[2], "middle": (box[0] + box[2]) / 2}[anchor]
        # The baseline sits about a quarter line above the box's bottom.
        found.append({"x": round(text_x, 1), "y": round(box[3] - h / 4, 1), "anchor": anchor})
    return found


def stagger(centers: Sequence[float], texts: Sequence[str],
            char_width: float = CHAR_WIDTH) -> list[int]:
    """The row (0, 1, ...) of each label centred under its bar, so that no two labels in a
    row overlap: each goes into the first row where it clears the labels already there."""
    rows: list[list[tuple[float, float]]] = []
    found = []
    for center, text in zip(centers, texts, strict=True):
        half = len(text) * char_width / 2 + 2
        span = (center - half, center + half)
        for index, row in enumerate(rows):
            if all(span[1] <= a or span[0] >= b for a, b in row):
                row.append(span)
                found.append(index)
                break
        else:
            rows.append([span])
            found.append(len(rows) - 1)
    return found


def scatter(points: list[dict[str, Any]], width: int = 480, height: int = 360) -> dict[str, Any]:
    """Points (latitude, longitude) projected equirectangularly into the box, with margins;
    each label placed where it overlaps no other (place_labels), or left out."""
    located = [p for p in points if p.get("latitude") is not None]
    if not located:
        return {"width": width, "height": height, "points": []}
    import math

    lats = [float(p["latitude"]) for p in located]
    lons = [float(p["longitude"]) for p in located]
    mid_lat = math.radians(sum(lats) / len(lats))
    xs = [lon * math.cos(mid_lat) for lon in lons]
    span = max(max(xs) - min(xs), max(lats) - min(lats), 0.05)
    margin = 30
    scale = (min(width, height) - 2 * margin) / span
    drawn = []
    for point, x, lat in zip(located, xs, lats, strict=True):
        drawn.append({**point, "x": margin + (x - min(xs)) * scale,
                      "y": height - margin - (lat - min(lats)) * scale})
    # The bottom line holds the frame's width in km.
    labels = place_labels([(p["x"], p["y"], str(p.get("name", ""))) for p in drawn],
                          width, height - LINE_HEIGHT - 4)
    for point, label in zip(drawn, labels, strict=True):
        point["label"] = label
    return {"width": width, "height": height, "points": drawn,
            "km": round(span * 111.0, 1), "unlabelled": labels.count(None)}


def progress_bars(items: list[tuple[str, float]], width: int = 640,
                  bar_height: int = 14) -> dict[str, Any]:
    """Horizontal bars of percentages (0-100), one per labelled item."""
    label_width = 220
    plot = width - label_width - 50
    bars = []
    for index, (label, percent) in enumerate(items):
        value = max(0.0, min(100.0, float(percent)))
        y = 4 + index * (bar_height + 4)
        bars.append({"label": label, "percent": round(value, 1), "x": label_width,
                     "y": y, "width": round(plot * value / 100, 1), "height": bar_height,
                     "text_x": round(label_width + plot * value / 100 + 4, 1),
                     "text_y": y + bar_height - 3, "label_x": label_width - 4})
    height = 8 + len(items) * (bar_height + 4)
    return {"width": width, "height": height, "bars": bars, "label_width": label_width,
            "plot": plot, "full_x": label_width + plot}


def before_after_bars(items: list[tuple[str, int | None, int | None]], width: int = 640,
                      height: int = 220) -> dict[str, Any]:
    """Pairs of vertical bars, before and after, per indicator (each scaled to its own pair);
    the value centred over its bar, and an indicator's name on a lower line where it would
    overlap its neighbour's (stagger, the names cut at 22 characters as the chart prints)."""
    plot_height = height - MARGIN_BOTTOM - MARGIN_TOP
    step = (width - 20) / max(len(items), 1)
    names = [str(label) if len(str(label)) <= 22 else str(label)[:21] + "…"
             for label, _before, _after in items]
    # The chart's text is 9 px: about 5.4 px a character.
    rows = stagger([10 + index * step + step / 2 for index in range(len(items))], names,
                   char_width=5.4)
    height += 11 * max(rows, default=0)
    groups = []
    for index, (label, before, after) in enumerate(items):
        top = max(before or 0, after or 0) or 1
        x = 10 + index * step
        bar_width = step / 3
        bars: list[dict[str, Any]] = []
        group = {"label": label, "x": x + step / 2, "bars": bars,
                 "label_y": MARGIN_TOP + plot_height + 14 + 11 * rows[index]}
        for offset, value, kind in ((step / 6, before, "before"),
                                    (step / 6 + bar_width, after, "after")):
            bar_height = plot_height * (value or 0) / top
            bars.append({
                "kind": kind, "value": value, "x": x + offset, "width": bar_width - 2,
                "y": MARGIN_TOP + plot_height - bar_height, "height": bar_height,
                "text_x": x + offset + (bar_width - 2) / 2,
                "text_y": MARGIN_TOP + plot_height - bar_height - 3,
            })
        groups.append(group)
    return {"width": width, "height": height, "groups": groups,
            "axis_y": MARGIN_TOP + plot_height, "label_y": MARGIN_TOP + plot_height + 14}


def gantt(tasks: list[dict[str, Any]], width: int = 640, row: int = 16,
          marker: dt.date | None = None, marker_label: str = "") -> dict[str, Any]:
    """Bars from each task's start to its end date, on a common time axis.

    `marker` (e.g. the reform date) is drawn as a vertical line labelled `marker_label`;
    the axis widens to hold it when it falls before the first or after the last task.
    """
    dated = [t for t in tasks if t.get("start") and t.get("end")]
    if not dated:
        return {"width": width, "height": 0, "bars": [], "ticks": [], "marker": None}
    first = min(t["start"] for t in dated)
    last = max(t["end"] for t in dated)
    if marker is not None:
        first, last = min(first, marker), max(last, marker)
    days = max((last - first).days, 1)
    label_width = 200
    plot = width - label_width - 10
    bars = []
    for index, task in enumerate(dated):
        start = (task["start"] - first).days
        length = max((task["end"] - task["start"]).days, 1)
        bars.append({"name": task["name"], "x": label_width + plot * start / days,
                     "y": 20 + index * (row + 3), "width": max(plot * length / days, 2),
                     "height": row, "start": task["start"], "end": task["end"],
                     "late": bool(task.get("late")), "label_x": label_width - 4,
                     "text_y": 20 + index * (row + 3) + row - 4})
    ticks = []
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            ticks.append({"x": label_width + plot * (month - first).days / days,
                          "label": month.strftime("%Y-%m")})
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    bars_bottom = 24 + len(dated) * (row + 3)
    drawn_marker = None
    if marker is not None:
        x = label_width + plot * (marker - first).days / days
        # The label sits under the bars, ending at the line when the line is near the right.
        drawn_marker = {"x": x, "date": marker, "label": marker_label, "y1": 12,
                        "y2": bars_bottom, "text_y": bars_bottom + 11,
                        "anchor": "end" if x > width - 120 else "middle"}
    return {"width": width, "height": bars_bottom + (14 if drawn_marker else 0), "bars": bars,
            "marker": drawn_marker,
            # At most about six month labels: "2021-01" needs ~40 px at font size 9.
            "ticks": ticks[:: max(1, -(-len(ticks) // 6))], "label_width": label_width}


def waterfall(steps: Sequence[Mapping[str, Any]], width: int = 640,
              height: int = 240) -> dict[str, Any]:
    """Vertical bars from a start total through changes to an end total (label, start_eur,
    end_eur, total); a rise is drawn red, a fall green, totals blue."""
    if not steps:
        return {"width": width, "height": height, "bars": []}
    top = max(max(s["start_eur"], s["end_eur"]) for s in steps)
    bottom = min(0.0, *(min(s["start_eur"], s["end_eur"]) for s in steps))
    plot_height = height - MARGIN_BOTTOM - MARGIN_TOP
    scale = plot_height / ((top - bottom) or 1.0)
    step = (width - MARGIN_LEFT - 10) / len(steps)

    def y(value: float) -> float:
        return MARGIN_TOP + (top - value) * scale

    rows = stagger([MARGIN_LEFT + index * step + step / 2 for index in range(len(steps))],
                   [str(s["label"]) for s in steps])
    # Staggered labels take a line each below the bars; the value follows its label.
    height += 2 * int(LINE_HEIGHT) * max(rows, default=0)
    bars = []
    for index, s in enumerate(steps):
        high, low = max(s["start_eur"], s["end_eur"]), min(s["start_eur"], s["end_eur"])
        change = s["end_eur"] - s["start_eur"]
        bars.append({
            "x": MARGIN_LEFT + index * step + 4, "width": step - 8, "y": y(high),
            "height": max((high - low) * scale, 1.0), "label": s["label"],
            "label_x": MARGIN_LEFT + index * step + step / 2,
            "label_y": plot_height + MARGIN_TOP + 16 + 2 * LINE_HEIGHT * rows[index],
            "value_y": plot_height + MARGIN_TOP + 16 + 2 * LINE_HEIGHT * rows[index] + 14,
            "value": s["end_eur"] if s["total"] else change,
            "kind": "total" if s["total"] else ("rise" if change > 0 else "fall"),
        })
    return {"width": width, "height": height, "bars": bars, "zero_y": y(0.0),
            "left": MARGIN_LEFT, "right": width - 10, "label_y": height - MARGIN_BOTTOM + 16}


def tornado(base: float, bars: Sequence[Mapping[str, Any]], width: int = 640,
            label_width: int = 240) -> dict[str, Any]:
    """Horizontal bars of the annual change with one parameter at −20 % and at +20 %
    (parameter, at_minus_eur, at_plus_eur) around the base value."""
    row = 22
    values = [base, *(b["at_minus_eur"] for b in bars), *(b["at_plus_eur"] for b in bars)]
    lowest, highest = min(values), max(values)
    plot = width - label_width - 20
    scale = plot / ((highest - lowest) or 1.0)

    def x(value: float) -> float:
        return label_width + (value - lowest) * scale

    drawn = []
    for index, b in enumerate(bars):
        minus, plus = x(b["at_minus_eur"]), x(b["at_plus_eur"])
        drawn.append({
            "label": b["parameter"], "y": 8 + index * row, "text_y": 8 + index * row + 14,
            "minus_x": min(minus, x(base)), "minus_width": max(abs(x(base) - minus), 1.0),
            "plus_x": min(plus, x(base)), "plus_width": max(abs(plus - x(base)), 1.0),
            "at_minus": b["at_minus_eur"], "at_plus": b["at_plus_eur"],
        })
    return {"width": width, "height": 16 + len(bars) * row, "bars": drawn, "base_x": x(base),
            "label_width": label_width}
