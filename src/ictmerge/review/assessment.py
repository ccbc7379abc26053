"""The self-assessment: answers with evidence, scores per area, indicators, national comparison.

A submitted self-assessment keeps its answers, scores and indicators as they were that
day; a later one is a new record, so that the history shows how the municipality moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ictmerge.core import scoping
from ictmerge.core.history import acting_as
from ictmerge.inventory.figures import county_figures, former_figures
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.counties import county_members
from ictmerge.reforms.models import Municipality, Reform
from ictmerge.review import scoring
from ictmerge.review.choices import Area, AssessmentStatus, Maturity
from ictmerge.review.models import SelfAssessment, SelfAssessmentAnswer
from ictmerge.review.payloads import (
    AreaComparison,
    AssessmentPayload,
    AssessmentSummary,
    CountyIndicators,
    IndicatorRow,
)
from ictmerge.review.questionnaire import BY_CODE, QUESTIONS
from ictmerge.review.services import ReviewError


@dataclass(frozen=True)
class Indicator:
    """A before/after indicator; ratios are compared with the country, counts are not."""

    key: str
    label: Any
    higher_is_better: bool | None  # None: a count, not compared across municipalities


INDICATORS: tuple[Indicator, ...] = (
    Indicator("computers", gettext_lazy("Computers"), None),
    Indicator("servers", gettext_lazy("Servers"), None),
    Indicator("server_rooms", gettext_lazy("Server rooms"), None),
    Indicator("information_systems", gettext_lazy("Information systems"), None),
    Indicator("software_products", gettext_lazy("Programs (software products)"), None),
    Indicator("ict_spend_eur", gettext_lazy("ICT spend, EUR a year"), None),
    Indicator("ict_staff_fte", gettext_lazy("ICT support staff, FTE"), None),
    Indicator("share_pct", gettext_lazy("ICT spend, per cent of total expenditure"), False),
    Indicator("spend_per_computer_eur", gettext_lazy("ICT spend per computer (user), EUR"),
              False),
    Indicator("servers_per_100_computers", gettext_lazy("Servers per 100 computers"), False),
    Indicator("computers_per_ict_fte", gettext_lazy("Computers per ICT FTE"), True),
)

#: Figures a plan may give for "after" (through core.providers.AFTER_PROVIDERS).
AFTER_KEYS = {"servers": "servers_after", "server_rooms": "server_rooms_after",
              "information_systems": "information_systems_after",
              "software_products": "software_products_after",
              "ict_spend_eur": "ict_spend_eur_after", "ict_staff_fte": "ict_staff_fte_after"}


def _ratios(values: dict[str, Any]) -> dict[str, Any]:
    computers, spend = values.get("computers"), values.get("ict_spend_eur")
    staff, servers = values.get("ict_staff_fte"), values.get("servers")
    values["spend_per_computer_eur"] = round(spend / computers, 1) \
        if spend is not None and computers else None
    values["servers_per_100_computers"] = round(100 * servers / computers, 2) \
        if servers is not None and computers else None
    values["computers_per_ict_fte"] = round(computers / staff, 1) \
        if computers and staff else None
    return values


def national_indicators(reform: Reform) -> dict[int, CountyIndicators]:
    """Per new municipality id, the indicators before and after (None until planned)."""
    formers = former_figures(reform)
    members = county_members(reform)
    result: dict[int, CountyIndicators] = {}
    for county in county_figures(reform, formers):
        staff = [fte for i in members.get(county.id, set())
                 if i in formers and (fte := formers[i].ict_staff_fte) is not None]
        before = _ratios({
            "computers": county.computers, "servers": county.servers,
            "server_rooms": county.server_rooms,
            "information_systems": county.information_systems,
            "software_products": county.software_products,
            "ict_spend_eur": float(county.ict_spend_eur) if county.ict_spend_eur is not None
            else None,
            "ict_staff_fte": float(sum(staff, Decimal(0))) if staff else None,
            "share_pct": float(county.share_pct) if county.share_pct is not None else None,
        })
        after: dict[str, Any] = {key: county.after.get(source)
                                 for key, source in AFTER_KEYS.items()}
        after["computers"] = county.computers  # the same computers serve the new municipality
        after = _ratios(after)
        spend_after, expenditure = after.get("ict_spend_eur"), county.total_expenditure_eur
        after["share_pct"] = round(100 * float(spend_after) / float(expenditure), 3) \
            if spend_after is not None and expenditure else None
        result[county.id] = {"before": before, "after": after}
    return result


def indicator_comparison(county: Municipality) -> list[IndicatorRow]:
    """The county's indicators before and after, beside the national median and best quartile."""
    everyone = national_indicators(county.reform)
    own: CountyIndicators = everyone.get(county.pk, {"before": {}, "after": {}})
    rows: list[IndicatorRow] = []
    for indicator in INDICATORS:
        row: IndicatorRow = {
            "key": indicator.key, "label": str(indicator.label),
            "before": own["before"].get(indicator.key), "after": own["after"].get(indicator.key),
            "higher_is_better": indicator.higher_is_better,
            "national_median": None, "best_quartile": None, "in_best_quartile": None}
        if indicator.higher_is_better is not None:
            values = [value for v in everyone.values()
                      if (value := v["before"].get(indicator.key)) is not None]
            row["national_median"] = _round(scoring.median(values))
            best = scoring.best_quartile(values, indicator.higher_is_better)
            row["best_quartile"] = _round(best)
            if row["before"] is not None and best is not None:
                row["in_best_quartile"] = (row["before"] >= best if indicator.higher_is_better
                                           else row["before"] <= best)
        rows.append(row)
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- Answers, submission and history -----------------------------------------------------


