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
    """Run each bench_*.py in its own process; report the ones that failed."""
    extra = [a for a in sys.argv[1:] if a == "--quick"]
    failed = []
    # The load benchmark has its own target (make bench-load): it serves the whole demo.
    for script in sorted(p for p in HERE.glob("bench_*.py") if p.stem != "bench_load"):
        print(f"\n=== {script.stem}", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *extra], check=False)
        print(f"({script.stem} took {time.perf_counter() - start:.1f} s)", flush=True)
        if result.returncode != 0:
            failed.append(script.stem)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
