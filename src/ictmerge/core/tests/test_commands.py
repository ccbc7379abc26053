"""What every command shares: failing with a message a user can read and grep."""

from __future__ import annotations

import pytest
import typer
from rich.console import Console

from ictmerge.core import commands


def test_it_fails_on_one_line_whatever_the_width(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """GIVEN a 40-column terminal and a long message with [brackets] WHEN a command fails THEN
    the message is one line, exactly as written, and the exit code is 1."""
    monkeypatch.setattr(commands, "err_console", Console(stderr=True, width=40, force_terminal=False))
    message = "/tmp/a/very/long/folder/name/for/a/file/[2026] inventory.csv: row 3, name: empty"
    with pytest.raises(typer.Exit) as stop:
        commands.fail(message)
    assert stop.value.exit_code == 1
    assert capsys.readouterr().err == f"error: {message}\n"
