"""Import a generated 1,000,000-row computers CSV; compare with the database's raw bulk load.

SQLite: `ictmerge`'s import (parse, validate every cell, natural keys, history rows) against
`sqlite3.executemany` of the already-parsed tuples into the same table, in one transaction.
PostgreSQL (when PG_URL, or DATABASE_URL, is a postgres:// URL): the import against `COPY`
of the same rows, in a fresh database dropped at the end. Prints rows/s for each, the ratio
import/raw, and the peak RSS of the import's own process (the import runs in a child process,
so that the baseline's parsed tuples do not count) against the same child stopped just before
the import (Django set up, the file read). The file goes through the same upload limit as any
other import. The files and databases it makes are removed at the end.
Run: .venv/bin/python benchmarks/bench_import.py [--quick] [--rows N]   (--quick: 100,000)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fresh_postgres_database, postgres_server, report, scratch_folder

COLUMNS = ["municipality", "name", "kind", "asset_tag", "serial", "manufacturer", "model",
           "os", "status", "purchase_date", "purchase_cost_eur", "warranty_until", "cores",
           "ram_gb", "storage_gb", "notes"]


def generate(rows: int, path: Path) -> None:
    """A computers CSV in the template's columns, `;`-separated with decimal commas."""
    rng = random.Random(1)
    makers = ["Dell", "HP", "Lenovo", "Fujitsu", "Acer"]
    systems = ["Windows 10 Pro", "Windows 11 Pro", "Ubuntu 22.04"]
    kinds = ["desktop", "laptop", "thin_client"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        base = dt.date(2015, 1, 1)
        for i in range(rows):
            bought = base + dt.timedelta(days=rng.randrange(3000))
            writer.writerow([
                "A", f"PC-{i:07d}", kinds[i % 3], f"T{i:07d}", f"SN{i:09d}",
                makers[i % 5], f"Model {i % 37}", systems[i % 3], "in_use",
                bought.strftime("%d.%m.%Y"), f"{rng.randrange(300, 2000)},{rng.randrange(100):02d}",
                (bought + dt.timedelta(days=1095)).isoformat(), str(2 + i % 14),
                str(4 * (1 + i % 8)), str(256 * (1 + i % 4)), "",
            ])


def peak_rss_mib() -> float:
    """This process's own peak resident set size in MiB.

    VmHWM, not getrusage's ru_maxrss: a child started by fork/vfork and exec inherits its
    parent's ru_maxrss (the parent here holds the baseline's parsed tuples), VmHWM is the
    high-water mark of the process's own memory."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmerge.settings.dev")
    os.environ["DEBUG"] = "0"  # no query log
    import django

    django.setup()


def child(path: Path, dry_run: bool, idle: bool = False) -> int:
    """In its own process: import the file as the steward; print seconds, RSS and counts.

    `idle`: stop before the import and print only the peak RSS so far (the RSS baseline)."""
    _setup_django()
    from django.contrib.auth import get_user_model

    from ictmerge.imports.services import import_file

    steward = get_user_model().objects.get(username="steward")
    data = path.read_bytes()
    if idle:
        print(json.dumps({"rss_mib": peak_rss_mib(), "bytes": len(data)}))
        return 0
    start, cpu = time.perf_counter(), time.process_time()
    run = import_file(data, path.name, "computers", user=steward, dry_run=dry_run)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mib": peak_rss_mib(),
                      "status": run.status,
                      "counts": run.counts, "problems": run.problems[:5]}))
    return 0


def _run_child(path: Path, dry_run: bool, idle: bool = False) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", str(path)]
    if dry_run:
        command.append("--dry-run")
    if idle:
        command.append("--idle")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(rows: int, database_url: str) -> int:
    """In a scratch folder removed at the end: the baseline in this process, then the import
    and a dry re-import each in a child."""
    with scratch_folder("ictmerge-bench-import-") as folder:
        return _measure(rows, database_url, folder)


def _measure(rows: int, database_url: str, folder: Path) -> int:
    """The benchmark proper, its CSV and raw SQLite copy in `folder`."""
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    os.environ["DATABASE_URL"] = database_url
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    from ictmerge.core.testing.personas import make_world
    from ictmerge.engine.imports import text as text_module
    from ictmerge.engine.imports.text import read_csv
    from ictmerge.imports.bulk import insert_fields
    from ictmerge.inventory.models import Device

    call_command("migrate", verbosity=0, interactive=False)
    world = make_world()
    path = folder / "computers.csv"
    generate(rows, path)
    data = path.read_bytes()
    print(f"{rows:,} rows, {len(data) / 2**20:.0f} MiB CSV (upload limit "
          f"{text_module.MAX_FILE_BYTES // 2**20} MiB), database: {connection.vendor}",
          flush=True)

    # Baseline: the same rows, parsed beforehand into the table's tuples, loaded raw.
    table = read_csv(data, path.name)
    del data
    fields = insert_fields(Device)
    names = [f.column for f in fields]
    index = {name: i for i, name in enumerate(table.header)}
    parsed = []
    for _number, cells in table.rows:
        values = {"municipality_id": world.former_a.pk, "is_demo": False, "notes": "",
                  "site_id": None, "room_id": None, "cpu_utilisation_pct": None,
                  "ram_utilisation_pct": None, "is_virtual": False}
        for column in ("name", "kind", "asset_tag", "serial", "manufacturer", "model", "os",
                       "status", "cores", "ram_gb", "storage_gb"):
            values[column] = cells[index[column]]
        day, month, year = cells[index["purchase_date"]].split(".")
        values["purchase_date"] = f"{year}-{month}-{day}"
        values["warranty_until"] = cells[index["warranty_until"]]
        values["purchase_cost_eur"] = cells[index["purchase_cost_eur"]].replace(",", ".")
        parsed.append(tuple(values[n] for n in names))
    del table
    if postgres:
        raw_seconds, raw_cpu = _copy_baseline(names, parsed), 0.0
    else:
        raw_seconds, raw_cpu = _executemany_baseline(folder, names, parsed)
    del parsed
    baseline_name = "COPY" if postgres else "sqlite3 executemany"
    connection.close()

    idle = _run_child(path, dry_run=False, idle=True)
    imported = _run_child(path, dry_run=False)
    assert imported["status"] == "imported", imported["problems"]
    assert Device.objects.count() == rows
    seconds = float(imported["seconds"])  # type: ignore[arg-type]
    ratio = seconds / raw_seconds
    print(f"raw {baseline_name}: {raw_seconds:.2f} s, {rows / raw_seconds:,.0f} rows/s")
    print(f"ictmerge import (validated, natural keys, history): {seconds:.2f} s, "
          f"{rows / seconds:,.0f} rows/s")
    print(f"ratio import/raw: {ratio:.2f} (target ≤ 3)")
    if raw_cpu:  # the same work counted in CPU seconds: steadier on a busy machine
        cpu = float(imported["cpu"])  # type: ignore[arg-type]
        print(f"CPU seconds: raw {raw_cpu:.2f}, import {cpu:.2f}, ratio {cpu / raw_cpu:.2f}")
    idle_rss = float(idle["rss_mib"])  # type: ignore[arg-type]
    rss = float(imported["rss_mib"])  # type: ignore[arg-type]
    print(f"peak RSS of the import process: {rss:,.0f} MiB (target ≤ 1024; ratio "
          f"{rss / idle_rss:.2f}× baseline: the same process before the import, Django set up "
          f"and the file read, {idle_rss:,.0f} MiB)")
    again = _run_child(path, dry_run=True)
    counts = again["counts"]
    again_rss = float(again["rss_mib"])  # type: ignore[arg-type]
    report(f"re-import dry run ({counts['unchanged']:,} unchanged) vs raw {baseline_name}",  # type: ignore[index]
           float(again["seconds"]), raw_seconds)  # type: ignore[arg-type]
    print(f"re-import dry run peak RSS: {again_rss:,.0f} MiB (ratio {again_rss / idle_rss:.2f}× "
          "the same baseline)", flush=True)
    connection.close()
    return 0


def _executemany_baseline(folder: Path, names: list[str], parsed: list[tuple[object, ...]]
                          ) -> tuple[float, float]:
    """sqlite3 executemany of the parsed tuples into a copy of the table, one transaction:
    (wall seconds, CPU seconds)."""
    import sqlite3

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'inventory_device'")
        statements = [row[0] for row in cursor.fetchall() if row[0]]
    raw = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    for statement in statements:
        raw.execute(statement.replace('REFERENCES "reforms_municipality" ("id")', "")
                    .replace('REFERENCES "inventory_site" ("id")', "")
                    .replace('REFERENCES "inventory_serverroom" ("id")', ""))
    marks = ", ".join("?" * len(names))
    columns = ", ".join(f'"{n}"' for n in names)
    start, cpu = time.perf_counter(), time.process_time()
    raw.execute("BEGIN")
    raw.executemany(f"INSERT INTO inventory_device ({columns}) VALUES ({marks})", parsed)
    raw.execute("COMMIT")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    raw.close()
    return seconds, cpu


def _copy_baseline(names: list[str], parsed: list[tuple[object, ...]]) -> float:
    """COPY of the same rows (as CSV text) into the device table, committed, then emptied."""
    from django.db import connection, transaction

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in parsed:
        writer.writerow(["\\N" if v is None else v for v in row])  # "" stays an empty text
    text = buffer.getvalue()
    columns = ", ".join(names)
    start = time.perf_counter()
    sql = f"COPY inventory_device ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(text)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE inventory_device CASCADE")
    return seconds


def main() -> int:
    """Run the benchmark on SQLite, and on PostgreSQL when one is given; the exit code."""
    if "--child" in sys.argv:
        return child(Path(sys.argv[sys.argv.index("--child") + 1]), "--dry-run" in sys.argv,
                     idle="--idle" in sys.argv)
    rows = 100_000 if "--quick" in sys.argv else 1_000_000
    if "--rows" in sys.argv:
        rows = int(sys.argv[sys.argv.index("--rows") + 1])
    if "--database" in sys.argv:
        return measure(rows, sys.argv[sys.argv.index("--database") + 1])
    arguments = [a for a in sys.argv[1:] if a != "--database"]
    with scratch_folder("ictmerge-bench-import-db-") as folder:
        # Each database in its own process: Django binds one at setup.
        done = subprocess.run([sys.executable, __file__, *arguments, "--database",
                               f"sqlite:///{folder}/bench.sqlite3"], check=False)
    status = done.returncode
    server = postgres_server()
    if server is None:
        print("(PostgreSQL: set PG_URL=postgres://… to measure the import against COPY too)")
        return status
    with fresh_postgres_database(server, "ictmerge_bench_import") as url:
        done = subprocess.run([sys.executable, __file__, *arguments, "--database", url],
                              check=False)
    return status or done.returncode


if __name__ == "__main__":
    sys.exit(main())
