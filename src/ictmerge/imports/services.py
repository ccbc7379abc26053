"""Import and export services: called alike by the web pages, the API, the CLI and the jobs.

A file is streamed and every row validated (types, required cells, natural keys that
resolve, the model's invariants). Rows are written in chunks through the database's bulk
path inside one transaction, which is rolled back at the end if any row was bad (unless
the user asked for the valid rows only) or if it was a dry run: nothing is ever half
written, and a dry run's counts are exactly what the import would do.
"""

from __future__ import annotations

import contextlib
import gc
import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext

from ictmerge.core import scoping
from ictmerge.core.exports import csv_lines, register_exporter, xlsx_bytes
from ictmerge.core.history import acting_as, caused_by, record_bulk_updates, snapshot
from ictmerge.core.jobs import start_job
from ictmerge.core.models import ChangeRecord
from ictmerge.core.providers import normalise_loaded
from ictmerge.engine.imports.rows import Problem, RowValidator
from ictmerge.engine.imports.rules import READS as RULE_READS
from ictmerge.engine.imports.rules import RULES, Rule
from ictmerge.engine.imports.text import Table, TableError, read_table
from ictmerge.engine.spreadsheets import SafeCsvWriter
from ictmerge.imports import bulk, sources
from ictmerge.imports.choices import RunStatus
from ictmerge.imports.common import KEEP, Outcome, Rollback, municipality_codes, table_problem
from ictmerge.imports.models import DeviceIdentifier, DeviceSighting, ImportRun
from ictmerge.imports.templates import Template, template, templates
from ictmerge.inventory import models as inventory

Progress = Callable[[float, str], None]
CHUNK = 20_000
#: Memoised conversions and verdicts kept per column or rule (bounded memory).
MEMO = 100_000


class ImportTypeError(ValueError):
    """An import type or option that does not exist (the message lists the known ones)."""


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A template column's model field (always a concrete field, never a reverse relation)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), field
    return field


