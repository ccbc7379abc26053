"""Debian's real inventory agents against a live ictmerge (issue 18's acceptance check).

Starts `ictmerge serve` on a free loopback port with a scratch SQLite database and the
Latvian reform, enrols two former municipalities with `ictmerge agents token create`, and
runs `fusioninventory-agent` (inventory task only) against the first and
`ocsinventory-agent` against the second. Then checks that each machine is there with its
OS, CPU cores, RAM, disks, MAC addresses and software; that a second run of both changes
no record; and that after `ictmerge agents token revoke` the first token is refused and
nothing changes. Exits non-zero with the reason on any failure.

Run by `scripts/agents_e2e.sh` (which gives the agents a network namespace with a known
MAC address when it can); both agents must be installed (apt: fusioninventory-agent,
ocsinventory-agent).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess  # nosec B404 # runs this venv's ictmerge and the agents, fixed arguments
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
#: The two former municipalities enrolled (Aglona and Aizkraukle, lv-2021).
FIRST, SECOND = "0604300", "0320200"
#: Seconds an agent run may take.
AGENT_TIMEOUT = 600


def fail(message: str) -> None:
    """Print the failure and stop."""
    print(f"AGENTS CHECK FAILED: {message}", flush=True)
    sys.exit(1)


def run(command: list[str], env: dict[str, str], timeout: int = AGENT_TIMEOUT) -> str:
    """Run a command, return its output (stdout and stderr); fail on a non-zero exit."""
    done = subprocess.run(command, env=env, capture_output=True, text=True,  # nosec B603 B607
                          timeout=timeout, check=False)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        fail(f"{' '.join(command[:3])}… exited {done.returncode}:\n{output[-3000:]}")
    return output


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, server: Any, log: Path) -> None:
    """Wait until the server accepts connections (at most 60 s)."""
    for _ in range(300):
        if server.poll() is not None:
            fail(f"the server stopped:\n{log.read_text()[-3000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    fail("the server did not start in 60 s")


def expected_macs() -> set[str]:
    """The machine's MAC addresses that identify an adapter (as the importer keeps them)."""
    from ictmerge.engine.imports.identifiers import normalise

    found = set()
    for path in Path("/sys/class/net").glob("*/address"):
        value = normalise("mac", path.read_text().strip())
        if value:
            found.add(value)
    return found


def fusioninventory(url: str, env: dict[str, str]) -> str:
    """One run of FusionInventory's inventory task against the server."""
    return run(["fusioninventory-agent", "--server", url, "--tasks", "inventory", "--no-httpd",
                "--force", "--logger", "stderr", "--debug"], env)


def ocs(url: str, env: dict[str, str], state: Path) -> str:
    """One run of the OCS Inventory NG agent (PROLOG, then INVENTORY) against the server."""
    # --nolocal: Debian's /etc/ocsinventory/ocsinventory-agent.cfg sets local mode.
    return run(["ocsinventory-agent", "--server", url, "--nolocal", "--basevardir", str(state),
                "--logfile", str(state / "agent.log"), "--debug"], env)


def state() -> dict[str, Any]:
    """Every device, installation, identifier and history entry: equal means nothing changed."""
    from ictmerge.core.models import ChangeRecord
    from ictmerge.imports.models import DeviceIdentifier
    from ictmerge.inventory.models import Device, Installation, Licence, Workload

    return {"history": ChangeRecord.objects.count(),
            "identifiers": sorted(DeviceIdentifier.objects.values_list("device_id", "kind",
                                                                       "value")),
            **{model.__name__: sorted(map(repr, model.objects.values_list()))
               for model in (Device, Installation, Licence, Workload)}}


def check_machine(code: str, agent: str, macs: set[str]) -> None:
    """The municipality holds this machine with OS, CPU, RAM, disks, MACs and software."""
    from ictmerge.imports.models import DeviceIdentifier, DeviceSighting
    from ictmerge.inventory.models import Device

    devices = list(Device.objects.filter(municipality__code=code))
    if len(devices) != 1:
        fail(f"{agent}: {len(devices)} devices in {code}, expected the one machine")
    device = devices[0]
    stored = set(DeviceIdentifier.objects.filter(device=device, kind="mac")
                 .values_list("value", flat=True))
    software = device.installations.count()
    packages = int(subprocess.run(["dpkg-query", "-f", ".\n", "-W"],  # nosec B603 B607
                                  capture_output=True, text=True, check=False).stdout.count("."))
    sighting = DeviceSighting.objects.filter(device=device).first()
    print(f"{agent} → {code}: {device.name!r} {device.get_kind_display()}, OS {device.os!r}, "
          f"{device.cores} cores, {device.ram_gb} GB RAM, {device.storage_gb} GB disks, "
          f"MACs {sorted(stored)}, {software} programs ({packages} Debian packages), "
          f"seen {sighting.last_seen if sighting else None} by "
          f"{sighting.agent if sighting else None} {sighting.agent_version if sighting else ''}",
          flush=True)
    if not device.os or not device.cores or not device.ram_gb or not device.storage_gb:
        fail(f"{agent}: OS, cores, RAM or disks missing")
    if stored != macs:
        fail(f"{agent}: MACs {sorted(stored)} stored, the machine's are {sorted(macs)}")
    if software < 0.9 * packages:
        fail(f"{agent}: {software} programs stored, the machine has {packages} packages")
    if sighting is None or not sighting.agent_version:
        fail(f"{agent}: no sighting with the agent's version")


