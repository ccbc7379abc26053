"""Rationalise 40 counties x 20 functions x 2-6 candidates, with sensitivity, against a baseline.

Baseline, measured in the same run: the weighted sum alone on the same matrices (no TOPSIS,
no sensitivity, no TIME, no migration). The ratio shows what the full reasoning costs.
Run: .venv/bin/python benchmarks/bench_systems.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import best_time, report

from ictmerge.engine.systems.migration import load_migration_rates
from ictmerge.engine.systems.model import Hosting, InformationSystem
from ictmerge.engine.systems.plan import criterion_value, rationalise_county
from ictmerge.engine.systems.scoring import load_criteria, weighted_sum
from ictmerge.engine.systems.taxonomy import BusinessFunction, load_functions

COUNTIES = 40
SEED = 2021


def generated_counties(functions: tuple[BusinessFunction, ...]) -> list[list[InformationSystem]]:
    """Return a deterministic set of predecessor systems per county (generated, not real data)."""
    rng = random.Random(SEED)
    counties = []
    for county in range(COUNTIES):
        systems = []
        for function in functions:
            for owner in range(rng.randint(2, 6)):
                systems.append(
                    InformationSystem(
                        system_id=f"c{county}-{function.code}-{owner}",
                        name=f"system {owner}",
                        product=f"product {rng.randint(0, 4)}",
                        vendor="generated",
                        function_code=function.code,
                        owner_code=f"c{county}-m{owner}",
                        users=rng.randint(1, 80),
                        records=rng.randint(0, 400_000),
                        functional_coverage=rng.random(),
                        technical_fit=rng.uniform(0, 5),
                        support_years_left=rng.uniform(0, 8),
                        annual_cost_per_user_eur=rng.uniform(20, 400),
                        vendor_support=rng.uniform(0, 5),
                        hosting=rng.choice(list(Hosting)),
                        security_compliance=rng.random(),
                    )
                )
        counties.append(systems)
    return counties


def main() -> None:
    """Time the baseline and the full rationalisation on the same generated counties."""
    functions = load_functions()
    criteria = load_criteria()
    rates = load_migration_rates()
    counties = generated_counties(functions)
    scored = [f for f in functions if not f.national_system_mandatory]

    def baseline() -> None:
        for systems in counties:
            for function in scored:
                candidates = [s for s in systems if s.function_code == function.code]
                matrix = [
                    [criterion_value(c, s, function, candidates, criteria.hosting_scores)
                     for c in criteria.criteria]
                    for s in candidates
                ]  # fmt: skip
                weighted_sum(matrix, criteria.criteria)

    def full() -> None:
        for index, systems in enumerate(counties):
            rationalise_county(f"c{index}", functions, systems, criteria, rates)

    candidates = sum(len(systems) for systems in counties)
    print(f"{COUNTIES} counties, {len(functions)} functions, {candidates} candidate systems")
    base = best_time(baseline)
    report("weighted sum only (baseline)", base, base)
    report("rationalise_county with TOPSIS, sensitivity, TIME, migration", best_time(full), base)


if __name__ == "__main__":
    main()