class TableImporter:
    """Imports one table into one template's model."""

    def __init__(self, tpl: Template, table: Table, *, user: Any, municipality: str | None,
                 valid_only: bool, outcome: Outcome, progress: Progress | None = None) -> None:
        self.tpl = tpl
        self.table = table
        self.user = user
        self.default_code = (municipality or "").strip()
        self.valid_only = valid_only
        self.outcome = outcome
        self.progress = progress
        self.model = tpl.model
        self.codes = municipality_codes()
        self.writable = scoping.writable_ids(user)
        self.fields = [c.field for c in tpl.columns]
        self.attnames = [_concrete(self.model, f).attname for f in self.fields]
        self.refs = [f for f in self.fields
                     if f != "municipality" and self.model._meta.get_field(f).is_relation]
        supplied = frozenset({"municipality"}) if self.default_code else frozenset()
        self.validator = RowValidator(tpl.columns, table.header, table.source, supplied,
                                      ignored=frozenset(tpl.export_only))
        self.rules = RULES.get(tpl.model_label, ())
        self.existing: dict[int, dict[tuple[Any, ...], tuple[int, int, int] | None]] = {}
        self.seen: dict[tuple[Any, ...], int] = {}
        self.lookups: dict[tuple[str, int], dict[str, int | None]] = {}
        self.global_lookups: dict[str, dict[str, int | None]] = {}
        self.insert_fields = bulk.insert_fields(self.model)
        # A new row is inserted as the row's values in template order, then the other
        # columns' defaults: one tuple concatenation per row. (Both drivers adapt dates
        # and decimals themselves: Django registers SQLite adapters, psycopg has its own.)
        chosen = set(self.attnames)
        rest = [f for f in self.insert_fields if f.attname not in chosen]
        self.insert_columns = [bulk.column_of(_concrete(self.model, f)) for f in self.fields] + \
            [bulk.column_of(f) for f in rest]
        self.insert_tail = tuple(f.get_default() if f.has_default() else
                                 ("" if f.empty_strings_allowed and not f.null else None)
                                 for f in rest)
        self.mark = 0
        if self.fields[0] != "municipality":
            raise ValueError(f"template {tpl.slug}: the first column must be the municipality")
        position = self.position = {name: i for i, name in enumerate(self.fields)}
        self.ref_positions = [(name, position[name]) for name in self.refs]
        self.key_positions = [position[name] for name in tpl.key]
        self.choice_positions = [(name, position[name]) for name in tpl.key_choice
                                 if name in position]
        #: Columns the register fills when a row leaves them empty (Template.derived).
        self.derived_positions = [position[name] for name in tpl.derived if name in position]
        self.code_cache: dict[str, tuple[int | None, str]] = {}
        #: Per rule, its verdict (field → message, translated) on each combination of the
        #: values it reads.
        self.verdicts: dict[Rule, dict[tuple[Any, ...], dict[str, str]]] = {}
        #: Per inserted column, the stored form of each value (dates and decimals on SQLite).
        self.stored: list[dict[Any, Any]] = [{} for _ in self.insert_columns]

    # --- natural keys -------------------------------------------------------------------

    def _key(self, municipality_id: int, values: dict[str, Any]) -> tuple[Any, ...]:
        key: tuple[Any, ...] = (municipality_id, *(values[k] for k in self.tpl.key))
        for name in self.tpl.key_choice:
            if values.get(name):
                return (*key, name, values[name])
        return key

    def _existing(self, municipality_id: int) -> dict[tuple[Any, ...], tuple[int, int, int] | None]:
        """The municipality's records by natural key: (id, fingerprint of the values with the
        derived ones empty, fingerprint of all the values)."""
        found = self.existing.get(municipality_id)
        if found is not None:
            return found
        found = {}
        names = list(dict.fromkeys([*self.fields, *self.tpl.key_choice]))
        attnames = [_concrete(self.model, n).attname for n in names]
        queryset = self.model._base_manager.filter(municipality_id=municipality_id)
        positions = [names.index(f) for f in self.fields]
        derived = self.derived_positions
        for row in queryset.values_list("pk", *attnames).iterator(chunk_size=5000):
            values = dict(zip(names, row[1:], strict=True))
            key = self._key(municipality_id, values)
            stored = [row[1 + p] for p in positions]
            full = hash(tuple(stored))
            for i in derived:  # as a row that leaves them empty compares
                stored[i] = None
            found[key] = None if key in found else (row[0], hash(tuple(stored)), full)
        self.existing[municipality_id] = found
        return found

    # --- references ---------------------------------------------------------------------

    def _resolve(self, name: str, municipality_id: int, text: str) -> tuple[int | None, str]:
        """(id, problem) for a reference cell; a missing site is created."""
        if name in ("supplier", "function", "product"):
            table = self.global_lookups.get(name)
            if table is None:
                table = {}
                if name == "supplier":
                    for pk, label in inventory.Supplier.objects.values_list("pk", "name"):
                        table[label.casefold()] = pk
                elif name == "function":
                    for pk, label in inventory.BusinessFunction.objects.values_list("pk", "code"):
                        table[label.casefold()] = pk
                else:
                    for product in inventory.SoftwareProduct.objects.all():
                        table[str(product).casefold()] = product.pk
                self.global_lookups[name] = table
            match = table.get(text.casefold())
            if (match is None and name == "supplier"
                    and not scoping.may_change_reference(self.user)):
                # Suppliers are reference data: only an administrator's import adds one.
                return None, (f"no supplier {text!r} in the register (only an administrator "
                              f"adds suppliers: ask one, or use an existing supplier's name)")
            if match is None and name == "supplier":
                supplier = inventory.Supplier.objects.create(name=text[:200])
                table[text.casefold()] = supplier.pk
                self.outcome.extra["suppliers created"] = \
                    self.outcome.extra.get("suppliers created", 0) + 1
                return supplier.pk, ""
            if match is None:
                what = {"function": "business function code", "product": "software product"}
                return None, f"no {what[name]} {text!r}"
            return match, ""
        table = self.lookups.get((name, municipality_id))
        if table is None:
            table = {}
            rows: Iterable[tuple[int, str]]
            if name == "site":
                rows = inventory.Site.objects.filter(municipality_id=municipality_id) \
                    .values_list("pk", "name")
            elif name == "room":
                rows = inventory.ServerRoom.objects.filter(municipality_id=municipality_id) \
                    .values_list("pk", "name")
            elif name == "contract":
                rows = inventory.Contract.objects.filter(municipality_id=municipality_id) \
                    .values_list("pk", "title")
            else:  # device or server: by serial, asset tag or name
                devices = inventory.Device.objects.filter(municipality_id=municipality_id)
                if name == "server":
                    devices = devices.filter(kind="server")
                names: list[tuple[int, str]] = []
                for pk, serial, tag, label in devices.values_list("pk", "serial", "asset_tag",
                                                                  "name"):
                    names.extend((pk, v) for v in (serial, tag, label) if v)
                rows = names
            for pk, label in rows:
                folded = label.casefold()
                table[folded] = None if folded in table and table[folded] != pk else pk
            self.lookups[(name, municipality_id)] = table
        folded = text.casefold()
        if folded not in table:
            if name == "site":
                site = inventory.Site.objects.create(municipality_id=municipality_id,
                                                     name=text[:200])
                table[folded] = site.pk
                self.outcome.extra["sites created"] = \
                    self.outcome.extra.get("sites created", 0) + 1
                return site.pk, ""
            return None, f"no {name.replace('_', ' ')} {text!r} in this municipality"
        match = table[folded]
        if match is None:
            return None, f"several records are named {text!r}; give a unique name"
        return match, ""

    # --- rows ---------------------------------------------------------------------------

    def _municipality(self, code: str) -> tuple[int | None, str]:
        """(id, problem) for a municipality code, looked up once per code."""
        found = self.code_cache.get(code)
        if found is None:
            municipality_id = self.codes.get(code) if code else None
            message = ""
            if code and municipality_id is None:
                message = f"no municipality with the code {code!r}"
            elif municipality_id is not None and self.writable is not None \
                    and municipality_id not in self.writable:
                message = f"you may not write records of municipality {code}"
            found = self.code_cache[code] = (municipality_id, message)
        return found

    def _check_columns(self, columns: list[list[Any]], numbers: list[int],
                       problems: list[list[Problem]]) -> list[int]:
        """The chunk's converted columns checked further, a column at a time (in place):
        municipality codes become ids, the model's rules, references become ids. Returns
        the indexes of the rows still without a problem."""
        source = self.table.source
        codes = columns[0]
        found = {code: self._municipality(code or self.default_code) for code in set(codes)}
        ok = [i for i, row_problems in enumerate(problems) if not row_problems]
        if any(message or pk is None for pk, message in found.values()):
            for i in ok:
                message = found[codes[i]][1]
                if message:
                    problems[i].append(Problem(source, numbers[i], "municipality", message))
            ok = [i for i in ok if not problems[i] and found[codes[i]][0] is not None]
        municipality_ids = columns[0] = [found[code][0] for code in codes]
        if self.rules:
            for rule in self.rules:
                self._apply_rule(rule, columns, numbers, problems, ok)
            ok = [i for i in ok if not problems[i]]
        for name, position in self.ref_positions:
            column = columns[position]
            if not any(column):
                continue
            resolved: dict[tuple[int, str], tuple[int | None, str]] = {}
            for i in ok:
                text = column[i]
                if text:
                    pair = (municipality_ids[i], text)
                    answer = resolved.get(pair)
                    if answer is None:
                        answer = resolved[pair] = self._resolve(name, *pair)
                    column[i] = answer[0]
                    if answer[1]:
                        problems[i].append(Problem(source, numbers[i], name, answer[1]))
        return [i for i in ok if not problems[i]]

    def _apply_rule(self, rule: Rule, columns: list[list[Any]], numbers: list[int],
                    problems: list[list[Problem]], ok: list[int]) -> None:
        """One of the model's rules (the same `clean()` runs) on the rows in `ok`, judged once
        per distinct combination of the values it reads."""
        reads = [name for name in RULE_READS.get(rule, self.fields) if name in self.position]
        combos = list(zip(*(columns[self.position[name]] for name in reads), strict=True)) \
            if reads else [()] * len(numbers)
        verdicts = self.verdicts.setdefault(rule, {})
        if len(verdicts) > MEMO:
            verdicts.clear()
        for combo in {combos[i] for i in ok}.difference(verdicts):
            verdicts[combo] = {name: message.render(gettext) for name, message
                               in rule(dict(zip(reads, combo, strict=True))).items()}
        if not any(map(verdicts.__getitem__, {combos[i] for i in ok})):
            return
        source = self.table.source
        for i in ok:
            verdict = verdicts[combos[i]]
            for column, text in verdict.items():
                problems[i].append(Problem(source, numbers[i], column, text))

    def _keys(self, columns: list[list[Any]]) -> list[tuple[Any, ...]]:
        """Each row's natural key, the same as `_key` gives for its values."""
        base = list(zip(columns[0], *(columns[p] for p in self.key_positions), strict=True))
        if not self.choice_positions:
            return base
        first_name, first_position = self.choice_positions[0]
        first = columns[first_position]
        if all(first):  # the common case: every row has the first choice (a serial)
            return list(zip(columns[0], *(columns[p] for p in self.key_positions),
                            itertools.repeat(first_name), first, strict=False))
        names = [name for name, _position in self.choice_positions]
        keys: list[tuple[Any, ...]] = []
        append = keys.append
        for key, choices in zip(base, zip(*(columns[p] for _name, p in self.choice_positions),
                                          strict=True), strict=True):
            for name, value in zip(names, choices, strict=True):
                if value:
                    append((*key, name, value))
                    break
            else:
                append(key)
        return keys

    def run(self) -> None:
        """Validate and write every row; problems end up on the outcome."""
        outcome = self.outcome
        outcome.add_problems(list(self.validator.problems))
        if self.validator.problems:
            return
        self.mark = bulk.lock_and_mark(self.model)
        total = max(self.table.size_hint, 1)
        rows = iter(self.table.rows)
        while True:
            chunk = list(itertools.islice(rows, CHUNK))
            if not chunk:
                break
            self._chunk(chunk)
            if self.progress:
                self.progress(min(95.0, 95.0 * outcome.rows / total),
                              f"{outcome.rows} rows read")
        if outcome.created:
            bulk.record_created(self.model, self.mark, self.tpl.repr_sql)

    def _reject(self, number: int, cells: list[str], problems: list[Problem]) -> None:
        outcome = self.outcome
        outcome.add_problems(problems)
        outcome.rejected += 1
        if len(outcome.rejected_rows) < KEEP:
            outcome.rejected_rows.append({
                "row": number, "problems": "; ".join(p.message for p in problems),
                "cells": dict(zip(self.table.header, cells, strict=False))})

    def _chunk(self, chunk: list[tuple[int, list[str]]]) -> None:
        outcome = self.outcome
        source = self.table.source
        columns, problems = self.validator.convert_columns(chunk)
        numbers = list(map(itemgetter(0), chunk))
        outcome.rows += len(chunk)
        ok = self._check_columns(columns, numbers, problems)
        keys = self._keys(columns)
        municipality_ids = columns[0]
        seen = self.seen
        creates: list[int] = []
        updates: list[tuple[int, list[Any]]] = []
        if self._all_new(ok, keys, numbers, municipality_ids):
            creates, ok = ok, []
        for i in ok:
            key = keys[i]
            first = seen.get(key)
            if first is not None:
                problems[i].append(Problem(source, numbers[i], self._key_columns(key),
                                           f"the same record as row {first}"))
                continue
            seen[key] = numbers[i]
            existing = self.existing.get(municipality_ids[i])
            if existing is None:
                existing = self._existing(municipality_ids[i])
            if key not in existing:
                creates.append(i)
                continue
            known = existing[key]
            if known is None:
                problems[i].append(Problem(source, numbers[i], self._key_columns(key),
                                           "several existing records match this row"))
                continue
            values = [column[i] for column in columns]
            given = any(values[d] is not None for d in self.derived_positions)
            if known[2 if given else 1] == hash(tuple(values)):
                outcome.unchanged += 1
            else:
                outcome.updated += 1
                updates.append((known[0], values))
        outcome.created += len(creates)
        bad = [i for i, row_problems in enumerate(problems) if row_problems]
        for i in bad:
            self._reject(numbers[i], chunk[i][1], problems[i])
        if outcome.rejected and not self.valid_only:
            return  # nothing will be kept: validate the rest without writing
        if len(creates) < len(chunk):
            columns = [[column[i] for i in creates] for column in columns]
        bulk.insert_columns(self.model, self.insert_columns, columns, self.insert_tail,
                            self.stored)
        if updates:
            self._update(updates)

    def _all_new(self, ok: list[int], keys: list[tuple[Any, ...]], numbers: list[int],
                 municipality_ids: list[Any]) -> bool:
        """Whether the rows in `ok` are all new records with distinct keys (then they are
        marked seen): the common case of a first import, decided without a loop per row."""
        if not ok:
            return False
        municipalities = {municipality_ids[i] for i in ok}
        for municipality_id in municipalities:
            if self.existing.get(municipality_id) is None:
                self._existing(municipality_id)
            if self.existing[municipality_id]:
                return False
        fresh = dict(zip(map(keys.__getitem__, ok), map(numbers.__getitem__, ok),
                         strict=True))
        if len(fresh) != len(ok) or not self.seen.keys().isdisjoint(fresh):
            return False
        self.seen.update(fresh)
        return True

    def _key_columns(self, key: tuple[Any, ...]) -> str:
        """The columns a natural key was taken from (for a message)."""
        if self.choice_positions and len(key) == len(self.key_positions) + 3:
            return str(key[-2])
        return ", ".join(self.tpl.key) or "key"

    def _update(self, updates: list[tuple[int, list[Any]]]) -> None:
        by_pk = dict(updates)
        instances = list(self.model._base_manager.filter(pk__in=by_pk))
        changes = []
        derived = {self.attnames[i] for i in self.derived_positions}
        for instance in instances:
            before = snapshot(instance)
            for attname, value in zip(self.attnames, by_pk[instance.pk], strict=True):
                if value is None and attname in derived:
                    continue  # an empty derived cell keeps the stored value
                setattr(instance, attname, value)
            changes.append((instance, before))
        self.model._base_manager.bulk_update(instances, self.attnames, batch_size=1000)
        record_bulk_updates(changes)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused: an import makes millions of small acyclic objects (rows,
    keys, values) that it would otherwise scan again and again; reference counting frees
    them all the same."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_table(tpl: Template, table: Table, *, user: Any = None, municipality: str | None = None,
                 dry_run: bool = False, valid_only: bool = False,
                 progress: Progress | None = None, run: ImportRun | None = None) -> Outcome:
    """Import a table with a template; all or nothing unless valid_only; dry_run keeps nothing."""
    outcome = Outcome()
    cause = {"import_run": run.pk} if run is not None else {}
    try:
        with acting_as(user), caused_by(**cause), _no_cycle_collection(), transaction.atomic():
            importer = TableImporter(tpl, table, user=user, municipality=municipality,
                                     valid_only=valid_only, outcome=outcome, progress=progress)
            importer.run()
            if dry_run or (outcome.problem_count and not valid_only):
                raise Rollback
            if tpl.model_label == "inventory.Installation" and (outcome.created or outcome.updated):
                normalise_loaded(importer.existing)
    except Rollback:
        pass
    except TableError as error:
        outcome.add_problems([table_problem(str(error), table.source)])
    return outcome


