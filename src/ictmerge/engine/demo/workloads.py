"""Virtual machines and services on the servers, with backup pairs."""

from __future__ import annotations

import dataclasses

from ictmerge.engine.demo.base import _BuilderBase
from ictmerge.engine.demo.catalogue import _HYPERVISORS, _WORKLOADS
from ictmerge.engine.demo.records import DemoWorkload


class _Workloads(_BuilderBase):
    """Virtual machines and services on the servers, with backup pairs."""

    def add_workloads(self, server_keys: list[int], systems_by_function: dict[str, int]) -> None:
        rng = self.rng
        templates = list(_WORKLOADS)
        rng.shuffle(templates)
        # Domain controllers first, so that every municipality has one.
        templates.sort(key=lambda t: not t[0].startswith("dc"))
        # A municipality runs two domain controllers (a city up to four), in one anti-affinity
        # group; the template cycle would give one per few servers, so the rest become plain
        # application servers with the same size. Each copy (see DemoInput.scale) is its own domain.
        batch = len({w.anti_affinity_group for w in self.workloads
                     if w.anti_affinity_group.startswith("domain-controllers")})
        dc_group = "domain-controllers" if not batch else f"domain-controllers-{batch + 1}"
        dc_limit = 4 if self.is_city else 2
        first = len(self.workloads)
        dcs = apps = 0
        for index, server_key in enumerate(server_keys):
            server = self.devices[server_key]
            hypervisor = server.os in _HYPERVISORS
            cores, ram = server.cores or 8, server.ram_gb or 32
            how_many = rng.randint(3, 9) if hypervisor else rng.randint(1, 2)
            used_cores = used_ram = 0.0
            for number in range(how_many):
                name, function, vcpu, vram, disk, availability = \
                    templates[(index * 3 + number) % len(templates)]
                if used_cores + vcpu > cores * 1.5 or used_ram + vram > ram * 0.9:
                    break  # overcommit CPU a little, never RAM
                used_cores += vcpu
                used_ram += vram
                is_dc = name.startswith("dc")
                shown, group = name, ""
                if is_dc and dcs < dc_limit:
                    dcs += 1
                    group = dc_group
                elif is_dc:
                    apps += 1
                    shown, availability = f"app{apps:02d}", "medium"
                self.workloads.append(DemoWorkload(
                    server_key=server_key, name=f"{shown}-{server_key}",
                    kind="vm" if hypervisor else "service",
                    cpu_cores=float(vcpu), ram_gb=float(vram),
                    storage_gb=round(disk * rng.uniform(0.5, 1.5)),
                    cpu_p95_pct=round(rng.uniform(5, 80), 1) if rng.random() < 0.7 else None,
                    system_key=systems_by_function.get(function) if function else None,
                    anti_affinity_group=group,
                    # The draw is made only for what the template is not pinned by, as it always was,
                    # so that everything generated after the workloads stays the same.
                    pinned_on_premises=(shown == name) if name.startswith(("dc", "print"))
                    else rng.random() < 0.1,
                    availability_class=availability))
        self._pair_backups(first)

    def _pair_backups(self, first: int) -> None:
        """Each backup workload with one source it protects, on another server, in a group of two."""
        sources = ("fs01", "sql01", "mail", "gramatvediba", "lietvediba")
        paired: set[int] = set()
        pair = sum(1 for w in self.workloads[:first] if w.anti_affinity_group.startswith("backup-")) // 2
        for b in range(first, len(self.workloads)):
            backup = self.workloads[b]
            if not backup.name.startswith("backup-"):
                continue
            source = next((k for k in range(first, len(self.workloads))
                           if k not in paired and self.workloads[k].server_key != backup.server_key
                           and self.workloads[k].name.split("-")[0] in sources), None)
            if source is None:
                continue
            paired.add(source)
            pair += 1
            group = f"backup-{pair}"
            self.workloads[b] = dataclasses.replace(backup, anti_affinity_group=group)
            self.workloads[source] = dataclasses.replace(self.workloads[source], anti_affinity_group=group)
