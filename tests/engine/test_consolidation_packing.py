"""Server packing: heuristics, lower bounds, CP-SAT; property tests and published instances."""

from __future__ import annotations

import random
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictmerge.engine.consolidation.packing import (
    PackingProblem,
    arc_flow_graph,
    arc_flow_pack,
    binding_dimension,
    colour_classes,
    first_fit_decreasing,
    fixed_bins_pack,
    greedy_subset_fill,
    lower_bound,
    pack,
)

BINPACK = Path(__file__).resolve().parents[2] / ".." / "shared" / "benchmarks" / "binpack"


def assert_valid(problem: PackingProblem, bins: tuple[tuple[int, ...], ...]) -> None:
    """Every item once; no bin over capacity; one colour per bin; groups split."""
    placed = sorted(i for b in bins for i in b)
    assert placed == list(range(len(problem.sizes)))
    for b in bins:
        for d, cap in enumerate(problem.capacity):
            assert sum(problem.sizes[i][d] for i in b) <= cap
        if problem.colours:
            assert len({problem.colours[i] for i in b} - {None}) <= 1
        for group in problem.separate:
            assert len(set(group) & set(b)) <= 1


@st.composite
def problems(draw: st.DrawFn) -> PackingProblem:
    """Random small vector packing problems with colours and separation groups."""
    dims = draw(st.integers(1, 3))
    capacity = tuple(draw(st.integers(10, 100)) for _ in range(dims))
    n = draw(st.integers(1, 25))
    sizes = tuple(tuple(draw(st.integers(0, c)) for c in capacity) for _ in range(n))
    colours: tuple[int | None, ...] = ()
    if draw(st.booleans()):
        colours = tuple(draw(st.one_of(st.none(), st.integers(0, 2))) for _ in range(n))
    groups = tuple(
        tuple(sorted(set(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=4)))))
        for _ in range(draw(st.integers(0, 2)))
    )
    return PackingProblem(sizes, capacity, colours, tuple(g for g in groups if len(g) > 1))


@settings(max_examples=60, deadline=None)
@given(problems())
def test_it_places_every_item_once_within_capacity_and_rules(problem: PackingProblem) -> None:
    """GIVEN any small problem WHEN packed THEN the packing is valid and between bound and FFD."""
    result = pack(problem, time_limit_s=0.1)
    assert_valid(problem, result.bins)
    assert len(result.bins) <= len(first_fit_decreasing(problem))
    assert result.lower_bound <= len(result.bins)
    assert result.proven_optimal == (result.lower_bound == len(result.bins))


@settings(max_examples=60, deadline=None)
@given(problems())
def test_it_keeps_heuristics_valid(problem: PackingProblem) -> None:
    """GIVEN any small problem WHEN packed by FFD or the greedy THEN both are valid."""
    assert_valid(problem, first_fit_decreasing(problem))
    assert_valid(problem, greedy_subset_fill(problem))


def test_it_finds_the_l1_bound_where_ffd_wastes_a_bin() -> None:
    """GIVEN items that pair up exactly WHEN packed THEN the greedy uses the bound, FFD does not."""
    # FFD: 44+40 then 39+37, 36+25+25, 23+22 = 4 bins; exact fills 44+36 (+...) need only 3.
    sizes = (44, 40, 39, 37, 36, 25, 25, 23, 22)
    problem = PackingProblem(sizes=tuple((s,) for s in sizes), capacity=(100,))
    assert lower_bound(problem) == 3
    assert len(first_fit_decreasing(problem)) == 4
    assert len(greedy_subset_fill(problem)) == 3


def test_it_bounds_by_a_separation_group() -> None:
    """GIVEN three tiny items that must be apart WHEN bounded THEN three bins are needed."""
    problem = PackingProblem(sizes=((1,), (1,), (1,)), capacity=(10,), separate=((0, 1, 2),))
    assert lower_bound(problem) == 3
    assert len(pack(problem).bins) == 3


def test_it_uses_l2_where_l1_is_weak() -> None:
    """GIVEN items just over half a bin WHEN bounded THEN each needs its own bin (L2)."""
    problem = PackingProblem(sizes=((51,),) * 5, capacity=(100,))
    assert lower_bound(problem) == 5


def test_it_is_deterministic() -> None:
    """GIVEN the same problem and seed WHEN packed twice THEN the bins are the same."""
    problem = PackingProblem(
        sizes=tuple((7 * i % 23 + 3, 11 * i % 17 + 2) for i in range(30)), capacity=(40, 40)
    )
    assert pack(problem, time_limit_s=0.2).bins == pack(problem, time_limit_s=0.2).bins


