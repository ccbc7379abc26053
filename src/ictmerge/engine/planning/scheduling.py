"""Resource-constrained project scheduling (RCPSP) of the action plan with CP-SAT."""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ortools.sat.python import cp_model


class Objective(StrEnum):
    """What the solver minimises."""

    MAKESPAN = "makespan"
    # Total lateness of deadline-bound tasks first, makespan second.
    LATENESS = "lateness"


class ScheduleMethod(StrEnum):
    """Which algorithm produced the returned start times."""

    CP_SAT = "cp_sat"
    SERIAL_SGS = "serial_sgs"


@dataclass(frozen=True)
class ScheduleTask:
    """One task: integer duration (e.g. working days), predecessors and staff demand per role."""

    task_id: str
    duration: int
    predecessors: tuple[str, ...] = ()
    demands: Mapping[str, int] = field(default_factory=dict)
    # Review tasks run after the reform date by design; they are never "late".
    deadline_applies: bool = True


@dataclass(frozen=True)
class SchedulingProblem:
    """Tasks, capacity per role (renewable) and an optional deadline in the same time unit."""

    tasks: Sequence[ScheduleTask]
    capacities: Mapping[str, int]
    deadline: int | None = None


@dataclass(frozen=True)
class SolverSettings:
    """CP-SAT settings; the defaults make the result reproducible (see `solve_schedule`)."""

    time_limit_s: float = 10.0
    num_workers: int = 2
    random_seed: int = 0
    # Deterministic search: interleaved workers and a deterministic time budget, so the
    # same input gives the same schedule whatever the machine load.
    deterministic: bool = True
    # Deterministic-time budget (CP-SAT's work units); only used when deterministic.
    deterministic_time_limit: float = 10.0
    objective: Objective = Objective.MAKESPAN


@dataclass(frozen=True)
class LateTask:
    """A task ending after the deadline, and by how much."""

    task_id: str
    end: int
    lateness: int


@dataclass(frozen=True)
class Schedule:
    """A feasible schedule with its bound, optimality proof, late tasks and critical path."""

    starts: Mapping[str, int]
    ends: Mapping[str, int]
    makespan: int
    lower_bound: int
    proven_optimal: bool
    method: ScheduleMethod
    late_tasks: tuple[LateTask, ...]
    critical_path: tuple[str, ...]
    solve_seconds: float
    # False when the parallel portfolio ran, or when the wall-clock safety limit stopped
    # CP-SAT before a proof or its deterministic-time budget: another run may differ.
    reproducible: bool = True

    @property
    def gap(self) -> float:
        """Relative gap between makespan and lower bound (0.0 when equal)."""
        if self.makespan == 0:
            return 0.0
        return (self.makespan - self.lower_bound) / self.makespan


class SchedulingError(ValueError):
    """The problem is malformed: unknown predecessor, cycle, or demand above capacity."""


def validate_problem(problem: SchedulingProblem) -> list[int]:
    """Check the problem and return a topological order of task indices."""
    index = {task.task_id: i for i, task in enumerate(problem.tasks)}
    if len(index) != len(problem.tasks):
        seen: set[str] = set()
        for task in problem.tasks:
            if task.task_id in seen:
                raise SchedulingError(f"task {task.task_id!r}: duplicate task id")
            seen.add(task.task_id)
    for task in problem.tasks:
        if task.duration < 0:
            raise SchedulingError(f"task {task.task_id!r}: duration must be >= 0")
        for pred in task.predecessors:
            if pred not in index:
                raise SchedulingError(f"task {task.task_id!r}: unknown predecessor {pred!r}")
        for role, amount in task.demands.items():
            if amount < 0:
                raise SchedulingError(f"task {task.task_id!r}: negative demand for {role!r}")
            if amount > problem.capacities.get(role, 0):
                raise SchedulingError(
                    f"task {task.task_id!r}: needs {amount} of {role!r}, "
                    f"capacity is {problem.capacities.get(role, 0)}"
                )
    return _topological_order(problem.tasks, index)


