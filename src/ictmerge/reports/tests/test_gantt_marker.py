"""The Gantt chart marks the reform date with a labelled vertical line."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ictmerge.core import charts

TASKS = [
    {"name": "Discovery", "start": dt.date(2021, 1, 4), "end": dt.date(2021, 3, 1)},
    {"name": "Provision", "start": dt.date(2021, 3, 1), "end": dt.date(2021, 6, 1),
     "late": True},
]


def test_it_draws_the_marker_where_its_date_falls_on_the_axis() -> None:
    chart = charts.gantt(TASKS, marker=dt.date(2021, 2, 1), marker_label="reform date")
    first, second = chart["bars"]
    marker = chart["marker"]
    assert first["x"] < marker["x"] < second["x"]  # inside the first bar, before the second
    assert marker["label"] == "reform date" and marker["date"] == dt.date(2021, 2, 1)
    assert marker["y2"] < chart["height"] and marker["text_y"] <= chart["height"]


def test_it_widens_the_axis_to_a_marker_after_the_last_task() -> None:
    """GIVEN a plan ending on 1 June WHEN the reform date is 1 July THEN the axis reaches
    1 July: the line is at the right end, the last bar ends before it."""
    plain = charts.gantt(TASKS)
    marked = charts.gantt(TASKS, marker=dt.date(2021, 7, 1), marker_label="reform date")
    right = marked["width"] - 10  # the plot ends 10 px before the edge
    assert marked["marker"]["x"] == pytest.approx(right)
    last = marked["bars"][1]
    assert last["x"] + last["width"] < marked["marker"]["x"]
    assert plain["marker"] is None and plain["height"] < marked["height"]
    assert marked["marker"]["anchor"] == "end"  # the label stays inside the picture


def test_the_svg_contains_the_labelled_line() -> None:
    chart = charts.gantt(TASKS, marker=dt.date(2021, 2, 1), marker_label="reform date")
    svg = render_to_string("reports/_gantt.html", {"gantt": chart})
    marker = svg.split('data-testid="gantt-marker"')[1].split("</g>")[0]
    assert f'x1="{chart["marker"]["x"]}"' in marker and "<line" in marker
    assert "reform date 2021-02-01" in marker
    assert "gantt-marker" not in render_to_string("reports/_gantt.html",
                                                  {"gantt": charts.gantt(TASKS)})


def scheduled_county(world: Any) -> Any:
    """New North with a stored schedule of two tasks (nothing else planned): fast to build."""
    from django.utils import timezone

    from ictmerge.planning.models import ActionPlan, Task

    ActionPlan.objects.create(municipality=world.north, project_start=dt.date(2021, 1, 4),
                              deadline=world.reform.effective_date, scheduled_at=timezone.now(),
                              makespan_days=105, lower_bound_days=100, deadline_days=128)
    Task.objects.create(municipality=world.north, key="inventory", title="Inventory",
                        phase="discovery", role="ict_lead", duration_days=40, critical=True,
                        planned_start=dt.date(2021, 1, 4), planned_end=dt.date(2021, 2, 26))
    Task.objects.create(municipality=world.north, key="accounts", title="Accounts",
                        phase="provision", role="sysadmin", duration_days=65, late_days=3,
                        planned_start=dt.date(2021, 3, 1), planned_end=dt.date(2021, 7, 6))
    return world.north


@pytest.mark.django_db
def test_the_county_plan_marks_the_reform_date_in_its_action_plan_chart(world: Any) -> None:
    """GIVEN New North with a scheduled action plan WHEN its takeover plan is drawn THEN the
    action plan's Gantt chart carries the reform's effective date as a labelled line."""
    from ictmerge.reports.documents import county_document_context

    county = scheduled_county(world)
    with translation.override("en"):
        context = county_document_context(county)
        html = render_to_string("reports/county_document.html", context)
    section = next(s for s in context["sections"] if s.key == "action_plan")
    assert section.chart["marker"]["date"] == world.reform.effective_date == dt.date(2021, 7, 1)
    assert 'data-testid="gantt-marker"' in html and "reform date 2021-07-01" in html
