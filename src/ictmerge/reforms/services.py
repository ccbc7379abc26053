"""Operations on the reform register: load a shipped reform, import one from a CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from ictmerge.core.history import record_bulk
from ictmerge.engine.reform import (
    Problem,
    SuccessionRow,
    UnitRow,
    parse_rows,
    validate,
)
from ictmerge.engine.synthetic_reform import SyntheticSpec, generate_rows
from ictmerge.reforms.choices import DataQuality, Stage
from ictmerge.reforms.counties import current_reform
from ictmerge.reforms.models import Municipality, Reform, Succession

BUNDLED_DIR = Path(__file__).resolve().parent / "data"


def default_reform() -> Reform | None:
    """The current reform (reforms.counties.current_reform: the one rule)."""
    return current_reform()


class ReformImportError(Exception):
    """A reform file was rejected; `problems` lists every problem found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} problem(s)\n" + "\n".join(
            f"{source}: {p}" for p in problems))


@dataclass(frozen=True)
class ReformInfo:
    """What names a reform."""

    code: str
    name: str
    country: str
    effective_date: dt.date
    description: str = ""
    source: str = ""


def bundled_reforms() -> list[str]:
    """Codes of the reforms shipped with the package."""
    return sorted(p.parent.name for p in BUNDLED_DIR.glob("*/reform.json"))


def load_bundled(code: str) -> Reform:
    """Load a reform shipped with the package (e.g. lv-2021); replaces nothing."""
    folder = BUNDLED_DIR / code
    manifest_path = folder / "reform.json"
    if not manifest_path.exists():
        known = ", ".join(bundled_reforms())
        raise ReformImportError(code, [Problem(None, "code", f"no shipped reform '{code}' "
                                                             f"(shipped: {known})")])
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    info = ReformInfo(
        code=manifest["code"], name=manifest["name"], country=manifest["country"],
        effective_date=dt.date.fromisoformat(manifest["effective_date"]),
        description=manifest.get("description", ""), source=manifest.get("source", ""),
    )
    rows, extra = _bundled_rows(folder, manifest.get("new_column", "new_name"))
    problems = validate(rows, info.effective_date)
    if problems:
        raise ReformImportError(str(folder / "successions.csv"), problems)
    return write_reform(info, rows, extra)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _bundled_rows(folder: Path, new_column: str) -> tuple[list[SuccessionRow], dict[str, Any]]:
    """Rows of a shipped reform, with the unit details kept beside them."""
    formers = {r["code"]: r for r in _read_csv(folder / "former_municipalities.csv")}
    news = {r["name"]: r for r in _read_csv(folder / "new_municipalities.csv")}
    rows = []
    for number, record in enumerate(_read_csv(folder / "successions.csv"), start=2):
        former = formers[record["former_code"]]
        new_name = record.get(new_column) or record["new_name"]
        new = news[new_name]
        rows.append(SuccessionRow(
            row=number,
            former=UnitRow(code=former["code"], name=former["name"], kind=former["kind"],
                           population=int(former["population"]) if former["population"] else None,
                           date=dt.date.fromisoformat(former["valid_to"])
                           if former.get("valid_to") else None),
            new=UnitRow(code=new["code"], name=new["name"], kind=new["kind"],
                        population=int(new["population"]) if new["population"] else None,
                        date=dt.date.fromisoformat(new["valid_from"])
                        if new.get("valid_from") else None),
            part=record.get("part") or "whole",
            share=Decimal(record.get("share") or "1"),
            share_basis=record.get("share_basis", ""),
            note=record.get("note", ""),
        ))
    extra = {"former": formers, "new": {r["code"]: r for r in news.values()}}
    return rows, extra


def parse_succession_csv(stream: IO[str], source: str) -> list[SuccessionRow]:
    """Parse and validate a succession CSV; raises ReformImportError with every problem."""
    text = stream.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    parsed = parse_rows(header, list(reader))
    return parsed.rows if not parsed.problems else _raise(source, parsed.problems)


def _raise(source: str, problems: list[Problem]) -> list[SuccessionRow]:
    raise ReformImportError(source, problems)


def import_csv(stream: IO[str], info: ReformInfo, source: str = "file") -> Reform:
    """Import a reform from a CSV of successions: all of it, or nothing with every problem."""
    rows = parse_succession_csv(stream, source)
    problems = validate(rows, info.effective_date)
    if Reform.objects.filter(code=info.code).exists():
        problems.insert(0, Problem(None, "code", f"a reform with code '{info.code}' exists"))
    if problems:
        raise ReformImportError(source, problems)
    return write_reform(info, rows, {})


@transaction.atomic
def write_reform(info: ReformInfo, rows: list[SuccessionRow], extra: dict[str, Any]) -> Reform:
    """Write a validated reform: its municipalities and successions, with history."""
    if Reform.objects.filter(code=info.code).exists():
        raise ReformImportError(info.code, [Problem(None, "code",
                                                    f"reform '{info.code}' is already loaded")])
    reform = Reform.objects.create(
        code=info.code, name=info.name, country=info.country,
        effective_date=info.effective_date, description=info.description, source=info.source,
    )
    formers: dict[str, Municipality] = {}
    news: dict[str, Municipality] = {}
    for row in rows:
        if row.former.code not in formers:
            formers[row.former.code] = _municipality(reform, row.former, Stage.FORMER,
                                                     extra.get("former", {}))
        assert row.new is not None
        if row.new.code not in news:
            news[row.new.code] = _municipality(reform, row.new, Stage.NEW, extra.get("new", {}))
    created = Municipality.objects.bulk_create([*formers.values(), *news.values()])
    record_bulk(created)
    by_key = {(m.stage, m.code): m for m in created}
    successions = [
        Succession(
            reform=reform,
            former=by_key[(Stage.FORMER, row.former.code)],
            new=by_key[(Stage.NEW, row.new.code)],
            part=row.part, share=row.share, share_basis=row.share_basis, note=row.note,
        )
        for row in rows if row.new is not None
    ]
    record_bulk(Succession.objects.bulk_create(successions))
    return reform


def generate_synthetic(code: str, spec: SyntheticSpec) -> Reform:
    """Write a synthetic reform (engine.synthetic_reform): N former into M new municipalities,
    with splits, generated from the seed; for trying the tool at a large country's size."""
    rows = generate_rows(spec)
    info = ReformInfo(
        code=code, name=f"Synthetic reform: {spec.formers} → {spec.news} (seed {spec.seed})",
        country="XX", effective_date=spec.effective_date,
        description=f"Generated, not a real reform: {spec.formers} former municipalities "
                    f"merged into {spec.news} new ones, {spec.split_rate:.1%} of them split "
                    f"(seed {spec.seed}; sizes and shares are assumptions).",
        source="ictmerge reform generate (synthetic)")
    return write_reform(info, rows, {})


def _municipality(reform: Reform, unit: UnitRow, stage: str,
                  details: dict[str, dict[str, str]]) -> Municipality:
    detail = details.get(unit.code, {})
    quality = detail.get("population_quality", "")
    return Municipality(
        reform=reform, code=unit.code, name=unit.name, stage=stage, kind=unit.kind,
        iso_code=detail.get("iso3166_2", ""),
        population=unit.population,
        population_date=detail.get("population_date", ""),
        population_quality=quality if quality in DataQuality.values else "",
        population_source=detail.get("population_source", ""),
        valid_to=unit.date if stage == Stage.FORMER else _date(detail.get("valid_to")),
        valid_from=unit.date if stage == Stage.NEW else None,
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
