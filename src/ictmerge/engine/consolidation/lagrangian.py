"""A Lagrangian bound for the room solver's facility problems, and what it lets the exact model drop.

The constraint "each customer's units are placed" is moved into the objective with a price per
unit (Holmberg, Rönnqvist and Yuan 1999, "An exact algorithm for the capacitated facility
location problems with single sourcing", EJOR 113). What is left splits into one knapsack per
facility, solved exactly by dynamic programming over one capacity dimension, and a choice of
facilities that covers the total demand. Subgradient steps tune the prices. The bound proves a
plan optimal when it meets its cost; otherwise a facility, or a (customer, facility) pair, whose
forced use pushes the bound above the best known cost cannot be part of any plan at most as
dear, and the exact model leaves it out.

Every relaxation here only drops constraints (separations, the other dimensions) or non-negative
costs (blocks), or rounds capacities the safe way, so the bound stays a true lower bound of the
full problem.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from .rooms import FacilityProblem

#: Largest knapsack capacity the dynamic programme works with; larger capacities are divided
#: down (rounding that keeps the bound valid). Assumption: 5,000 keeps one pass at a few ms.
MAX_SCALED_CAPACITY = 5000
#: Subgradient schedule (assumption, the usual textbook values): the step factor starts at 2 and
#: halves after this many steps without a better bound; stop below the last value or the step cap.
STALL_STEPS = 20
MIN_STEP_FACTOR = 0.002
MAX_STEPS = 800
#: Knapsack table cells one second of work fills (measured: 3.7e8 a second of CPU time on Holmberg
#: p56, 30 facilities x 401 capacities x 200 customers, heuristic included, on a 2-core machine).
CELLS_PER_SECOND = 3.7e8
#: The repair heuristic runs on every this many steps' relaxed plan (assumption: it costs as much
#: as several steps, and neighbouring steps' plans are alike).
REPAIR_EVERY = 5

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LagrangianResult:
    """The bound, its prices, and the best plan seen on the way."""

    lower_bound: float
    prices: Floats  # customer -> price per unit at the best bound
    plan: tuple[tuple[int, ...], ...] | None  # a feasible plan found by the heuristic, or None
    plan_cost: int | None
    steps: int


@dataclass(frozen=True)
class RuledOut:
    """What no plan at most as dear as a given cost can contain, by the Lagrangian bound."""

    closed: frozenset[int]  # facilities no such plan opens
    kept_open: frozenset[int]  # facilities every such plan opens
    dropped: frozenset[tuple[int, int]]  # (customer, facility) pairs no such plan uses


@dataclass(frozen=True)
class _Relaxed:
    """The facility problem as the relaxation sees it: one dimension, scaled integer sizes."""

    units: tuple[int, ...]
    weight: tuple[int, ...]  # customer -> scaled size of one unit in the chosen dimension
    capacity: tuple[int, ...]  # facility -> scaled knapsack capacity (rounded down)
    cover: tuple[int, ...]  # facility -> scaled capacity for the cover (rounded up)
    total: int  # scaled total demand the open facilities must cover (rounded up)
    cost: Floats  # (facility, customer) -> assignment cost per unit; inf where not allowed


def _relaxed(problem: FacilityProblem) -> _Relaxed:
    """Pick the tightest dimension and scale it so the dynamic programmes stay small.

    Rounding: a customer's size and a knapsack capacity round down (what fits still fits); a
    facility's cover capacity rounds up and the total demand rounds up (a cover still covers).
    """
    n_cust = len(problem.demand)
    units = problem.multiplicity or (1,) * n_cust
    dims = len(problem.demand[0])
    totals = [sum(u * d[k] for u, d in zip(units, problem.demand, strict=True)) for k in range(dims)]

    def tightness(k: int) -> float:
        room = sum(min(cap[k], totals[k]) for cap in problem.capacity)
        return totals[k] / room if room else math.inf

    dim = max(range(dims), key=tightness)
    total = totals[dim]
    clipped = [min(cap[dim], total) for cap in problem.capacity]
    scale = max(1, math.ceil(max(clipped, default=0) / MAX_SCALED_CAPACITY))
    cost = np.full((len(problem.open_cost), n_cust), np.inf)
    for c, row in enumerate(problem.assign_cost):
        for f, a in enumerate(row):
            if a is not None and problem.demand[c][dim] <= problem.capacity[f][dim]:
                cost[f, c] = a
    return _Relaxed(
        units=tuple(units),
        weight=tuple(d[dim] // scale for d in problem.demand),
        capacity=tuple(cap // scale for cap in clipped),
        cover=tuple(-(-cap // scale) for cap in clipped),
        total=-(-total // scale),
        cost=cost,
    )


@dataclass(frozen=True)
class _Knapsacks:
    """Each facility's best knapsack under the current prices, at every capacity, and how to read it back."""

    best: Floats  # (facility, capacity w) -> largest price gain within w
    free: npt.NDArray[np.int64]  # (facility, customer) -> units taken without using capacity
    steps: tuple[tuple[int, int, int, npt.NDArray[np.bool_]], ...]  # customer, units, size, taken at w - size

    def taken(self, f: int, capacity: int) -> dict[int, int]:
        """Units per customer in facility f's best knapsack of the given capacity."""
        units = {c: int(n) for c, n in enumerate(self.free[f]) if n}
        w = capacity
        for c, piece, size, better in reversed(self.steps):
            if w >= size and better[f, w - size]:
                units[c] = units.get(c, 0) + piece
                w -= size
        return units