def template_table(data: bytes, filename: str, import_type: str,
                   municipality: str | None) -> tuple[Template, Table]:
    """The template and the rows of a file of a template type, or of another tool's CSV
    mapped onto its template; an unreadable file raises TableError."""
    table = read_table(data, filename, sources.repeatable(import_type))
    mapping = sources.MAPPINGS.get(import_type)
    if mapping is None:
        return template(import_type), table
    return template(mapping[0]), sources.mapped_table(import_type, table, municipality)


def import_file(data: bytes, filename: str, import_type: str, *, user: Any = None,
                municipality: str | None = None, dry_run: bool = False,
                valid_only: bool = False, progress: Progress | None = None,
                job: Any = None) -> ImportRun:
    """Import one file of a type (a template or a source format); returns the recorded run."""
    if import_type not in templates() and import_type not in sources.SOURCES:
        known = ", ".join([*templates(), *sources.SOURCES])
        raise ImportTypeError(f"unknown import type {import_type!r}; known: {known}")
    run = ImportRun.objects.create(
        user=user if getattr(user, "pk", None) else None, import_type=import_type,
        source=filename[:255], municipality_code=municipality or "", dry_run=dry_run,
        valid_only=valid_only, job=job, worker_pid=os.getpid())
    try:
        if import_type in sources.READERS:
            outcome = sources.READERS[import_type](
                data, filename, user=user, municipality=municipality, dry_run=dry_run,
                valid_only=valid_only, progress=progress, run=run)
        else:
            try:
                tpl, table = template_table(data, filename, import_type, municipality)
            except TableError as error:
                outcome = Outcome()
                outcome.add_problems([table_problem(str(error), filename)])
            else:
                outcome = import_table(tpl, table, user=user, municipality=municipality,
                                       dry_run=dry_run, valid_only=valid_only,
                                       progress=progress, run=run)
    except Exception as error:
        run.status = RunStatus.FAILED
        run.error = f"{type(error).__name__}: {error}"
        run.save()
        raise
    run.rows = outcome.rows
    run.counts = outcome.counts()
    run.problems = [p.as_dict() for p in outcome.problems]
    run.problem_count = outcome.problem_count
    run.rejected_rows = outcome.rejected_rows
    run.devices = outcome.devices
    if outcome.problem_count and not valid_only:
        run.status = RunStatus.REJECTED
    elif dry_run:
        run.status = RunStatus.PREVIEW
    elif outcome.problem_count:
        run.status = RunStatus.PARTIAL
    else:
        run.status = RunStatus.IMPORTED
    run.save()
    return run


