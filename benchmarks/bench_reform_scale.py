"""A Ukraine-sized synthetic reform on PostgreSQL: the demo load, and the plan of every county
with 1 and 2 workers.

The full size is Ukraine's 2020 reform, 11,000 former into 1,469 new municipalities (about
1.44 million demo devices at Latvia's per-capita rates), the default on PostgreSQL: about
half an hour on 2 shared cores (measured 2026-12-07: generate 108 s, demo load 910 s with
peak RSS 257 MB, plan of every county 191 s in one process, 258 s with 1 worker, 275 s with
2). BENCH_REFORM_FRACTION scales both numbers; the default on SQLite, which has no COPY and
one worker, is 0.02 (220 into 29), and --quick (make bench-quick) 0.005.
The database is a fresh one on the server of PG_URL (or DATABASE_URL) when that is a
postgres:// URL, else a SQLite file, where only one worker runs; both, and the temporary
folder, are deleted at the end.

Baselines, measured in the same run on the same database:
- demo load time: bulk-inserting as many plain rows (a site with a name, rolled back);
- demo load peak RSS: the CLI process doing nothing (`ictmerge reform list`);
- plan of every county with 1 worker: `plan run --all`, the same counties one after another
  in one process without the queue; with 2 workers: the run with 1 worker.
Run: .venv/bin/python benchmarks/bench_reform_scale.py [--quick]   (--quick: a fraction of 0.005)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fresh_postgres_database, postgres_server, report, scratch_folder

FULL_FORMERS, FULL_NEWS = 11_000, 1_469
TIME_LIMIT = "2.0"  # the solver limit of the scenarios the run creates, as bench_plan_run
CLI = str(Path(sys.executable).with_name("ictmerge"))


def _run(args: list[str], environment: dict[str, str]) -> tuple[float, float, str]:
    """Run the CLI; returns its wall time (s), its peak RSS (MB) and its output."""
    start = time.perf_counter()
    process = subprocess.Popen([CLI, *args], env=environment, text=True,  # nosec B603
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"ictmerge {' '.join(args)} failed:\n{output}")
    return elapsed, usage.ru_maxrss / 1024, output


def _plan_all(reform: str, workers: int, environment: dict[str, str]) -> tuple[float, int]:
    """Queue the plan of every county and run `workers` batch workers; wall time and job id."""
    start = time.perf_counter()
    _, _, output = _run(["plan", "run", "--all", "--reform", reform, "--background",
                         "--format", "json"], environment)
    job = int(json.loads(output.strip().splitlines()[-1])["job"])
    logs = [Path(environment["ICTMERGE_DATA_DIR"]) / f"worker-{job}-{n}.log"
            for n in range(workers)]
    processes = []
    for log in logs:
        with log.open("w") as handle:
            processes.append(subprocess.Popen([CLI, "worker", "--batch"],  # nosec B603
                                              env=environment, stdout=handle,
                                              stderr=subprocess.STDOUT))
    statuses = [p.wait() for p in processes]
    if any(statuses):
        tails = "\n".join(f"--- {log.name} (exit {status}):\n"
                          + "\n".join(log.read_text().splitlines()[-30:])
                          for log, status in zip(logs, statuses, strict=True) if status)
        raise RuntimeError(f"a worker failed:\n{tails}")
    return time.perf_counter() - start, job


def _figures(job_id: int | None, reform_code: str) -> tuple[int, int, int, int, set[str]]:
    """Counties, proven optimal, within 1 host and failed, from the stored plans; the workers
    that ran the job's parts."""
    from ictmerge.consolidation import services
    from ictmerge.core.models import Job
    from ictmerge.reforms.models import Reform

    counties = services.surveyed_counties(Reform.objects.get(code=reform_code))
    planned = services.plans_of_record(counties, figures_only=True)
    rows = [services.county_row(c, planned.get(c.pk)) for c in counties]
    optimal = sum(1 for r in rows if r["proven_optimal"])
    within = sum(1 for r in rows if r["servers_after"] is not None
                 and r["servers_after"] <= (r["lower_bound"] or 0) + 1)
    failed, hosts = 0, set()
    if job_id is not None:
        parts = Job.objects.filter(parent_id=job_id)
        failed = parts.filter(status="failed").count()
        hosts = {f"{p.worker_host}:{p.worker_pid}" for p in parts}
    return len(rows), optimal, within, failed, hosts


