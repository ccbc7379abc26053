"""Generate and load the Latvian demo at --scale 1 and --scale 10 on a fresh SQLite file.

Baseline, measured in the same run on the same database: bulk-inserting as many plain rows
(a site with a name, no history) as the demo writes records. The ratio shows what the
generator, the related records and the change history cost on top of raw inserts.
Run: .venv/bin/python benchmarks/bench_demo.py [--quick]   (--quick: scales 1 and 2)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report, scratch_folder


def main() -> int:
    """Run the benchmark in a scratch folder removed at the end; returns the exit code."""
    scales = (1, 2) if "--quick" in sys.argv[1:] else (1, 10)
    with scratch_folder("ictmerge-bench-demo-") as folder:
        return measure(scales, folder)


def measure(scales: tuple[int, ...], folder: Path) -> int:
    """Load the demo at each scale on a fresh SQLite file in `folder`; print it against the baseline."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["ICTMERGE_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmerge.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction

    from ictmerge.inventory.demo import load_demo
    from ictmerge.inventory.models import Site
    from ictmerge.reforms.models import Municipality
    from ictmerge.reforms.services import load_bundled

    call_command("migrate", verbosity=0, interactive=False)
    load_bundled("lv-2021")
    owner = Municipality.objects.filter(reform__code="lv-2021", stage="former").first()

    def baseline(rows: int) -> float:
        # Rolled back, not deleted: a cascading delete of a million rows names every id in
        # one query, past SQLite's limit of bound variables.
        with transaction.atomic():
            start = time.perf_counter()
            Site.objects.bulk_create((Site(municipality=owner, name=f"row {i}", is_demo=False)
                                      for i in range(rows)), batch_size=2000)
            elapsed = time.perf_counter() - start
            transaction.set_rollback(True)
        return elapsed

    for scale in scales:
        start = time.perf_counter()
        result = load_demo("lv-2021", seed=1, scale=scale)
        elapsed = time.perf_counter() - start
        written = sum(result.counts.values())
        plain = baseline(written)
        print(f"scale {scale}: {written} records, {result.counts.get('device', 0)} devices; "
              f"baseline {plain:.2f} s for {written} plain rows", flush=True)
        report(f"demo load --scale {scale} (replacing {result.deleted} demo records)",
               elapsed, plain)
    connections.close_all()
    return 0

if __name__ == "__main__":
    sys.exit(main())
