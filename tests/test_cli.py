"""The `ictmerge` command line."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.models import Membership
from ictmerge.core.testing.personas import World
from ictmerge.reforms.models import Municipality, Reform

runner = CliRunner()


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "migrate", "worker", "user", "reform"):
        assert command in result.output


@pytest.mark.django_db
def test_user_create_gives_a_role_over_a_municipality(world: World) -> None:
    result = runner.invoke(app, ["user", "create", "anna", "--role", "county_lead",
                                 "--municipality", "N", "--password", "pw-123456"])
    assert result.exit_code == 0, result.output
    membership = Membership.objects.get(user__username="anna")
    assert membership.municipality == world.north


@pytest.mark.django_db
def test_user_create_refuses_an_unknown_municipality(world: World) -> None:
    result = runner.invoke(app, ["user", "create", "bert", "--role", "steward",
                                 "--municipality", "NOPE"])
    assert result.exit_code == 1
    assert "NOPE" in result.output


@pytest.mark.django_db
def test_reform_load_and_the_as_option_record_the_user(world: World) -> None:
    result = runner.invoke(app, ["--as", "admin", "reform", "load", "lv-2021"])
    assert result.exit_code == 0, result.output
    reform = Reform.objects.get(code="lv-2021")
    assert reform.municipalities.filter(stage="former").count() == 119
    assert reform.municipalities.filter(stage="new").count() == 42
    from ictmerge.core.history import history_for

    assert history_for(reform).first().user_name == "admin"
    again = runner.invoke(app, ["reform", "load", "lv-2021", "--if-missing"])
    assert again.exit_code == 0


@pytest.mark.django_db
def test_reform_import_lists_every_problem_and_writes_nothing(tmp_path, world: World) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "former_code,former_name,new_code,new_name,share\n"
        "A1,Alpha,N1,North,1\n"
        "B1,Beta,,,1\n"
        "C1,Gamma,N1,North,0.5\n"
        "C1,Gamma,N2,South,0.4\n"
        "A1,Another,N2,South,1\n",
        encoding="utf-8",
    )
    count = Municipality.objects.count()
    result = runner.invoke(app, ["reform", "import", str(path), "--code", "bad", "--name", "Bad",
                                 "--country", "XX", "--effective-date", "2021-07-01"])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "row 3, new_code: former municipality B1 (Beta) has no successor" in output
    assert "shares of C1 sum to 0.9" in output
    assert "code A1 is used for 'Another'" in output
    assert Municipality.objects.count() == count
    assert not Reform.objects.filter(code="bad").exists()


@pytest.mark.django_db
def test_reform_import_of_a_good_file(tmp_path, world: World) -> None:
    path = tmp_path / "ee.csv"
    path.write_text(
        "former_code,former_name,new_code,new_name,part,share\n"
        "0001,Vald Üks,1000,Uus vald,whole,1\n"
        "0002,Vald Kaks,1000,Uus vald,osa 1,0.6\n"
        "0002,Vald Kaks,2000,Teine vald,osa 2,0.4\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["reform", "import", str(path), "--code", "ee-test", "--name",
                                 "Haldusreform", "--country", "ee", "--effective-date",
                                 "2017-10-15"])
    assert result.exit_code == 0, result.output
    reform = Reform.objects.get(code="ee-test")
    assert reform.country == "EE"
    assert reform.successions.count() == 3


#: Asks the settings that `ictmerge serve` hands to gunicorn for a 404 and a large anonymous
#: POST, and prints what a visitor would see.
_VISITOR = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
missing = client.get("/no-such-page/")
token = client.post("/api/token/", data=b"x" * (51 * 2**20), content_type="application/json")
print(json.dumps({"debug": settings.DEBUG, "missing": missing.content.decode(errors="replace"),
                  "token": token.content.decode(errors="replace")}))
"""


@pytest.mark.parametrize("debug_in_environment", [None, "true"])
def test_it_serves_without_debug_pages_unless_asked_with_dev(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, debug_in_environment: str | None
) -> None:
    """GIVEN the default settings WHEN `ictmerge serve` starts gunicorn THEN a 404 lists no
    URL patterns and a large anonymous POST shows no debug page; --dev turns DEBUG on."""
    import json
    import os
    import subprocess
    import sys

    started: list[dict[str, str]] = []

    def exec_gunicorn(file: str, args: list[str], env: dict[str, str]) -> None:
        started.append(env)

    monkeypatch.setattr(os, "execvpe", exec_gunicorn)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "ictmerge.settings.dev")
    if debug_in_environment is None:
        monkeypatch.delenv("DEBUG", raising=False)
    else:
        monkeypatch.setenv("DEBUG", debug_in_environment)
    assert runner.invoke(app, ["serve", "--port", "0"]).exit_code == 0
    assert runner.invoke(app, ["serve", "--port", "0", "--dev"]).exit_code == 0
    served, developed = started
    assert developed["DEBUG"] == "true"

    answer = subprocess.run(  # nosec B603 # this Python, a fixed script
        [sys.executable, "-c", _VISITOR], capture_output=True, text=True, check=True,
        env={**served, "ICTMERGE_DATA_DIR": str(tmp_path)})
    seen = json.loads(answer.stdout.splitlines()[-1])
    assert seen["debug"] is False
    assert "URLconf" not in seen["missing"] and "api/token/" not in seen["missing"]
    assert "Traceback" not in seen["token"] and "DEBUG = True" not in seen["token"]
