"""One county, one truth: every command, page and endpoint that takes a county resolves it
the same way (reforms.counties), and the old addresses redirect to the one address.

The pages, endpoints and commands are discovered (the URL resolver, the Typer app), so that
a new one cannot be left out: it is tested here as soon as it exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer.main
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.jobs import autodiscover
from ictmerge.core.resources import REGISTRY
from ictmerge.core.testing.factories import api_data, build_record, form_data, make_record
from ictmerge.core.testing.personas import World
from ictmerge.inventory.models import IctFinance
from ictmerge.planning.models import ActionPlan, RoleCapacity, Task
from ictmerge.reforms import counties
from ictmerge.reforms.counties import (
    County,
    CountyAPIView,
    CountyError,
    CountyRedirectView,
    CountyViewMixin,
    county_for,
    county_url,
    resolve_county,
)
from ictmerge.reforms.models import CountyOwnedModel, Municipality, Reform
from ictmerge.systems.tests.conftest import function, system

autodiscover("testing")  # the test makers of every app's records

# --- discovery ------------------------------------------------------------------------------


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for item in (resolver or get_resolver()).url_patterns:
        if isinstance(item, URLResolver):
            yield from _patterns(item, prefix + str(item.pattern))
        else:
            yield prefix + str(item.pattern), item


def _view_class(pattern: URLPattern) -> Any:
    return getattr(pattern.callback, "view_class", None)


def _is(pattern: URLPattern, base: type) -> bool:
    view = _view_class(pattern)
    return isinstance(view, type) and issubclass(view, base)


PATTERNS = list(_patterns())
PAGES = sorted(p.name for route, p in PATTERNS
               if p.name and route.startswith("counties/") and _is(p, CountyViewMixin))
ENDPOINTS = sorted(p.name for _r, p in PATTERNS if p.name and _is(p, CountyAPIView))
OLD_ADDRESSES = sorted(p.name for _r, p in PATTERNS if p.name and _is(p, CountyRedirectView))

#: The extra URL arguments of county pages (beyond reform and code), by name.
EXTRA = {"fmt": {"planning_action_plan_export": "xlsx", "planning_accounts_export": "csv"},
         "function": "finance"}


def _extra(pattern: URLPattern, given: set[str], page: str = "") -> dict[str, Any]:
    """Values of the pattern's arguments other than those given (for the page `page`)."""
    values: dict[str, Any] = {}
    for name in pattern.pattern.converters:
        if name in given:
            continue
        value = EXTRA[name]  # a KeyError names an argument this test must learn
        values[name] = value[page or pattern.name] if isinstance(value, dict) else value
    return values


def _pattern(name: str) -> URLPattern:
    return next(p for _r, p in PATTERNS if p.name == name)


def _commands() -> dict[tuple[str, ...], Any]:
    found: dict[tuple[str, ...], Any] = {}

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
            return
        for param in command.params:
            named = "--county" in getattr(param, "opts", [])
            argument = param.param_type_name == "argument" and "new municipality" in (
                getattr(param, "help", "") or "").lower()
            if named or argument:
                found[path] = param
                return

    walk(typer.main.get_command(app), ())
    return found


#: How each command that takes a county is called for county N (the test knows them all).
COMMANDS: dict[tuple[str, ...], list[str]] = {
    ("governance",): ["--county", "N"],
    ("budget",): ["--county", "N"],
    ("parameters",): ["--county", "N"],
    ("accounts",): ["--county", "N"],
    ("actions", "generate"): ["--county", "N"],
    ("actions", "schedule"): ["--county", "N", "--time-limit", "0.5"],
    ("actions", "set-status"): ["--county", "N", "--status", "done", "no-such-task"],
    ("report", "county"): ["N", "--format", "xlsx", "--output", "{tmp}/county.xlsx"],
    ("plan", "run"): ["--county", "N", "--time-limit", "0.3"],
    ("plan", "show"): ["--county", "N"],
    ("plan", "choose"): ["--county", "N", "--scenario", "Nope"],
    ("software", "apply"): ["--county", "N"],
    ("software", "review"): ["--county", "N"],
    ("software", "contracts"): ["--county", "N"],
    ("software", "portfolio"): ["--county", "N"],
    ("licences", "position"): ["--county", "N"],
    ("systems", "plan"): ["--county", "N"],
    ("systems", "security"): ["--county", "N"],
    ("systems", "decide"): ["--county", "N", "--function", "finance"],
    ("systems", "weights"): ["--county", "N"],
    ("systems", "checklist"): ["--county", "N"],
    ("review", "progress"): ["N"],
}


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def later(world: World) -> Municipality:
    """A later reform with a county coded N too, but no records: the current reform stays the
    one with data (a rule "latest by date" would pick this one)."""
    make_record(IctFinance, world.former_a)
    system(world.former_a, function("finance"), "Horizon")  # a function for its page
    reform = Reform.objects.create(code="later-reform", name="Later reform", country="XX",
                                   effective_date=dt.date(2030, 1, 1))
    return Municipality.objects.create(reform=reform, code="N", name="Later North", stage="new")