def _check_writable(user: Any, municipality: Municipality) -> None:
    if not scoping.may_change_municipality(user, municipality.pk):
        raise ReviewError(_("You may not assess %(name)s.") % {"name": municipality.name})


@transaction.atomic
def start_assessment(user: Any, municipality: Municipality) -> SelfAssessment:
    """A new draft, answered as the last submitted one was (so a repeat starts from there)."""
    _check_writable(user, municipality)
    previous = latest_submitted(municipality)
    with acting_as(user):
        assessment = SelfAssessment.objects.create(municipality=municipality)
        if previous is not None:
            for answer in previous.answers.all():
                SelfAssessmentAnswer.objects.create(assessment=assessment,
                                                    question=answer.question,
                                                    level=answer.level, evidence=answer.evidence)
    return assessment


@transaction.atomic
def save_answers(user: Any, assessment: SelfAssessment,
                 answers: dict[str, tuple[Any, str]]) -> list[str]:
    """Store the answers (question code → (level, evidence)); all or nothing.

    Returns the problems found, each naming the question; nothing is saved when there is one.
    """
    _check_writable(user, assessment.municipality)
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise ReviewError(_("This self-assessment is submitted and kept as it is; "
                            "start a new one."))
    problems = []
    cleaned: dict[str, tuple[int, str]] = {}
    for code, (level, evidence) in answers.items():
        if code not in BY_CODE:
            problems.append(_("%(code)s: no such question") % {"code": code})
            continue
        if level in (None, ""):
            continue
        try:
            number = int(level)
        except (TypeError, ValueError):
            number = -1
        if number not in Maturity.values:
            problems.append(_("%(code)s, level: choose 0 to 4, not “%(level)s”")
                            % {"code": code, "level": level})
            continue
        cleaned[code] = (number, (evidence or "").strip())
    if problems:
        return problems
    existing = {a.question: a for a in assessment.answers.all()}
    with acting_as(user):
        for code, (level, evidence) in cleaned.items():
            answer = existing.get(code) or SelfAssessmentAnswer(assessment=assessment,
                                                                question=code)
            if answer.pk and answer.level == level and answer.evidence == evidence:
                continue
            answer.level, answer.evidence = level, evidence
            answer.save()
    return []


