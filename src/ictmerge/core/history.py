"""The change history: every create, update and delete, with who, when, before and after."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from ictmerge.core.choices import ChangeAction

SYSTEM_USER_NAME = "system"

_current_actor: ContextVar[Any] = ContextVar("ictmerge_actor", default=None)


@contextlib.contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute every write inside the block to the user (CLI, jobs, requests)."""
    token = _current_actor.set(user)
    try:
        yield
    finally:
        _current_actor.reset(token)


_current_cause: ContextVar[dict[str, Any] | None] = ContextVar("ictmerge_cause", default=None)


@contextlib.contextmanager
def caused_by(**cause: Any) -> Iterator[None]:
    """Note in every change written inside the block what caused it (e.g. import_run=12).

    The note is added to the change's `after` values (to `before` for a delete), so the
    history shows it beside the fields it changed.
    """
    token = _current_cause.set(cause)
    try:
        yield
    finally:
        _current_cause.reset(token)


def current_cause() -> dict[str, Any]:
    """What the writes in progress are caused by ({} when nothing in particular)."""
    return dict(_current_cause.get() or {})


def set_actor(user: Any) -> None:
    """Attribute the rest of this process's writes to the user (the CLI's --as)."""
    _current_actor.set(user)


def current_actor() -> Any:
    """The user writes are attributed to, or None for the system."""
    return _current_actor.get()


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's stored values as JSON-safe data."""
    exclude = set(getattr(instance, "history_exclude", ()))
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        values[field.attname] = value
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def version_of(instance: models.Model) -> str:
    """A short fingerprint of the record's stored values, for optimistic locking."""
    import hashlib

    data = json.dumps(snapshot(instance), sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()[:20]


class StaleEdit(Exception):
    """The record changed since the editor loaded it; the edit is refused."""


class VersionRequired(Exception):
    """An edit came without the version it was made on; it is refused (it could overwrite
    another user's change unseen)."""


def check_version(model: type[models.Model], pk: Any, expected: str | None) -> None:
    """Refuse a write made on a stale version, or without one (call inside the write's
    transaction): VersionRequired without a version, StaleEdit when it changed since."""
    if not expected:
        raise VersionRequired(pk)
    current = model._base_manager.select_for_update().filter(pk=pk).first()
    if current is not None and version_of(current) != expected:
        raise StaleEdit(pk)


def last_change(instance: models.Model) -> Any:
    """The newest change record of a record, if any."""
    return history_for(instance).first()


def _change_record(instance: Any, action: str, before: Any, after: Any) -> Any:
    from ictmerge.core.models import ChangeRecord

    user = current_actor()
    is_real_user = user is not None and getattr(user, "pk", None) is not None
    cause = _current_cause.get()
    if cause:
        if after is not None:
            after = {**after, **cause}
        else:
            before = {**(before or {}), **cause}
    return ChangeRecord(
        user=user if is_real_user else None,
        user_name=user.get_username() if is_real_user else SYSTEM_USER_NAME,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        municipality_id=instance.scope_municipality_id(),
        before=before,
        after=after,
    )


def record_bulk(instances: Iterable[Any], action: str = ChangeAction.CREATE) -> int:
    """Record the history of records written in bulk (signals do not fire for those)."""
    from ictmerge.core.bulk import bulk_insert
    from ictmerge.core.models import ChangeRecord

    rows = []
    for instance in instances:
        data = snapshot(instance)
        before = data if action == ChangeAction.DELETE else None
        after = None if action == ChangeAction.DELETE else data
        rows.append(_change_record(instance, action, before, after))
    bulk_insert(ChangeRecord, rows)
    return len(rows)


def record_bulk_updates(changes: Iterable[tuple[Any, dict[str, Any]]]) -> int:
    """Record updates written in bulk (bulk_update): each record with its snapshot() before."""
    from ictmerge.core.models import ChangeRecord

    rows = [_change_record(instance, ChangeAction.UPDATE, before, snapshot(instance))
            for instance, before in changes]
    ChangeRecord.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _is_tracked(sender: Any) -> bool:
    from ictmerge.core.models import TrackedModel

    return isinstance(sender, type) and issubclass(sender, TrackedModel)


def _before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _is_tracked(sender):
        return
    previous = None
    if instance.pk is not None and not instance._state.adding:
        stored = sender._base_manager.filter(pk=instance.pk).first()
        previous = snapshot(stored) if stored is not None else None
    instance._history_before = previous


def _after_save(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _is_tracked(sender):
        return
    before = getattr(instance, "_history_before", None)
    after = snapshot(instance)
    if not created and before == after:
        return
    action = ChangeAction.CREATE if created else ChangeAction.UPDATE
    _change_record(instance, action, None if created else before, after).save()


def _after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not _is_tracked(sender):
        return
    _change_record(instance, ChangeAction.DELETE, snapshot(instance), None).save()


def connect_signals() -> None:
    """Connect the history to every tracked model's saves and deletes."""
    pre_save.connect(_before_save, dispatch_uid="ictmerge_history_pre_save")
    post_save.connect(_after_save, dispatch_uid="ictmerge_history_post_save")
    post_delete.connect(_after_delete, dispatch_uid="ictmerge_history_post_delete")


def history_for(instance: models.Model) -> Any:
    """The change records of one record, newest first."""
    from ictmerge.core.models import ChangeRecord

    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    return ChangeRecord.objects.filter(content_type=content_type, object_id=instance.pk)
