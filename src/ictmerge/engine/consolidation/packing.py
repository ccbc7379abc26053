"""Vector bin packing of workloads onto identical hosts: heuristics, lower bounds, CP-SAT.

Sizes and capacities are integers (the caller scales them), so that "fits" is exact.
The constructive heuristic does the heavy lifting; CP-SAT only tries to close the gap
to the lower bound on small instances, seeded with the heuristic's packing. When only one
dimension can bind and no colour or separation applies, the problem is plain bin packing:
an arc-flow model (Valerio de Carvalho 1999) in CP-SAT then decides each bin count exactly.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

Sizes = tuple[int, ...]


@dataclass(frozen=True)
class PackingProblem:
    """Items with a size per dimension, identical bins, colours and separation groups."""

    sizes: tuple[Sizes, ...]
    capacity: Sizes
    colours: tuple[int | None, ...] = ()  # a bin holds items of at most one colour; () = none
    separate: tuple[tuple[int, ...], ...] = ()  # each group's items go to pairwise distinct bins


@dataclass(frozen=True)
class Packing:
    """A packing with its lower bound and how it was found."""

    bins: tuple[tuple[int, ...], ...]
    lower_bound: int
    proven_optimal: bool
    method: str
    solver_time_s: float
    ffd_bins: int


class _Bin:
    """A bin being filled; mutable, private to the heuristics."""

    __slots__ = ("colour", "colour_count", "groups", "items", "residual")

    def __init__(self, capacity: Sizes) -> None:
        self.residual = list(capacity)
        self.items: list[int] = []
        self.colour: int | None = None
        self.colour_count = 0
        self.groups: set[int] = set()


class _Instance:
    """Precomputed per-item data shared by the heuristics."""

    def __init__(self, problem: PackingProblem) -> None:
        self.problem = problem
        n = len(problem.sizes)
        dims = len(problem.capacity)
        self.colours: list[int | None] = list(problem.colours) if problem.colours else [None] * n
        self.groups: list[frozenset[int]] = [frozenset()] * n
        memberships: list[set[int]] = [set() for _ in range(n)]
        for g, group in enumerate(problem.separate):
            for i in group:
                memberships[i].add(g)
        self.groups = [frozenset(m) for m in memberships]
        self.weights: list[float] = []
        self.score: list[float] = []
        self.reweigh(range(n))
        self.order = sorted(range(n), key=self._sort_key)
        self.key = [(problem.sizes[i], self.colours[i], self.groups[i]) for i in range(n)]
        # Without colours or groups, one dimension is plain bin packing: fill by subset sum.
        self.one_dimensional = dims == 1 and not problem.separate and all(c is None for c in self.colours)

    def reweigh(self, items: Iterable[int]) -> None:
        """Weight each dimension by how scarce it is among `items`, so fills favour the bottleneck."""
        cap = self.problem.capacity
        dims = len(cap)
        totals = [0] * dims
        for i in items:
            for d, s in enumerate(self.problem.sizes[i]):
                totals[d] += s
        raw = [totals[d] / cap[d] if cap[d] else 0.0 for d in range(dims)]
        norm = sum(raw)
        self.weights = [r / norm for r in raw] if norm else [1.0 / dims] * dims
        self.score = [
            sum(self.weights[d] * s[d] / cap[d] for d in range(dims) if cap[d]) for s in self.problem.sizes
        ]

    def _sort_key(self, i: int) -> tuple[float, float, int]:
        """Largest first: by the biggest share of any dimension, then by weighted size."""
        cap = self.problem.capacity
        size = self.problem.sizes[i]
        biggest = max((size[d] / cap[d] for d in range(len(cap)) if cap[d]), default=0.0)
        return (-biggest, -self.score[i], i)

    def fits(self, b: _Bin, i: int) -> bool:
        """Whether item i can join bin b."""
        colour = self.colours[i]
        if colour is not None and b.colour is not None and b.colour != colour:
            return False
        if self.groups[i] & b.groups:
            return False
        return all(s <= r for s, r in zip(self.problem.sizes[i], b.residual, strict=True))

    def add(self, b: _Bin, i: int) -> None:
        """Put item i into bin b."""
        for d, s in enumerate(self.problem.sizes[i]):
            b.residual[d] -= s
        b.items.append(i)
        if self.colours[i] is not None:
            b.colour = self.colours[i]
            b.colour_count += 1
        b.groups |= self.groups[i]

    def remove(self, b: _Bin, i: int) -> None:
        """Take item i, the last one added, out of bin b."""
        for d, s in enumerate(self.problem.sizes[i]):
            b.residual[d] += s
        b.items.pop()
        if self.colours[i] is not None:
            b.colour_count -= 1
            if b.colour_count == 0:
                b.colour = None
        b.groups -= self.groups[i]


def check_items_fit(problem: PackingProblem) -> None:
    """Raise ValueError naming the first item that does not fit an empty bin."""
    for i, size in enumerate(problem.sizes):
        for d, (s, c) in enumerate(zip(size, problem.capacity, strict=True)):
            if s > c:
                raise ValueError(f"item {i} needs {s} in dimension {d}, a bin holds {c}")


def first_fit_decreasing(problem: PackingProblem) -> tuple[tuple[int, ...], ...]:
    """The textbook baseline: each item, largest first, into the first bin it fits."""
    check_items_fit(problem)
    inst = _Instance(problem)
    bins: list[_Bin] = []
    for i in inst.order:
        for b in bins:
            if inst.fits(b, i):
                inst.add(b, i)
                break
        else:
            b = _Bin(problem.capacity)
            inst.add(b, i)
            bins.append(b)
    return tuple(tuple(b.items) for b in bins)


def greedy_subset_fill(
    problem: PackingProblem, node_limit: int = 2000, dynamic: bool = True
) -> tuple[tuple[int, ...], ...]:
    """Open a bin with the largest item left, then fill it with the best subset found.

    Minimum-bin-slack style (Gupta and Ho 1999; Fleszar and Hindi 2002): a bounded
    depth-first search over the remaining items maximises the weighted fill of each bin,
    skipping items identical to one already tried at the same depth.
    """
    check_items_fit(problem)
    inst = _Instance(problem)
    remaining = list(inst.order)
    bins: list[tuple[int, ...]] = []
    while remaining:
        first = remaining[0]
        b = _Bin(problem.capacity)
        inst.add(b, first)
        candidates = [i for i in remaining[1:] if inst.fits(b, i)]
        if dynamic and not inst.one_dimensional:
            inst.reweigh(remaining)
        if inst.one_dimensional:
            chosen = _best_fill_subset_sum(inst, b, candidates)
        else:
            chosen = _best_fill(inst, b, candidates, node_limit)
        items = (first, *chosen)
        bins.append(items)
        taken = set(items)
        remaining = [i for i in remaining if i not in taken]
    return tuple(bins)


def _best_fill_subset_sum(inst: _Instance, b: _Bin, candidates: list[int]) -> list[int]:
    """Exact subset-sum fill of a one-dimensional bin, with the reachable sums as a bitset."""
    residual = b.residual[0]
    mask = (1 << (residual + 1)) - 1
    reach = [1]  # reach[k]: sums reachable with candidates[:k]
    for i in candidates:
        r = reach[-1]
        reach.append((r | (r << inst.problem.sizes[i][0])) & mask)
    target = reach[-1].bit_length() - 1
    chosen: list[int] = []
    for k in range(len(candidates) - 1, -1, -1):
        if target == 0:
            break
        if not (reach[k] >> target) & 1:  # target needs candidates[k]
            chosen.append(candidates[k])
            target -= inst.problem.sizes[candidates[k]][0]
    return chosen[::-1]


def _best_fill(inst: _Instance, b: _Bin, candidates: list[int], node_limit: int) -> list[int]:
    """Depth-first search for the subset of candidates that fills bin b best."""
    dims = len(inst.problem.capacity)
    cap = inst.problem.capacity
    m = len(candidates)
    # suffix[p][d]: what candidates p.. could still add in dimension d.
    suffix = [[0] * dims for _ in range(m + 1)]
    for p in range(m - 1, -1, -1):
        size = inst.problem.sizes[candidates[p]]
        for d in range(dims):
            suffix[p][d] = suffix[p + 1][d] + size[d]

    def potential(p: int) -> float:
        """Upper bound on the fill still reachable from position p."""
        return sum(
            inst.weights[d] * min(b.residual[d], suffix[p][d]) / cap[d] for d in range(dims) if cap[d]
        )

    score = 0.0
    ceiling = potential(0)
    best_score = -1.0
    best: list[int] = []
    chosen: list[int] = []  # positions in candidates
    pos = 0
    nodes = 0
    eps = 1e-12
    while True:
        while pos < m:
            nodes += 1  # a scan step costs as much as a branch
            if score + potential(pos) <= best_score + eps:
                break
            i = candidates[pos]
            if inst.fits(b, i):
                inst.add(b, i)
                score += inst.score[i]
                chosen.append(pos)
                if score > best_score + eps:
                    best_score = score
                    best = [candidates[q] for q in chosen]
                    if best_score >= ceiling - eps:
                        break
            pos += 1
        if best_score >= ceiling - eps or nodes >= node_limit or not chosen:
            break
        last = chosen.pop()
        item = candidates[last]
        inst.remove(b, item)
        score -= inst.score[item]
        pos = last + 1
        # An identical item at the same depth gives the same subtree.
        while pos < m and inst.key[candidates[pos]] == inst.key[item]:
            pos += 1
    for q in reversed(chosen):
        inst.remove(b, candidates[q])
    return best


def _l2_bound(sizes: Sequence[int], capacity: int) -> int:
    """Martello and Toth's L2 lower bound for one-dimensional bin packing."""
    if capacity <= 0 or not sizes:
        return 0
    best = math.ceil(sum(sizes) / capacity)
    thresholds = sorted({s for s in sizes if 2 * s <= capacity} | {0})
    for k in thresholds:
        big = [s for s in sizes if s > capacity - k]
        mid = [s for s in sizes if capacity - k >= s and 2 * s > capacity]
        small_total = sum(s for s in sizes if k <= s and 2 * s <= capacity)
        spare = len(mid) * capacity - sum(mid)
        extra = max(0, math.ceil((small_total - spare) / capacity))
        best = max(best, len(big) + len(mid) + extra)
    return best


