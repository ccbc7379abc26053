"""Scheduler tests: properties on random projects, PSPLIB j30 optima, and plain cases."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictmerge.engine.planning.psplib import read_optima, read_psplib_sm
from ictmerge.engine.planning.scheduling import (
    Objective,
    ScheduleMethod,
    ScheduleTask,
    SchedulingError,
    SchedulingProblem,
    SolverSettings,
    critical_path_bound,
    justify,
    lower_bound,
    resource_bound,
    serial_sgs,
    solve_schedule,
)

J30 = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "psplib-j30"
FAST = SolverSettings(time_limit_s=5.0, deterministic_time_limit=5.0)


def assert_feasible(problem: SchedulingProblem, starts: Mapping[str, int]) -> None:
    """Independent check: every precedence holds and no role is over capacity at any time."""
    tasks = {t.task_id: t for t in problem.tasks}
    for task in problem.tasks:
        assert starts[task.task_id] >= 0
        for pred in task.predecessors:
            assert starts[pred] + tasks[pred].duration <= starts[task.task_id], (pred, task.task_id)
    horizon = max((starts[t.task_id] + t.duration for t in problem.tasks), default=0)
    for role, capacity in problem.capacities.items():
        for time in range(horizon):
            used = sum(
                t.demands.get(role, 0)
                for t in problem.tasks
                if starts[t.task_id] <= time < starts[t.task_id] + t.duration
            )
            assert used <= capacity, (role, time, used, capacity)


def span(problem: SchedulingProblem, starts: list[int]) -> int:
    """Makespan of a list of start times."""
    return max((s + t.duration for s, t in zip(starts, problem.tasks, strict=True)), default=0)


@st.composite
def projects(draw: st.DrawFn) -> SchedulingProblem:
    """Random small projects: a DAG over up to 12 tasks and up to 3 roles."""
    roles = [f"role{k}" for k in range(draw(st.integers(1, 3)))]
    capacities = {role: draw(st.integers(1, 4)) for role in roles}
    count = draw(st.integers(1, 12))
    tasks = []
    for i in range(count):
        preds = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        demands = {role: draw(st.integers(0, capacities[role])) for role in roles}
        tasks.append(
            ScheduleTask(
                task_id=f"t{i}",
                duration=draw(st.integers(0, 6)),
                predecessors=tuple(f"t{p}" for p in preds),
                demands=demands,
            )
        )
    return SchedulingProblem(tasks=tasks, capacities=capacities, deadline=draw(st.integers(0, 30)))


@settings(max_examples=60, deadline=None)
@given(projects())
def test_it_keeps_precedence_and_capacity_in_the_heuristic_schedule(
    problem: SchedulingProblem,
) -> None:
    """GIVEN a random project WHEN the serial SGS schedules it THEN the schedule is feasible."""
    starts = serial_sgs(problem)
    assert_feasible(problem, {t.task_id: s for t, s in zip(problem.tasks, starts, strict=True)})
    justified = justify(problem, starts)
    assert_feasible(problem, {t.task_id: s for t, s in zip(problem.tasks, justified, strict=True)})
    assert span(problem, justified) <= span(problem, starts)
    assert lower_bound(problem) <= span(problem, justified)


@settings(max_examples=40, deadline=None)
@given(projects())
def test_it_keeps_precedence_and_capacity_in_the_cp_sat_schedule(
    problem: SchedulingProblem,
) -> None:
    """GIVEN a random project WHEN CP-SAT schedules it THEN it is feasible, bounded and no worse than SGS."""
    schedule = solve_schedule(problem, FAST)
    assert_feasible(problem, schedule.starts)
    assert schedule.lower_bound <= schedule.makespan
    assert lower_bound(problem) <= schedule.makespan
    heuristic = serial_sgs(problem)
    assert schedule.makespan <= max(
        (s + t.duration for s, t in zip(heuristic, problem.tasks, strict=True)), default=0
    )
    late = {lt.task_id for lt in schedule.late_tasks}
    assert late == {
        t.task_id for t in problem.tasks if schedule.ends[t.task_id] > (problem.deadline or 0)
    }


@settings(max_examples=30, deadline=None)
@given(projects())
def test_it_returns_a_critical_chain_of_touching_tasks_ending_at_the_makespan(
    problem: SchedulingProblem,
) -> None:
    """GIVEN a schedule WHEN its critical path is read THEN each task ends when the next starts."""
    schedule = solve_schedule(problem, FAST)
    path = schedule.critical_path
    assert path
    assert schedule.ends[path[-1]] == schedule.makespan
    for before, after in itertools.pairwise(path):
        assert schedule.ends[before] == schedule.starts[after]


def test_it_is_deterministic() -> None:
    """GIVEN the same hard-ish instance twice WHEN solved THEN the start times are identical."""
    path = J30 / "j301_1.sm"
    if not path.exists():
        pytest.skip(f"PSPLIB j30 instances not found at {J30}")
    problem = read_psplib_sm(path)
    first = solve_schedule(problem, FAST)
    second = solve_schedule(problem, FAST)
    assert first.starts == second.starts


@pytest.mark.parametrize(
    "name", ["j301_1.sm", "j301_2.sm", "j305_3.sm", "j3010_1.sm", "j3021_4.sm", "j3045_7.sm"]
)
def test_it_reaches_the_known_optimum_of_psplib_j30(name: str) -> None:
    """GIVEN a published j30 instance WHEN solved THEN the makespan is the known optimum, proven."""
    if not (J30 / "optimum.csv").exists():
        pytest.skip(f"PSPLIB j30 instances not found at {J30} (expected ../shared/benchmarks)")
    optimum = read_optima(J30 / "optimum.csv")[name]
    problem = read_psplib_sm(J30 / name)
    schedule = solve_schedule(problem, SolverSettings(time_limit_s=20.0))
    assert_feasible(problem, schedule.starts)
    assert schedule.makespan == optimum
    assert schedule.proven_optimal
    assert schedule.lower_bound == optimum


def test_it_reports_late_tasks_by_how_much() -> None:
    """GIVEN a chain longer than the deadline WHEN scheduled THEN the late tasks carry their lateness."""
    problem = SchedulingProblem(
        tasks=[
            ScheduleTask("a", 4, demands={"sysadmin": 1}),
            ScheduleTask("b", 3, ("a",), {"sysadmin": 1}),
            ScheduleTask("review", 2, ("b",), deadline_applies=False),
        ],
        capacities={"sysadmin": 1},
        deadline=5,
    )
    schedule = solve_schedule(problem, FAST)
    assert schedule.makespan == 9
    assert [(t.task_id, t.lateness) for t in schedule.late_tasks] == [("b", 2)]
    assert schedule.critical_path == ("a", "b", "review")


def test_it_serialises_tasks_competing_for_one_person() -> None:
    """GIVEN two independent tasks and one sysadmin WHEN scheduled THEN they run one after the other."""
    problem = SchedulingProblem(
        tasks=[
            ScheduleTask("x", 3, demands={"sysadmin": 1}),
            ScheduleTask("y", 2, demands={"sysadmin": 1}),
        ],
        capacities={"sysadmin": 1},
    )
    assert critical_path_bound(problem) == 3
    assert resource_bound(problem) == 5
    schedule = solve_schedule(problem, FAST)
    assert schedule.makespan == 5
    assert schedule.proven_optimal
    assert len(schedule.critical_path) == 2


def test_it_minimises_lateness_before_makespan() -> None:
    """GIVEN a deadline-bound task and a long review WHEN minimising lateness THEN the bound task goes first."""
    problem = SchedulingProblem(
        tasks=[
            ScheduleTask("review", 6, demands={"lead": 1}, deadline_applies=False),
            ScheduleTask("accounts", 3, demands={"lead": 1}),
        ],
        capacities={"lead": 1},
        deadline=3,
    )
    schedule = solve_schedule(problem, SolverSettings(objective=Objective.LATENESS))
    assert schedule.late_tasks == ()
    assert schedule.starts["accounts"] == 0
    assert schedule.method is ScheduleMethod.CP_SAT


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ([ScheduleTask("a", 1, ("b",)), ScheduleTask("b", 1, ("a",))], "cycle"),
        ([ScheduleTask("a", 1, ("zz",))], "unknown predecessor 'zz'"),
        ([ScheduleTask("a", 1, demands={"sysadmin": 3})], "needs 3 of 'sysadmin', capacity is 2"),
        ([ScheduleTask("a", 1), ScheduleTask("a", 2)], "duplicate"),
    ],
)
def test_it_rejects_malformed_projects_with_a_clear_message(
    tasks: list[ScheduleTask], message: str
) -> None:
    """GIVEN a malformed project WHEN solved THEN the error names the task and the fault."""
    with pytest.raises(SchedulingError, match=message):
        solve_schedule(SchedulingProblem(tasks=tasks, capacities={"sysadmin": 2}))
