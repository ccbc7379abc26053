"""No user (None) sees nothing in scoping; the CLI without --as acts as the system user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core import scoping
from ictmerge.core.history import history_for
from ictmerge.inventory.models import Device
from ictmerge.reforms.models import Municipality
from ictmerge.review.models import ChecklistEntry

pytestmark = pytest.mark.django_db


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_it_reads_none_as_nobody_everywhere_in_scoping(world: Any) -> None:
    """GIVEN no user WHEN scope is asked THEN nothing is visible or writable (no crash)."""
    assert scoping.scope(None) == (set(), set())
    assert scoping.visible_ids(None) == set() and scoping.writable_ids(None) == set()
    assert not scoping.can_write_anything(None)
    assert not scoping.may_change_reference(None)
    assert not scoping.may_change_municipality(None, world.former_a.pk)
    assert not scoping.may_change_municipality(None, None)
    Device.objects.create(municipality=world.former_a, name="pc-1", kind="desktop")
    assert scoping.restrict_queryset(Device.objects.all(), None).count() == 0
    assert scoping.restrict_queryset(Municipality.objects.all(), None).count() == 0
    assert scoping.restrict_related(Municipality.objects.all(), None, "view").count() == 0


def test_the_system_user_sees_and_changes_everything(world: Any) -> None:
    assert scoping.scope(scoping.SYSTEM_USER) == (None, None)
    assert scoping.may_change_municipality(scoping.SYSTEM_USER, world.former_c.pk)
    assert scoping.may_change_reference(scoping.SYSTEM_USER)


def test_a_command_without_as_acts_as_the_system_and_is_recorded_so(world: Any) -> None:
    """GIVEN no --as WHEN a checklist item is set from the CLI THEN it is written, recorded
    under "system"; with --as a steward of another municipality it is refused."""
    result = run("review", "set", "A", "software_register", "in_progress", "--evidence",
                 "Register of 2021-05-04", "--reform", "test-reform")
    assert result.exit_code == 0, result.output
    entry = ChecklistEntry.objects.get(municipality=world.former_a, item="software_register")
    change = history_for(entry).first()
    assert change.user_name == "system" and change.user is None
    refused = run("--as", "outsider", "review", "set", "A", "software_register", "done",
                  "--evidence", "x", "--reform", "test-reform")
    assert refused.exit_code != 0
    entry.refresh_from_db()
    assert entry.status == "in_progress"


def test_an_export_without_as_holds_every_municipality_and_with_as_only_its_scope(
        world: Any, tmp_path: Path) -> None:
    Device.objects.create(municipality=world.former_a, name="pc-a", kind="desktop")
    Device.objects.create(municipality=world.former_c, name="pc-c", kind="desktop")
    everything, own = tmp_path / "all.csv", tmp_path / "own.csv"
    result = run("export", "devices", "--output", str(everything))
    assert result.exit_code == 0, result.output
    assert "pc-a" in everything.read_text() and "pc-c" in everything.read_text()
    result = run("--as", "outsider", "export", "devices", "--output", str(own))
    assert result.exit_code == 0, result.output
    assert "pc-c" in own.read_text() and "pc-a" not in own.read_text()


def test_duplicates_list_without_as_sees_every_municipality(world: Any) -> None:
    Device.objects.create(municipality=world.former_a, name="pc-a", kind="desktop",
                          serial="SN-4711-XYZ")
    Device.objects.create(municipality=world.former_c, name="pc-c", kind="desktop",
                          serial="SN-4711-XYZ")
    result = run("duplicates", "list")
    assert result.exit_code == 0, result.output
    assert "pc-a" in result.output and "pc-c" in result.output
    scoped = run("--as", "outsider", "duplicates", "list")
    assert scoped.exit_code == 0 and "pc-a" not in scoped.output
