"""The county: a new municipality with the former municipalities that went into it.

The county is the unit of every plan. This module is its one home: the `County` value,
the current reform, how a code given on the command line or a county in a URL is resolved
(`resolve_county`, scope-aware `county_for`), the base of every county-owned record, and
the one view mixin and API base of every county page and endpoint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Literal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views import View
from rest_framework.request import Request
from rest_framework.views import APIView

from ictmerge.core import scoping
from ictmerge.reforms.choices import Stage
from ictmerge.reforms.models import CountyOwnedModel, Municipality, Reform, Succession

__all__ = [
    "County", "CountyAPIView", "CountyError", "CountyOwnedModel", "CountyRedirectView",
    "CountyViewMixin", "Predecessor", "counties_by_id", "county_for", "county_members",
    "county_path", "county_url", "covered_ids",
    "current_reform", "legacy_path", "municipality_for", "redirect_to_county", "reform_named",
    "resolve_county", "successions_from",
]

Action = Literal["view", "change"]

#: Request methods that change a county's records (a county page or endpoint answers them
#: only to users who may change the county).
CHANGE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

class CountyError(LookupError):
    """A county code that names no county; the message says which code, reform and why."""


@dataclass(frozen=True)
class Predecessor:
    """A former municipality, or the part of it, that went into the county, with its share."""

    municipality: Municipality
    share: Decimal
    part: str = "whole"


@dataclass(frozen=True)
class County:
    """A new municipality (made by its reform) and its predecessors with their shares."""

    municipality: Municipality
    predecessors: tuple[Predecessor, ...]

    @classmethod
    def of(cls, municipality: Municipality) -> County:
        """The county of a new municipality; CountyError for a former one."""
        if municipality.stage != Stage.NEW:
            raise CountyError(_former_message(municipality))
        successions = (Succession.objects.filter(new=municipality).select_related("former")
                       .order_by("former__name", "former_id"))
        return cls(municipality, tuple(Predecessor(s.former, s.share, s.part)
                                       for s in successions))

    @property
    def reform(self) -> Reform:
        """The reform that made the county."""
        return self.municipality.reform

    @property
    def pk(self) -> int:
        """The new municipality's id."""
        return int(self.municipality.pk)

    @property
    def code(self) -> str:
        """The new municipality's code."""
        return self.municipality.code

    @property
    def name(self) -> str:
        """The new municipality's name."""
        return self.municipality.name

    @property
    def formers(self) -> list[Municipality]:
        """The former municipalities that went (wholly or in part) into the county, by name."""
        return [p.municipality for p in self.predecessors]

    @property
    def former_ids(self) -> list[int]:
        """Ids of the former municipalities, by name."""
        return [p.municipality.pk for p in self.predecessors]

    @property
    def ids(self) -> list[int]:
        """The new municipality's id, then its predecessors' ids (by name)."""
        return [self.pk, *self.former_ids]

    def __str__(self) -> str:
        return self.name


def current_reform() -> Reform | None:
    """The reform a county code means when none is named: the most recent reform that has
    finance records, else the most recent one (None when no reform is loaded)."""
    with_data = Reform.objects.filter(municipalities__ictfinance__isnull=False).distinct()
    return with_data.order_by("-effective_date").first() or Reform.objects.order_by(
        "-effective_date").first()


def reform_named(code: str | None) -> Reform:
    """The reform with that code, else the current one; CountyError when there is none."""
    reform = Reform.objects.filter(code=code).first() if code else current_reform()
    if reform is None:
        raise CountyError(f"no reform '{code}' is loaded" if code else "no reform is loaded")
    return reform


def _former_message(former: Municipality) -> str:
    successors = [f"{s.new.code} ({s.new.name})" for s in
                  Succession.objects.filter(former=former).select_related("new")
                  .order_by("new__name", "new_id")]
    return (f"'{former.code}' is the former municipality {former.name} in {former.reform.code}, "
            f"not a county; it went into {', '.join(successors) or 'no new municipality'}")


def resolve_county(code: str, reform: str | Reform | None = None) -> County:
    """The county with that code in the reform (default: `current_reform()`).

    CountyError when no reform is loaded, when the code names no new municipality of the
    reform, or when it names a former one (the message names its successors).
    """
    chosen = reform if isinstance(reform, Reform) else reform_named(reform)
    found = Municipality.objects.filter(reform=chosen, code=code).select_related("reform")
    new = next((m for m in found if m.stage == Stage.NEW), None)
    if new is not None:
        return County.of(new)
    former = next(iter(found), None)
    if former is not None:
        raise CountyError(_former_message(former))
    raise CountyError(f"no new municipality with code '{code}' in {chosen.code}")