def _dimension_bound(problem: PackingProblem, items: Sequence[int]) -> int:
    """The best of L1 and L2 over every dimension, for a subset of items."""
    bound = 0
    for d, cap in enumerate(problem.capacity):
        column = [problem.sizes[i][d] for i in items]
        if cap and any(column):
            bound = max(bound, _l2_bound(column, cap))
    return bound


def lower_bound(problem: PackingProblem) -> int:
    """A bound no packing can beat: L1/L2 per dimension, per colour, and separation groups."""
    n = len(problem.sizes)
    if n == 0:
        return 0
    bound = max(1, _dimension_bound(problem, range(n)))
    if problem.colours:
        by_colour: dict[int, list[int]] = {}
        for i, colour in enumerate(problem.colours):
            if colour is not None:
                by_colour.setdefault(colour, []).append(i)
        # Bins of different colours are disjoint, so their bounds add up; within a colour,
        # the members of a separation group that have that colour need a bin each.
        bound = max(bound, sum(
            max(1, _dimension_bound(problem, g),
                max((len(set(group) & set(g)) for group in problem.separate), default=0))
            for g in by_colour.values()
        ))
    for group in problem.separate:
        bound = max(bound, len(set(group)))
    return bound


def subproblem(problem: PackingProblem, items: Sequence[int]) -> PackingProblem:
    """The same problem restricted to some items, renumbered 0..len(items)-1."""
    local = {item: k for k, item in enumerate(items)}
    groups = tuple(
        tuple(local[i] for i in group if i in local)
        for group in problem.separate
        if sum(1 for i in group if i in local) > 1
    )
    return PackingProblem(
        sizes=tuple(problem.sizes[i] for i in items),
        capacity=problem.capacity,
        colours=tuple(problem.colours[i] for i in items) if problem.colours else (),
        separate=groups,
    )