def test_it_rejects_an_item_larger_than_a_bin() -> None:
    """GIVEN an item over capacity WHEN packed THEN a clear error names it."""
    with pytest.raises(ValueError, match="item 0 needs 11"):
        pack(PackingProblem(sizes=((11,),), capacity=(10,)))


def read_falkenauer(path: Path) -> list[tuple[str, int, int, list[int]]]:
    """Instances of an OR-Library binpack file: name, capacity, best known, sizes (x10 if decimal)."""
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    count, k, found = int(lines[0]), 1, []
    for _ in range(count):
        name = lines[k]
        cap, n, best = lines[k + 1].split()
        scale = 10 if "." in cap else 1
        sizes = [round(float(v) * scale) for v in lines[k + 2 : k + 2 + int(n)]]
        found.append((name, round(float(cap) * scale), int(best), sizes))
        k += 2 + int(n)
    return found


@pytest.mark.skipif(not BINPACK.is_dir(), reason=f"published instances not found at {BINPACK}")
@pytest.mark.parametrize("file", ["binpack1.txt", "binpack5.txt"])
def test_it_reaches_falkenauer_best_known(file: str) -> None:
    """GIVEN three Falkenauer u120 and t60 WHEN packed THEN valid, at the best known, proven."""
    for name, cap, best, sizes in read_falkenauer(BINPACK / file)[:3]:
        problem = PackingProblem(sizes=tuple((s,) for s in sizes), capacity=(cap,))
        result = pack(problem, time_limit_s=10.0)
        assert_valid(problem, result.bins)
        assert result.lower_bound <= best, name
        assert len(result.bins) <= best, name
        assert result.proven_optimal, name


