"""The commands: `ictmerge systems plan|security|decide|weights|checklist`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.systems import services
from ictmerge.systems.models import ChangeTask, SystemDecision

pytestmark = pytest.mark.django_db


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_plan_for_one_county_as_json_and_table(county: Any) -> None:
    """`systems plan --county N` gives the kept system per function."""
    result = run("systems", "plan", "--county", "N", "--reform", "test-reform", "--format",
                 "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["functions"][0]["chosen"] == services.system_key(county.horizon.pk)
    table = run("systems", "plan", "--county", "N", "--reform", "test-reform")
    assert table.exit_code == 0 and "finance" in table.output


def test_plan_for_all_counties(county: Any) -> None:
    """`systems plan --all --format json` lists every county with systems."""
    result = run("systems", "plan", "--all", "--reform", "test-reform", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [c["county"]["code"] for c in json.loads(result.output)["counties"]] == ["N"]


def test_bad_input_names_what_is_wrong(county: Any) -> None:
    """An unknown county, both or neither selector, an unknown rule set: exit 1 with a message."""
    unknown = run("systems", "plan", "--county", "ZZ", "--reform", "test-reform")
    assert unknown.exit_code == 1 and "ZZ" in unknown.output
    assert run("systems", "plan").exit_code == 1
    rules = run("systems", "security", "--county", "N", "--reform", "test-reform", "--rules",
                "iso")
    assert rules.exit_code == 1 and "iso" in rules.output


def test_security_decide_weights_and_checklist(county: Any) -> None:
    """The security table, a decision under --as, weights and the checklist."""
    security = run("systems", "security", "--county", "N", "--reform", "test-reform",
                   "--format", "json", "--rules", "lv")
    assert security.exit_code == 0 and json.loads(security.output)["functions"][0][
        "function"] == "finance"
    visvaris = services.system_key(county.visvaris.pk)
    refused = run("--as", "lead", "systems", "decide", "--county", "N", "--reform",
                  "test-reform", "--function", "finance", "--system", visvaris)
    assert refused.exit_code == 1 and "justification" in refused.output
    viewer = run("--as", "viewer", "systems", "decide", "--county", "N", "--reform",
                 "test-reform", "--function", "finance")
    assert viewer.exit_code == 1 and not SystemDecision.objects.exists()
    decided = run("--as", "lead", "systems", "decide", "--county", "N", "--reform",
                  "test-reform", "--function", "finance", "--system", visvaris,
                  "--justification", "Contract")
    assert decided.exit_code == 0 and "override" in decided.output
    weights = run("--as", "lead", "systems", "weights", "--county", "N", "--reform",
                  "test-reform", "--set", "hosting=0.3")
    assert weights.exit_code == 0 and "hosting = 0.3" in weights.output
    made = run("--as", "lead", "systems", "checklist", "--county", "N", "--reform",
               "test-reform")
    assert made.exit_code == 0, made.output
    assert ChangeTask.objects.filter(information_system=county.visvaris).exists()