def repack_neighbourhoods(
    problem: PackingProblem,
    start: tuple[tuple[int, ...], ...],
    bound: int,
    *,
    rounds: int = 40,
    sub_time_s: float = 0.3,
    wide_time_s: float = 1.0,
    num_workers: int = 2,
    seed: int = 0,
    deterministic: bool = True,
    deadline: float = math.inf,
) -> tuple[tuple[int, ...], ...]:
    """Large-neighbourhood search: re-pack the emptiest few bins with CP-SAT into one bin fewer.

    CP-SAT cannot handle hundreds of items at once, but a handful of bins is easy for it;
    the emptiest bins hold the slack, so that is where a bin can be saved.
    """
    inst = _Instance(problem)
    rng = random.Random(seed)
    bins = [tuple(b) for b in start]
    k = 3
    for _ in range(rounds):
        if len(bins) <= bound or len(bins) < 2 or time.perf_counter() > deadline:
            break
        ranked = sorted(range(len(bins)), key=lambda b: (sum(inst.score[i] for i in bins[b]), b))
        if k <= 8:
            chosen = ranked[: min(k, len(bins))]
        else:  # the emptiest bin with a random few others, to leave a local dead end
            chosen = [ranked[0], *rng.sample(ranked[1:], min(len(ranked) - 1, 6))]
        items = [i for b in chosen for i in bins[b]]
        sub = subproblem(problem, items)
        local = {item: n for n, item in enumerate(items)}
        sub_start = tuple(tuple(local[i] for i in bins[b]) for b in chosen)
        sub_bound = lower_bound(sub)
        if sub_bound >= len(chosen):
            k += 1
            continue
        # A wide neighbourhood holds more items: give CP-SAT longer on it.
        limit = sub_time_s if k <= 8 else wide_time_s
        found, _, _ = improve_with_cp_sat(sub, sub_start, sub_bound, limit, num_workers, seed, deterministic)
        if len(found) < len(chosen):
            kept = [bins[b] for b in range(len(bins)) if b not in set(chosen)]
            bins = kept + [tuple(items[n] for n in new_bin) for new_bin in found]
            k = 3
        else:
            k += 1
    return tuple(bins)



