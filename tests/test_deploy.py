"""The production set-up in deploy/: every command its systemd units run exists with the
options they give, and every variable of the example environment is one the settings read."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from ictmerge.cli import app

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
SETTINGS = Path(__file__).resolve().parents[1] / "src" / "ictmerge" / "settings"


def _ictmerge_commands() -> list[list[str]]:
    commands = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text().splitlines():
            if not line.startswith(("ExecStart=", "ExecStartPre=")):
                continue
            words = shlex.split(line.split("=", 1)[1].replace("$(date +%%Y-%%m-%%d)", "X"))
            words = shlex.split(words[2].removeprefix("exec ")) if words[0] == "/bin/sh" else words
            if words[0].endswith("/ictmerge"):
                commands.append(words[1:])
    return commands


def test_it_runs_only_commands_the_cli_has() -> None:
    """GIVEN the systemd units WHEN each ictmerge command line is asked for --help THEN it is
    known, with the options the unit gives (the web server, N workers, the migration, backups)."""
    commands = _ictmerge_commands()
    assert {c[0] for c in commands} == {"serve", "worker", "migrate", "backup"}
    for words in commands:
        if words[0] == "backup":  # its argument is a file; the command's help is enough
            words = words[:1]
        options = [w for w in words if w.startswith("--")]
        result = CliRunner().invoke(app, [*words, "--help"])
        assert result.exit_code == 0, (words, result.output)
        for option in options:
            assert option in result.output, (words, option)


def test_its_environment_names_only_variables_the_settings_read() -> None:
    """GIVEN deploy/ictmerge.env.example THEN each variable it sets is read by the settings."""
    text = "".join(p.read_text() for p in SETTINGS.glob("*.py"))
    names = re.findall(r"^([A-Z_]+)=", (DEPLOY / "ictmerge.env.example").read_text(), re.M)
    assert "DATABASE_URL" in names and len(names) >= 5
    for name in names:
        assert name == "DJANGO_SETTINGS_MODULE" or f'"{name}"' in text, name
