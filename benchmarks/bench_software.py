"""Normalise 1 M installation rows with realistic repetition, against a str.lower() baseline.

Rows are drawn from a pool of unique raw titles (the labelled set, the GLPI computer_3
packages and version variants of both) with a Zipf-like skew, the way inventories repeat
the same few hundred titles on every machine. The normaliser is built fresh, so every unique
title is normalised once inside the timing. Baseline, measured in the same run: a plain
str.lower() over the same rows' names. Also prints the labelled-set scores (issue 6).
Run: .venv/bin/python benchmarks/bench_software.py [--quick]
"""

from __future__ import annotations

import csv
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import best_time, report

from ictmerge.engine.software import Normaliser, RawTitle, evaluate, read_labelled_titles

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "engine" / "data" / "software_titles_labelled.csv"
GLPI = ROOT.parent / "shared" / "fixtures" / "glpi-inventory" / "examples" / "computer_3.json"


def title_pool(rng: random.Random) -> list[RawTitle]:
    """Unique raw titles: labelled rows, GLPI packages, and version variants of them."""
    with LABELLED.open(encoding="utf-8", newline="") as stream:
        pool = [RawTitle(r["name"], r["publisher"], r["version"]) for r in csv.DictReader(stream)]
    if GLPI.exists():
        software = json.loads(GLPI.read_text("utf-8"))["content"]["softwares"]
        pool += [RawTitle(s["name"], s.get("publisher") or "", s.get("version") or "") for s in software]
    variants = []
    for raw in pool[:]:
        for _ in range(2):
            version = f"{rng.randint(1, 30)}.{rng.randint(0, 99)}.{rng.randint(0, 9999)}"
            variants.append(RawTitle(raw.name, raw.publisher, version))
    return pool + variants


def installation_rows(pool: list[RawTitle], count: int, rng: random.Random) -> list[RawTitle]:
    """Rows drawn with a Zipf-like skew: a few titles on every machine, a long tail."""
    weights = [1.0 / (rank + 1) for rank in range(len(pool))]
    shuffled = pool[:]
    rng.shuffle(shuffled)
    return rng.choices(shuffled, weights=weights, k=count)


def main() -> None:
    """Run the benchmark and print timings, throughput and the evaluation scores."""
    quick = "--quick" in sys.argv
    count = 100_000 if quick else 1_000_000
    rng = random.Random(6)
    pool = title_pool(rng)
    rows = installation_rows(pool, count, rng)
    unique = len({(r.name, r.publisher, r.version) for r in rows})
    print(f"rows: {count:,}; unique raw titles among them: {unique:,} (pool {len(pool):,})")

    baseline = best_time(lambda: [r.name.lower() for r in rows])

    def cold() -> None:
        Normaliser().normalise_many(rows)

    build = best_time(Normaliser, repeat=1)
    seconds = best_time(cold, repeat=1 if not quick else 3)
    warm_normaliser = Normaliser()
    warm_normaliser.normalise_many(rows)
    warm = best_time(lambda: warm_normaliser.normalise_many(rows))
    report("baseline str.lower() over names", baseline, baseline)
    report("build Normaliser (catalogue, indexes)", build, baseline)
    report("normalise_many, cold cache (unique titles once)", seconds, baseline)
    report("normalise_many, warm cache", warm, baseline)
    print(f"throughput cold: {count / seconds:,.0f} rows/s; warm: {count / warm:,.0f} rows/s; "
          f"unique titles: {unique / max(seconds - warm, 1e-9):,.0f} titles/s")

    start = time.perf_counter()
    with LABELLED.open(encoding="utf-8", newline="") as stream:
        result = evaluate(Normaliser(), read_labelled_titles(stream))
    print(f"evaluation on {result.rows} labelled titles ({time.perf_counter() - start:.2f} s):")
    print(result.table())


if __name__ == "__main__":
    main()