def _topological_order(tasks: Sequence[ScheduleTask], index: Mapping[str, int]) -> list[int]:
    """Kahn's algorithm, smallest index first so the order is deterministic."""
    indegree = [len(set(task.predecessors)) for task in tasks]
    successors = _successors(tasks, index)
    ready = [i for i, deg in enumerate(indegree) if deg == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in successors[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                heapq.heappush(ready, j)
    if len(order) != len(tasks):
        stuck = sorted(tasks[i].task_id for i, deg in enumerate(indegree) if deg > 0)
        raise SchedulingError(f"dependency cycle among tasks: {', '.join(stuck[:10])}")
    return order


def _successors(tasks: Sequence[ScheduleTask], index: Mapping[str, int]) -> list[list[int]]:
    """Successor lists by task index (duplicates removed)."""
    successors: list[list[int]] = [[] for _ in tasks]
    for j, task in enumerate(tasks):
        for pred in sorted(set(task.predecessors), key=index.__getitem__):
            successors[index[pred]].append(j)
    return successors


def earliest_starts(problem: SchedulingProblem, order: Sequence[int]) -> list[int]:
    """Forward pass: earliest start of each task ignoring capacity."""
    index = {task.task_id: i for i, task in enumerate(problem.tasks)}
    early = [0] * len(problem.tasks)
    for i in order:
        task = problem.tasks[i]
        for pred in task.predecessors:
            p = index[pred]
            early[i] = max(early[i], early[p] + problem.tasks[p].duration)
    return early


def tails(problem: SchedulingProblem, order: Sequence[int]) -> list[int]:
    """Backward pass: longest path from each task's start to the project end."""
    index = {task.task_id: i for i, task in enumerate(problem.tasks)}
    successors = _successors(problem.tasks, index)
    tail = [0] * len(problem.tasks)
    for i in reversed(order):
        after = max((tail[j] for j in successors[i]), default=0)
        tail[i] = problem.tasks[i].duration + after
    return tail


def critical_path_bound(problem: SchedulingProblem) -> int:
    """Longest precedence chain, a lower bound on the makespan."""
    order = validate_problem(problem)
    return max(tails(problem, order), default=0)


def resource_bound(problem: SchedulingProblem) -> int:
    """Work per role divided by its capacity, rounded up: a lower bound on the makespan."""
    bound = 0
    for role, capacity in problem.capacities.items():
        work = sum(t.duration * t.demands.get(role, 0) for t in problem.tasks)
        if capacity > 0:
            bound = max(bound, math.ceil(work / capacity))
    return bound


def lower_bound(problem: SchedulingProblem) -> int:
    """The better of the critical-path and resource bounds."""
    return max(critical_path_bound(problem), resource_bound(problem))


class _Profile:
    """Free capacity per role over time, grown on demand."""

    def __init__(self, capacities: Mapping[str, int]) -> None:
        self.capacities = dict(capacities)
        self.used: dict[str, list[int]] = {role: [] for role in capacities}

    def _slot(self, role: str, t: int) -> int:
        used = self.used[role]
        return used[t] if t < len(used) else 0

    def fits(self, demands: Mapping[str, int], start: int, duration: int) -> int:
        """Return -1 if the task fits at start, else the first time after a conflict."""
        for role, amount in demands.items():
            if amount == 0:
                continue
            limit = self.capacities[role] - amount
            for t in range(start + duration - 1, start - 1, -1):
                if self._slot(role, t) > limit:
                    return t + 1
        return -1

    def book(self, demands: Mapping[str, int], start: int, duration: int) -> None:
        """Reserve capacity for a task."""
        for role, amount in demands.items():
            if amount == 0:
                continue
            used = self.used[role]
            if len(used) < start + duration:
                used.extend([0] * (start + duration - len(used)))
            for t in range(start, start + duration):
                used[t] += amount


def serial_sgs(problem: SchedulingProblem, priority: Sequence[int] | None = None) -> list[int]:
    """Serial schedule-generation scheme; priority defaults to latest finish time (LFT).

    `priority[i]` is a sort key: among eligible tasks the smallest key goes first.
    """
    order = validate_problem(problem)
    tasks = problem.tasks
    index = {task.task_id: i for i, task in enumerate(tasks)}
    successors = _successors(tasks, index)
    if priority is None:
        # LFT with the critical-path length as horizon: latest finish = horizon - tail + duration.
        tail = tails(problem, order)
        horizon = max(tail, default=0)
        priority = [horizon - tail[i] + tasks[i].duration for i in range(len(tasks))]
    remaining = [len(set(task.predecessors)) for task in tasks]
    eligible = [(priority[i], i) for i, deg in enumerate(remaining) if deg == 0]
    heapq.heapify(eligible)
    profile = _Profile(problem.capacities)
    starts = [0] * len(tasks)
    earliest = [0] * len(tasks)
    while eligible:
        _, i = heapq.heappop(eligible)
        task = tasks[i]
        start = earliest[i]
        if task.duration > 0:
            conflict = profile.fits(task.demands, start, task.duration)
            while conflict >= 0:
                start = conflict
                conflict = profile.fits(task.demands, start, task.duration)
            profile.book(task.demands, start, task.duration)
        starts[i] = start
        for j in successors[i]:
            earliest[j] = max(earliest[j], start + task.duration)
            remaining[j] -= 1
            if remaining[j] == 0:
                heapq.heappush(eligible, (priority[j], j))
    return starts


def _reversed(problem: SchedulingProblem) -> SchedulingProblem:
    """The same project with every precedence turned round (for right-justification)."""
    successors: dict[str, list[str]] = {t.task_id: [] for t in problem.tasks}
    for task in problem.tasks:
        for pred in dict.fromkeys(task.predecessors):
            successors[pred].append(task.task_id)
    return SchedulingProblem(
        tasks=[
            ScheduleTask(t.task_id, t.duration, tuple(successors[t.task_id]), t.demands)
            for t in problem.tasks
        ],
        capacities=problem.capacities,
    )


def _makespan(problem: SchedulingProblem, starts: Sequence[int]) -> int:
    """Latest end of a schedule."""
    return max((s + t.duration for s, t in zip(starts, problem.tasks, strict=True)), default=0)


def justify(problem: SchedulingProblem, starts: Sequence[int], rounds: int = 5) -> list[int]:
    """Forward-backward improvement (double justification) of a feasible schedule.

    Shifts every task right as far as it goes (latest finisher first), then left again
    (earliest starter first); never lengthens the schedule (Valls, Ballestín and Quintanilla
    2005) and often shortens it by a few per cent.
    """
    backward = _reversed(problem)
    n = len(problem.tasks)
    best = list(starts)
    for _ in range(rounds):
        span = _makespan(problem, best)
        ends = [s + t.duration for s, t in zip(best, problem.tasks, strict=True)]
        # Right-justify: in the reversed project, the latest finisher is scheduled first.
        rev = serial_sgs(backward, [(span - ends[i]) * n + i for i in range(n)])
        rev_span = _makespan(backward, rev)
        right = [rev_span - r - t.duration for r, t in zip(rev, problem.tasks, strict=True)]
        left = serial_sgs(problem, [right[i] * n + i for i in range(n)])
        if _makespan(problem, left) >= span:
            break
        best = left
    return best


def _build_model(
    problem: SchedulingProblem,
    order: Sequence[int],
    hint: Sequence[int],
    horizon: int,
    bound: int,
    objective: Objective,
) -> tuple[cp_model.CpModel, list[cp_model.IntVar], cp_model.IntVar]:
    """CP-SAT model: interval per task, precedences, one cumulative per role."""
    tasks = problem.tasks
    index = {task.task_id: i for i, task in enumerate(tasks)}
    early = earliest_starts(problem, order)
    tail = tails(problem, order)
    model = cp_model.CpModel()
    starts: list[cp_model.IntVar] = []
    intervals: list[cp_model.IntervalVar] = []
    for i, task in enumerate(tasks):
        # Domains tightened by the forward/backward passes against the heuristic's makespan.
        start = model.new_int_var(early[i], horizon - tail[i], f"start_{i}")
        intervals.append(model.new_fixed_size_interval_var(start, task.duration, f"task_{i}"))
        starts.append(start)
        model.add_hint(start, hint[i])
    for j, task in enumerate(tasks):
        for pred in set(task.predecessors):
            p = index[pred]
            model.add(starts[p] + tasks[p].duration <= starts[j])
    for role, capacity in sorted(problem.capacities.items()):
        users = [i for i, t in enumerate(tasks) if t.duration > 0 and t.demands.get(role, 0) > 0]
        if users:
            model.add_cumulative(
                [intervals[i] for i in users], [tasks[i].demands[role] for i in users], capacity
            )
    makespan = model.new_int_var(bound, horizon, "makespan")
    for i, task in enumerate(tasks):
        model.add(starts[i] + task.duration <= makespan)
    if objective is Objective.LATENESS and problem.deadline is not None:
        late_terms = []
        for i, task in enumerate(tasks):
            if task.deadline_applies:
                late = model.new_int_var(0, horizon, f"late_{i}")
                model.add(late >= starts[i] + task.duration - problem.deadline)
                late_terms.append(late)
        model.minimize(sum(late_terms) * (horizon + 1) + makespan)
    else:
        model.minimize(makespan)
    return model, starts, makespan


def solve_schedule(problem: SchedulingProblem, settings: SolverSettings | None = None) -> Schedule:
    """Schedule with CP-SAT, hinted and bounded by the serial SGS (LFT) heuristic, justified.

    Deterministic by default: CP-SAT runs with `interleave_search` (deterministic for any
    number of workers), a fixed seed and a deterministic-time limit, so the same input gives
    the same schedule. The wall-clock limit is a safety net; if it stops the search first,
    `Schedule.reproducible` is False. If CP-SAT finds nothing, the heuristic is returned.
    """
    settings = settings or SolverSettings()
    began = time.perf_counter()
    order = validate_problem(problem)
    tasks = problem.tasks
    heuristic = justify(problem, serial_sgs(problem))
    heuristic_makespan = _makespan(problem, heuristic)
    bound = lower_bound(problem)
    # The heuristic already meets the bound: nothing for CP-SAT to improve.
    if not tasks or (heuristic_makespan == bound and settings.objective is Objective.MAKESPAN):
        return _result(problem, heuristic, bound, True, ScheduleMethod.SERIAL_SGS, began)
    # Minimising lateness may need a longer makespan than the heuristic's, so widen the horizon.
    horizon = (
        max(heuristic_makespan, sum(t.duration for t in tasks))
        if settings.objective is Objective.LATENESS
        else heuristic_makespan
    )
    model, start_vars, makespan = _build_model(
        problem, order, heuristic, horizon, bound, settings.objective
    )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = settings.num_workers
    solver.parameters.random_seed = settings.random_seed
    solver.parameters.max_time_in_seconds = settings.time_limit_s
    if settings.deterministic:
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = settings.deterministic_time_limit
    status = solver.solve(model)
    stopped_by_clock = (
        status != cp_model.OPTIMAL and solver.wall_time >= 0.98 * settings.time_limit_s
    )
    # The parallel portfolio may return a different optimal schedule on every run.
    reproducible = settings.deterministic and not stopped_by_clock
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _result(
            problem, heuristic, bound, False, ScheduleMethod.SERIAL_SGS, began, reproducible
        )
    starts = [int(solver.value(v)) for v in start_vars]
    proven = status == cp_model.OPTIMAL
    if settings.objective is Objective.MAKESPAN:
        bound = max(bound, math.ceil(solver.best_objective_bound - 1e-6))
        proven = proven or bound >= int(solver.value(makespan))
    # Under LATENESS the solver's bound mixes lateness and makespan, so only the static
    # makespan bound is reported.
    return _result(problem, starts, bound, proven, ScheduleMethod.CP_SAT, began, reproducible)


def _result(
    problem: SchedulingProblem,
    starts: Sequence[int],
    bound: int,
    proven_optimal: bool,
    method: ScheduleMethod,
    began: float,
    reproducible: bool = True,
) -> Schedule:
    """Package start times with late tasks and the critical path."""
    tasks = problem.tasks
    ends = [s + t.duration for s, t in zip(starts, tasks, strict=True)]
    makespan = max(ends, default=0)
    late: list[LateTask] = []
    if problem.deadline is not None:
        for task, end in zip(tasks, ends, strict=True):
            if task.deadline_applies and end > problem.deadline:
                late.append(LateTask(task.task_id, end, end - problem.deadline))
    return Schedule(
        starts={t.task_id: s for t, s in zip(tasks, starts, strict=True)},
        ends={t.task_id: e for t, e in zip(tasks, ends, strict=True)},
        makespan=makespan,
        lower_bound=min(bound, makespan),
        proven_optimal=proven_optimal,
        method=method,
        late_tasks=tuple(late),
        critical_path=critical_path(problem, starts),
        solve_seconds=time.perf_counter() - began,
        reproducible=reproducible,
    )


def critical_path(problem: SchedulingProblem, starts: Sequence[int]) -> tuple[str, ...]:
    """The chain of tasks that fixes the makespan in this schedule, first task first.

    Walks back from a task ending at the makespan to one ending exactly when it starts:
    a predecessor if possible, otherwise a task holding a shared role (the resource link
    that delayed it). Any delay on the chain delays the project.
    """
    tasks = problem.tasks
    if not tasks:
        return ()
    ends = [s + t.duration for s, t in zip(starts, tasks, strict=True)]
    makespan = max(ends)
    index = {task.task_id: i for i, task in enumerate(tasks)}
    # Prefer a real (non-zero) task as the chain's end; a dummy sink adds nothing.
    finishing = [i for i, e in enumerate(ends) if e == makespan]
    current = next((i for i in finishing if tasks[i].duration > 0), finishing[0])
    chain = [current]
    visited = {current}
    while starts[current] > 0:
        task = tasks[current]
        preds = sorted(index[p] for p in set(task.predecessors))
        link = next((p for p in preds if ends[p] == starts[current] and p not in visited), None)
        if link is None:
            roles = {r for r, a in task.demands.items() if a > 0}
            link = next(
                (
                    i
                    for i, other in enumerate(tasks)
                    if i not in visited
                    and ends[i] == starts[current]
                    and other.duration > 0
                    and roles & {r for r, a in other.demands.items() if a > 0}
                ),
                None,
            )
        if link is None:
            break
        chain.append(link)
        visited.add(link)
        current = link
    return tuple(tasks[i].task_id for i in reversed(chain))
