"""The score chart of one function, drawn as inline SVG on the server (no JavaScript).

Coordinates are handed to the template as text with a decimal point, so that a language
with a decimal comma (Latvian) cannot break the SVG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format

WIDTH = 640
ROW_HEIGHT = 34
BAR_HEIGHT = 16
LABEL_WIDTH = 260
MARGIN_TOP = 24
MARGIN_RIGHT = 56


def _at(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class ScoreBar:
    """One candidate's bars: the deciding score and the other method's, with geometry."""

    label: str
    y: str
    text_y: str
    thin_y: str
    value_x: str
    deciding_width: str
    other_width: str
    deciding: float
    other: float
    winner: bool


def score_chart(rows: Sequence[Mapping[str, Any]], method: str) -> dict[str, Any]:
    """Horizontal bars of each candidate's score (0-1), best first; the other method thinner."""
    plot = WIDTH - LABEL_WIDTH - MARGIN_RIGHT
    other_key = "weighted_sum" if method == "topsis" else "topsis"
    bars = []
    for index, row in enumerate(rows):
        deciding, other = float(row[method]), float(row[other_key])
        y = MARGIN_TOP + index * ROW_HEIGHT
        width = max(plot * deciding, 1.0)
        bars.append(ScoreBar(
            label=str(row["name"])[:42], y=_at(y), text_y=_at(y + BAR_HEIGHT * 0.75),
            thin_y=_at(y + BAR_HEIGHT + 2), value_x=_at(LABEL_WIDTH + width + 4),
            deciding_width=_at(width), other_width=_at(max(plot * other, 1.0)),
            deciding=deciding, other=other, winner=index == 0))
    height = MARGIN_TOP + len(rows) * ROW_HEIGHT + 24
    # Tick texts as the reader's language writes numbers (0,5); their x stays geometry.
    ticks = [{"x": _at(LABEL_WIDTH + plot * v), "value": number_format(v, decimal_pos=1)}
             for v in (0.0, 0.5, 1.0)]
    return {"width": WIDTH, "height": height, "left": _at(LABEL_WIDTH),
            "label_x": _at(LABEL_WIDTH - 6), "bar_height": BAR_HEIGHT, "bars": bars,
            "ticks": ticks, "axis_y": height - 20, "tick_y": height - 4, "top": MARGIN_TOP - 8}
