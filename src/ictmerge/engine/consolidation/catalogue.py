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
    """External room options from JSON (the shipped catalogue by default)."""
    data = json.loads((path or DATA / "external_rooms.json").read_text(encoding="utf-8"))
    return tuple(
        ExternalRoomOption(
            id=o["id"],
            name=o["name"],
            kind=RoomKind(o["kind"]),
            latitude=float(o["latitude"]),
            longitude=float(o["longitude"]),
            racks=int(o["racks"]),
            power_kw=float(o["power_kw"]),
            condition=SecurityClass[o["condition"]],
            annual_fixed_eur=float(o["annual_fixed_eur"]),
            annual_per_rack_eur=float(o["annual_per_rack_eur"]),
            onboarding_eur=float(o["onboarding_eur"]),
            source=_source(o),
        )
        for o in data["options"]
    )