def triplets(bins: int, seed: int) -> list[int]:
    """Falkenauer-style triplets: each bin of 1000 filled exactly by three items of 250..499, shuffled."""
    rng = random.Random(seed)
    sizes: list[int] = []
    while len(sizes) < 3 * bins:
        a = rng.randint(380, 499)
        b = rng.randint(max(250, 1000 - a - 499), min(499, (1000 - a) // 2 + 60))
        c = 1000 - a - b
        if 250 <= c <= 499:
            sizes += [a, b, c]
    rng.shuffle(sizes)
    return sizes


def test_it_packs_triplets_into_full_bins() -> None:
    """GIVEN 20 bins' worth of exact triplets WHEN packed THEN 20 full bins, proven optimal."""
    sizes = triplets(20, seed=7)
    problem = PackingProblem(sizes=tuple((s,) for s in sizes), capacity=(1000,))
    result = pack(problem, time_limit_s=10.0)
    assert_valid(problem, result.bins)
    assert len(result.bins) == 20
    assert result.proven_optimal
    assert all(sum(sizes[i] for i in b) == 1000 for b in result.bins)


def fewest_bins(sizes: list[int], capacity: int) -> int:
    """The optimum by trying every assignment of items to bins (tiny instances only)."""
    for bins in range(1, len(sizes) + 1):
        for labels in product(range(bins), repeat=len(sizes)):
            loads = [0] * bins
            for size, b in zip(sizes, labels, strict=True):
                loads[b] += size
            if max(loads) <= capacity:
                return bins
    return 0


@settings(max_examples=40, deadline=None)
@given(st.integers(5, 20), st.lists(st.integers(1, 20), min_size=1, max_size=7))
def test_it_decides_each_bin_count_exactly_by_arc_flow(capacity: int, raw: list[int]) -> None:
    """GIVEN tiny 1-D instances WHEN solved by arc flow at the optimum and one below THEN found, then impossible."""
    sizes = [min(s, capacity) for s in raw]
    best = fewest_bins(sizes, capacity)
    found, impossible = arc_flow_pack(sizes, capacity, best, time_limit_s=5.0)
    assert found is not None and not impossible
    problem = PackingProblem(sizes=tuple((s,) for s in sizes), capacity=(capacity,))
    assert_valid(problem, found)
    assert len(found) <= best
    below, impossible = arc_flow_pack(sizes, capacity, best - 1, time_limit_s=5.0)
    assert below is None and impossible


def test_it_prunes_fills_that_waste_too_much() -> None:
    """GIVEN no waste allowed WHEN the arc-flow graph is built THEN every path fills the bin exactly."""
    arcs = arc_flow_graph([6, 5, 4, 4, 3], 10, 0)
    assert arcs is not None
    tails = {tail for tail, _, _ in arcs}
    assert all(head == 10 or head in tails for _, head, _ in arcs)
    assert (0, 6, 6) in arcs and (6, 10, 4) in arcs
    assert all(size != 5 for _, _, size in arcs)  # no exact fill of 10 holds the 5


def test_it_finds_the_one_binding_dimension() -> None:
    """GIVEN a second dimension whose total fits one bin WHEN reduced THEN the first dimension alone binds."""
    loose = PackingProblem(sizes=((60, 1), (50, 1), (40, 1)), capacity=(100, 10))
    assert binding_dimension(loose) == 0
    tight = PackingProblem(sizes=((60, 6), (50, 5), (40, 4)), capacity=(100, 10))
    assert binding_dimension(tight) is None
    coloured = PackingProblem(sizes=((60,), (50,)), capacity=(100,), colours=(0, 1))
    assert binding_dimension(coloured) is None


def fewest_vector_bins(problem: PackingProblem) -> int:
    """The optimum of a vector problem with colours and groups, by trying every assignment (tiny only)."""
    n = len(problem.sizes)
    for bins in range(1, n + 1):
        for labels in product(range(bins), repeat=n):
            packing = tuple(tuple(i for i in range(n) if labels[i] == b) for b in range(bins))
            try:
                assert_valid(problem, tuple(b for b in packing if b))
            except AssertionError:
                continue
            return bins
    return n


@st.composite
def tiny_problems(draw: st.DrawFn) -> PackingProblem:
    """Vector problems small enough for brute force: up to 6 items, 2 dimensions, colours, a group."""
    capacity = (draw(st.integers(5, 12)), draw(st.integers(5, 12)))
    n = draw(st.integers(1, 6))
    sizes = tuple((draw(st.integers(0, capacity[0])), draw(st.integers(0, capacity[1]))) for _ in range(n))
    colours: tuple[int | None, ...] = ()
    if draw(st.booleans()):
        colours = tuple(draw(st.integers(0, 1)) for _ in range(n))
    group = tuple(sorted(set(draw(st.lists(st.integers(0, n - 1), max_size=3)))))
    return PackingProblem(sizes, capacity, colours, (group,) if len(group) > 1 else ())


@settings(max_examples=40, deadline=None)
@given(tiny_problems())
def test_it_decides_each_bin_count_exactly_by_the_class_model(problem: PackingProblem) -> None:
    """GIVEN tiny vector instances of one colour WHEN the class model asks for the optimum and one below THEN found, then impossible."""
    problem = PackingProblem(problem.sizes, problem.capacity, (), problem.separate)
    best = fewest_vector_bins(problem)
    found, impossible = fixed_bins_pack(problem, best, time_limit_s=5.0)
    assert found is not None and not impossible
    assert_valid(problem, found)
    below, impossible = fixed_bins_pack(problem, best - 1, time_limit_s=5.0)
    assert below is None and impossible


@settings(max_examples=40, deadline=None)
@given(tiny_problems())
def test_it_never_bounds_above_the_optimum(problem: PackingProblem) -> None:
    """GIVEN tiny vector instances with colours and a group WHEN packed THEN the bound is at most the brute-force optimum."""
    best = fewest_vector_bins(problem)
    assert lower_bound(problem) <= best
    result = pack(problem, time_limit_s=1.0)
    assert_valid(problem, result.bins)
    assert result.lower_bound <= best <= len(result.bins)


def test_it_splits_items_by_colour_only_when_every_item_has_one() -> None:
    """GIVEN coloured items WHEN split into classes THEN one class per colour; an uncoloured item could join any, so no split."""
    sizes = ((1,), (2,), (3,))
    assert colour_classes(PackingProblem(sizes, (5,), (1, 0, 1))) == [[1], [0, 2]]
    assert colour_classes(PackingProblem(sizes, (5,))) == [[0, 1, 2]]
    assert colour_classes(PackingProblem(sizes, (5,), (1, None, 1))) is None


def test_it_packs_each_colour_class_to_its_bound() -> None:
    """GIVEN two colours whose items fill their bins exactly in one way WHEN packed THEN each class meets its bound, proven."""
    # Colour 0: 6+4, 7+3, 5+5 fill three bins of 10 exactly; colour 1: 8+2 one bin.
    sizes = tuple((s, 1) for s in (6, 7, 5, 5, 4, 3, 8, 2))
    problem = PackingProblem(sizes, (10, 10), (0, 0, 0, 0, 0, 0, 1, 1))
    found, impossible = fixed_bins_pack(PackingProblem(sizes[:6], (10, 10)), 3, time_limit_s=5.0)
    assert found is not None and not impossible
    assert sorted(sorted(sizes[i][0] for i in b) for b in found) == [[3, 7], [4, 6], [5, 5]]
    result = pack(problem, time_limit_s=2.0)
    assert_valid(problem, result.bins)
    assert len(result.bins) == 4 and result.proven_optimal
