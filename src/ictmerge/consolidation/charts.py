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


MAP_WIDTH = 720
MAP_PAD = 24
LABEL_CHAR_PX = 6.2  # width of a character at the map's label size, for overlap tests
LABEL_HEIGHT = 12


def _overlaps(box: tuple[float, float, float, float], taken: Sequence[tuple[float, float, float, float]]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in taken)


def national_map(result: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """Rooms kept, hubs and the state data centre, and the flows of hosts from each municipality's
    centre to where they stand, projected onto the country (equirectangular at its mid latitude);
    labels that would overlap an earlier one are left off (the table names every place)."""
    import math

    centres = {c["code"]: c for c in result["centres"]}
    places = {p["id"]: p for p in result["places"]}
    points = [(c["latitude"], c["longitude"]) for c in centres.values()]
    points += [(p["latitude"], p["longitude"]) for p in places.values() if p["kind"] != "service"
               or p["id"].endswith("ext-state-dc")]
    if not points:
        return {}
    lat0, lat1 = min(p[0] for p in points), max(p[0] for p in points)
    lon0, lon1 = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((lat0 + lat1) / 2))
    span_x, span_y = max((lon1 - lon0) * squeeze, 1e-6), max(lat1 - lat0, 1e-6)
    scale = (MAP_WIDTH - 2 * MAP_PAD) / span_x
    height = round(span_y * scale + 2 * MAP_PAD)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (round(MAP_PAD + (lon - lon0) * squeeze * scale, 1), round(MAP_PAD + (lat1 - lat) * scale, 1))

    on_map = {k: p for k, p in places.items() if p["kind"] != "service" or k.endswith("ext-state-dc")}
    flows = []
    elsewhere = 0
    for f in result["flows"]:
        centre, place = centres.get(f["county"]), places.get(f["place"])
        if centre is None or place is None:
            continue
        if f["place"] not in on_map:
            elsewhere += f["hosts"]
            continue
        x1, y1 = xy(centre["latitude"], centre["longitude"])
        x2, y2 = xy(place["latitude"], place["longitude"])
        flows.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "width": round(min(6.0, 1 + math.sqrt(f["hosts"])), 1),
                      "title": f"{names.get(f['county'], f['county'])} → {place['name']}: {f['hosts']}"})
    marks = []
    taken: list[tuple[float, float, float, float]] = []
    order = sorted(on_map.values(), key=lambda p: (p["kind"] == "room", -p["hosts"], p["id"]))
    for p in order:
        if not p["kept"]:
            continue
        x, y = xy(p["latitude"], p["longitude"])
        kind = "state_dc" if p["kind"] == "service" else p["kind"]
        shared = len(p["counties"]) > 1
        label = p["name"] if kind != "room" or shared else ""
        box = (x + 6, y - LABEL_HEIGHT / 2, x + 6 + LABEL_CHAR_PX * len(label), y + LABEL_HEIGHT / 2)
        show = bool(label) and box[2] <= MAP_WIDTH and not _overlaps(box, taken)
        if show:
            taken.append(box)
        marks.append({"x": x, "y": y, "x0": round(x - 6, 1), "y0": round(y - 6, 1), "kind": kind, "shared": shared, "label": label if show else "",
                      "label_x": round(x + 6, 1), "title": f"{p['name']}: {p['hosts']}"})
    dots = [{"x": xy(c["latitude"], c["longitude"])[0], "y": xy(c["latitude"], c["longitude"])[1],
             "title": c["name"]} for c in centres.values()]
    return {"width": MAP_WIDTH, "height": height, "flows": flows, "marks": marks, "dots": dots,
            "elsewhere_hosts": elsewhere, "legend_y": height - 8}