@pytest.fixture
def resolved(monkeypatch: pytest.MonkeyPatch) -> list[County]:
    """Every county that county_for or resolve_county answers during the test."""
    seen: list[County] = []

    def spy(function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> County:
            county = function(*args, **kwargs)
            seen.append(county)
            return county  # type: ignore[no-any-return]
        return wrapper

    monkeypatch.setattr(counties, "county_for", spy(counties.county_for))
    monkeypatch.setattr(counties, "resolve_county", spy(counties.resolve_county))
    return seen


def _ui(world: World, persona: str = "admin") -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def _api(world: World, persona: str = "admin") -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[persona])
    return client


# --- the same county everywhere -----------------------------------------------------------


def test_it_finds_every_county_page_endpoint_and_command() -> None:
    """GIVEN the URL resolver and the CLI WHEN county routes are listed THEN each is served by
    the county bases and every command that takes --county is known to this test."""
    assert len(PAGES) >= 17 and len(ENDPOINTS) >= 17 and len(OLD_ADDRESSES) >= 15
    for route, pattern in PATTERNS:
        if route.startswith("counties/"):
            assert _is(pattern, CountyViewMixin) or _is(pattern, CountyRedirectView), route
        if route.startswith("api/") and ("counties/<int:pk>" in route or "<str:code>" in route):
            assert _is(pattern, CountyAPIView), route
    assert set(_commands()) == set(COMMANDS)


@pytest.mark.parametrize("name", PAGES)
def test_it_resolves_the_county_of_every_page(world: World, later: Municipality,
                                              resolved: list[County], name: str) -> None:
    """GIVEN county N of the test reform WHEN any county page is opened at its address THEN
    the page resolves that county, once, and answers without error."""
    pattern = _pattern(name)
    url = reverse(name, kwargs={"reform": "test-reform", "code": "N",
                                **_extra(pattern, {"reform", "code"})})
    response = _ui(world).get(url)
    assert [c.pk for c in resolved] == [world.north.pk]
    assert response.status_code in (200, 405), (url, response.status_code)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_it_resolves_the_county_of_every_endpoint(world: World, later: Municipality,
                                                  resolved: list[County], name: str) -> None:
    """GIVEN county N WHEN any county endpoint is called by id (or by code, no reform named)
    THEN it resolves that county, once."""
    pattern = _pattern(name)
    key = {"pk": world.north.pk} if "pk" in pattern.pattern.converters else {"code": "N"}
    response = _api(world).get(reverse(name, kwargs=key))
    assert [c.pk for c in resolved] == [world.north.pk]
    assert response.status_code < 500 and response.status_code not in (403, 404)


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_it_resolves_the_county_of_every_command(world: World, later: Municipality,
                                                 resolved: list[County], tmp_path: Path,
                                                 command: tuple[str, ...]) -> None:
    """GIVEN county N in the current reform and in a later one without data WHEN any command
    is given N without --reform THEN it resolves the current reform's N, as the pages do."""
    args = [a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[command]]
    result = CliRunner().invoke(app, [*command, *args])
    assert [c.pk for c in resolved] == [world.north.pk], result.output
    assert "--county:" not in result.output and "CODE:" not in result.output


def test_it_names_the_same_county_by_code_and_by_id(world: World, later: Municipality) -> None:
    """GIVEN the current reform WHEN N is resolved by code, by id and in the named reform THEN
    each answers its county, and a code of another reform needs that reform named."""
    admin = world.users["admin"]
    assert resolve_county("N") == county_for(admin, world.north.pk) == county_for(admin, "N")
    assert resolve_county("N", "later-reform").municipality == later
    assert counties.current_reform() == world.reform
    county = resolve_county("N")
    assert county.ids == [world.north.pk, world.former_a.pk, world.former_b.pk]
    assert [(p.municipality, p.share) for p in county.predecessors] == [
        (world.former_a, Decimal(1)), (world.former_b, Decimal(1))]


