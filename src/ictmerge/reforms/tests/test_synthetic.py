"""`ictmerge reform generate`: a synthetic reform of any size, which `demo load` then fills."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.inventory.demo import load_demo
from ictmerge.inventory.models import Device
from ictmerge.reforms.models import Municipality, Reform, Succession

runner = CliRunner()


@pytest.mark.django_db
def test_it_generates_a_reform_with_splits_that_the_demo_fills() -> None:
    """GIVEN `reform generate` of 60 former into 8 new municipalities with a 10 % split rate
    WHEN the demo is loaded into it THEN the reform has 60 and 8 municipalities, 6 split
    formers, and every new municipality's predecessors have devices."""
    result = runner.invoke(app, ["reform", "generate", "synth", "--formers", "60", "--new", "8",
                                 "--seed", "2", "--split-rate", "0.1"])
    assert result.exit_code == 0, result.output
    reform = Reform.objects.get(code="synth")
    assert reform.municipalities.filter(stage="former").count() == 60
    assert reform.municipalities.filter(stage="new").count() == 8
    successions = Succession.objects.filter(reform=reform)
    assert successions.count() == 66 and successions.filter(share__lt=1).count() == 12
    loaded = load_demo("synth", seed=1)
    assert loaded.municipalities == 60 and loaded.counts["device"] > 0
    for new in Municipality.objects.filter(reform=reform, stage="new"):
        formers = Succession.objects.filter(new=new).values("former_id")
        assert Municipality.objects.get(pk=new.pk).population
        assert Device.objects.filter(municipality_id__in=formers).exists(), new.code


@pytest.mark.django_db
def test_it_refuses_a_taken_code_and_an_impossible_size() -> None:
    """GIVEN a generated reform WHEN its code is generated again, or 3 into 5 THEN it refuses."""
    assert runner.invoke(app, ["reform", "generate", "synth", "--formers", "4", "--new", "2"]).exit_code == 0
    again = runner.invoke(app, ["reform", "generate", "synth", "--formers", "4", "--new", "2"])
    assert again.exit_code == 1 and "already loaded" in again.output
    impossible = runner.invoke(app, ["reform", "generate", "other", "--formers", "3", "--new", "5"])
    assert impossible.exit_code == 1 and "at least as many" in impossible.output
    assert not Reform.objects.filter(code="other").exists()
