"""Backup and restore round trip: record counts and file checksums come back the same."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.backup import BackupError, database_counts, read_backup
from ictmerge.core.testing.factories import make_record
from ictmerge.inventory.models import Device, Licence

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
