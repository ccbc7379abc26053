"""Chart labels that neither overlap nor leave the chart: the room map's names and the
waterfall's bar labels."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from ictmerge.core import charts


def _box(point: tuple[float, float, str], label: dict[str, Any]) -> tuple[float, float, float,
                                                                           float]:
    """The box a placed label covers (as place_labels measures text)."""
    width = len(point[2]) * charts.CHAR_WIDTH
    left = {"start": label["x"], "end": label["x"] - width,
            "middle": label["x"] - width / 2}[label["anchor"]]
    bottom = label["y"] + charts.LINE_HEIGHT / 4
    return left, bottom - charts.LINE_HEIGHT, left + width, bottom


def test_it_places_crowded_map_labels_apart_and_inside_the_box() -> None:
    """GIVEN five rooms within a few pixels, one at the right edge WHEN their labels are
    placed THEN no two placed labels overlap, none leaves the box, and the edge room's label
    sits to its left."""
    points = [(100, 100, "Server room A"), (104, 102, "Server room B"),
              (98, 106, "Town hall room"), (102, 96, "School"), (470, 200, "Edge room")]
    labels = charts.place_labels(points, 480, 340)
    placed = [(p, label) for p, label in zip(points, labels, strict=True) if label]
    assert len(placed) >= 4
    boxes = [_box(p, label) for p, label in placed]
    for index, a in enumerate(boxes):
        assert a[0] >= -0.01 and a[1] >= -0.01 and a[2] <= 480.01 and a[3] <= 340.01, a
        for b in boxes[index + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    assert labels[4] is not None and labels[4]["anchor"] == "end"


def test_it_leaves_out_a_label_with_no_free_place() -> None:
    """GIVEN two rooms at the same spot in a box that holds one label WHEN placed THEN one
    label is drawn and the other left out, and the map counts it."""
    labels = charts.place_labels([(30, 10, "Room one"), (30, 10, "Room two")], 120, 24)
    assert labels.count(None) == 1
    drawn = charts.scatter([{"name": "Room one", "latitude": 57.3, "longitude": 25.2},
                            {"name": "Room two", "latitude": 57.3, "longitude": 25.2}],
                           width=80, height=50)
    assert drawn["unlabelled"] == sum(1 for p in drawn["points"] if p["label"] is None) >= 1


def test_it_staggers_the_waterfall_labels_that_would_overlap() -> None:
    """GIVEN a waterfall of seven steps with long labels WHEN drawn THEN labels that would
    overlap their neighbours go to a lower line, no two on a line overlap, and the chart grows
    to hold the lines."""
    steps = [{"label": f"A long cost line number {n}", "start_eur": 100.0 * n,
              "end_eur": 100.0 * (n + 1), "total": n in (0, 6)} for n in range(7)]
    flat = charts.waterfall(steps)
    assert len({b["label_y"] for b in flat["bars"]}) > 1
    assert flat["height"] > 240
    by_line: dict[float, list[tuple[float, float]]] = {}
    for bar in flat["bars"]:
        half = len(bar["label"]) * charts.CHAR_WIDTH / 2
        by_line.setdefault(bar["label_y"], []).append((bar["label_x"] - half,
                                                       bar["label_x"] + half))
    for spans in by_line.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in pairwise(spans))
    short = charts.waterfall([{**s, "label": "x"} for s in steps])
    assert {b["label_y"] for b in short["bars"]} == {flat["bars"][0]["label_y"]}
    assert short["height"] == 240


def test_it_puts_crowded_indicator_names_on_lower_lines_and_values_over_their_bars() -> None:
    """GIVEN eight indicators with long names WHEN the before/after chart is drawn THEN
    neighbouring names are on different lines, the chart grows to hold them, and each value is
    centred over its bar."""
    items: list[tuple[str, int | None, int | None]] = [
        (f"Information systems of kind {n}", 10 * n, 5 * n) for n in range(1, 9)]
    chart = charts.before_after_bars(items)
    lines = [g["label_y"] for g in chart["groups"]]
    assert all(a != b for a, b in pairwise(lines)) and chart["height"] > 220
    for group in chart["groups"]:
        for bar in group["bars"]:
            assert bar["text_x"] == pytest.approx(bar["x"] + bar["width"] / 2)
    few = charts.before_after_bars(items[:2])
    assert len({g["label_y"] for g in few["groups"]}) == 1 and few["height"] == 220