def visible_runs(user: Any) -> Any:
    """Import runs a user may see: their own, and all for those who see everything."""
    if scoping.visible_ids(user) is None:
        return ImportRun.objects.all()
    return ImportRun.objects.filter(user=user)


def rejected_rows_csv(run: ImportRun) -> str:
    """The rejected rows as read, each with its problems, as CSV text."""
    header: list[str] = []
    for entry in run.rejected_rows:
        for name in entry.get("cells", {}):
            if name not in header:
                header.append(name)
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(["row", "problems", *header])
    for entry in run.rejected_rows:
        cells = entry.get("cells", {})
        writer.writerow([entry.get("row"), entry.get("problems", ""),
                         *(cells.get(name, "") for name in header)])
    if not run.rejected_rows:
        for problem in run.problems:
            writer.writerow([problem["row"], f"{problem['column']}: {problem['message']}"])
    return out.getvalue()


def problem_lines(run: ImportRun) -> Iterator[str]:
    """Every kept problem as `file, row N, column: message`."""
    for problem in run.problems:
        yield str(Problem(problem["file"], problem["row"], problem["column"],
                          problem["message"]))


# --- export ------------------------------------------------------------------------------------

def _natural(name: str, record: Any) -> str:
    """The natural key a reference cell holds for a related record."""
    if record is None:
        return ""
    if name == "municipality" or name == "function":
        return str(record.code)
    if name == "supplier":
        return str(record.name)
    if name == "contract":
        return str(record.title)
    if name in ("device", "server"):
        return str(record.serial or record.asset_tag or record.name)
    return str(record) if name == "product" else str(record.name)


