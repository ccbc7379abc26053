"""Helpers shared by the benchmarks: best-of-N timing, a ratio against a baseline, and scratch
folders and PostgreSQL databases that are removed when the benchmark ends, even on failure."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


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


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder, removed with its contents when the block ends (also on an error)."""
    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as folder:
        yield Path(folder)


def postgres_server() -> str | None:
    """The postgres:// URL of PG_URL, else of DATABASE_URL, else None."""
    for name in ("PG_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return None


@contextmanager
def fresh_postgres_database(server: str, prefix: str) -> Iterator[str]:
    """A new, empty database on the server of `server` (a URL); yields its URL, drops it after."""
    import psycopg

    admin = server.replace("postgres://", "postgresql://", 1)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')  # nosec B608 # a generated name
    base, _, _ = server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # nosec B608
