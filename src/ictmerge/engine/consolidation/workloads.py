"""Existing servers become workloads with a CPU, RAM and storage demand."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .model import ExistingServer, Params, Workload


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: a value actually measured, never interpolated upwards."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _utilisation(samples: Sequence[float], default: float, params: Params, what: str) -> tuple[float, str]:
    """Measured high percentile when samples exist, else the stated default; with its basis."""
    if samples:
        value = min(1.0, max(0.0, percentile(samples, params.demand_percentile)))
        return value, f"{what} p{params.demand_percentile:g} of {len(samples)} samples = {value:.0%}"
    return default, f"{what} default {default:.0%}"


def server_workloads(server: ExistingServer, params: Params) -> tuple[Workload, ...]:
    """The workloads of one server: its VMs when known, else the server itself."""
    if server.vms:
        return tuple(
            Workload(
                id=vm.id,
                source_server_id=server.id,
                cpu_cores=vm.vcpus * cpu,
                ram_gb=vm.ram_gb,  # a VM reserves its configured RAM
                storage_gb=vm.storage_gb,
                security_class=vm.security_class or server.security_class,
                must_stay_on_premises=server.must_stay_on_premises or vm.must_stay_on_premises,
                pinned_room_id=server.pinned_room_id,
                demand_basis=f"VM of {server.id}: {basis}, configured RAM and disk",
            )
            for vm in server.vms
            for cpu, basis in [_utilisation(vm.cpu_utilisation, params.default_cpu_utilisation, params, "CPU")]
        )
    cpu, cpu_basis = _utilisation(server.cpu_utilisation, params.default_cpu_utilisation, params, "CPU")
    ram, ram_basis = _utilisation(server.ram_utilisation, params.default_ram_utilisation, params, "RAM")
    storage = server.storage_gb * params.default_storage_utilisation
    return (
        Workload(
            id=server.id,
            source_server_id=server.id,
            cpu_cores=server.cores * cpu,
            ram_gb=server.ram_gb * ram,
            storage_gb=storage,
            security_class=server.security_class,
            must_stay_on_premises=server.must_stay_on_premises,
            pinned_room_id=server.pinned_room_id,
            demand_basis=(
                f"whole server: {cpu_basis} of {server.cores} cores, {ram_basis} of {server.ram_gb:g} GB, "
                f"disk {params.default_storage_utilisation:.0%} of {server.storage_gb:g} GB (default)"
            ),
        ),
    )


def county_workloads(servers: Sequence[ExistingServer], params: Params) -> tuple[Workload, ...]:
    """All workloads of a county, in server order; raises ValueError on a duplicate id."""
    workloads = tuple(w for server in servers for w in server_workloads(server, params))
    seen: set[str] = set()
    for w in workloads:
        if w.id in seen:
            raise ValueError(f"workload id {w.id!r} appears twice")
        seen.add(w.id)
    return workloads


def reusable(server: ExistingServer, params: Params) -> bool:
    """Whether a server is young and strong enough to become a host of the plan."""
    return (
        server.age_years <= params.reuse_max_age_years
        and server.cores >= params.reuse_min_cores
        and server.ram_gb >= params.reuse_min_ram_gb
    )
