"""Backup and restore: the whole database and the uploaded proof documents, in one file.

A backup is a gzipped tar with `data.json` (Django's serialisation of every table but the
sessions), the files under MEDIA_ROOT, and `manifest.json` (record counts per model and a
SHA-256 of every member), so a restore can refuse a damaged file before touching anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

EXCLUDED = ["sessions"]
FORMAT_VERSION = 1
#: Models that moved to another app since an older backup was made: old label → new label.
MOVED_MODELS = {"review.handover": "inventory.handover"}


class BackupError(Exception):
    """A backup file is damaged or does not fit this system; nothing was changed."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds."""

    records: dict[str, int]
    files: int
    path: Path


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _counts(serialised: bytes) -> dict[str, int]:
    return dict(Counter(row["model"] for row in json.loads(serialised)))


def create_backup(target: Path) -> BackupSummary:
    """Write a backup of the database and the uploaded files to `target`."""
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "data.json"
        call_command("dumpdata", exclude=EXCLUDED, output=str(dump), verbosity=0)
        data = dump.read_bytes()
    media_root = Path(settings.MEDIA_ROOT)
    media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    checksums = {"data.json": _sha256(data)}
    for path in media:
        checksums[f"media/{path.relative_to(media_root)}"] = _sha256(path.read_bytes())
    records = _counts(data)
    manifest = {"format": FORMAT_VERSION, "records": records, "checksums": checksums}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz") as archive:
        _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
        _add(archive, "data.json", data)
        for path in media:
            archive.add(path, arcname=f"media/{path.relative_to(media_root)}")
    return BackupSummary(records=records, files=len(media), path=target)


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def member_path(root: Path, name: str) -> Path:
    """Where an archive member goes under root; BackupError unless a plain path inside it.

    Refuses what the tar `data` filter refuses (absolute names, `..`, leaving the target)
    and, beyond it, empty or `.` parts (`media//tmp/x` would become `/tmp/x` once the
    `media/` prefix is taken off) and backslashes.
    """
    parts = name.split("/")
    if not name or "\\" in name or any(part in ("", ".", "..") for part in parts):
        raise BackupError(f"unsafe path in the archive: {name!r}")
    target = (root / Path(*parts)).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BackupError(f"unsafe path in the archive: {name!r}")
    return target


def _check_member(member: tarfile.TarInfo, root: Path) -> None:
    """Refuse a member that is not a regular file or that the tar `data` filter refuses."""
    if not member.isfile():
        raise BackupError(f"not a regular file in the archive: {member.name!r}")
    try:
        tarfile.data_filter(member, str(root))
    except tarfile.FilterError as error:
        raise BackupError(f"unsafe member in the archive: {member.name!r} ({error})") from error
    member_path(root, member.name)


def read_backup(source: Path) -> tuple[dict[str, Any], bytes, dict[str, bytes]]:
    """The manifest, data and media of a backup, every member and the data checked.

    Each member must be a regular file at a plain path inside the archive, listed in the
    manifest with its checksum, and data.json must be a fixture that loads (record counts
    as the manifest says); otherwise BackupError names what is wrong.
    """
    scratch = Path(tempfile.gettempdir()) / "ictmerge-restore"
    try:
        with tarfile.open(source, "r:gz") as archive:
            contents = {}
            for member in archive.getmembers():
                _check_member(member, scratch)
                handle = archive.extractfile(member)
                contents[member.name] = handle.read() if handle else b""
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source}: cannot be read ({error})") from error
    except BackupError as error:
        raise BackupError(f"{source}: {error}") from error
    if "manifest.json" not in contents or "data.json" not in contents:
        raise BackupError(f"{source}: not an ictmerge backup (no manifest.json/data.json)")
    try:
        manifest = json.loads(contents.pop("manifest.json"))
        checksums = dict(manifest["checksums"])
        records = dict(manifest["records"])
    except (ValueError, TypeError, KeyError) as error:
        raise BackupError(f"{source}: manifest.json cannot be read ({error})") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{source}: backup format {manifest.get('format')} is not supported")
    for name in contents:
        if name not in checksums:
            raise BackupError(f"{source}: {name!r} is not in the manifest")
        if name != "data.json" and not name.startswith("media/"):
            raise BackupError(f"{source}: unexpected member in the archive: {name!r}")
    for name, checksum in checksums.items():
        if name not in contents or _sha256(contents[name]) != checksum:
            raise BackupError(f"{source}: {name} is missing or damaged (checksum differs)")
    # A backup made before a model moved to another app names it by its old label.
    data = _relabel_moved(contents.pop("data.json"))
    records = {MOVED_MODELS.get(name, name): count for name, count in records.items()}
    _check_fixture(source, data, records)
    media = {name.removeprefix("media/"): body for name, body in contents.items()}
    return manifest, data, media


def _check_fixture(source: Path, data: bytes, records: dict[str, int]) -> None:
    """Refuse a data.json that does not parse as a fixture or whose counts differ."""
    from django.core import serializers

    try:
        counts = _counts(data)
        for _record in serializers.deserialize("json", data):
            pass
    except Exception as error:  # a fixture fails in many ways; each is a damaged backup
        raise BackupError(f"{source}: data.json is not a valid backup of this system "
                          f"({type(error).__name__}: {error})") from error
    if counts != records:
        raise BackupError(f"{source}: data.json holds other records than the manifest lists")


def restore_backup(source: Path) -> BackupSummary:
    """Replace the database and the uploaded files with the backup's, all or nothing.

    The whole archive is checked first (read_backup); the files are written last inside
    the database transaction, so that a failure leaves the database as it was.
    """
    manifest, data, media = read_backup(source)
    media_root = Path(settings.MEDIA_ROOT)
    targets = {member_path(media_root, name): body for name, body in media.items()}
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "data.json"
        dump.write_bytes(data)
        try:
            with transaction.atomic():
                call_command("flush", interactive=False, inhibit_post_migrate=True,
                             verbosity=0)
                call_command("loaddata", str(dump), verbosity=0)
                for path, body in targets.items():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(body)
        except Exception as error:  # the transaction rolled back: nothing changed
            raise BackupError(f"{source}: cannot be restored, the database is as it was "
                              f"({type(error).__name__}: {error})") from error
    _forget_cached_pages()
    return BackupSummary(records=manifest["records"], files=len(media), path=source)


def _forget_cached_pages() -> None:
    """Empty this host's caches after a restore: the restored history's version counters
    (core.ScopeVersion) go back to the backup's, so a sum reached again after the restore
    could name figures and pages cached from the records before it."""
    from django.core.cache import caches

    for name in settings.CACHES:
        caches[name].clear()


def _relabel_moved(data: bytes) -> bytes:
    """The serialised records with the models that moved (MOVED_MODELS) under their new app."""
    if not any(f'"{old}"'.encode() in data for old in MOVED_MODELS):
        return data
    try:
        rows = json.loads(data)
        for row in rows:
            row["model"] = MOVED_MODELS.get(row["model"], row["model"])
    except (ValueError, TypeError, KeyError):
        return data  # not a fixture: _check_fixture says so
    return json.dumps(rows).encode()


def database_counts() -> dict[str, int]:
    """Records per model in the database now (as the manifest counts them)."""
    from django.apps import apps

    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in EXCLUDED or model._meta.proxy:
            continue
        number = model._base_manager.count()
        if number:
            counts[label] = number
    return counts
