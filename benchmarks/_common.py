"""Tiny helpers shared by the benchmarks: best-of-N timing and a ratio against a baseline."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_time(work: Callable[[], object], repeat: int = 3) -> float:
    """Return the fastest of `repeat` wall-clock runs of `work`, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def report(name: str, seconds: float, baseline_seconds: float) -> None:
    """Print 'name: X s (ratio R× baseline)'."""
    ratio = seconds / baseline_seconds if baseline_seconds > 0 else float("inf")
    print(f"{name}: {seconds:.3f} s (ratio {ratio:.2f}× baseline)")
