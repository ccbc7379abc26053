"""Self-assessment: fill, save, submit, compare with the country, repeat with both kept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.review.assessment import (
    area_comparison,
    history,
    save_answers,
    start_assessment,
    submit_assessment,
)
from ictmerge.review.models import SelfAssessment, SelfAssessmentAnswer
from ictmerge.review.questionnaire import QUESTIONS
from ictmerge.review.services import ReviewError, county_progress


def _answer_all(user: Any, assessment: SelfAssessment, level: int) -> None:
    assert save_answers(user, assessment, {q.code: (level, f"evidence {q.code}")
                                           for q in QUESTIONS}) == []


@pytest.mark.django_db
def test_it_is_filled_submitted_compared_and_repeated_with_both_kept(world: Any) -> None:
    lead, admin = world.users["lead"], world.users["admin"]
    south = start_assessment(admin, world.south)
    _answer_all(admin, south, 2)
    submit_assessment(admin, south)
    first = start_assessment(lead, world.north)
    _answer_all(lead, first, 4)
    with pytest.raises(ReviewError):
        submit_assessment(lead, start_assessment(lead, world.former_a))  # nothing answered
    submit_assessment(lead, first)
    first.refresh_from_db()
    assert first.scores["governance"] == 100.0
    governance = next(r for r in area_comparison(first) if r["area"] == "governance")
    assert governance["municipalities"] == 2
    assert governance["national_median"] == 75.0  # median of 100 and 50
    assert governance["best_quartile"] == 87.5
    assert "servers" in first.indicators
    with pytest.raises(ReviewError):
        save_answers(lead, first, {"gov_owner": (1, "")})  # submitted ones stay as they were
    second = start_assessment(lead, world.north)
    assert second.answers.count() == len(QUESTIONS)  # starts from the last submitted
    save_answers(lead, second, {"gov_owner": (0, "Lead left")})
    submit_assessment(lead, second)
    kept = history(world.north)
    assert len(kept) == 2
    assert kept[0]["scores"]["governance"] < kept[1]["scores"]["governance"]
    assert SelfAssessmentAnswer.objects.get(assessment=first, question="gov_owner").level == 4
    item = next(i for i in county_progress(world.north).items
                if i.item == "self_assessment_done")
    assert item.status == "done"


@pytest.mark.django_db
def test_bad_levels_are_named_and_nothing_is_saved(world: Any) -> None:
    assessment = start_assessment(world.users["lead"], world.north)
    problems = save_answers(world.users["lead"], assessment,
                            {"gov_owner": (3, ""), "sec_access": ("7", ""), "nope": (1, "")})
    assert any("sec_access" in p and "7" in p for p in problems)
    assert any("nope" in p for p in problems)
    assert assessment.answers.count() == 0


@pytest.mark.django_db
def test_the_page_fills_and_submits(world: Any) -> None:
    client = Client()
    client.force_login(world.users["lead"])
    response = client.post(reverse("self_assessment_start", args=[world.north.pk]))
    assessment = SelfAssessment.objects.get(municipality=world.north)
    assert response["Location"] == reverse("self_assessment", args=[assessment.pk])
    data = {f"level_{q.code}": "3" for q in QUESTIONS} | {"evidence_gov_owner": "Order 1",
                                                          "action": "submit"}
    assert client.post(response["Location"], data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.scores["costs"] == 75.0
    page = client.get(response["Location"]).content.decode()
    assert "Order 1" in page and "National median" in page
    client.force_login(world.users["outsider"])
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.django_db
def test_the_api_and_cli_fill_and_compare(world: Any) -> None:
    api = APIClient()
    api.force_authenticate(world.users["lead"])
    started = api.post(reverse("api_self_assessment_start"),
                       {"municipality": world.north.pk}, format="json")
    assert started.status_code == 201
    pk = started.json()["id"]
    bad = api.post(reverse("api_self_assessment", args=[pk]),
                   {"answers": {"gov_owner": {"level": 9}}}, format="json")
    assert bad.status_code == 400 and "gov_owner" in json.dumps(bad.json())
    answers = {q.code: {"level": 1, "evidence": "x"} for q in QUESTIONS}
    done = api.post(reverse("api_self_assessment", args=[pk]),
                    {"answers": answers, "submit": True}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert done.json()["scores"]["inventory"] == 25.0
    runner = CliRunner()
    result = runner.invoke(app, ["--as", "lead", "review", "assess", "start", "N",
                                 "--reform", "test-reform"])
    assert result.exit_code == 0, result.output
    second = int(result.output.strip().splitlines()[-1])
    result = runner.invoke(app, ["--as", "lead", "review", "assess", "answer", str(second),
                                 "gov_owner=4", "--submit"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["review", "assess", "show", str(second), "--json"])
    assert json.loads(shown.output)["scores"]["governance"] == 50.0
    history_api = api.get(reverse("api_self_assessment_history", args=[world.north.pk])).json()
    assert len(history_api["assessments"]) == 2
