"""Charts drawn as inline SVG on the server: no JavaScript, no map tiles, no CDN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def histogram(bins: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    """Bars and the threshold line of a share histogram, in SVG coordinates."""
    plot_width = WIDTH - MARGIN_LEFT - 10
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    top = max((b["count"] for b in bins), default=0) or 1
    step = plot_width / max(len(bins), 1)
    bars = []
    for index, b in enumerate(bins):
        height = plot_height * b["count"] / top
        label = f"{b['from_pct']:.2f}" if b["to_pct"] is not None else f"≥{b['from_pct']:.2f}"
        bars.append(Bar(x=MARGIN_LEFT + index * step + 1, y=MARGIN_TOP + plot_height - height,
                        width=step - 2, height=height, count=b["count"], label=label))
    width_pct = (bins[0]["to_pct"] - bins[0]["from_pct"]) if bins and bins[0]["to_pct"] else 1
    threshold_x = MARGIN_LEFT + step * threshold / width_pct
    ticks = [{"y": MARGIN_TOP + plot_height * (1 - v / top), "value": v}
             for v in sorted({0, top // 2, top})]
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "threshold_x": threshold_x,
            "axis_y": MARGIN_TOP + plot_height, "left": MARGIN_LEFT, "ticks": ticks,
            "top": MARGIN_TOP, "right": WIDTH - 10}


def scatter(points: list[dict[str, Any]], width: int = 480, height: int = 360) -> dict[str, Any]:
    """Points (latitude, longitude) projected equirectangularly into the box, with margins."""
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
    return {"width": width, "height": height, "points": drawn,
            "km": round(span * 111.0, 1)}
