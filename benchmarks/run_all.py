"""Run every benchmark (`make bench`); each prints its figures as ratios to a same-run baseline.

`--quick` passes --quick to the benchmarks that support it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run each bench_*.py in its own process; print each one's exit status and time, 1 if any failed."""
    extra = [a for a in sys.argv[1:] if a == "--quick"]
    results: list[tuple[str, int, float]] = []
    began = time.perf_counter()
    # The load benchmark has its own target (make bench-load): it serves the whole demo.
    for script in sorted(p for p in HERE.glob("bench_*.py") if p.stem != "bench_load"):
        print(f"\n=== {script.stem}", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *extra], check=False)
        seconds = time.perf_counter() - start
        print(f"({script.stem} took {seconds:.1f} s)", flush=True)
        results.append((script.stem, result.returncode, seconds))
    print(f"\n{'benchmark':24} {'exit':>4} {'seconds':>8}")
    for name, code, seconds in results:
        print(f"{name:24} {code:4} {seconds:8.1f}")
    print(f"{'total':24} {'':4} {time.perf_counter() - began:8.1f}")
    failed = [name for name, code, _ in results if code != 0]
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