#: Above this many arcs the arc-flow model is not built: CP-SAT would not finish in time.
ARC_FLOW_MAX_ARCS = 60_000


def binding_dimension(problem: PackingProblem) -> int | None:
    """The one dimension that can bind, when the problem is plain one-dimensional bin packing.

    None when colours or separation groups apply, or when two dimensions can bind; a
    dimension whose total over all items fits one bin never binds.
    """
    if problem.separate or any(c is not None for c in problem.colours):
        return None
    binding = [
        d for d, cap in enumerate(problem.capacity) if sum(size[d] for size in problem.sizes) > cap
    ]
    if len(binding) > 1:
        return None
    return binding[0] if binding else 0


def arc_flow_graph(
    sizes: Sequence[int], capacity: int, waste: int, max_arcs: int = ARC_FLOW_MAX_ARCS
) -> list[tuple[int, int, int]] | None:
    """Arcs (tail, head, size) of the arc-flow graph whose paths are the fills wasting at most `waste`.

    Items are laid largest first, so a node is reached only through sizes no smaller than the
    arcs leaving it (Valerio de Carvalho's symmetry reduction); nodes from which no path ends
    within `waste` of the capacity are pruned. None when the graph has more than `max_arcs` arcs.
    """
    count = Counter(sizes)
    reached = {0}
    arcs: set[tuple[int, int, int]] = set()
    for w in sorted(count, reverse=True):
        new: set[int] = set()
        for start in reached:
            a = start
            for _ in range(count[w]):
                if a + w > capacity:
                    break
                arcs.add((a, a + w, w))
                a += w
                new.add(a)
            if len(arcs) > 4 * max_arcs:
                return None
        reached |= new
    good = {a for a in reached if a >= capacity - waste}
    for tail, head, _ in sorted(arcs, reverse=True):
        if head in good:
            good.add(tail)
    kept = sorted(arc for arc in arcs if arc[0] in good and arc[1] in good)
    return kept if len(kept) <= max_arcs else None


