"""Synthetic reforms of any size: N former municipalities merged into M new ones, with splits.

Pure Python and deterministic by seed. For trying the tool at the scale of a large country
(Ukraine's 2020 reform merged about 11,000 local councils into 1,469 hromadas) where no
succession table is at hand. Every figure below is an assumption, stated where it is set:

- populations of the former municipalities are log-normal (most are small villages, a few
  are towns), median `median_population`, spread `sigma`;
- the number of former municipalities per new one is 1 plus a share, log-normal by weight,
  of the rest, so most new municipalities merge a few and some merge dozens;
- `split_rate` of the former municipalities are split between their new municipality and a
  neighbouring one (Latvia's 2021 reform split 2 of its 119).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from ictmerge.engine.reform import SuccessionRow, UnitRow
from ictmerge.engine.shares import apportion

#: Latvia's 2021 reform: 2 of 119 former municipalities split (the bundled lv-2021 table).
LATVIAN_SPLIT_RATE = 2 / 119


@dataclass(frozen=True)
class SyntheticSpec:
    """What to generate."""

    formers: int
    news: int
    seed: int = 1
    effective_date: dt.date = dt.date(2020, 10, 25)
    median_population: int = 1200  # assumption: a village council of a large country
    sigma: float = 1.1  # assumption: spread of the log-normal populations
    group_sigma: float = 0.8  # assumption: spread of the log-normal weights of group sizes
    split_rate: float = LATVIAN_SPLIT_RATE


def generate_rows(spec: SyntheticSpec) -> list[SuccessionRow]:
    """The succession rows of a synthetic reform (valid: `engine.reform.validate` finds no
    problem), the same for the same spec."""
    if spec.news < 1 or spec.formers < spec.news:
        raise ValueError("a reform needs at least one new municipality and at least as many "
                         "former municipalities as new ones")
    if not 0 <= spec.split_rate <= 1:
        raise ValueError("the split rate is a share between 0 and 1")
    draw = random.Random(spec.seed)
    mu = math.log(spec.median_population)
    populations = [max(50, round(draw.lognormvariate(mu, spec.sigma)))
                   for _ in range(spec.formers)]
    weights = [draw.lognormvariate(0, spec.group_sigma) for _ in range(spec.news)]
    sizes = [1 + extra for extra in apportion(spec.formers - spec.news, weights)]
    order = list(range(spec.formers))
    draw.shuffle(order)
    group_of: dict[int, int] = {}
    start = 0
    for group, size in enumerate(sizes):
        for index in order[start:start + size]:
            group_of[index] = group
        start += size
    split = (sorted(draw.sample(range(spec.formers), round(spec.split_rate * spec.formers)))
             if spec.news > 1 else [])
    # Each split former keeps a share of its residents in its own group, the rest go next door.
    parts: dict[int, list[tuple[int, Decimal]]] = {
        index: [(group_of[index], kept), ((group_of[index] + 1) % spec.news, 1 - kept)]
        for index, kept in ((i, Decimal(draw.randint(50, 90)) / 100) for i in split)}
    new_population = [0] * spec.news
    for index, population in enumerate(populations):
        for group, share in parts.get(index, [(group_of[index], Decimal(1))]):
            new_population[group] += round(population * share)
    digits, new_digits = len(str(spec.formers)), len(str(spec.news))
    news = [UnitRow(code=f"N{g + 1:0{new_digits}d}", name=f"New municipality {g + 1}",
                    kind="new", population=new_population[g], date=spec.effective_date)
            for g in range(spec.news)]
    valid_to = spec.effective_date - dt.timedelta(days=1)
    rows: list[SuccessionRow] = []
    for index in range(spec.formers):
        former = UnitRow(code=f"F{index + 1:0{digits}d}", name=f"Former municipality {index + 1}",
                         kind="former", population=populations[index], date=valid_to)
        if index not in parts:
            rows.append(SuccessionRow(row=len(rows) + 2, former=former, new=news[group_of[index]]))
            continue
        for number, (group, share) in enumerate(parts[index], start=1):
            rows.append(SuccessionRow(
                row=len(rows) + 2, former=former, new=news[group], part=f"part {number}",
                share=share, share_basis="synthetic: an assumed share of the residents"))
    return rows