def county_for(user: Any, code_or_pk: str | int, action: Action = "view",
               reform: str | None = None) -> County:
    """The county (by code in the reform, or by id) as the user may reach it.

    Http404 when it does not exist or lies outside what the user sees, so that a guess
    reveals nothing; PermissionDenied (403) when the user sees it but the action is
    "change" and the user may not change it.
    """
    if isinstance(code_or_pk, int):
        municipality = (Municipality.objects.select_related("reform")
                        .filter(pk=code_or_pk, stage=Stage.NEW).first())
    else:
        try:
            chosen = reform_named(reform)
        except CountyError as error:
            raise Http404(str(error)) from error
        municipality = (Municipality.objects.select_related("reform")
                        .filter(reform=chosen, stage=Stage.NEW, code=code_or_pk).first())
    visible = scoping.visible_ids(user)
    if municipality is None or (visible is not None and municipality.pk not in visible):
        raise Http404("No such county.")
    if action == "change" and not scoping.may_change_municipality(user, municipality.pk):
        raise PermissionDenied(_("You may not change %(county)s.") % {"county": municipality.name})
    return County.of(municipality)


def municipality_for(user: Any, key: int | str, stage: str | None = None,
                     reform: Reform | str | None = None) -> Municipality:
    """A municipality the user may see, by id or by code in the reform (default: the
    current one; a new municipality before a former one with the same code), of the stage
    if given; Http404 otherwise."""
    found = Municipality.objects.select_related("reform")
    if isinstance(key, int):
        found = found.filter(pk=key)
    else:
        try:
            chosen = reform if isinstance(reform, Reform) else reform_named(reform)
        except CountyError as error:
            raise Http404(str(error)) from error
        found = found.filter(reform=chosen, code=key)
    if stage:
        found = found.filter(stage=stage)
    municipality = found.order_by("-stage").first()  # "new" before "former"
    visible = scoping.visible_ids(user)
    if municipality is None or (visible is not None and municipality.pk not in visible):
        raise Http404("No such municipality.")
    return municipality


def counties_by_id(municipalities: Iterable[Municipality]) -> dict[int, County]:
    """The counties of many new municipalities, by id, in one query for all predecessors."""
    news = list(municipalities)
    parts: dict[int, list[Predecessor]] = defaultdict(list)
    for succession in (Succession.objects.filter(new__in=news).select_related("former")
                       .order_by("former__name", "former_id")):
        parts[succession.new_id].append(
            Predecessor(succession.former, succession.share, succession.part))
    return {m.pk: County(m, tuple(parts[m.pk])) for m in news}


def county_members(reform: Reform) -> dict[int, set[int]]:
    """Every county of the reform: new municipality id → its own id and its predecessors'."""
    members: dict[int, set[int]] = {
        pk: {pk} for pk in Municipality.objects.filter(reform=reform, stage=Stage.NEW)
        .values_list("pk", flat=True)
    }
    for former_id, new_id in Succession.objects.filter(reform=reform).values_list(
            "former_id", "new_id"):
        members.setdefault(new_id, {new_id}).add(former_id)
    return members


def successions_from(formers: Iterable[Municipality | int] | None = None,
                     reform: Reform | None = None,
                     by_name: bool = False) -> dict[int, list[Succession]]:
    """Former municipality id → the successions out of it (more than one for a split one),
    of the formers given or of the whole reform; by the new municipality's id (the order a
    split one's records are apportioned in) or, `by_name`, by its name (for display)."""
    found = Succession.objects.select_related("new")
    if formers is not None:
        found = found.filter(former__in=list(formers))
    if reform is not None:
        found = found.filter(reform=reform)
    order = ("former_id", "new__name", "new_id") if by_name else ("former_id", "new_id")
    result: dict[int, list[Succession]] = defaultdict(list)
    for succession in found.order_by(*order):
        result[succession.former_id].append(succession)
    return dict(result)


def covered_ids(municipality: Municipality) -> list[int]:
    """Ids whose records a municipality's figures cover: a new municipality with its
    predecessors (sorted), a former municipality alone."""
    if municipality.stage != Stage.NEW:
        return [municipality.pk]
    return sorted(County.of(municipality).ids)


