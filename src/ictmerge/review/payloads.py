"""The JSON the review API and CLI answer, typed: progress, takeover acts, self-assessments.

The REST schema is generated from these (ictmerge.core.api.typed), so it names every field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NotRequired, TypedDict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- progress -----------------------------------------------------------------------------


class ProgressItem(TypedDict):
    """A checklist item with its status and how it is known."""

    item: str
    label: str
    phase: str
    computed: bool
    percent: float | None
    status: str
    basis: str
    evidence: str
    note: str
    links: list[str]


class CountyProgressPayload(TypedDict):
    """One new municipality's checklist with progress per phase (percent by phase)."""

    code: str
    name: str
    overall_percent: float | None
    phases: dict[str, float | None]
    laggard: bool
    items: list[ProgressItem]


class NationalProgress(TypedDict):
    """Every new municipality's phase progress, the national medians and the laggards."""

    reform: str
    median_overall_percent: float | None
    median_phase_percent: dict[str, float | None]
    laggards: list[str]
    counties: list[CountyProgressPayload]


class ChecklistEntrySet(TypedDict):
    """The checklist entry set by hand."""

    id: int
    municipality: str
    item: str
    status: str


# --- takeover acts ------------------------------------------------------------------------


class ActApproval(TypedDict):
    """A successor's approval of the act."""

    new_id: int
    new: str
    user: str
    at: str


class ReviewEntry(TypedDict):
    """A record of a split act that no rule divides: a person assigns it to a successor."""

    model: str
    id: int
    record: str
    reason: str


class ActResource(TypedDict):
    """A kind of record the act hands over, counted."""

    key: str
    label: str
    count: int


class ActProblem(TypedDict):
    """Something missing from the act, counted."""

    key: str
    problem: str
    count: int


class ActResourceCount(TypedDict):
    """A kind of record the act hands over (its label lazy, in the reader's language)."""

    key: str
    label: StrOrPromise
    count: int


class ActContents(TypedDict):
    """The resources an act hands over, counted, what is missing, and the lists it names."""

    resources: list[ActResourceCount]
    missing: list[ActProblem]
    handed_over: int
    data: list[str]
    documents: list[str]


class TakeoverActPayload(TypedDict):
    """A former municipality's takeover act: resources handed over and what is missing."""

    id: int | None
    former: str
    status: str
    approvals: list[ActApproval]
    approved_at: str | None
    transferred_at: str | None
    handed_over_by: str
    resources: list[ActResource]
    missing: list[ActProblem]
    handed_over: int
    data: list[str]
    documents: list[str]
    review_list: list[ReviewEntry]


class DueHandoverPayload(TypedDict):
    """A former municipality whose records pass on its reform date, and what moved (counts by
    model)."""

    reform: str
    former: str
    name: str
    act_status: str
    successors: list[str]
    moved: dict[str, int]
    to_review: int


class HandoverDue(TypedDict):
    """What passes (dry_run) or that nothing is due."""

    date: str
    dry_run: bool
    #: Given when nothing is due (0).
    due: NotRequired[int]
    handovers: list[DueHandoverPayload]


class HandoverStarted(TypedDict):
    """The handover job started for the formers due."""

    date: str
    dry_run: bool
    due: int
    job: int
    url: str


# --- self-assessments ---------------------------------------------------------------------


class AnswerRow(TypedDict):
    """A question and its answer."""

    question: str
    area: str
    text: str
    level: int | None
    evidence: str


class AreaComparison(TypedDict):
    """An area's score beside the national median and best quartile."""

    area: str
    label: str
    score: float | None
    national_median: float | None
    best_quartile: float | None
    municipalities: int


class IndicatorValues(TypedDict):
    """An indicator before and after the reform."""

    before: float | None
    after: float | None


class CountyIndicators(TypedDict):
    """A new municipality's indicators before and after the reform, by indicator key (None
    until known)."""

    before: dict[str, float | None]
    after: dict[str, float | None]


class IndicatorRow(TypedDict):
    """An indicator before and after, beside the national median and best quartile."""

    key: str
    label: str
    before: float | None
    after: float | None
    higher_is_better: bool | None
    national_median: float | None
    best_quartile: float | None
    in_best_quartile: bool | None


class AssessmentPayload(TypedDict):
    """A self-assessment with answers, scores per area and the national comparison."""

    id: int
    municipality: str
    assessed_on: str
    status: str
    answers: list[AnswerRow]
    scores: dict[str, float]
    areas: list[AreaComparison]
    #: By indicator key; null until submitted.
    indicators: dict[str, IndicatorValues] | None


class AssessmentSummary(TypedDict):
    """A self-assessment and its scores per area."""

    id: int
    assessed_on: str
    status: str
    scores: dict[str, float]
    submitted_at: str | None


class AssessmentHistory(TypedDict):
    """Every self-assessment of a municipality, newest first."""

    municipality: str
    assessments: list[AssessmentSummary]
