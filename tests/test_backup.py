"""Backup and restore round trip: record counts and file checksums come back the same."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.backup import (
    BackupError,
    create_backup,
    database_counts,
    read_backup,
    restore_backup,
)
from ictmerge.core.testing.factories import make_record
from ictmerge.inventory.models import Device, Handover, Licence
from ictmerge.review.models import TakeoverAct

runner = CliRunner()


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_back_the_same_records_and_files(
    world: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_record(Device, world.former_a, kind="server", serial="SN-1")
    licence = make_record(Licence, world.former_a)
    licence.proof.save("invoice.pdf", ContentFile(b"%PDF-1.4 proof of purchase"))
    proof_sha = hashlib.sha256(Path(licence.proof.path).read_bytes()).hexdigest()
    before = database_counts()
    target = tmp_path / "backup.tar.gz"
    result = runner.invoke(app, ["backup", str(target)])
    assert result.exit_code == 0, result.output

    Device.objects.all().delete()
    Path(licence.proof.path).unlink()
    assert database_counts() != before

    refused = runner.invoke(app, ["restore", str(target)])
    assert refused.exit_code == 1 and "--yes" in refused.output
    result = runner.invoke(app, ["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert database_counts() == before
    restored = Licence.objects.get(pk=licence.pk)
    assert hashlib.sha256(Path(restored.proof.path).read_bytes()).hexdigest() == proof_sha
    assert Device.objects.get(serial="SN-1").municipality == world.former_a


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a tar file")
    with pytest.raises(BackupError, match="cannot be read"):
        read_backup(bad)


def _rebuild(source: Path, target: Path, extra: list[tarfile.TarInfo] | None = None,
             replace: dict[str, bytes] | None = None, bodies: dict[str, bytes] | None = None,
             unlisted: dict[str, bytes] | None = None) -> None:
    """Copy a backup with members replaced or added, the checksums of all but the unlisted
    ones in the manifest."""
    replace = dict(replace or {})
    bodies = dict(bodies or {})
    unlisted = dict(unlisted or {})
    with tarfile.open(source, "r:gz") as archive:
        contents = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}  # type: ignore[union-attr]
    contents.update(replace)
    manifest = json.loads(contents.pop("manifest.json"))
    for name, body in [*contents.items(), *bodies.items()]:
        manifest["checksums"][name] = hashlib.sha256(body).hexdigest()
    with tarfile.open(target, "w:gz") as archive:
        for name, body in [("manifest.json", json.dumps(manifest).encode()), *contents.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
        for info in extra or []:
            archive.addfile(info, io.BytesIO({**bodies, **unlisted}.get(info.name, b"")))


def _file(name: str, body: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = len(body)
    return info


def _link(name: str, kind: bytes, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


@pytest.fixture
def saved(world: Any, tmp_path: Path, settings: Any) -> tuple[Path, dict[str, int], Path]:
    """A backup of a database with a device and a proof, the counts and the proof's path."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_record(Device, world.former_a, kind="server", serial="SN-1")
    licence = make_record(Licence, world.former_a)
    licence.proof.save("invoice.pdf", ContentFile(b"%PDF-1.4 proof of purchase"))
    target = tmp_path / "backup.tar.gz"
    assert runner.invoke(app, ["backup", str(target)]).exit_code == 0
    return target, database_counts(), Path(licence.proof.path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("crafted", ["double slash", "dot dot", "symlink", "hard link",
                                     "device", "unlisted"])
def test_it_refuses_a_crafted_archive_naming_the_member_and_changes_nothing(
    saved: tuple[Path, dict[str, int], Path], tmp_path: Path, crafted: str
) -> None:
    """GIVEN a backup with a member that would land outside MEDIA_ROOT WHEN it is restored
    THEN it is refused naming the member, and the database and the files are as before."""
    source, before, proof = saved
    outside = tmp_path / "x" / "PWNED.txt"
    body = b"owned"
    members = {
        "double slash": (f"media/{outside}", _file(f"media/{outside}", body)),
        "dot dot": ("media/a/../../x/PWNED.txt", _file("media/a/../../x/PWNED.txt", body)),
        "symlink": ("media/link", _link("media/link", tarfile.SYMTYPE, str(outside.parent))),
        "hard link": ("media/hard", _link("media/hard", tarfile.LNKTYPE, str(outside))),
        "device": ("media/dev", _link("media/dev", tarfile.CHRTYPE)),
        "unlisted": ("media/unlisted.txt", _file("media/unlisted.txt", body)),
    }
    name, info = members[crafted]
    crafted_file = tmp_path / "crafted.tar.gz"
    # Each member but the unlisted one has its checksum in the manifest, as an attacker
    # would write it.
    listed = info.isfile() and crafted != "unlisted"
    _rebuild(source, crafted_file, extra=[info], bodies={name: body} if listed else {},
             unlisted={} if listed else {name: body})
    proof_body = proof.read_bytes()
    proof.write_bytes(b"changed since the backup")

    result = runner.invoke(app, ["restore", str(crafted_file), "--yes"])

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert repr(name) in "".join(result.output.split()), result.output  # rich wraps lines
    assert not outside.exists() and not outside.parent.exists()
    assert database_counts() == before
    assert proof.read_bytes() == b"changed since the backup" != proof_body


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fixture", ["not json", "unknown model", "bad value", "missing owner",
                                     "other counts"])