def arc_flow_pack(
    sizes: Sequence[int],
    capacity: int,
    bins: int,
    *,
    time_limit_s: float,
    seed: int = 0,
    deterministic: bool = True,
) -> tuple[tuple[tuple[int, ...], ...] | None, bool]:
    """Items (by index) in at most `bins` bins via the arc-flow model, or (None, proven_impossible).

    Every packing into `bins` bins wastes exactly bins * capacity - sum(sizes) in total, so no
    single bin can waste more: that bounds the graph. A flow of `bins` units from 0 to the
    capacity whose item arcs carry each size's count is a packing; its paths are the bins.
    """
    waste = bins * capacity - sum(sizes)
    if waste < 0:
        return None, True
    if any(s > capacity for s in sizes):
        return None, True
    arcs = arc_flow_graph(sizes, capacity, waste)
    if arcs is None:
        return None, False
    count = Counter(sizes)
    nodes = sorted({a for arc in arcs for a in arc[:2]} | {0, capacity})
    model = cp_model.CpModel()
    flow = {arc: model.new_int_var(0, min(count[arc[2]], bins), f"f{arc}") for arc in arcs}
    # Loss arcs close a path from any node within `waste` of the capacity.
    loss = {a: model.new_int_var(0, bins, f"loss{a}") for a in nodes if capacity - waste <= a < capacity}
    inflow: dict[int, list[cp_model.IntVar]] = {a: [] for a in nodes}
    outflow: dict[int, list[cp_model.IntVar]] = {a: [] for a in nodes}
    by_size: dict[int, list[cp_model.IntVar]] = {w: [] for w in count}
    for arc, var in flow.items():
        outflow[arc[0]].append(var)
        inflow[arc[1]].append(var)
        by_size[arc[2]].append(var)
    for a in nodes:
        leaving = sum(outflow[a]) + loss.get(a, 0)
        if a == 0:
            model.add(leaving == bins)
        elif a == capacity:
            model.add(sum(inflow[a]) + sum(loss.values()) == bins)
        else:
            model.add(sum(inflow[a]) == leaving)
    for w, vars_ in by_size.items():
        model.add(sum(vars_) == count[w])
    solver = cp_model.CpSolver()
    # One worker: a portfolio gains little on this model, and one worker is reproducible as it is.
    configure_solver(solver, time_limit_s, 1, seed, deterministic)
    solver.parameters.interleave_search = False
    # Probing costs seconds of presolve on this model and buys nothing: the LP does the work.
    solver.parameters.cp_model_probing_level = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE
    left = {arc: solver.value(var) for arc, var in flow.items() if solver.value(var)}
    leaving_arcs: dict[int, list[tuple[int, int, int]]] = {}
    for arc in left:
        leaving_arcs.setdefault(arc[0], []).append(arc)
    pool: dict[int, list[int]] = {}
    for i in sorted(range(len(sizes)), reverse=True):
        pool.setdefault(sizes[i], []).append(i)
    found: list[tuple[int, ...]] = []
    for _ in range(bins):
        # Conservation guarantees a way on from every node a path reaches: an item arc with
        # flow left, or else a loss arc to the capacity, which ends the bin.
        a, items = 0, []
        while a != capacity:
            step = next((arc for arc in leaving_arcs.get(a, ()) if left[arc]), None)
            if step is None:
                break
            left[step] -= 1
            items.append(pool[step[2]].pop())
            a = step[1]
        if items:
            found.append(tuple(items))
    return tuple(found), False


def _arc_flow_improve(
    problem: PackingProblem,
    dimension: int,
    bins: tuple[tuple[int, ...], ...],
    bound: int,
    deadline: float,
    seed: int,
    deterministic: bool,
) -> tuple[tuple[tuple[int, ...], ...], int]:
    """Try bin counts upward from the bound with the arc-flow model; each proven impossible raises the bound."""
    sizes = [size[dimension] for size in problem.sizes]
    capacity = problem.capacity[dimension]
    target = bound
    while target < len(bins):
        remaining = deadline - time.perf_counter()
        if remaining <= 0.05:
            break
        found, impossible = arc_flow_pack(
            sizes, capacity, target, time_limit_s=remaining, seed=seed, deterministic=deterministic
        )
        if found is not None:
            return found, bound
        if not impossible:
            break
        bound = target = target + 1
    return bins, bound


#: Above this many count variables (item kinds x bins) the class model is not built.
#: Assumption: the largest county class at 10x Latvia has about 330 kinds in 25 bins (8,300
#: variables) and is solved in under 0.5 s of deterministic time; five times that is still a
#: model CP-SAT builds in well under a second.
CLASS_MODEL_MAX_VARS = 40_000