def scores_of(assessment: SelfAssessment) -> dict[str, float]:
    """Score per area (0-100) from the answers given."""
    levels = {a.question: a.level for a in assessment.answers.all()}
    return scoring.area_scores(levels, {q.code: q.area for q in QUESTIONS})


@transaction.atomic
def submit_assessment(user: Any, assessment: SelfAssessment) -> SelfAssessment:
    """Freeze a complete self-assessment with its scores and the day's indicators."""
    _check_writable(user, assessment.municipality)
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise ReviewError(_("This self-assessment is already submitted."))
    answered = set(assessment.answers.values_list("question", flat=True))
    missing = [q.code for q in QUESTIONS if q.code not in answered]
    if missing:
        raise ReviewError(_("Answer every question before submitting; missing: %(codes)s")
                          % {"codes": ", ".join(missing)})
    assessment.scores = scores_of(assessment)
    if assessment.municipality.stage == Stage.NEW:
        assessment.indicators = {r["key"]: {"before": r["before"], "after": r["after"]}
                                 for r in indicator_comparison(assessment.municipality)}
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    try:
        assessment.full_clean()
    except ValidationError as error:
        raise ReviewError(str(error)) from error
    with acting_as(user):
        assessment.save()
    return assessment


def latest_submitted(municipality: Municipality) -> SelfAssessment | None:
    """The municipality's most recent submitted self-assessment."""
    return (SelfAssessment.objects.filter(municipality=municipality,
                                          status=AssessmentStatus.SUBMITTED)
            .order_by("-assessed_on", "-submitted_at", "-pk").first())


def area_comparison(assessment: SelfAssessment) -> list[AreaComparison]:
    """Per area, this assessment's score beside the national median and best quartile.

    The country is every new municipality's latest submitted self-assessment in the reform.
    """
    own = assessment.scores or scores_of(assessment)
    latest: dict[int, SelfAssessment] = {}
    for other in (SelfAssessment.objects.filter(
            municipality__reform_id=assessment.municipality.reform_id,
            municipality__stage=assessment.municipality.stage,
            status=AssessmentStatus.SUBMITTED)
            .order_by("municipality_id", "-assessed_on", "-submitted_at", "-pk")):
        latest.setdefault(other.municipality_id, other)
    rows: list[AreaComparison] = []
    for value, label in Area.choices:
        scores = [a.scores[value] for a in latest.values() if value in a.scores]
        rows.append({"area": value, "label": str(label), "score": own.get(value),
                     "national_median": _round(scoring.median(scores)),
                     "best_quartile": _round(scoring.best_quartile(scores)),
                     "municipalities": len(scores)})
    return rows


def history(municipality: Municipality) -> list[AssessmentSummary]:
    """Every self-assessment of the municipality, newest first, with its scores."""
    return [{"id": a.pk, "assessed_on": a.assessed_on.isoformat(), "status": a.status,
             "scores": a.scores or scores_of(a),
             "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None}
            for a in SelfAssessment.objects.filter(municipality=municipality)
            .order_by("-assessed_on", "-pk").prefetch_related("answers")]


def assessment_json(assessment: SelfAssessment) -> AssessmentPayload:
    """A self-assessment with its answers, scores and comparisons (the API's answer)."""
    answers = {a.question: a for a in assessment.answers.all()}
    return {
        "id": assessment.pk, "municipality": assessment.municipality.code,
        "assessed_on": assessment.assessed_on.isoformat(), "status": assessment.status,
        "answers": [{"question": q.code, "area": q.area, "text": str(q.text),
                     "level": answers[q.code].level if q.code in answers else None,
                     "evidence": answers[q.code].evidence if q.code in answers else ""}
                    for q in QUESTIONS],
        "scores": assessment.scores or scores_of(assessment),
        "areas": area_comparison(assessment),
        "indicators": assessment.indicators or None,
    }