def test_it_refuses_a_bad_fixture_with_a_message_and_changes_nothing(
    saved: tuple[Path, dict[str, int], Path], tmp_path: Path, fixture: str
) -> None:
    """GIVEN a backup whose data.json is broken but has its checksum WHEN it is restored
    THEN an error names data.json (no traceback), and the database is as before."""
    source, before, _proof = saved
    with tarfile.open(source, "r:gz") as archive:
        rows = json.loads(archive.extractfile("data.json").read())  # type: ignore[union-attr]
    device = next(row for row in rows if row["model"] == "inventory.device")
    if fixture == "not json":
        data = b'[{"model": "inventory.device", '
    elif fixture == "unknown model":
        rows.append({"model": "nowhere.nothing", "pk": 1, "fields": {}})
        data = json.dumps(rows).encode()
    elif fixture == "bad value":
        device["fields"]["purchase_date"] = "not a date"
        data = json.dumps(rows).encode()
    elif fixture == "missing owner":  # parses, fails in the database: rolled back
        device["fields"]["municipality"] = 987654
        data = json.dumps(rows).encode()
    else:
        data = json.dumps([row for row in rows if row is not device]).encode()
    broken = tmp_path / "broken.tar.gz"
    _rebuild(source, broken, replace={"data.json": data})
    Device.objects.all().delete()
    after_delete = database_counts()

    result = runner.invoke(app, ["restore", str(broken), "--yes"])

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert "data.json" in result.output or "cannot be restored" in result.output
    assert database_counts() == after_delete != before
@pytest.mark.django_db(transaction=True)
def test_it_restores_a_backup_made_when_the_ledger_was_in_the_review_app(
    world: Any, tmp_path: Path, settings: Any
) -> None:
    """GIVEN a backup whose handovers are named review.handover (before the ledger moved to
    inventory) WHEN it is restored THEN the handovers come back."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    act = TakeoverAct.objects.create(former=world.former_a)
    Handover.objects.create(act=act, model="inventory.device", object_id=1,
                            from_municipality=world.former_a, to_municipality=world.north)
    current = create_backup(tmp_path / "current.tar.gz").path
    with tarfile.open(current, "r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        data = archive.extractfile("data.json").read()  # type: ignore[union-attr]
    data = data.replace(b'"inventory.handover"', b'"review.handover"')
    assert b'"review.handover"' in data
    manifest["checksums"]["data.json"] = hashlib.sha256(data).hexdigest()
    manifest["records"]["review.handover"] = manifest["records"].pop("inventory.handover")
    older = tmp_path / "older.tar.gz"
    with tarfile.open(older, "w:gz") as archive:
        for name, body in (("manifest.json", json.dumps(manifest).encode()),
                           ("data.json", data)):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    Handover.objects.all().delete()

    restore_backup(older)

    handover = Handover.objects.get()
    assert (handover.act_id, handover.from_municipality_id) == (act.pk, world.former_a.pk)


@pytest.mark.django_db(transaction=True)
def test_it_empties_the_page_and_report_caches_after_a_restore(
    world: Any, tmp_path: Path, settings: Any
) -> None:
    """GIVEN a backup and a page and report cache holding entries WHEN the backup is
    restored THEN both are empty (the version counters went back with the records, so a sum
    reached again could name pages of records the restore replaced)."""
    from django.core.cache import caches

    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_record(Device, world.former_a, kind="server")
    target = tmp_path / "backup.tar.gz"
    create_backup(target)
    for name in ("reports", "pages"):
        caches[name].set("an-entry", "cached before the restore")
    restore_backup(target)
    assert [caches[name].get("an-entry") for name in ("reports", "pages")] == [None, None]