#: The class model's share of time: this many time limits, one seed each (see fixed_bins_pack).
CLASS_MODEL_ATTEMPTS = 2


def colour_classes(problem: PackingProblem) -> list[list[int]] | None:
    """The items by colour, each class packable on its own; None when an uncoloured item could join any.

    A bin holds one colour, so no bin is shared between classes: a packing of the whole is
    the packings of the classes side by side, and their lower bounds add up.
    """
    if not problem.colours or all(c is None for c in problem.colours):
        return [list(range(len(problem.sizes)))]
    if any(c is None for c in problem.colours):
        return None
    by_colour: dict[int, list[int]] = {}
    for i, colour in enumerate(problem.colours):
        assert colour is not None
        by_colour.setdefault(colour, []).append(i)
    return [by_colour[c] for c in sorted(by_colour)]


def fixed_bins_pack(
    problem: PackingProblem,
    bins: int,
    *,
    time_limit_s: float,
    seed: int = 0,
    deterministic: bool = True,
    max_vars: int = CLASS_MODEL_MAX_VARS,
    attempts: int = 1,
) -> tuple[tuple[tuple[int, ...], ...] | None, bool]:
    """Items (by index) in `bins` bins, or (None, proven_impossible); colours are not modelled.

    `attempts` solves with seeds seed, seed + 1, ..., sharing `time_limit_s` evenly: how long
    CP-SAT takes to find a fill has a heavy tail over seeds (three 10x Latvia counties, ten
    seeds each: 27 fills in about 0.5 s of deterministic time, 3 with none after 3 s), so a
    fresh seed beats waiting on one that has gone astray.

    Identical items outside every separation group are one kind with a count per bin, so
    hundreds of distinct sizes cost a variable per kind and bin, not per item and bin, and
    the solver never tries swapping two identical items. The bins are left unordered: ordering
    them by load (the usual symmetry breaking) made CP-SAT miss fills it otherwise finds in
    under a second (three 10x Latvia counties: none found in 10 s of deterministic time).
    """
    check_items_fit(problem)
    in_groups = {i for group in problem.separate for i in group}
    grouped = sorted(in_groups)
    if any(len(set(group)) > bins for group in problem.separate):
        return None, True
    kinds = Counter(problem.sizes[i] for i in range(len(problem.sizes)) if i not in in_groups)
    kind_list = sorted(kinds, reverse=True)
    if (len(kind_list) + len(grouped)) * bins > max_vars:
        return None, False
    model = cp_model.CpModel()
    count = {
        (k, b): model.new_int_var(0, kinds[size], f"n{k}_{b}") for k, size in enumerate(kind_list) for b in range(bins)
    }
    for k, size in enumerate(kind_list):
        model.add(sum(count[k, b] for b in range(bins)) == kinds[size])
    alone = {(i, b): model.new_bool_var(f"x{i}_{b}") for i in grouped for b in range(bins)}
    for i in grouped:
        model.add_exactly_one(alone[i, b] for b in range(bins))
    for b in range(bins):
        for d, cap in enumerate(problem.capacity):
            model.add(
                sum(size[d] * count[k, b] for k, size in enumerate(kind_list) if size[d])
                + sum(problem.sizes[i][d] * alone[i, b] for i in grouped if problem.sizes[i][d])
                <= cap
            )
        for group in problem.separate:
            model.add_at_most_one(alone[i, b] for i in set(group))
    solver = cp_model.CpSolver()
    status = cp_model.UNKNOWN
    for attempt in range(max(1, attempts)):
        configure_solver(solver, time_limit_s / max(1, attempts), 1, seed + attempt, deterministic)
        # One worker, not interleaved: deterministic as it is, and on this model it found the
        # fills of three 10x Latvia counties in under 0.5 s where two interleaved took about 4 s.
        solver.parameters.interleave_search = False
        status = solver.solve(model)
        if status != cp_model.UNKNOWN:
            break
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE
    pool: dict[Sizes, list[int]] = {}
    for i in range(len(problem.sizes)):
        if i not in in_groups:
            pool.setdefault(problem.sizes[i], []).append(i)
    found = []
    for b in range(bins):
        items = [pool[size].pop() for k, size in enumerate(kind_list) for _ in range(solver.value(count[k, b]))]
        items += [i for i in grouped if solver.value(alone[i, b])]
        if items:
            found.append(tuple(sorted(items)))
    return tuple(found), False