def main() -> None:
    """Run the whole check (see the module)."""
    for tool in ("fusioninventory-agent", "ocsinventory-agent"):
        if shutil.which(tool) is None:
            fail(f"{tool} is not installed (apt-get install {tool})")
    scratch = Path(tempfile.mkdtemp(prefix="ictmerge-agents."))
    env = {**os.environ, "ICTMERGE_DATA_DIR": str(scratch / "data"),
           "DJANGO_SETTINGS_MODULE": "ictmerge.settings.dev", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)  # a scratch SQLite, whatever the caller uses
    os.environ.update({k: env[k] for k in ("ICTMERGE_DATA_DIR", "DJANGO_SETTINGS_MODULE")})
    os.environ.pop("DATABASE_URL", None)
    (scratch / "data").mkdir()
    ictmerge = str(BIN / "ictmerge")
    run([ictmerge, "migrate"], env)
    run([ictmerge, "reform", "load", "lv-2021", "--if-missing"], env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = scratch / "server.log"
    with log.open("w") as handle:
        server = subprocess.Popen([ictmerge, "serve", "--host", "127.0.0.1",  # nosec B603
                                   "--port", str(port), "--workers", "1"],
                                  env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for(port, server, log)
        urls = {}
        for code in (FIRST, SECOND):
            output = run([ictmerge, "agents", "token", "create", "--municipality", code,
                          "--base-url", base], env)
            urls[code] = output.strip().splitlines()[-1]
            if not re.fullmatch(rf"{re.escape(base)}/agent/[\w-]+/", urls[code]):
                fail(f"the last line of token create is not the agent URL: {urls[code]!r}")
        ocs_state = scratch / "ocs"
        ocs_state.mkdir()
        fusioninventory(urls[FIRST], env)
        ocs(urls[SECOND], env, ocs_state)

        import django

        django.setup()
        from django.db import connections

        from ictmerge.imports.models import AgentReport

        macs = expected_macs()
        check_machine(FIRST, "fusioninventory-agent", macs)
        check_machine(SECOND, "ocsinventory-agent", macs)
        actions = sorted(set(AgentReport.objects.values_list("protocol", "action")))
        if actions != [("fusioninventory", "inventory"), ("fusioninventory", "prolog"),
                       ("ocs", "inventory"), ("ocs", "prolog")]:
            fail(f"the reports logged are {actions}")
        before = state()
        connections.close_all()
        fusioninventory(urls[FIRST], env)
        ocs(urls[SECOND], env, ocs_state)
        if state() != before:
            fail("a second run of the agents changed records")
        refused = list(AgentReport.objects.exclude(http_status=200)
                       .values_list("protocol", "action", "http_status", "message"))
        if refused:
            fail(f"reports of the second run were refused: {refused}")
        print("second run: no record changed", flush=True)
        run([ictmerge, "agents", "token", "revoke", urls[FIRST].rstrip("/").rsplit("/", 1)[1]],
            env)
        reports = AgentReport.objects.count()
        connections.close_all()
        done = subprocess.run(["fusioninventory-agent", "--server", urls[FIRST],  # nosec B603 B607
                               "--tasks", "inventory", "--no-httpd", "--force", "--logger",
                               "stderr"], env=env, capture_output=True, text=True,
                              timeout=AGENT_TIMEOUT, check=False)
        refused = AgentReport.objects.filter(pk__gt=0).order_by("-pk")[: max(
            AgentReport.objects.count() - reports, 0)]
        statuses = sorted({r.http_status for r in refused})
        if statuses != [403] or "403" not in done.stdout + done.stderr:
            fail(f"the revoked token's report got {statuses}:\n{(done.stdout + done.stderr)[-2000:]}")
        if state() != before:
            fail("a revoked token's report changed records")
        print("revoked token: refused (403), no record changed", flush=True)
        print("agents check passed: machine, second run, revoked token", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    shutil.rmtree(scratch, ignore_errors=True)  # kept, with the server's log, on a failure


if __name__ == "__main__":
    main()