def step_seconds(problem: FacilityProblem) -> float:
    """The time one subgradient step takes, counted in table cells so that it is deterministic."""
    relaxed = _relaxed(problem)
    pieces = sum(len(_pieces(n)) for n in relaxed.units)
    return len(relaxed.capacity) * (max(relaxed.capacity, default=0) + 1) * max(pieces, 1) / CELLS_PER_SECOND


def _pieces(units: int) -> list[int]:
    """Binary split of a unit count (1, 2, 4, …, rest): any count up to it is a sum of distinct pieces."""
    pieces, size = [], 1
    while units > 0:
        pieces.append(min(size, units))
        units -= pieces[-1]
        size *= 2
    return pieces


def _knapsacks(relaxed: _Relaxed, prices: Floats) -> _Knapsacks:
    """All facilities' 0/1 knapsacks at once: one array row per facility, one column per capacity."""
    n_fac, n_cust = relaxed.cost.shape
    width = max(relaxed.capacity, default=0) + 1
    best = np.zeros((n_fac, width))
    gain = prices[None, :] - relaxed.cost  # per unit; -inf where not allowed
    free = np.zeros((n_fac, n_cust), dtype=np.int64)
    steps: list[tuple[int, int, int, npt.NDArray[np.bool_]]] = []
    for c in range(n_cust):
        worth = gain[:, c] > 0
        if not worth.any():
            continue
        w = relaxed.weight[c]
        if w == 0:
            # Sized below the rounding step: it takes no capacity, so every unit is taken where it gains.
            best += np.where(worth, gain[:, c] * relaxed.units[c], 0.0)[:, None]
            free[worth, c] = relaxed.units[c]
            continue
        for piece in _pieces(relaxed.units[c]):
            size = piece * w
            if size >= width:
                continue  # fits no facility
            candidate = best[:, :-size] + np.where(worth, gain[:, c] * piece, -np.inf)[:, None]
            better = candidate > best[:, size:]
            np.copyto(best[:, size:], candidate, where=better)
            steps.append((c, piece, size, better))
    return _Knapsacks(best, free, tuple(steps))


