"""Reader for PSPLIB single-mode RCPSP files (.sm), used by tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

from ictmerge.engine.planning.scheduling import ScheduleTask, SchedulingProblem


def read_psplib_sm(path: Path) -> SchedulingProblem:
    """Parse a PSPLIB .sm file into a scheduling problem (task ids are job numbers)."""
    lines = path.read_text(encoding="ascii").splitlines()
    successors: dict[int, list[int]] = {}
    durations: dict[int, int] = {}
    demands: dict[int, list[int]] = {}
    capacities: list[int] = []
    section = ""
    for raw in lines:
        line = raw.strip()
        if line.startswith("PRECEDENCE RELATIONS"):
            section = "precedence"
            continue
        if line.startswith("REQUESTS/DURATIONS"):
            section = "requests"
            continue
        if line.startswith("RESOURCEAVAILABILITIES"):
            section = "availability"
            continue
        if line.startswith("*"):
            section = "" if section != "availability" else section
            continue
        fields = line.split()
        if not fields or not fields[0].isdigit():
            continue
        numbers = [int(f) for f in fields]
        if section == "precedence":
            successors[numbers[0]] = numbers[3:]
        elif section == "requests":
            durations[numbers[0]] = numbers[2]
            demands[numbers[0]] = numbers[3:]
        elif section == "availability":
            capacities = numbers
    if not durations or not capacities:
        raise ValueError(f"{path}: not a PSPLIB single-mode file (no jobs or capacities)")
    predecessors: dict[int, list[int]] = {job: [] for job in durations}
    for job, succ in successors.items():
        for nxt in succ:
            predecessors[nxt].append(job)
    roles = [f"R{k + 1}" for k in range(len(capacities))]
    tasks = [
        ScheduleTask(
            task_id=str(job),
            duration=durations[job],
            predecessors=tuple(str(p) for p in predecessors[job]),
            demands={r: a for r, a in zip(roles, demands[job], strict=True) if a > 0},
        )
        for job in sorted(durations)
    ]
    return SchedulingProblem(tasks=tasks, capacities=dict(zip(roles, capacities, strict=True)))


def read_optima(path: Path) -> dict[str, int]:
    """Read optimum.csv (problem,optimum) into {file name: optimal makespan}."""
    optima: dict[str, int] = {}
    for line in path.read_text(encoding="ascii").splitlines()[1:]:
        if line.strip():
            name, value = line.split(",")
            optima[name.strip()] = int(value)
    return optima
