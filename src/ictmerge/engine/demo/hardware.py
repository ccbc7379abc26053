"""Sites, server rooms and devices of one municipality."""

from __future__ import annotations

import datetime as dt

from ictmerge.engine.demo.base import _BuilderBase
from ictmerge.engine.demo.catalogue import (
    _HOSTERS,
    _LAPTOP_MODELS,
    _NETWORK,
    _OUTSOURCERS,
    _PC_MODELS,
    _PRINTERS,
    _SERVER_MODELS,
    _SERVER_OS,
    _SITE_NAMES,
    _STREETS,
    _THIN_MODELS,
)
from ictmerge.engine.demo.draws import _near, _noise, _pick, _place
from ictmerge.engine.demo.records import COMPUTER_KINDS, DemoDevice, DemoRoom, DemoSite
from ictmerge.engine.shares import apportion


class _Hardware(_BuilderBase):
    """Sites, server rooms and devices of one municipality."""

    def add_sites(self, copy: int) -> list[int]:
        count = max(1, min(30, round(self.m.population / 3500 * _noise(self.rng, 0.25))))
        keys = []
        for number in range(count):
            name = _SITE_NAMES[0] if number == 0 else self.rng.choice(_SITE_NAMES[1:])
            suffix = f" {copy + 1}" if copy else ""
            lat, lon = _near(self.rng, self.centre, 0.02 if number == 0 else 0.12)
            key = len(self.sites)
            self.sites.append(DemoSite(
                key=key, name=f"{self.town}: {name}{suffix}" + (f" #{number}" if number else ""),
                address=f"{self.rng.choice(_STREETS)} {self.rng.randint(1, 80)}, {self.town}",
                latitude=lat, longitude=lon))
            keys.append(key)
        return keys

    def add_rooms(self, count: int, site_keys: list[int], copy: int) -> list[int]:
        keys = []
        size = self.m.population
        for number in range(count):
            if number == 0:
                operation = _pick(self.rng, ("own", "outsourced"), (0.85, 0.15))
            else:
                operation = _pick(self.rng, ("own", "outsourced", "colocation", "cloud"),
                                  (0.55, 0.15, 0.2, 0.1))
            good = min(0.9, 0.35 + size / 60000)  # larger municipalities keep better rooms
            contract_key = None
            if operation != "own":
                contract_key = self.add_contract(
                    _pick(self.rng, _HOSTERS, (1, 1)) if operation != "outsourced"
                    else self.rng.choice(_OUTSOURCERS),
                    "hosting", f"{self.town}: server hosting ({operation})",
                    self.rng.randint(3000, 24000))
            site_key = site_keys[min(number, len(site_keys) - 1)] if operation == "own" else None
            if site_key is not None:
                lat, lon = self.sites[site_key].latitude, self.sites[site_key].longitude
            else:
                lat, lon = _near(self.rng, _place("riga-datacentres"), 0.05)
            racks = max(1, round(self.rng.uniform(0.5, 2.5) * (1 + size / 40000)))
            key = len(self.rooms)
            self.rooms.append(DemoRoom(
                key=key, site_key=site_key,
                name=f"{self.town}: server room {number + 1}" + (f" ({copy + 1})" if copy else ""),
                operation=operation, racks=racks,
                power_kw=round(racks * self.rng.uniform(1.5, 5.0), 2),
                has_cooling=self.rng.random() < good + 0.1,
                has_ups=self.rng.random() < good + 0.05,
                has_generator=self.rng.random() < good * 0.4,
                has_fire_suppression=self.rng.random() < good * 0.5,
                has_access_control=self.rng.random() < good,
                has_monitoring=self.rng.random() < good * 0.7,
                annual_cost_eur=round(racks * self.rng.uniform(1500, 6000)),
                latitude=lat, longitude=lon, contract_key=contract_key))
            keys.append(key)
        return keys

    # devices ---------------------------------------------------------------------------------

    def _device(self, kind: str, site_key: int | None, room_key: int | None, name: str,
                model: tuple[str, str, str, int, int, int], os: str,
                cores: int | None, ram: int | None, storage: int | None,
                cpu: float | None, ram_use: float | None) -> int:
        rng = self.rng
        key = len(self.devices)
        year = rng.randint(model[4], model[5])
        bought = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        self.devices.append(DemoDevice(
            key=key, kind=kind, site_key=site_key, room_key=room_key, name=name,
            asset_tag=f"INV-{key + 1:06d}", serial=f"{model[2]}{rng.randint(100, 999)}{key:06d}",
            manufacturer=model[0], model=model[1], os=os, purchase_date=bought,
            purchase_cost_eur=round(model[3] * rng.uniform(0.85, 1.15)),
            warranty_until=bought.replace(year=year + rng.choice((1, 3, 3, 5))),
            cores=cores, ram_gb=ram, storage_gb=storage,
            cpu_utilisation_pct=cpu, ram_utilisation_pct=ram_use))
        return key

    def add_computers(self, count: int, site_keys: list[int]) -> None:
        rng = self.rng
        thin = rng.random() < 0.2
        weights = (0.7, rng.uniform(0.15, 0.35), rng.uniform(0.05, 0.25) if thin else 0.0)
        split = apportion(count, weights)
        site_weights = [3.0] + [1.0] * (len(site_keys) - 1)
        windows7_until = rng.randint(2013, 2016)
        for kind, number in zip(COMPUTER_KINDS, split, strict=True):
            models = {"desktop": _PC_MODELS, "laptop": _LAPTOP_MODELS, "thin_client": _THIN_MODELS}
            for _ in range(number):
                model = rng.choice(models[kind])
                site_key = rng.choices(site_keys, weights=site_weights)[0]
                if kind == "thin_client":
                    os = "HP ThinPro 7" if model[0] == "HP" else "IGEL OS 11"
                else:
                    os = ("Windows 7 Professional" if model[5] <= windows7_until
                          else rng.choice(("Windows 10 Pro", "Windows 10 Pro", "Windows 10 Pro",
                                           "Windows 8.1 Pro")))
                prefix = {"desktop": "PC", "laptop": "NB", "thin_client": "TC"}[kind]
                self._device(kind, site_key, None, f"{prefix}-{len(self.devices) + 1:05d}", model,
                             os, rng.choice((2, 4, 4, 6)), rng.choice((4, 8, 8, 16)),
                             rng.choice((256, 500, 1000)), None, None)

    def add_servers(self, count: int, room_keys: list[int], site_keys: list[int]) -> list[int]:
        rng = self.rng
        keys = []
        for number in range(count):
            choice = rng.choice(_SERVER_MODELS)
            model = choice[:6]
            cores, ram = choice[6], choice[7]
            os = rng.choice(_SERVER_OS)
            room_key = room_keys[number % len(room_keys)] if room_keys else None
            site_key = self.rooms[room_key].site_key if room_key is not None else site_keys[0]
            known = rng.random() < 0.7
            keys.append(self._device(
                "server", site_key, room_key, f"SRV-{len(self.devices) + 1:05d}",
                model, os, cores, ram, rng.choice((600, 1200, 2400, 4800, 9600)),
                round(rng.uniform(3, 55), 1) if known else None,
                round(rng.uniform(20, 85), 1) if known else None))
        return keys

    def add_equipment(self, computers: int, site_keys: list[int]) -> None:
        rng = self.rng
        for site_key in site_keys:
            for _ in range(rng.randint(1, 3)):
                maker, model = rng.choice(_NETWORK)
                self._device("network", site_key, None, f"NET-{len(self.devices) + 1:05d}",
                             (maker, model, "NW", 900, 2012, 2020), "", None, None, None,
                             None, None)
        for _ in range(max(1, computers // 15)):
            maker, model = rng.choice(_PRINTERS)
            self._device("printer", rng.choice(site_keys), None,
                         f"PRN-{len(self.devices) + 1:05d}", (maker, model, "PR", 350, 2012, 2020),
                         "", None, None, None, None, None)
