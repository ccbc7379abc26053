"""CPU per request of each page of the load mix (benchmarks/load/locustfile.py), in one process.

`make bench-load` says how slow the pages are under load; this says why: each page of the mix
requested through Django's test client, signed in as the demo user, warm (as under load: the
scope, the templates and the report cache filled), with the CPU milliseconds per request
(process time, mean and median), the wall milliseconds and the queries per request. One plan
run is queued first through the API, as the mix's editors do (no worker runs under load, so
every page then shows its job banner). `--after-write` also gives the national and county
pages' first request after a small import (the report cache renewed for one county).
`--cold` empties the report and page caches before each request (what a page costs to compute, as
after a write). `--profile NAME` prints cProfile's top functions of the page of that name.

The demo (Latvia, seed 1, every county planned) is made once in `--data` (default a folder
under the system's temporary folder, kept between runs; `--fresh` makes it again).
DATABASE_URL picks the database, else SQLite in that folder.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _prepare(data: Path, fresh: bool) -> None:
    """Make the demo in `data` unless it is there already."""
    ready = data / "profile-ready"
    if ready.exists() and not fresh:
        return
    data.mkdir(parents=True, exist_ok=True)
    for step in (["migrate"], ["reform", "load", "lv-2021", "--if-missing"],
                 ["demo", "load", "--reform", "lv-2021", "--seed", "1"], ["user", "demo-logins"],
                 ["plan", "run", "--all", "--format", "table"]):
        subprocess.run([str(BIN / "ictmerge"), *step], env=os.environ, check=True, cwd=REPO,
                       stdout=subprocess.DEVNULL)
    ready.write_text("ok")


def _mix(client: Any) -> dict[str, Callable[[int], str]]:
    """The pages of the load mix, by the names the locustfile gives them: each a function of
    the request's number to its address (cycling through counties, pages and devices as
    the simulated users pick them at random)."""
    counties = client.get("/api/municipalities/?stage=new&limit=100").json()["results"]
    reforms = {r["id"]: r["code"] for r in client.get("/api/reforms/?limit=100").json()["results"]}
    county_pages = [f"/counties/{reforms[m['reform']]}/{m['code']}/" for m in counties]
    devices = [d["id"] for d in
               client.get("/api/devices/?kind=server&limit=200").json()["results"]]
    return {
        "national page": lambda n: "/national/",
        "county page": lambda n: county_pages[n % len(county_pages)],
        "device list (filtered)": lambda n: "/devices/?kind=server&sort=name",
        "device list (paged)": lambda n: f"/devices/?page={1 + n % 50}",
        "device record": lambda n: f"/devices/{devices[n % len(devices)]}/",
        "api device list": lambda n: "/api/devices/?kind=desktop&limit=50",
        "api national": lambda n: "/api/reports/national/",
    }


def _queue_plan_run(client: Any) -> None:
    """Queue one county's plan run as the mix's editors do (a job stays queued: no worker)."""
    plans = client.get("/api/consolidation/counties/").json()["counties"]
    scenario = next(c["scenario"] for c in plans if c.get("scenario"))
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    response = client.post(f"/api/consolidation/scenarios/{scenario}/run/",
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code < 400, response.status_code


def _small_import(client: Any) -> None:
    """Five desktops of one former municipality, as the mix's editors import them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    formers = client.get("/api/municipalities/?stage=former&limit=1").json()["results"]
    code, batch = formers[0]["code"], uuid.uuid4().hex[:12]
    rows = "".join(f"{code},Load PC {batch}-{i},desktop,LOAD-{batch}-{i}\r\n" for i in range(5))
    upload = SimpleUploadedFile("load.csv", f"municipality,name,kind,serial\r\n{rows}".encode(),
                                content_type="text/csv")
    response = client.post("/api/imports/", {"type": "devices", "file": upload})
    assert response.status_code < 400, (response.status_code, response.content[:300])


def _clear(caches: Any) -> None:
    """Empty the report cache and the page cache (core.pagecache), where configured."""
    from django.conf import settings

    for name in ("reports", "pages"):
        if name in settings.CACHES:
            caches[name].clear()


