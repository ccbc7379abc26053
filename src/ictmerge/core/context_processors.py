"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

#: Pages over every county whose figures a job for the whole reform fills in ("?" until then).
REFORM_WIDE_PAGES = frozenset({"national", "planning_index", "consolidation_index",
                               "systems_index", "review_national"})


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation menu, grouped by phase, and the user's role."""
    from ictmerge.core.navigation import menu_for

    return {"nav_menu": menu_for(request)}


def job_banner(request: HttpRequest) -> dict[str, Any]:
    """The jobs running for the page's county, or for the whole reform on a page over every
    county; read (one query) only when the page's banner shows."""
    return {"banner_jobs": SimpleLazyObject(lambda: banner_jobs(request))}


def banner_jobs(request: HttpRequest) -> list[Any]:
    """Jobs queued or running that the page's figures wait for: a county page's (its
    municipalities' jobs and its reform's), or a reform-wide page's (reform jobs)."""
    from django.apps import apps

    from ictmerge.core import scoping
    from ictmerge.core.jobs import running_jobs

    match = getattr(request, "resolver_match", None)
    if match is None or not request.user.is_authenticated:
        return []
    from ictmerge.core.choices import JobStatus
    from ictmerge.core.models import Job

    if not Job.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).exists():
        return []
    kwargs = match.kwargs
    if "reform" in kwargs and "code" in kwargs:
        # The county its page's view resolved (reforms.counties.CountyViewMixin), else found
        # here: two queries fewer on every county page while a job is queued.
        resolved = getattr(request, "ictmerge_county", None)
        if resolved is not None:
            ids, reform = set(resolved.ids), resolved.reform
        else:
            county = (apps.get_model("reforms", "Municipality").objects
                      .filter(reform__code=kwargs["reform"], code=kwargs["code"], stage="new")
                      .select_related("reform").first())
            if county is None:
                return []
            ids, reform = scoping._county(county.pk), county.reform
        if not scoping.may_view_county_summary(request.user, ids):
            return []
        return _followable(request, running_jobs(ids, (reform.pk, reform.code)))
    if match.url_name in REFORM_WIDE_PAGES:
        return _followable(request, running_jobs((), None))
    return []


def _followable(request: HttpRequest, jobs: list[Any]) -> list[Any]:
    """Mark the jobs whose page the user may open (scoping.visible_jobs: their own, or all)."""
    from ictmerge.core import scoping

    sees_all = scoping.visible_ids(request.user) is None
    for job in jobs:
        job.followable = sees_all or job.user_id == request.user.pk
    return jobs
