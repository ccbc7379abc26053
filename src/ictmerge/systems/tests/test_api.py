"""The REST endpoints: plan, security, decisions, weights, checklist, plan-all job."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from ictmerge.core.jobs import run_job
from ictmerge.core.models import Job
from ictmerge.systems import services
from ictmerge.systems.models import CriterionWeight, SystemDecision

pytestmark = pytest.mark.django_db


def api(world: Any, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[persona])
    return client


def test_the_plan_endpoint_answers_one_system_per_function(county: Any) -> None:
    """GIVEN North WHEN its plan is asked THEN JSON with the kept system, scores, TIME, cost."""
    response = api(county, "viewer").get(f"/api/systems/counties/{county.north.pk}/plan/")
    assert response.status_code == 200
    finance = response.json()["functions"][0]
    assert finance["chosen"] == services.system_key(county.horizon.pk)
    assert {t["label"] for t in finance["time"]} == {"invest", "eliminate"}
    assert finance["scores"]["sensitivity"]["checks"] > 0 and finance["cost"]["one_off_eur"] > 0
    assert api(county, "outsider").get(
        f"/api/systems/counties/{county.north.pk}/plan/").status_code == 404
    assert api(county, "viewer").get(
        f"/api/systems/counties/{county.north.pk}/plan/?method=vote").status_code == 400


def test_a_decision_through_the_api(county: Any) -> None:
    """An override without reason is 400 naming the field; with one, 201; a viewer gets 403."""
    url = f"/api/systems/counties/{county.north.pk}/decisions/"
    body = {"function": "finance", "system": services.system_key(county.visvaris.pk)}
    assert api(county, "viewer").post(url, body, format="json").status_code == 403
    refused = api(county, "lead").post(url, body, format="json")
    assert refused.status_code == 400 and "justification" in refused.json()
    saved = api(county, "lead").post(url, body | {"justification": "Kept contract"},
                                     format="json")
    assert saved.status_code == 201 and saved.json()["basis"] == "decided"
    assert SystemDecision.objects.get().justification == "Kept contract"
    unknown = api(county, "lead").post(url, {"function": "finance", "system": "is-0"},
                                       format="json")
    assert unknown.status_code == 400 and "is-0" in unknown.json()["detail"]


def test_weights_through_the_api(county: Any) -> None:
    """Weights are stored; an unknown criterion is 400 and stores nothing."""
    url = f"/api/systems/counties/{county.north.pk}/weights/"
    bad = api(county, "lead").put(url, {"weights": {"colour": 1}}, format="json")
    assert bad.status_code == 400 and "colour" in bad.json()["detail"]
    assert not CriterionWeight.objects.exists()
    good = api(county, "lead").put(url, {"weights": {"hosting": 0.2}}, format="json")
    assert good.status_code == 200 and good.json()["weights"]["hosting"] == 0.2


def test_security_and_checklist_through_the_api(county: Any) -> None:
    """The security answer names the rule set; the checklist is generated for the lead only."""
    security = api(county, "auditor").get(
        f"/api/systems/counties/{county.north.pk}/security/?rules=lv")
    assert security.status_code == 200 and security.json()["rule_set"]["code"] == "lv-442"
    assert api(county, "auditor").get(
        f"/api/systems/counties/{county.north.pk}/security/?rules=xx").status_code == 400
    url = f"/api/systems/counties/{county.north.pk}/checklist/"
    assert api(county, "auditor").post(url).status_code == 403
    made = api(county, "lead").post(url)
    assert made.status_code == 200 and made.json()["migrations_created"] == 1


def test_plan_all_runs_as_a_job(county: Any) -> None:
    """GIVEN an administrator asks for every county WHEN the job runs THEN it lists North's
    figures; a county lead or viewer may not (it would show every county)."""
    response = api(county, "admin").post("/api/systems/plan-all/", {}, format="json")
    assert response.status_code == 202
    job = run_job(response.json()["job"])
    assert job.status == "succeeded", job.error
    result = Job.objects.get(pk=job.pk).result
    assert result is not None
    counties = {c["county"]["code"]: c for c in result["counties"]}
    assert counties["N"]["information_systems_after"] == 1
    for persona in ("lead", "viewer"):
        assert api(county, persona).post("/api/systems/plan-all/", {},
                                         format="json").status_code == 403