def export_rows(tpl: Template, queryset: Any) -> tuple[list[str], Iterator[list[Any]]]:
    """A queryset as rows of the template: what an import of the same template reads back."""
    model = tpl.model
    refs = [f for f in tpl.fields if model._meta.get_field(f).is_relation]
    queryset = queryset.select_related(*refs)
    header = [c.name for c in tpl.columns] + list(tpl.export_only)

    def row_of(record: Any) -> list[Any]:
        row: list[Any] = []
        for name in tpl.fields:
            value = getattr(record, name)
            row.append(_natural(name, value) if name in refs else value)
        return row

    def rows() -> Iterator[list[Any]]:
        if not tpl.export_only:
            yield from map(row_of, queryset.iterator(chunk_size=2000))
            return
        records = queryset.iterator(chunk_size=2000)
        while chunk := list(itertools.islice(records, 2000)):
            extras = device_extras([r.pk for r in chunk])
            for record in chunk:
                yield row_of(record) + list(extras.get(record.pk, ("", None, "")))

    return header, rows()


def device_extras(ids: list[int]) -> dict[int, tuple[str, Any, str]]:
    """Per device: (its MACs kept for matching, when an agent last reported it, its source:
    "agent NAME VERSION", "import TYPE" of the run that created it, or "" by hand)."""
    macs: dict[int, list[str]] = {}
    for device_id, value in DeviceIdentifier.objects.filter(
            device_id__in=ids, kind="mac").order_by("value").values_list("device_id", "value"):
        macs.setdefault(device_id, []).append(value)
    seen = {s.device_id: s for s in DeviceSighting.objects.filter(device_id__in=ids)}
    created = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(inventory.Device), object_id__in=ids,
        action="create").values_list("object_id", "after")
    run_of = {pk: after.get("import_run") for pk, after in created
              if isinstance(after, dict) and after.get("import_run")}
    types = dict(ImportRun.objects.filter(pk__in=set(run_of.values()))
                 .values_list("pk", "import_type"))
    result = {}
    for pk in ids:
        sighting = seen.get(pk)
        if sighting is not None:
            source = f"agent {sighting.agent} {sighting.agent_version}".strip()
        else:
            run_id = run_of.get(pk)
            source = f"import {types[run_id]}" if run_id in types else ""
        result[pk] = (" ".join(macs.get(pk, [])), sighting.last_seen if sighting else None,
                      source)
    return result