def _cover(values: Sequence[float], cover: Sequence[int], total: int) -> tuple[float, list[int]]:
    """The cheapest set of facilities whose cover capacities add up to the total, and its value."""
    table = np.zeros(total + 1)
    table[1:] = np.inf
    marks = []
    index = np.arange(total + 1)
    for v, size in zip(values, cover, strict=True):
        candidate = table[np.maximum(index - size, 0)] + v
        better = candidate < table
        table = np.where(better, candidate, table)
        marks.append(better)
    chosen, r = [], total
    for f in range(len(values) - 1, -1, -1):
        if marks[f][r]:
            chosen.append(f)
            r = max(0, r - cover[f])
    return float(table[total]), sorted(chosen)


def _cover_value(values: Sequence[float], cover: Sequence[int], total: int) -> float:
    """Only the value of the cheapest cover."""
    return _cover(values, cover, total)[0]


def _repair(problem: FacilityProblem, relaxed: _Relaxed, opened: Sequence[int],
            sacks: _Knapsacks) -> tuple[tuple[int, ...], ...] | None:
    """A feasible plan near the relaxed one: keep its open facilities and the units it placed there
    while they fit, place the rest cheapest-first (largest first), opening a facility when needed."""
    n_fac, n_cust = relaxed.cost.shape
    dims = len(problem.demand[0])
    residual = [list(cap) for cap in problem.capacity]
    is_open = [False] * n_fac
    for f in opened:
        is_open[f] = True
    placed: list[list[int]] = [[] for _ in range(n_cust)]

    def fits(c: int, f: int) -> bool:
        return all(problem.demand[c][d] <= residual[f][d] for d in range(dims))

    def put(c: int, f: int) -> None:
        is_open[f] = True
        placed[c].append(f)
        for d in range(dims):
            residual[f][d] -= problem.demand[c][d]

    order = sorted(range(n_cust), key=lambda c: (tuple(-v for v in problem.demand[c]), c))
    taken = {f: sacks.taken(f, relaxed.capacity[f]) for f in opened}
    for c in order:
        for f in sorted(opened, key=lambda f: relaxed.cost[f, c]):
            for _ in range(taken[f].get(c, 0)):
                if len(placed[c]) < relaxed.units[c] and fits(c, f):
                    put(c, f)
    for c in order:
        while len(placed[c]) < relaxed.units[c]:
            options = [
                (relaxed.cost[f, c] + (0 if is_open[f] else problem.open_cost[f]), f)
                for f in range(n_fac)
                if math.isfinite(relaxed.cost[f, c]) and problem.assign_cost[c][f] is not None and fits(c, f)
            ]
            if not options:
                return None
            put(c, min(options)[1])
    return tuple(tuple(sorted(p)) for p in placed)