def test_it_reads_many_counties_as_it_reads_each(world: World,
                                                 django_assert_num_queries: Any) -> None:
    """GIVEN C split between North and South WHEN the counties and successions are read in
    bulk THEN each county is the one County.of reads, in one query, and the split is in
    both, by new municipality id."""
    from ictmerge.reforms.models import Succession

    Succession.objects.filter(former=world.former_c).update(share=Decimal("0.6"))
    Succession.objects.create(reform=world.reform, former=world.former_c, new=world.north,
                              share=Decimal("0.4"), part="north bank")
    with django_assert_num_queries(1):
        many = counties.counties_by_id([world.north, world.south])
    assert many == {world.north.pk: County.of(world.north), world.south.pk: County.of(world.south)}
    assert many[world.north.pk].former_ids == [world.former_a.pk, world.former_b.pk,
                                               world.former_c.pk]
    split = counties.successions_from([world.former_c])[world.former_c.pk]
    assert [s.new_id for s in split] == sorted([world.north.pk, world.south.pk])
    by_name = counties.successions_from(reform=world.reform, by_name=True)[world.former_c.pk]
    assert [s.new.name for s in by_name] == ["New North", "New South"]
    assert counties.county_members(world.reform) == {
        world.north.pk: {world.north.pk, world.former_a.pk, world.former_b.pk, world.former_c.pk},
        world.south.pk: {world.south.pk, world.former_c.pk}}


def test_it_refuses_a_former_municipality_naming_its_successor(world: World) -> None:
    """GIVEN A went into N WHEN A is given as a county THEN the command says A is a former
    municipality and names N; an unknown code is named with the reform."""
    with pytest.raises(CountyError, match=r"'A' is the former municipality Former A.*N \(New North\)"):
        resolve_county("A")
    with pytest.raises(CountyError, match="no new municipality with code 'ZZ' in test-reform"):
        resolve_county("ZZ")
    result = CliRunner().invoke(app, ["budget", "--county", "A"])
    assert result.exit_code == 1 and "N (New North)" in result.output


# --- scope -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "view", "change"), [
    ("admin", True, True), ("auditor", True, False), ("lead", True, True),
    ("viewer", True, False), ("steward", False, False), ("outsider", False, False)])
def test_it_answers_a_county_only_in_scope(world: World, persona: str, view: bool,
                                           change: bool) -> None:
    """GIVEN North WHEN each persona asks for it THEN outside the scope it is "not found"
    (404) and a change by one who only sees it is refused (403)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    user = world.users[persona]
    for key in (world.north.pk, "N"):
        if view:
            assert county_for(user, key).municipality == world.north
        else:
            with pytest.raises(Http404):
                county_for(user, key)
        if change:
            assert county_for(user, key, "change").municipality == world.north
        else:
            with pytest.raises(Http404 if not view else PermissionDenied):
                county_for(user, key, "change")


def test_it_refuses_a_change_in_the_language_of_the_page(world: World) -> None:
    """GIVEN an auditor who sees North WHEN a change is asked in Latvian THEN the refusal
    is in Latvian and names the county."""
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    with translation.override("lv"), pytest.raises(PermissionDenied) as refused:
        county_for(world.users["auditor"], world.north.pk, "change")
    assert str(refused.value) == f"Jums nav tiesību mainīt {world.north.name}."


def test_another_county_answers_not_found_on_every_page(world: World) -> None:
    """GIVEN North's lead WHEN South's pages are opened THEN each answers 404, like a county
    that does not exist."""
    client = _ui(world, "lead")
    for name in PAGES:
        pattern = _pattern(name)
        extra = list(_extra(pattern, {"reform", "code"}).values())
        assert client.get(county_url(name, world.south, *extra)).status_code == 404, name
        assert client.get(county_url(name, world.former_c, *extra)).status_code == 404, name


# --- old addresses ------------------------------------------------------------------------


def _old_url(name: str, target: str, world: World) -> str:
    pattern = _pattern(name)
    converters = pattern.pattern.converters
    key: dict[str, Any] = ({"pk": world.north.pk} if "pk" in converters else {"code": "N"})
    if "reform" in converters:
        key["reform"] = "test-reform"
    return reverse(name, kwargs={**key, **_extra(pattern, set(key), target)})


@pytest.mark.parametrize("name", OLD_ADDRESSES)
def test_an_old_address_redirects_to_the_one_address(world: World, name: str) -> None:
    """GIVEN an old county address with a query string WHEN it is opened THEN it answers a
    permanent redirect to the county page, query string kept; outsiders get 404 and anonymous
    users the sign-in page."""
    pattern = _pattern(name)
    target = pattern.callback.view_initkwargs["pattern_name"]
    old = _old_url(name, target, world) + "?scenario=7&rules=lv"
    response = _ui(world, "lead").get(old)
    extra = list(_extra(_pattern(target), {"reform", "code"}).values())
    assert response.status_code == 301
    assert response["Location"] == county_url(target, world.north, *extra) + "?scenario=7&rules=lv"
    assert _ui(world, "outsider").get(old).status_code == 404
    assert _ui(world, "steward").get(old).status_code == 404
    assert Client().get(old).status_code == 302  # to the sign-in page
    assert "login" in Client().get(old)["Location"]


def test_a_form_posted_to_an_old_address_keeps_its_method(world: World) -> None:
    """GIVEN a page opened before the move WHEN its form posts to the old address THEN the
    redirect is 308, which keeps the method and the body."""
    response = _ui(world, "lead").post(reverse("planning_governance_legacy",
                                               args=[world.north.pk]), {"model": "central"})
    assert response.status_code == 308
    assert response["Location"] == county_url("planning_governance", world.north)


def test_the_software_pages_of_a_former_municipality_stay_at_its_id(world: World) -> None:
    """GIVEN the steward of A WHEN A's software pages are opened by id THEN they answer; the id
    of a new municipality redirects to its county's page."""
    steward = _ui(world, "steward")
    for page in ("position", "contracts", "portfolio"):
        assert steward.get(reverse(f"software_municipality_{page}",
                                   args=[world.former_a.pk])).status_code == 200
        moved = _ui(world, "lead").get(reverse(f"software_municipality_{page}",
                                               args=[world.north.pk]))
        assert moved.status_code == 301
        assert moved["Location"] == county_url(f"software_{page}", world.north)
        assert steward.get(reverse(f"software_municipality_{page}",
                                   args=[world.north.pk])).status_code == 404


