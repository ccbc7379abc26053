"""The score chart of one function, drawn as inline SVG on the server (no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH = 640
ROW_HEIGHT = 34
LABEL_WIDTH = 260
MARGIN_TOP = 24
MARGIN_RIGHT = 56


@dataclass(frozen=True)
class ScoreBar:
    """One candidate's bars: the deciding score and the other method's, with geometry."""

    label: str
    y: float
    deciding_width: float
    other_width: float
    deciding: float
    other: float
    winner: bool


def score_chart(rows: list[dict[str, Any]], method: str) -> dict[str, Any]:
    """Horizontal bars of each candidate's score (0-1), best first; the other method thinner."""
    plot = WIDTH - LABEL_WIDTH - MARGIN_RIGHT
    other_key = "weighted_sum" if method == "topsis" else "topsis"
    bars = []
    for index, row in enumerate(rows):
        deciding, other = float(row[method]), float(row[other_key])
        bars.append(ScoreBar(
            label=str(row["name"])[:42], y=MARGIN_TOP + index * ROW_HEIGHT,
            deciding_width=max(plot * deciding, 1.0), other_width=max(plot * other, 1.0),
            deciding=deciding, other=other, winner=index == 0))
    height = MARGIN_TOP + len(rows) * ROW_HEIGHT + 24
    ticks = [{"x": LABEL_WIDTH + plot * v, "value": f"{v:.1f}"} for v in (0.0, 0.5, 1.0)]
    return {"width": WIDTH, "height": height, "left": LABEL_WIDTH, "plot": plot, "bars": bars,
            "ticks": ticks, "axis_y": height - 20, "top": MARGIN_TOP - 8}