def _class_improve(
    problem: PackingProblem,
    bins: tuple[tuple[int, ...], ...],
    bound: int,
    deadline: float,
    seed: int,
    deterministic: bool,
) -> tuple[tuple[tuple[int, ...], ...], int]:
    """Each colour class in as few bins as the class model finds, counting up from the class's bound.

    A bin count the model proves impossible raises that class's bound; the classes' bounds
    add up to a bound of the whole, as no bin holds two colours.
    """
    classes = colour_classes(problem)
    if classes is None:
        return bins, bound
    budget = max(deadline - time.perf_counter(), 1e-9)
    colour_of = {i: k for k, items in enumerate(classes) for i in items}
    result: list[tuple[int, ...]] = []
    total = 0
    for k, items in enumerate(classes):
        own = [b for b in bins if b and colour_of[b[0]] == k]
        sub = subproblem(problem, items)
        target = class_bound = lower_bound(sub)
        while target < len(own):
            remaining = deadline - time.perf_counter()
            if remaining <= 0.05:
                break
            found, impossible = fixed_bins_pack(
                sub, target, time_limit_s=remaining, seed=seed, deterministic=deterministic,
                attempts=max(1, round(remaining / budget * CLASS_MODEL_ATTEMPTS)),
            )
            if found is not None:
                own = [tuple(items[i] for i in b) for b in found]
                break
            if not impossible:
                break
            class_bound = target = target + 1
        result += own
        total += class_bound
    return tuple(result), max(bound, total)


def pack(
    problem: PackingProblem,
    *,
    time_limit_s: float = 2.0,
    num_workers: int = 2,
    seed: int = 0,
    cp_sat_max_items: int = 150,
    deterministic: bool = True,
) -> Packing:
    """Pack with the better of FFD and the subset-fill greedy, then let CP-SAT close the gap.

    Plain one-dimensional packing gets the arc-flow model (up to `time_limit_s` of its own);
    what is still above the bound gets CP-SAT on a few bins at a time, then (where arc flow does
    not apply) each colour class the class model at its bound (up to two time limits in all),
    and small instances the whole assignment model.
    """
    started = time.perf_counter()
    ffd = first_fit_decreasing(problem)
    greedy = greedy_subset_fill(problem)
    bins, method = (greedy, "greedy") if len(greedy) <= len(ffd) else (ffd, "ffd")
    bound = lower_bound(problem)
    dimension = binding_dimension(problem)
    if dimension is not None and len(bins) > bound and time_limit_s > 0:
        found, bound = _arc_flow_improve(
            problem, dimension, bins, bound, time.perf_counter() + time_limit_s, seed, deterministic
        )
        if len(found) < len(bins):
            bins, method = found, "arc-flow"
    if len(bins) > bound and time_limit_s > 0:
        repacked = repack_neighbourhoods(
            problem,
            bins,
            bound,
            num_workers=num_workers,
            seed=seed,
            deterministic=deterministic,
            deadline=started + time_limit_s,
        )
        if len(repacked) > bound + 1:
            # More than one host above the bound: worth up to three more time limits to get within one.
            repacked = repack_neighbourhoods(
                problem,
                repacked,
                bound + 1,
                rounds=80,
                num_workers=num_workers,
                seed=seed + 1,
                deterministic=deterministic,
                deadline=started + 4 * time_limit_s,
            )
        if len(repacked) < len(bins):
            bins, method = repacked, "greedy+lns"
    if dimension is None and len(bins) > bound and time_limit_s > 0:
        # After the neighbourhood search, which closes most gaps in a fraction of the class model's
        # time; not where one dimension binds alone, as the arc-flow model already decided that.
        deadline = time.perf_counter() + CLASS_MODEL_ATTEMPTS * time_limit_s
        found, bound = _class_improve(problem, bins, bound, deadline, seed, deterministic)
        if len(found) < len(bins):
            bins, method = found, "class-model"
    if len(bins) > bound and len(problem.sizes) <= cp_sat_max_items and time_limit_s > 0:
        improved, solver_bound, optimal = improve_with_cp_sat(
            problem, bins, bound, time_limit_s, num_workers, seed, deterministic
        )
        bound = max(bound, solver_bound)
        if len(improved) < len(bins):
            bins, method = improved, "cp-sat"
        if optimal:
            bound = len(bins)
    return Packing(
        bins=bins,
        lower_bound=bound,
        proven_optimal=len(bins) == bound,
        method=method,
        solver_time_s=time.perf_counter() - started,
        ffd_bins=len(ffd),
    )


