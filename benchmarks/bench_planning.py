"""Action-plan scheduler on PSPLIB j30 (known optima) and on a 1,000-task plan, against SGS.

Baseline, measured in the same run: the serial schedule-generation scheme with the latest
finish time rule (the heuristic CP-SAT starts from). Ratios are CP-SAT time over SGS time.
Run: .venv/bin/python benchmarks/bench_planning.py [--quick] [--parallel] [--time-limit S]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report

from ictmerge.engine.planning.psplib import read_optima, read_psplib_sm
from ictmerge.engine.planning.scheduling import (
    ScheduleTask,
    SchedulingProblem,
    SolverSettings,
    serial_sgs,
    solve_schedule,
)

J30 = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "psplib-j30"
SEED = 2021


def sgs_makespan(problem: SchedulingProblem) -> int:
    """Makespan of the serial SGS (LFT) schedule."""
    starts = serial_sgs(problem)
    return max(s + t.duration for s, t in zip(starts, problem.tasks, strict=True))


def timed_sgs(problem: SchedulingProblem) -> tuple[int, float]:
    """SGS makespan and its time (best of 3, it is fast)."""
    best = float("inf")
    makespan = 0
    for _ in range(3):
        began = time.perf_counter()
        makespan = sgs_makespan(problem)
        best = min(best, time.perf_counter() - began)
    return makespan, best


def bench_j30(quick: bool, settings: SolverSettings) -> None:
    """Solve j30 instances and compare with the published optima."""
    if not (J30 / "optimum.csv").exists():
        print(f"j30: skipped, instances not found at {J30}")
        return
    optima = read_optima(J30 / "optimum.csv")
    names = sorted(optima, key=lambda n: tuple(int(x) for x in n[3:-3].split("_")))
    if quick:
        names = names[::10]
    solved = proven = reproducible = 0
    gaps: list[float] = []
    sgs_gaps: list[float] = []
    times: list[float] = []
    sgs_times: list[float] = []
    missed: list[str] = []
    for name in names:
        problem = read_psplib_sm(J30 / name)
        heuristic, sgs_time = timed_sgs(problem)
        began = time.perf_counter()
        schedule = solve_schedule(problem, settings)
        times.append(time.perf_counter() - began)
        sgs_times.append(sgs_time)
        optimum = optima[name]
        solved += schedule.makespan == optimum
        proven += schedule.proven_optimal
        reproducible += schedule.reproducible
        gaps.append((schedule.makespan - optimum) / optimum)
        sgs_gaps.append((heuristic - optimum) / optimum)
        if schedule.makespan != optimum:
            missed.append(f"{name} {schedule.makespan}/{optimum}")
    print(
        f"j30: {len(names)} instances, {solved} at the known optimum, {proven} proven optimal, "
        f"{reproducible} reproducible (not stopped by the wall clock)"
    )
    print(
        f"j30: mean gap to optimum CP-SAT {statistics.mean(gaps):.3%}, SGS {statistics.mean(sgs_gaps):.3%}"
    )
    if missed:
        print(f"j30: not at optimum: {', '.join(missed)}")
    report("j30 CP-SAT median time", statistics.median(times), statistics.median(sgs_times))
    report("j30 CP-SAT worst time", max(times), max(sgs_times))
    report("j30 CP-SAT total time", sum(times), sum(sgs_times))


def generated_plan(tasks: int = 1000, roles: int = 10) -> SchedulingProblem:
    """A deterministic 1,000-task plan with 10 roles (generated, not real data)."""
    rng = random.Random(SEED)
    capacities = {f"role{r}": rng.randint(2, 6) for r in range(roles)}
    plan = []
    for i in range(tasks):
        # Dependencies reach back into a window, like phases of a real plan.
        window = list(range(max(0, i - 40), i))
        preds = rng.sample(window, k=min(len(window), rng.randint(0, 3)))
        used = rng.sample(sorted(capacities), k=rng.randint(1, 2))
        plan.append(
            ScheduleTask(
                task_id=f"task{i}",
                duration=rng.randint(1, 10),
                predecessors=tuple(f"task{p}" for p in sorted(preds)),
                demands={role: min(capacities[role], rng.choice((1, 1, 1, 2))) for role in used},
            )
        )
    return SchedulingProblem(tasks=plan, capacities=capacities)


def bench_large(settings: SolverSettings) -> None:
    """The issue's target: a 1,000-task plan with 10 roles in at most 30 s, gap printed."""
    problem = generated_plan()
    heuristic, sgs_time = timed_sgs(problem)
    began = time.perf_counter()
    schedule = solve_schedule(problem, settings)
    seconds = time.perf_counter() - began
    print(
        f"1000 tasks x 10 roles: makespan {schedule.makespan} (SGS {heuristic}), lower bound "
        f"{schedule.lower_bound}, gap {schedule.gap:.2%}, proven optimal {schedule.proven_optimal}"
    )
    report("1000-task plan CP-SAT", seconds, sgs_time)


def main() -> None:
    """Parse options and run both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every 10th j30 instance (48)")
    parser.add_argument(
        "--parallel", action="store_true", help="non-deterministic parallel portfolio"
    )
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    args = parser.parse_args()
    settings = SolverSettings(time_limit_s=args.time_limit, deterministic=not args.parallel)
    mode = "parallel portfolio" if args.parallel else "deterministic interleaved search"
    print(f"CP-SAT, 2 workers, {mode}, {args.time_limit:g} s per j30 instance")
    bench_j30(args.quick, settings)
    bench_large(SolverSettings(time_limit_s=25.0, deterministic=not args.parallel))


if __name__ == "__main__":
    main()
