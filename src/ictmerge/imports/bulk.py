"""The database's own bulk path: COPY or executemany, and history rows written by SQL."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from ictmerge.core.choices import ChangeAction
from ictmerge.core.history import SYSTEM_USER_NAME, current_actor, current_cause
from ictmerge.core.models import ChangeRecord


def insert_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The concrete columns an INSERT of the model fills (all but the primary key)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def lock_and_mark(model: type[models.Model]) -> int:
    """Hold the table against other writers for the transaction; the highest id so far."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def adapters(fields: Sequence[models.Field[Any, Any]]) -> list[Any]:
    """Per column, a function that turns a Python value into what the driver stores."""
    result: list[Any] = []
    for field in fields:
        if connection.vendor == "sqlite" and isinstance(field, models.DateField) \
                and not isinstance(field, models.DateTimeField):
            result.append(_iso)
        else:
            result.append(None)
    return result


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def insert_columns(model: type[models.Model], names: Sequence[str],
                   columns: Sequence[Sequence[Any]], constants: Sequence[Any] = (),
                   memos: Sequence[dict[Any, Any]] | None = None) -> None:
    """Insert rows given a column at a time (`columns` fill the first names, `constants` the
    rest): COPY on PostgreSQL, executemany elsewhere. `memos` (one dict per column) keep the
    stored form of values from one call to the next."""
    if not columns or not columns[0]:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary COPY: the server stores the values without parsing text back.
            cursor.execute("SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                           "WHERE attrelid = %s::regclass AND attnum > 0",
                           [model._meta.db_table])
            types = dict(cursor.fetchall())
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN (FORMAT BINARY)") \
                    as copy:
                copy.set_types([types[name] for name in names])
                write = copy.write_row
                for row in zip(*columns, *map(itertools.repeat, constants), strict=False):
                    write(row)
        else:
            ready = [_sqlite_column(column, memos[i] if memos else {})
                     for i, column in enumerate(columns)]
            rows = zip(*ready, *map(itertools.repeat, constants), strict=False)
            marks = ", ".join(["%s"] * len(names))
            # The rows stream from an iterator: the DB-API takes any iterable, the stubs a
            # Sequence.
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                               rows)  # type: ignore[arg-type]


def _sqlite_column(column: Sequence[Any], texts: dict[Any, Any]) -> Sequence[Any]:
    """A column with dates and decimals as the text SQLite stores (what Django's adapters
    make of them), each distinct value converted once instead of a driver callback per cell."""
    sample = next((v for v in column if v is not None), None)
    if isinstance(sample, dt.date) and not isinstance(sample, dt.datetime):
        convert: Any = dt.date.isoformat
    elif isinstance(sample, Decimal):  # mostly distinct (prices): converted directly
        return [None if v is None else str(v) for v in column] if None in column \
            else list(map(str, column))
    else:
        return column
    if len(texts) > 100_000:
        texts.clear()  # bounded memory on columns of unique values
    texts[None] = None
    for value in set(column).difference(texts):
        texts[value] = convert(value)
    return list(map(texts.__getitem__, column))


def column_of(field: models.Field[Any, Any]) -> str:
    """A concrete field's column (the stubs allow None, for fields without one)."""
    assert field.column is not None, field
    return field.column


def _json_expression(model: type[models.Model], cause: dict[str, Any]) -> tuple[str, list[Any]]:
    """SQL building the same JSON as core.history.snapshot() from a row of the table, with
    the cause's keys in the same object (as history.py merges them), and its parameters."""
    exclude = set(getattr(model, "history_exclude", ()))
    postgres = connection.vendor == "postgresql"
    parts: dict[str, str] = {}
    for field in insert_fields(model):
        if field.name in exclude:
            continue
        column = "t." + connection.ops.quote_name(column_of(field))
        if isinstance(field, models.BooleanField):
            value = column if postgres else \
                (f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN json('true') "
                 f"ELSE json('false') END")
        elif isinstance(field, models.DecimalField):
            value = f"{column}::text" if postgres else (
                f"CASE WHEN {column} IS NULL THEN NULL "
                f"ELSE printf('%%.{field.decimal_places}f', {column}) END")  # %% as params follow
        else:
            value = column
        parts[field.attname] = value
    params: list[Any] = []
    for key in cause:
        if not key.isidentifier():
            raise ValueError(f"a cause key must be a plain name, not {key!r}")
        parts[key] = "%s"
    params = [cause[key] for key in parts if key in cause]
    function = "jsonb_build_object" if postgres else "json_object"
    pairs = ", ".join(f"'{key}', {value}" for key, value in parts.items())
    return f"{function}({pairs})", params


def record_created(model: type[models.Model], after_id: int, repr_sql: str,
                   scope_column: str | None = "municipality_id") -> int:
    """Write the history of every row of the table with an id above `after_id`, in one statement."""
    user = current_actor()
    is_real_user = user is not None and getattr(user, "pk", None) is not None
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    json_sql, params = _json_expression(model, current_cause())
    meta = ChangeRecord._meta
    column = {f.name: connection.ops.quote_name(column_of(f)) for f in meta.concrete_fields}
    table = connection.ops.quote_name(model._meta.db_table)
    scope = f"t.{connection.ops.quote_name(scope_column)}" if scope_column else "NULL"
    time_param = timezone.now() if connection.vendor == "postgresql" else \
        connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} "
        f"({column['time']}, {column['user']}, {column['user_name']}, {column['action']}, "
        f"{column['content_type']}, {column['object_id']}, {column['object_repr']}, "
        f"{column['municipality_id']}, {column['before']}, {column['after']}) "
        f"SELECT %s, %s, %s, %s, %s, t.id, substr({repr_sql}, 1, 200), {scope}, NULL, {json_sql} "
        f"FROM {table} t WHERE t.id > %s"
    )
    # The cause's parameters sit inside the JSON expression, before the id bound.
    all_params = [time_param, user.pk if is_real_user else None,
                  user.get_username() if is_real_user else SYSTEM_USER_NAME,
                  str(ChangeAction.CREATE), content_type.pk, *params, after_id]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The JSON comes from json_object(), valid by construction: SQLite need not parse
            # it again for the JSONField's CHECK (JSON_VALID(...)) on every row.
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                cursor.execute(sql, all_params)
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
        else:
            cursor.execute(sql, all_params)
        return int(cursor.rowcount)