def improve_with_cp_sat(
    problem: PackingProblem,
    start: tuple[tuple[int, ...], ...],
    bound: int,
    time_limit_s: float,
    num_workers: int,
    seed: int,
    deterministic: bool,
) -> tuple[tuple[tuple[int, ...], ...], int, bool]:
    """Assignment model seeded with `start` (AddHint); returns bins, a bound and optimality."""
    inst = _Instance(problem)
    order = inst.order  # item order[p] sits at position p; item p may only use bins 0..p
    position = {item: p for p, item in enumerate(order)}
    n_bins = len(start)
    dims = len(problem.capacity)
    model = cp_model.CpModel()
    used = [model.new_bool_var(f"used{b}") for b in range(n_bins)]
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for p in range(len(order)):
        for b in range(min(p, n_bins - 1) + 1):
            x[p, b] = model.new_bool_var(f"x{p}_{b}")
            model.add_implication(x[p, b], used[b])
        model.add_exactly_one(x[p, b] for b in range(min(p, n_bins - 1) + 1))
    for b in range(n_bins):
        members = [p for p in range(len(order)) if (p, b) in x]
        for d in range(dims):
            model.add(
                sum(problem.sizes[order[p]][d] * x[p, b] for p in members)
                <= problem.capacity[d] * used[b]
            )
        if b + 1 < n_bins:
            model.add_implication(used[b + 1], used[b])
        for group in problem.separate:
            in_bin = [x[position[i], b] for i in set(group) if (position[i], b) in x]
            if len(in_bin) > 1:
                model.add_at_most_one(in_bin)
        _add_colour_constraints(model, inst, order, x, b)
    model.add(sum(used) >= bound)
    model.minimize(sum(used))
    # Relabel the start so that bin labels respect the symmetry breaking (label <= position).
    relabelled = sorted(start, key=lambda items: min(position[i] for i in items))
    for b, items in enumerate(relabelled):
        model.add_hint(used[b], 1)
        for i in items:
            for c in range(min(position[i], n_bins - 1) + 1):
                model.add_hint(x[position[i], c], 1 if c == b else 0)
    solver = cp_model.CpSolver()
    configure_solver(solver, time_limit_s, num_workers, seed, deterministic)
    status = solver.solve(model)
    solver_bound = math.ceil(solver.best_objective_bound - 1e-6)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start, solver_bound, False
    found = [[order[p] for p in range(len(order)) if (p, b) in x and solver.value(x[p, b])] for b in range(n_bins)]
    bins = tuple(tuple(items) for items in found if items)
    return bins, solver_bound, status == cp_model.OPTIMAL


def _add_colour_constraints(
    model: cp_model.CpModel, inst: _Instance, order: list[int], x: dict[tuple[int, int], cp_model.IntVar], b: int
) -> None:
    """A bin holds items of at most one colour."""
    colours = sorted({c for c in inst.colours if c is not None})
    if len(colours) < 2:
        return
    chosen = {c: model.new_bool_var(f"colour{b}_{c}") for c in colours}
    model.add_at_most_one(chosen.values())
    for p, item in enumerate(order):
        colour = inst.colours[item]
        if colour is not None and (p, b) in x:
            model.add_implication(x[p, b], chosen[colour])


def configure_solver(
    solver: cp_model.CpSolver, time_limit_s: float, num_workers: int, seed: int, deterministic: bool
) -> None:
    """Time limit, workers and seed; deterministic mode interleaves workers and counts work, not seconds."""
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = seed
    if deterministic:
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = time_limit_s
        # A wall-clock cap as a safety net: a very slow machine may end earlier, never later.
        solver.parameters.max_time_in_seconds = 1.5 * time_limit_s
    else:
        solver.parameters.max_time_in_seconds = time_limit_s
