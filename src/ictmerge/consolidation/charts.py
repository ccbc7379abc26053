"""The utilisation chart of a plan's hosts, as inline SVG geometry computed on the server."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

WIDTH = 640
MARGIN_LEFT = 40
MARGIN_TOP = 12
MARGIN_BOTTOM = 36
PLOT_HEIGHT = 160
KINDS = (("cpu_pct", "cpu"), ("ram_pct", "ram"), ("storage_pct", "storage"))


def utilisation_chart(hosts: Sequence[Mapping[str, Any]], cpu_headroom_pct: int,
                      ram_headroom_pct: int) -> dict[str, Any]:
    """Three bars per host (CPU, RAM, disk, 0-100 %) and the headroom lines the plan respects."""
    plot_width = WIDTH - MARGIN_LEFT - 10
    step = plot_width / max(len(hosts), 1)
    bar = max(1.0, step / 4)
    axis_y = MARGIN_TOP + PLOT_HEIGHT
    groups = []
    for index, host in enumerate(hosts):
        x = MARGIN_LEFT + index * step + step / 8
        bars = []
        for offset, (key, kind) in enumerate(KINDS):
            value = max(0.0, min(100.0, float(host[key])))
            height = PLOT_HEIGHT * value / 100
            bars.append({"kind": kind, "x": round(x + offset * bar, 1), "y": round(axis_y - height, 1),
                         "width": round(bar - 0.5, 1), "height": round(height, 1), "value": value})
        groups.append({"id": host["id"], "failover": host["is_failover"], "bars": bars,
                       "label_x": round(x + 1.5 * bar, 1),
                       "title": f"{host['id']}: CPU {host['cpu_pct']:.0f} %, RAM {host['ram_pct']:.0f} %, "
                                f"disk {host['storage_pct']:.0f} %"})
    every = max(1, len(hosts) // 20)  # label at most ~20 hosts so the labels stay legible
    for index, group in enumerate(groups):
        group["show_label"] = index % every == 0
    return {
        "width": WIDTH, "height": axis_y + MARGIN_BOTTOM, "groups": groups, "axis_y": axis_y,
        "left": MARGIN_LEFT, "right": WIDTH - 10, "label_y": axis_y + 14,
        "ticks": [{"y": axis_y - PLOT_HEIGHT * v / 100, "value": v} for v in (0, 50, 100)],
        "cpu_line_y": round(axis_y - PLOT_HEIGHT * cpu_headroom_pct / 100, 1),
        "ram_line_y": round(axis_y - PLOT_HEIGHT * ram_headroom_pct / 100, 1),
        "cpu_headroom": cpu_headroom_pct, "ram_headroom": ram_headroom_pct,
    }