def main() -> int:
    """Run the benchmark; returns the exit code."""
    quick = "--quick" in sys.argv[1:]  # make bench-quick: 55 into 7, a smoke test
    server = postgres_server()
    default = "0.005" if quick else "1" if server else "0.02"
    fraction = float(os.environ.get("BENCH_REFORM_FRACTION", default))
    formers = max(2, round(FULL_FORMERS * fraction))
    news = max(1, round(FULL_NEWS * fraction))
    # The folder and the database are removed when the stack closes (at the end, also on an error).
    stack = ExitStack()
    folder = str(stack.enter_context(scratch_folder("ictmerge-bench-scale-")))
    if server:
        url = stack.enter_context(fresh_postgres_database(server, "ictmerge_bench_scale"))
    else:
        url = f"sqlite:///{folder}/bench.sqlite3"
    engine = "PostgreSQL" if server else "SQLite (set PG_URL=postgres://… for PostgreSQL)"
    environment = {**os.environ, "DATABASE_URL": url, "ICTMERGE_DATA_DIR": folder,
                   "DJANGO_SETTINGS_MODULE": "ictmerge.settings.dev"}
    size = ("the full Ukraine size" if fraction == 1 else
            f"{fraction:g} of the Ukraine size (full: {FULL_FORMERS} → {FULL_NEWS}, "
            "BENCH_REFORM_FRACTION=1)")
    print(f"synthetic reform {formers} → {news}, {size}, on {engine}", flush=True)
    os.environ.update(DATABASE_URL=url, ICTMERGE_DATA_DIR=folder,
                      DJANGO_SETTINGS_MODULE="ictmerge.settings.dev")
    try:
        _run(["migrate"], environment)
        code = "bench-scale"
        generated, _, _ = _run(["reform", "generate", code, "--formers", str(formers),
                                "--new", str(news), "--seed", "1"], environment)
        print(f"reform generate: {generated:.1f} s", flush=True)
        loaded, rss, _ = _run(["demo", "load", "--reform", code, "--seed", "1"], environment)
        _, idle_rss, _ = _run(["reform", "list"], environment)

        import django

        django.setup()
        from django.db import transaction

        from ictmerge.inventory.demo import DEMO_MODELS
        from ictmerge.inventory.models import Device, Site
        from ictmerge.reforms.models import Municipality

        devices = Device.objects.filter(is_demo=True).count()
        written = sum(model.objects.filter(is_demo=True).count()  # type: ignore[attr-defined]
                      for model in DEMO_MODELS)
        owner = Municipality.objects.filter(reform__code=code, stage="former").first()
        with transaction.atomic():
            start = time.perf_counter()
            for first in range(0, written, 20_000):  # in chunks: bounded memory at any size
                Site.objects.bulk_create([Site(municipality=owner, name=f"row {i}", is_demo=False)
                                          for i in range(first, min(first + 20_000, written))],
                                         batch_size=2000)
            plain = time.perf_counter() - start
            transaction.set_rollback(True)
        print(f"{written} demo records, {devices} devices; baseline {plain:.1f} s for "
              f"{written} plain rows")
        report(f"demo load of {formers} → {news} on {engine.split()[0]}", loaded, plain)
        print(f"demo load peak RSS: {rss:.0f} MB (ratio {rss / idle_rss:.2f}× baseline: the "
              f"idle CLI, {idle_rss:.0f} MB)", flush=True)

        start = time.perf_counter()
        _run(["plan", "run", "--all", "--reform", code, "--time-limit", TIME_LIMIT,
              "--format", "json"], environment)
        inline = time.perf_counter() - start
        counties, optimal, within, _, _ = _figures(None, code)
        print(f"baseline: plan run --all in one process {inline:.1f} s; {counties} counties, "
              f"{optimal} proven optimal, {within} within 1 host", flush=True)
        single = None
        for workers in (1, 2) if server else (1,):
            wall, job = _plan_all(code, workers, environment)
            counties, optimal, within, failed, hosts = _figures(job, code)
            print(f"plan-all with {workers} worker(s): {counties} counties, {optimal} proven "
                  f"optimal, {within} within 1 host, {failed} failed; parts run by "
                  f"{len(hosts)} worker process(es)")
            report(f"plan-all, {workers} worker(s), vs "
                   + ("plan run --all in one process" if single is None else "1 worker"),
                   wall, inline if single is None else single)
            single = wall if single is None else single
            if failed:
                return 1
        if not server:
            print("plan-all with 2 workers: not measured (SQLite: one worker; set PG_URL)")
    finally:
        if server:
            from django.db import connections

            connections.close_all()  # this process's own connection, before the database is dropped
        stack.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