def lagrangian_bound(
    problem: FacilityProblem,
    upper_bound: int | None,
    price_plan: Callable[[Sequence[Sequence[int]]], int] | None,
    *,
    max_steps: int = MAX_STEPS,
) -> LagrangianResult | None:
    """Subgradient optimisation of the prices, then what the best bound rules out against the best cost.

    `upper_bound` is the cost of a known feasible plan (or None). `price_plan` prices the heuristic's
    plans (the full objective); None when they may break a rule the relaxation ignores (separations).
    None when the relaxation finds no cover at all (the exact model then reports the infeasibility).
    """
    if not problem.demand or not problem.open_cost:
        return None
    relaxed = _relaxed(problem)
    n_fac, n_cust = relaxed.cost.shape
    if sum(relaxed.cover) < relaxed.total:
        return None
    units = np.array(relaxed.units, dtype=np.float64)
    open_cost = np.array(problem.open_cost, dtype=np.float64)
    capacity = np.array(relaxed.capacity)
    weight = np.array(relaxed.weight, dtype=np.float64)
    # Start: each unit's cheapest assignment plus its share of that facility's opening cost.
    share = relaxed.cost + open_cost[:, None] * weight[None, :] / np.maximum(capacity, 1)[:, None]
    prices = share.min(axis=0)
    prices[~np.isfinite(prices)] = 0.0
    best_plan: tuple[tuple[int, ...], ...] | None = None
    best_cost = upper_bound
    best_bound, best_prices = -math.inf, prices.copy()
    factor, stall, steps = 2.0, 0, 0
    while steps < max_steps and factor > MIN_STEP_FACTOR:
        steps += 1
        sacks = _knapsacks(relaxed, prices)
        values = open_cost - sacks.best[np.arange(n_fac), capacity]
        cover_value, opened = _cover(list(values), relaxed.cover, relaxed.total)
        bound = float(prices @ units) + cover_value
        if price_plan is not None and steps % REPAIR_EVERY == 1:
            plan = _repair(problem, relaxed, opened, sacks)
            if plan is not None:
                cost = price_plan(plan)
                if best_cost is None or cost < best_cost:
                    best_plan, best_cost = plan, cost
        if bound > best_bound + 1e-9:
            best_bound, best_prices, stall = bound, prices.copy(), 0
        else:
            stall += 1
            if stall >= STALL_STEPS:
                factor, stall = factor / 2, 0
        if best_cost is not None and best_bound > best_cost - 1 + _tolerance(best_cost):
            break  # integer costs: the bound already proves the best plan optimal
        placed = np.zeros(n_cust)
        for f in opened:
            for c, n in sacks.taken(f, relaxed.capacity[f]).items():
                placed[c] += n
        direction = units - placed
        norm = float(direction @ direction)
        if norm == 0:
            break  # the relaxed plan places every unit once: its bound is the optimum
        target = best_cost if best_cost is not None else bound + abs(bound) * 0.1 + 1
        prices = prices + factor * max(target - bound, 1e-6 * (1 + abs(bound))) / norm * direction
    return LagrangianResult(best_bound, best_prices, best_plan, best_cost if best_plan is not None else None, steps)


def _tolerance(cost: float) -> float:
    """Floating-point slack for comparing a bound with an integer cost."""
    return 1e-7 * (1 + abs(cost))


def ruled_out(problem: FacilityProblem, prices: Floats, best_cost: int) -> RuledOut:
    """Facilities and pairs whose forced use (or, for open ones, disuse) lifts the bound above `best_cost`.

    Reduced-cost fixing: a plan that uses them costs more than `best_cost`, so a model without
    them still holds every plan at most as dear, and its optimum, when at most `best_cost`, is
    the optimum of the full problem.
    """
    relaxed = _relaxed(problem)
    n_fac, n_cust = relaxed.cost.shape
    limit = best_cost + _tolerance(best_cost)
    sacks = _knapsacks(relaxed, prices)
    base = float(prices @ np.array(relaxed.units, dtype=np.float64))
    values = [problem.open_cost[f] - float(sacks.best[f, relaxed.capacity[f]]) for f in range(n_fac)]
    closed: set[int] = set()
    kept_open: set[int] = set()
    dropped: set[tuple[int, int]] = set()
    for f in range(n_fac):
        others = values[:f] + values[f + 1:]
        covers = relaxed.cover[:f] + relaxed.cover[f + 1:]
        rest_if_open = _cover_value(others, covers, max(0, relaxed.total - relaxed.cover[f]))
        if base + values[f] + rest_if_open > limit:
            closed.add(f)
            continue
        if base + _cover_value(others, covers, relaxed.total) > limit:
            kept_open.add(f)
        for c in range(n_cust):
            a = relaxed.cost[f, c]
            room = relaxed.capacity[f] - relaxed.weight[c]
            if not math.isfinite(a) or room < 0:
                continue
            # At least one unit of c at f: its cost, plus the best knapsack in the capacity left.
            forced = problem.open_cost[f] + a - prices[c] - float(sacks.best[f, room])
            if base + forced + rest_if_open > limit:
                dropped.add((c, f))
    return RuledOut(frozenset(closed), frozenset(kept_open), frozenset(dropped))
