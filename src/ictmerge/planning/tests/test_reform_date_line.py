"""The action plan page's Gantt chart draws its dashed "reform date" line at the reform's
effective date, also when the plan's deadline was set to another day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ictmerge.engine.planning.tasks import working_days_between
from ictmerge.planning.calendar import holidays_between
from ictmerge.planning.models import ActionPlan, Task
from ictmerge.reforms.counties import county_url

pytestmark = pytest.mark.django_db


def test_it_draws_the_line_at_the_reform_date_not_the_deadline(world: Any) -> None:
    """GIVEN New North's plan from 4 January with its deadline moved to 30 April WHEN the lead
    opens the action plan THEN the line stands at 1 July, the reform's effective date."""
    start = dt.date(2021, 1, 4)
    ActionPlan.objects.create(municipality=world.north, project_start=start,
                              deadline=dt.date(2021, 4, 30), scheduled_at=timezone.now(),
                              makespan_days=150, lower_bound_days=150, deadline_days=83)
    Task.objects.create(municipality=world.north, key="inventory", title="Inventory",
                        phase="discovery", role="ict_lead", duration_days=150, start_day=0,
                        end_day=150, planned_start=start, planned_end=dt.date(2021, 8, 2))
    client = Client()
    client.force_login(world.users["lead"])
    response = client.get(county_url("planning_action_plan", world.north))
    assert response.status_code == 200
    gantt = response.context["gantt"]
    reform_date = world.reform.effective_date
    days = working_days_between(start, reform_date,
                                holidays_between(world.reform.country, start, reform_date))
    assert 83 < days < 150  # past the moved deadline, before the task's end
    scale = (gantt["width"] - gantt["left"] - 10) / 150  # the axis ends with the task
    assert gantt["deadline_x"] == pytest.approx(gantt["left"] + days * scale)
    assert f'x1="{gantt["deadline_x"]}"' in response.content.decode()
