"""Import a generated 1,000,000-row computers CSV; compare with the database's raw bulk load.

SQLite: `ictmerge`'s import (parse, validate every cell, natural keys, history rows) against
`sqlite3.executemany` of the already-parsed tuples into the same table, in one transaction.
PostgreSQL (when DATABASE_URL points at one): the import against `COPY` of the same file.
Prints rows/s for each, the ratio import/raw, and the import's peak RSS.
Run: .venv/bin/python benchmarks/bench_import.py [--quick] [--rows N]   (--quick: 100,000)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

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
    """This process's peak resident set size in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    """Run the benchmark; returns the exit code."""
    rows = 100_000 if "--quick" in sys.argv else 1_000_000
    if "--rows" in sys.argv:
        rows = int(sys.argv[sys.argv.index("--rows") + 1])
    folder = Path(tempfile.mkdtemp(prefix="ictmerge-bench-import-"))
    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    if not postgres:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmerge.settings.dev")
    os.environ["DEBUG"] = "0"  # no query log
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ictmerge.core.testing.personas import make_world
    from ictmerge.engine.imports.text import read_csv
    from ictmerge.imports.bulk import insert_fields
    from ictmerge.imports.services import import_file
    from ictmerge.inventory.models import Device

    call_command("migrate", verbosity=0, interactive=False)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE inventory_device, core_changerecord, reforms_municipality, "
                           "reforms_reform, auth_user CASCADE")
    world = make_world()
    path = folder / "computers.csv"
    generate(rows, path)
    data = path.read_bytes()
    print(f"{rows:,} rows, {len(data) / 2**20:.0f} MiB CSV, database: {connection.vendor}")
    from ictmerge.engine.imports import text as text_module

    if len(data) > text_module.MAX_FILE_BYTES:  # the upload limit; 1 M rows need more
        print(f"(upload limit {text_module.MAX_FILE_BYTES // 2**20} MiB lifted for this run)")
        text_module.MAX_FILE_BYTES = len(data)

    # Baseline: the same rows, parsed beforehand into the table's tuples, loaded raw.
    table = read_csv(data, path.name)
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
        raw_seconds = _copy_baseline(connection, names, parsed)
    else:
        raw_seconds = _executemany_baseline(folder, names, parsed)
    del parsed
    baseline_name = "COPY" if postgres else "sqlite3 executemany"

    start = time.perf_counter()
    run = import_file(data, path.name, "computers", user=world.users["steward"])
    seconds = time.perf_counter() - start
    assert run.status == "imported", run.problems[:5]
    assert Device.objects.count() == rows
    ratio = seconds / raw_seconds
    print(f"raw {baseline_name}: {raw_seconds:.2f} s, {rows / raw_seconds:,.0f} rows/s")
    print(f"ictmerge import (validated, natural keys, history): {seconds:.2f} s, "
          f"{rows / seconds:,.0f} rows/s")
    print(f"ratio import/raw: {ratio:.2f} (target ≤ 3)")
    print(f"peak RSS of the import process: {peak_rss_mib():,.0f} MiB (target ≤ 1024)")
    start = time.perf_counter()
    again = import_file(data, path.name, "computers", user=world.users["steward"],
                        dry_run=True)
    print(f"re-import dry run: {again.counts['unchanged']:,} unchanged in "
          f"{time.perf_counter() - start:.2f} s")
    return 0


def _executemany_baseline(folder: Path, names: list[str], parsed: list[tuple[object, ...]]) -> float:
    """sqlite3 executemany of the parsed tuples into a copy of the table, one transaction."""
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
    start = time.perf_counter()
    raw.execute("BEGIN")
    raw.executemany(f"INSERT INTO inventory_device ({columns}) VALUES ({marks})", parsed)
    raw.execute("COMMIT")
    seconds = time.perf_counter() - start
    raw.close()
    return seconds


def _copy_baseline(connection: object, names: list[str], parsed: list[tuple[object, ...]]) -> float:
    """COPY of the same rows (as CSV text) into the device table, rolled back afterwards."""
    from django.db import connection as django_connection
    from django.db import transaction

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in parsed:
        writer.writerow(["\\N" if v is None else v for v in row])  # "" stays an empty text
    text = buffer.getvalue()
    columns = ", ".join(names)
    start = time.perf_counter()
    with transaction.atomic(), django_connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY inventory_device ({columns}) FROM STDIN "
                                f"WITH (FORMAT csv, NULL '\\N')") as copy:
            copy.write(text)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


if __name__ == "__main__":
    sys.exit(main())
