"""`ictmerge plan run --all` end to end on the Latvian demo (seed 1), on a fresh SQLite file.

Baseline, measured in the same run on the same counties: the engine alone (the planner with
its relaxations) on inputs built beforehand. The ratio shows what reading the inventory,
storing the results and their history cost on top of the planning itself.
Run: .venv/bin/python benchmarks/bench_plan_run.py [--quick]   (--quick: 0.2 s solver limit)
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import report, scratch_folder


def main() -> int:
    """Run the benchmark in a scratch folder removed at the end; returns the exit code."""
    time_limit = "0.2" if "--quick" in sys.argv[1:] else "2.0"
    with scratch_folder("ictmerge-bench-plan-") as folder:
        return measure(time_limit, folder)


def measure(time_limit: str, folder: Path) -> int:
    """Plan every county on a fresh SQLite file in `folder`; 1 when a county is not planned."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["ICTMERGE_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmerge.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from typer.testing import CliRunner

    from ictmerge.cli import app
    from ictmerge.consolidation import services
    from ictmerge.consolidation.inputs import county_data
    from ictmerge.consolidation.models import ExternalRoomEntry, HostModelEntry
    from ictmerge.consolidation.planner import plan_with_relaxations
    from ictmerge.inventory.demo import load_demo
    from ictmerge.reforms.models import Reform
    from ictmerge.reforms.services import load_bundled

    call_command("migrate", verbosity=0, interactive=False)
    load_bundled("lv-2021")
    load_demo("lv-2021", seed=1)
    services.seed_catalogues()

    start = time.perf_counter()
    result = CliRunner().invoke(app, ["plan", "run", "--all", "--reform", "lv-2021", "--format",
                                      "json", "--time-limit", time_limit])
    wall = time.perf_counter() - start
    if result.exit_code != 0:
        print(result.output)
        connections.close_all()
        return 1
    data = json.loads(result.output)
    counties = data["counties"]

    reform = Reform.objects.get(code="lv-2021")
    inputs = [(m, county_data(m)) for m in services.surveyed_counties(reform)]
    models = tuple(services.host_model_of(e) for e in HostModelEntry.objects.all())
    externals = tuple(services.external_option_of(e) for e in ExternalRoomEntry.objects.all())
    start = time.perf_counter()
    for municipality, county in inputs:
        scenario = services.plan_of_record(municipality)
        assert scenario is not None
        plan_with_relaxations(municipality.code, municipality.name, county.servers, county.rooms,
                              county.rules, models, externals, services.engine_params(scenario),
                              county.room_names)
    engine = time.perf_counter() - start

    totals = data["totals"]
    within_one = sum(c["servers_after"] <= c["lower_bound"] + 1 for c in counties)
    print(f"{len(counties)} counties: {totals['servers_before']} servers -> {totals['servers_after']} "
          f"hosts (bound {totals['lower_bound']}), {totals['proven_optimal_counties']} proven optimal, "
          f"{within_one} within 1 host; rooms {totals['rooms_before']} -> {totals['rooms_after']}; "
          f"solver limit {time_limit} s")
    report("plan run --all (read inventory, plan, store) vs the engine alone", wall, engine)
    connections.close_all()
    return 0 if len(counties) == 40 else 1


if __name__ == "__main__":
    raise SystemExit(main())
