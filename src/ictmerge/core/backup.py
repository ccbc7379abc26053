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


def read_backup(source: Path) -> tuple[dict[str, Any], bytes, dict[str, bytes]]:
    """The manifest, data and media of a backup, checked against the manifest."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            members = {m.name: m for m in archive.getmembers() if m.isfile()}
            if "manifest.json" not in members or "data.json" not in members:
                raise BackupError(f"{source}: not an ictmerge backup (no manifest.json/data.json)")
            contents = {}
            for name, member in members.items():
                if name.startswith("/") or ".." in Path(name).parts:
                    raise BackupError(f"{source}: unsafe path in the archive: {name}")
                handle = archive.extractfile(member)
                contents[name] = handle.read() if handle else b""
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source}: cannot be read ({error})") from error
    manifest = json.loads(contents.pop("manifest.json"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{source}: backup format {manifest.get('format')} is not supported")
    for name, checksum in manifest["checksums"].items():
        if name not in contents or _sha256(contents[name]) != checksum:
            raise BackupError(f"{source}: {name} is missing or damaged (checksum differs)")
    data = contents.pop("data.json")
    media = {name.removeprefix("media/"): body for name, body in contents.items()}
    return manifest, data, media


def restore_backup(source: Path) -> BackupSummary:
    """Replace the database and the uploaded files with the backup's, all or nothing."""
    manifest, data, media = read_backup(source)
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "data.json"
        dump.write_bytes(data)
        with transaction.atomic():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(dump), verbosity=0)
    media_root = Path(settings.MEDIA_ROOT)
    for name, body in media.items():
        path = media_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    return BackupSummary(records=manifest["records"], files=len(media), path=source)


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