def _measure(client: Any, address: Callable[[int], str], repeat: int,
             cold: bool = False) -> dict[str, float]:
    """CPU and wall milliseconds per request (after a warm-up round over the same addresses),
    and queries per request; `cold`: the report and page caches emptied before each request."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(repeat):  # warm: every county, page and record once
        assert client.get(address(number)).status_code == 200, address(number)
    cpu, wall = [], []
    for number in range(repeat):
        if cold:
            _clear(caches)
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        client.get(address(number))
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started_wall) * 1000)
    queries = []
    for number in range(min(repeat, 10)):
        if cold:
            _clear(caches)
        with CaptureQueriesContext(connection) as captured:
            client.get(address(number))
        queries.append(len(captured))
    return {"cpu_mean": statistics.fmean(cpu), "cpu_median": statistics.median(cpu),
            "wall_mean": statistics.fmean(wall), "queries_max": max(queries),
            "queries_min": min(queries)}


def _profile(client: Any, address: Callable[[int], str], repeat: int, sort: str) -> str:
    profile = cProfile.Profile()
    profile.enable()
    for number in range(repeat):
        client.get(address(number))
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(sort).print_stats(int(os.environ.get("PROFILE_LINES", "45")))
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path,
                        default=Path(tempfile.gettempdir()) / "ictmerge-profile-pages")
    parser.add_argument("--fresh", action="store_true", help="make the demo again")
    parser.add_argument("--repeat", type=int, default=40, help="requests per page")
    parser.add_argument("--profile", default=None, help="cProfile the page of this name")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order (tottime...)")
    parser.add_argument("--after-write", action="store_true")
    parser.add_argument("--cold", action="store_true",
                        help="empty the report and page caches before each request (the cost to compute)")
    args = parser.parse_args()
    os.environ.update({"ICTMERGE_DATA_DIR": str(args.data), "DEBUG": "0", "AXES_ENABLED": "0",
                       "DJANGO_SETTINGS_MODULE": "ictmerge.settings.dev",
                       "ALLOWED_HOSTS": "testserver"})
    _prepare(args.data, args.fresh)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(enforce_csrf_checks=False)
    client.force_login(get_user_model().objects.get(username="demo"),
                       backend="django.contrib.auth.backends.ModelBackend")
    client.get("/accounts/login/")
    pages = _mix(client)
    _queue_plan_run(client)
    anonymous = Client()
    if args.profile:
        address = pages.get(args.profile, lambda n: "/accounts/login/")
        reader = anonymous if args.profile == "login page" else client
        _measure(reader, address, 10)
        print(_profile(reader, address, args.repeat, args.sort))
        return 0
    print(f"{'page':26} {'CPU ms mean':>11} {'median':>7} {'wall ms':>8} {'queries':>8}")
    rows = [("login page", _measure(anonymous, lambda n: "/accounts/login/", args.repeat))]
    rows += [(name, _measure(client, address, args.repeat, args.cold))
             for name, address in pages.items()]
    for name, row in rows:
        queries = (f"{row['queries_min']:.0f}" if row["queries_min"] == row["queries_max"]
                   else f"{row['queries_min']:.0f}-{row['queries_max']:.0f}")
        print(f"{name:26} {row['cpu_mean']:11.1f} {row['cpu_median']:7.1f} "
              f"{row['wall_mean']:8.1f} {queries:>8}")
    # The mix's weights (locustfile.MunicipalUser's tasks) for one weighted mean.
    weights = {"national page": 3, "county page": 4, "device list (filtered)": 4,
               "device list (paged)": 2, "device record": 3, "api device list": 3,
               "api national": 1}
    mean = sum(weights[name] * row["cpu_mean"] for name, row in rows if name in weights)
    print(f"{'mix (weighted)':26} {mean / sum(weights.values()):11.1f}")
    if args.after_write:
        for name in ("national page", "county page", "api national"):
            cpu = []
            for number in range(5):
                _small_import(client)
                started = time.process_time()
                client.get(pages[name](number))
                cpu.append((time.process_time() - started) * 1000)
            print(f"{name + ' after a write':40} CPU ms mean {statistics.fmean(cpu):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
