"""Charts of the software register, drawn as inline SVG on the server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

WIDTH = 720
ROW = 22
LABEL = 260
MARGIN = 12


def shortfall_surplus(products: Sequence[Any]) -> dict[str, Any]:
    """Diverging bars per product: shortfall to the left of the axis, surplus to the right."""
    shown = [p for p in products if p.shortfall or p.surplus]
    top = max((max(p.shortfall, p.surplus) for p in shown), default=0) or 1
    half = (WIDTH - LABEL - 2 * MARGIN) / 2
    axis = LABEL + MARGIN + half
    rows = []
    for index, p in enumerate(shown):
        y = MARGIN + 18 + index * ROW
        short = half * p.shortfall / top
        surplus = half * p.surplus / top
        rows.append({"y": y, "label": f"{p.vendor} {p.product}", "shortfall": p.shortfall,
                     "surplus": p.surplus, "metric": p.metric, "short_x": axis - short,
                     "short_width": short, "surplus_width": surplus, "text_y": y + ROW / 2 - 2})
    height = MARGIN * 2 + 18 + ROW * len(rows)
    return {"width": WIDTH, "height": height, "axis": axis, "rows": rows, "label_x": LABEL,
            "top": top, "bar_height": ROW - 6, "left_text_x": LABEL + MARGIN,
            "right_text_x": WIDTH - MARGIN, "axis_top": MARGIN + 12, "axis_bottom": height - MARGIN}


def contract_timeline(items: Sequence[Any], reform_date: dt.date) -> dict[str, Any]:
    """One bar per contract from its start to its end, the reform date and each decision date."""
    starts = [i.contract.start_date or reform_date for i in items]
    ends = [i.contract.end_date or reform_date + dt.timedelta(days=365) for i in items]
    first = min([*starts, reform_date - dt.timedelta(days=365)])
    last = max([*ends, reform_date + dt.timedelta(days=365)])
    span = max((last - first).days, 1)
    plot = WIDTH - LABEL - 2 * MARGIN

    def x(day: dt.date) -> float:
        return LABEL + MARGIN + plot * (day - first).days / span

    rows = []
    for index, (item, start, end) in enumerate(zip(items, starts, ends, strict=True)):
        y = MARGIN + 18 + index * ROW
        rows.append({"y": y, "label": item.contract.title[:42], "x": x(start),
                     "width": max(x(end) - x(start), 2), "open_end": item.contract.end_date is None,
                     "decide_x": x(item.decide_by), "decide_by": item.decide_by,
                     "text_y": y + ROW / 2 - 2, "assignable": item.contract.assignable})
    height = MARGIN * 2 + 18 + ROW * len(rows)
    years = [dt.date(year, 1, 1) for year in range(first.year + 1, last.year + 1)]
    return {"width": WIDTH, "height": height, "rows": rows, "reform_x": x(reform_date),
            "reform_date": reform_date, "ticks": [{"x": x(d), "year": d.year} for d in years],
            "bar_height": ROW - 8, "top": MARGIN + 12, "bottom": height - MARGIN,
            "label_x": LABEL}


def portfolio_groups(groups: Sequence[Any]) -> dict[str, Any]:
    """Stacked bars per function: the kept product's installations, then each one to replace."""
    top = max((sum(p.installs for p in g.products) for g in groups), default=0) or 1
    plot = WIDTH - LABEL - 2 * MARGIN
    rows = []
    for index, group in enumerate(groups):
        y = MARGIN + 18 + index * ROW
        x = LABEL + MARGIN
        segments = []
        for p in group.products:
            width = plot * p.installs / top
            segments.append({"x": x, "width": width, "label": p.label, "installs": p.installs,
                             "kept": p is group.keep})
            x += width
        rows.append({"y": y, "label": group.label, "segments": segments, "text_y": y + ROW / 2 - 2})
    height = MARGIN * 2 + 18 + ROW * len(rows)
    return {"width": WIDTH, "height": height, "rows": rows, "label_x": LABEL, "top": top,
            "bar_height": ROW - 6, "left_x": LABEL + MARGIN}
