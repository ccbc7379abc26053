"""The shipped, editable catalogues of host models and external room options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import ExternalRoomOption, HostModel, RoomKind, SecurityClass

DATA = Path(__file__).parent / "data"


def _source(entry: dict[str, Any]) -> str:
    """Where a number comes from: a source, else a stated assumption."""
    return str(entry.get("source") or "assumption: " + str(entry["assumption"]))


def load_host_catalogue(path: Path | None = None) -> tuple[HostModel, ...]:
    """Host models from JSON (the shipped catalogue by default)."""
    data = json.loads((path or DATA / "host_catalogue.json").read_text(encoding="utf-8"))
    return tuple(
        HostModel(
            name=m["name"],
            cores=int(m["cores"]),
            ram_gb=float(m["ram_gb"]),
            storage_gb=float(m["storage_gb"]),
            power_kw=float(m["power_kw"]),
            rack_units=int(m["rack_units"]),
            price_eur=float(m["price_eur"]),
            maintenance_eur_per_year=float(m["maintenance_eur_per_year"]),
            licence_eur_per_core_per_year=float(m["licence_eur_per_core_per_year"]),
            source=_source(m),
        )
        for m in data["models"]
    )


def load_external_rooms(path: Path | None = None) -> tuple[ExternalRoomOption, ...]:
    """Hosting services from JSON (the shipped catalogue by default), priced per resource and month."""
    data = json.loads((path or DATA / "external_rooms.json").read_text(encoding="utf-8"))
    return tuple(
        ExternalRoomOption(
            id=o["id"],
            name=o["name"],
            kind=RoomKind(o["kind"]),
            latitude=float(o["latitude"]),
            longitude=float(o["longitude"]),
            condition=SecurityClass[o["condition"]],
            eur_per_vcpu_month=float(o["eur_per_vcpu_month"]),
            eur_per_gb_ram_month=float(o["eur_per_gb_ram_month"]),
            eur_per_tb_storage_month=float(o["eur_per_tb_storage_month"]),
            annual_fixed_eur=float(o["annual_fixed_eur"]),
            onboarding_eur=float(o["onboarding_eur"]),
            source=f"{_source(o)} (prices of {o['price_date']})",
        )
        for o in data["options"]
    )
