"""Country totals spread over the municipalities, then each municipality generated."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence

from ictmerge.engine.demo.builder import _municipality
from ictmerge.engine.demo.draws import _noise, _rng
from ictmerge.engine.demo.records import (
    SHARE_THRESHOLD,
    DemoInput,
    DemoInventory,
    MunicipalityInput,
    MunicipalityInventory,
)
from ictmerge.engine.shares import apportion


def generate(spec: DemoInput) -> DemoInventory:
    """Generate the demo inventory of every surveyed municipality of the input."""
    inventories = tuple(generate_each(spec))
    targets = spec.targets
    totals = {
        "municipalities_surveyed": len(inventories),
        "computers": targets.computers * spec.scale,
        "servers": targets.servers * spec.scale,
        "server_rooms": targets.server_rooms * spec.scale,
        "ict_spend_eur": targets.ict_spend_eur,
    }
    return DemoInventory(
        municipalities=inventories,
        suppliers=tuple(sorted({c.supplier for m in inventories for c in m.contracts})),
        products=tuple(sorted({lic.product for m in inventories for lic in m.licences},
                              key=lambda p: (p.vendor, p.name, p.edition, p.major_version))),
        seed=spec.seed, scale=spec.scale, totals=totals,
    )


def generate_each(spec: DemoInput) -> Iterator[MunicipalityInventory]:
    """The inventory of each surveyed municipality in turn, the same as `generate` gives: the
    country totals are spread first, then each municipality is generated from its own random
    stream, so a caller can write one and forget it (memory bounded by the largest)."""
    if spec.scale < 1:
        raise ValueError("scale must be at least 1")
    targets = spec.targets
    surveyed = [m for m in spec.municipalities if m.surveyed]
    rng = _rng(spec.seed, "totals")
    sizes = [max(m.population, 1) for m in surveyed]
    city = [1.0 + 0.3 * m.is_city for m in surveyed]

    computers = apportion(
        targets.computers,
        [s ** 0.93 * c * _noise(rng, 0.18) for s, c in zip(sizes, city, strict=True)])
    servers = apportion(
        targets.servers,
        [s ** 0.9 * c * c * _noise(rng, 0.35) for s, c in zip(sizes, city, strict=True)],
        minimum=1)
    rooms = apportion(
        targets.server_rooms,
        [s ** 0.8 * c * c * _noise(rng, 0.3) for s, c in zip(sizes, city, strict=True)],
        maximum=[min(n, 8) for n in servers])
    expenditure = _total_expenditure(spec, rng)
    spend = _ict_spend(spec, surveyed, expenditure, rng)
    for index, municipality in enumerate(surveyed):
        yield _municipality(spec, municipality, computers[index], servers[index], rooms[index],
                            expenditure[municipality.code], spend.get(municipality.code))


def _total_expenditure(spec: DemoInput, rng: random.Random) -> dict[str, int]:
    """Total expenditure per municipality: known values kept, the rest per capita."""
    unknown = [m for m in spec.municipalities if m.total_expenditure_eur is None]
    known_sum = sum(m.total_expenditure_eur or 0 for m in spec.municipalities)
    # Small municipalities spend more per resident (fixed costs); cities a little more again.
    weights = [
        max(m.population, 1) * (1.0 + 1.2 / math.sqrt(max(m.population, 1) / 1000.0))
        * (1.1 if m.is_city else 1.0) * _noise(rng, 0.1)
        for m in unknown
    ]
    parts = apportion(max(spec.targets.total_expenditure_eur - known_sum, 0), weights)
    result = {m.code: part for m, part in zip(unknown, parts, strict=True)}
    result.update({m.code: m.total_expenditure_eur for m in spec.municipalities
                   if m.total_expenditure_eur is not None})
    return result


def _ict_spend(spec: DemoInput, surveyed: Sequence[MunicipalityInput],
               expenditure: dict[str, int], rng: random.Random) -> dict[str, int]:
    """ICT spend of the reporting municipalities: exact total, most at or below 0.75 %."""
    reporting = [m for m in surveyed if m.reports_spend]
    if not reporting:
        return {}
    # A skewed share: larger municipalities spend a larger share on ICT, a few are outliers.
    raw = [
        expenditure[m.code] * math.pow(max(m.population, 1) / 10000.0, 0.15)
        * (1.25 if m.is_city else 1.0) * min(max(_noise(rng, 0.45), 0.45), 2.2)
        for m in reporting
    ]
    scale = spec.targets.ict_spend_eur / sum(raw)
    amounts = [r * scale for r in raw]
    needed = math.floor(len(reporting) * spec.targets.min_share_at_or_below) + 1

    def share(i: int) -> float:
        return amounts[i] / expenditure[reporting[i].code]

    # If too few are at or below the line, bring the nearest ones just below it and spread
    # the difference over the others above it (the sum stays exact).
    while sum(1 for i in range(len(reporting)) if share(i) <= SHARE_THRESHOLD * 0.995) < needed:
        above = sorted((i for i in range(len(reporting)) if share(i) > SHARE_THRESHOLD * 0.995),
                       key=share)
        nearest, others = above[0], above[1:]
        if not others:
            break
        lowered = expenditure[reporting[nearest].code] * SHARE_THRESHOLD * rng.uniform(0.9, 0.99)
        others_sum = sum(amounts[i] for i in others)
        for i in others:
            amounts[i] += (amounts[nearest] - lowered) * amounts[i] / others_sum
        amounts[nearest] = lowered
    parts = apportion(spec.targets.ict_spend_eur, amounts)
    return {m.code: part for m, part in zip(reporting, parts, strict=True)}