# --- pages and endpoints ------------------------------------------------------------------


def _county_of_request(user: Any, method: str, change_methods: frozenset[str],
                       kwargs: dict[str, Any], reform: str | None) -> County:
    action: Action = "change" if method in change_methods else "view"
    if "code" in kwargs:
        return county_for(user, str(kwargs["code"]), action, kwargs.get("reform") or reform)
    return county_for(user, int(kwargs["pk"]), action)


class CountyViewMixin(LoginRequiredMixin):
    """A county page: `self.county` from the URL (reform and code, or pk) and the user's
    scope; 404 outside it, 403 for a change the user may not make."""

    county: County
    #: Methods that change the county's records (the user must be allowed to change it).
    county_change_methods: ClassVar[frozenset[str]] = CHANGE_METHODS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.county = _county_of_request(request.user, request.method or "GET",
                                         self.county_change_methods, kwargs,
                                         request.GET.get("reform"))
        request.ictmerge_county = self.county  # type: ignore[attr-defined]  # for the job banner
        return super().dispatch(request, *args, **kwargs)


class CountyAPIView(APIView):
    """A county endpoint: `self.county` (and `self.municipality`, its new municipality) from
    the URL (pk, or code with ?reform=) and the caller's scope; 404 outside it, 403 for a
    change the caller may not make.

    An endpoint that also answers for a former municipality by id sets `accepts_former`;
    for one, `self.municipality` is the former municipality and `self.county` is not set.
    """

    county: County
    municipality: Municipality
    #: Methods that change the county's records (the caller must be allowed to change it).
    county_change_methods: ClassVar[frozenset[str]] = CHANGE_METHODS
    #: Whether the id of a former municipality (in the caller's scope) is answered too.
    accepts_former: ClassVar[bool] = False

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.accepts_former and "pk" in kwargs:
            municipality = municipality_for(request.user, int(kwargs["pk"]))
            if municipality.stage != Stage.NEW:
                self.municipality = municipality
                return
        self.county = _county_of_request(request.user, request.method or "GET",
                                         self.county_change_methods, kwargs,
                                         request.query_params.get("reform"))
        self.municipality = self.county.municipality


# --- one address per county page ----------------------------------------------------------

#: The address of every county page: the reform's code, the new municipality's code, then
#: the section ("" for the county's summary).
COUNTY_ROUTE = "counties/<slug:reform>/<str:code>/"


def county_path(section: str, view: Callable[..., Any], name: str) -> URLPattern:
    """The URL pattern of a county page: /counties/<reform>/<code>/<section>."""
    return path(COUNTY_ROUTE + section, view, name=name)


def county_url(name: str, county: County | Municipality, *extra: Any) -> str:
    """The address of a county page by its URL name (extra arguments after the code)."""
    municipality = county.municipality if isinstance(county, County) else county
    return reverse(name, args=[municipality.reform.code, municipality.code, *extra])


def redirect_to_county(request: HttpRequest, name: str, county: County | Municipality,
                       *extra: Any) -> HttpResponse:
    """A permanent redirect to a county page, keeping the query string (308 for a form
    posted to an old address, so that its method and body are kept)."""
    url = county_url(name, county, *extra)
    query = request.META.get("QUERY_STRING", "")
    if query:
        url = f"{url}?{query}"
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(url)
    return HttpResponseRedirect(url, status=308)


class CountyRedirectView(LoginRequiredMixin, View):
    """An old county address: a permanent redirect to the county page's one address,
    keeping the query string, once the county is known to be in the user's scope (so that a
    redirect never tells an outsider that a county exists)."""

    pattern_name = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        key: str | int = str(kwargs.pop("code")) if "code" in kwargs else int(kwargs.pop("pk"))
        reform = kwargs.pop("reform", None) or request.GET.get("reform")
        county = county_for(request.user, key, "view", reform)
        return redirect_to_county(request, self.pattern_name, county, *kwargs.values())


def legacy_path(route: str, name: str, legacy_name: str = "") -> URLPattern:
    """An old county address (named `legacy_name`, default `<name>_legacy`) that redirects
    to the county page `name`."""
    return path(route, CountyRedirectView.as_view(pattern_name=name),
                name=legacy_name or f"{name}_legacy")