# --- county-owned records -----------------------------------------------------------------


def _county_owned_models() -> list[type[CountyOwnedModel]]:
    from django.apps import apps

    return sorted((m for m in apps.get_models() if issubclass(m, CountyOwnedModel)),
                  key=lambda m: m._meta.label)


def test_every_county_record_is_county_owned() -> None:
    """GIVEN the models WHEN those owned by a county are listed THEN the plans of every app are
    among them, each with the scope of its municipality."""
    labels = {m._meta.label for m in _county_owned_models()}
    assert {"planning.ActionPlan", "planning.Task", "planning.RoleCapacity",
            "planning.GovernanceChoice", "planning.GovernanceParameter",
            "consolidation.Scenario", "systems.SystemDecision", "systems.CriterionWeight",
            "systems.ExternalCandidate", "systems.ChangeTask", "systems.MigrationPlan"} <= labels
    assert all(m.scope_field == "municipality" for m in _county_owned_models())


@pytest.mark.parametrize("model", _county_owned_models(), ids=lambda m: m._meta.label)
def test_it_refuses_a_former_municipality_as_owner(world: World, model: Any) -> None:
    """GIVEN a valid county record WHEN its owner is set to a former municipality THEN clean()
    refuses it with the municipality field named."""
    record = make_record(model, world.north)
    record.municipality = world.former_a
    with pytest.raises(ValidationError) as error:
        record.clean()
    assert "municipality" in error.value.message_dict


@pytest.mark.parametrize("model", [ActionPlan, Task, RoleCapacity], ids=lambda m: m.__name__)
def test_the_form_and_the_api_refuse_a_former_owner(world: World, model: Any) -> None:
    """GIVEN an action plan, task or role capacity for former A WHEN it is added by the form or
    the API THEN both refuse it on the municipality field, and nothing is stored."""
    resource = next(r for r in REGISTRY.values() if r.model is model)
    candidate = build_record(model, world.north)
    candidate.municipality = world.former_a
    page = _ui(world).post(reverse(resource.url_name("add")),
                           form_data(candidate, resource.fields))
    assert page.status_code == 400 and "municipality" in page.context["form"].errors
    api = _api(world).post(reverse(f"{resource.slug}-list"),
                           api_data(candidate, resource.fields), format="json")
    assert api.status_code == 400 and "municipality" in api.json()
    assert not model.objects.exists()