def register_exporters() -> None:
    """Lists of the resources that have a template export in the template's columns."""
    for tpl in templates().values():
        if tpl.slug in ("computers", "servers", "network"):
            continue  # the device list exports as the `devices` template

        def exporter(queryset: Any, tpl: Template = tpl) -> tuple[list[str], Iterator[list[Any]]]:
            return export_rows(tpl, queryset)

        register_exporter(tpl.resource_slug, exporter)


def template_file(tpl: Template, file_format: str = "csv") -> bytes:
    """An empty template (the header, and one documentation row per column in XLSX)."""
    header = [c.name for c in tpl.columns]
    if file_format == "xlsx":
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(header, [], tpl.slug)))
        notes = workbook.create_sheet("columns")
        notes.append(["column", "required", "type", "meaning"])
        for line in _documentation(tpl):
            notes.append(list(line))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    return "".join(csv_lines(header, [])).encode("utf-8")


def _documentation(tpl: Template) -> list[tuple[str, str, str, str]]:
    from ictmerge.imports.templates import documentation

    return documentation(tpl)


#: Files larger than this are imported by a background job.
BACKGROUND_BYTES = 2 * 1024 * 1024


def start_import(data: bytes, filename: str, import_type: str, *, user: Any,
                 municipality: str | None, dry_run: bool, valid_only: bool) -> tuple[Any, Any]:
    """(run, None) for a file imported now, or (None, job) for a large one queued."""
    from django.conf import settings


    if import_type not in templates() and import_type not in sources.SOURCES:
        raise ImportTypeError(f"unknown import type {import_type!r}")
    if len(data) <= BACKGROUND_BYTES:
        return import_file(data, filename, import_type, user=user, municipality=municipality,
                           dry_run=dry_run, valid_only=valid_only), None
    import secrets
    from pathlib import Path

    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(12)}.upload"
    path.write_bytes(data)
    job = start_job("imports.run", f"Import {filename}", {
        "path": str(path), "filename": filename, "type": import_type,
        "municipality": municipality or "", "dry_run": dry_run, "valid_only": valid_only,
    }, user=user)
    return None, job
