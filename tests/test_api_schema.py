"""The OpenAPI schema names every field the API answers, and the answers keep to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jsonschema
import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """The schema /api/schema/ serves."""
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def _component(schema: dict[str, Any], ref: str) -> tuple[str, dict[str, Any]]:
    name = ref.rsplit("/", 1)[-1]
    return name, schema["components"]["schemas"][name]


def bare_objects(schema: dict[str, Any], node: dict[str, Any], where: str,
                 seen: frozenset[str] = frozenset()) -> Iterator[str]:
    """Where an object schema names neither its properties nor the type of a map's values."""
    if "$ref" in node:
        name, node = _component(schema, node["$ref"])
        if name in seen:
            return
        seen = seen | {name}
        where = f"{where}<{name}>"
    for key in ("oneOf", "anyOf", "allOf"):
        for option in node.get(key, []):
            yield from bare_objects(schema, option, where, seen)
    typed = any(key in node for key in ("type", "oneOf", "anyOf", "allOf", "enum", "$ref"))
    if not typed:
        yield f"{where}: no type at all"
    if node.get("type") == "array":
        yield from bare_objects(schema, node.get("items", {}), f"{where}[]", seen)
    if node.get("type") != "object":
        return
    values = node.get("additionalProperties")
    if not node.get("properties") and not (isinstance(values, dict) and values):
        yield f"{where}: a bare object"
    for name, prop in node.get("properties", {}).items():
        yield from bare_objects(schema, prop, f"{where}.{name}", seen)
    if isinstance(values, dict) and values:
        yield from bare_objects(schema, values, f"{where}{{}}", seen)


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every operation of the schema: path, method and the operation."""
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_it_names_the_fields_of_every_request_and_answer(schema: dict[str, Any]) -> None:
    """GIVEN the generated schema WHEN every operation's request bodies and answers are walked
    (refs resolved, nested objects too) THEN none is an object without named properties or a
    map without a typed value."""
    found: list[str] = []
    for path, method, operation in operations(schema):
        bodies = [("request", c) for c in operation.get("requestBody", {}).get(
            "content", {}).values()]
        bodies += [(code, c) for code, answer in operation.get("responses", {}).items()
                   for c in answer.get("content", {}).values()]
        for code, content in bodies:
            found += bare_objects(schema, content.get("schema", {}),
                                  f"{method.upper()} {path} {code}")
    assert not found, "\n".join(found)


def test_it_finds_a_bare_object_where_there_is_one(schema: dict[str, Any]) -> None:
    """GIVEN objects without properties, nested or behind a ref WHEN walked THEN each is found."""
    schema = {**schema, "components": {"schemas": {
        **schema["components"]["schemas"],
        "Loose": {"type": "object", "properties": {"inner": {"type": "object"}}},
        "Map": {"type": "object", "additionalProperties": {}}}}}
    assert list(bare_objects(schema, {"$ref": "#/components/schemas/Loose"}, "x")) == [
        "x<Loose>.inner: a bare object"]
    assert list(bare_objects(schema, {"type": "array", "items": {
        "$ref": "#/components/schemas/Map"}}, "x")) == ["x[]<Map>: a bare object"]
    assert not list(bare_objects(schema, {"type": "object", "additionalProperties": {
        "type": "number"}}, "x"))


def closed(schema: dict[str, Any], node: dict[str, Any],
           within: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The JSON Schema of an OpenAPI schema object, refs resolved and every object with named
    properties closed (a key the schema does not name fails)."""
    if "$ref" in node:
        name, component = _component(schema, node["$ref"])
        if name in within:
            return {}  # a schema that refers to itself (JsonValue) is checked once
        return closed(schema, component, within | {name})
    result = {key: value for key, value in node.items()
              if key not in ("nullable", "readOnly", "writeOnly")}
    for key in ("oneOf", "anyOf", "allOf"):
        if key in result:
            result[key] = [closed(schema, option, within) for option in result[key]]
    if "items" in result:
        result["items"] = closed(schema, result["items"], within)
    if "properties" in result:
        result["properties"] = {name: closed(schema, prop, within)
                                for name, prop in result["properties"].items()}
        result.setdefault("additionalProperties", False)
    if isinstance(result.get("additionalProperties"), dict):
        result["additionalProperties"] = closed(schema, result["additionalProperties"], within)
    if node.get("nullable"):
        return {"anyOf": [result, {"type": "null"}]}
    return result


def answer_schema(schema: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    """The closed JSON Schema of an operation's JSON answer with that status."""
    answer = schema["paths"][path][method]["responses"][str(status)]
    return closed(schema, answer["content"]["application/json"]["schema"])


@pytest.fixture(scope="module")
def latvia(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The Latvian demo with one county planned (servers and rooms, tasks), rolled back after."""
    from django.contrib.auth import get_user_model

    from ictmerge.consolidation import services as consolidation
    from ictmerge.consolidation.jobs import start_run
    from ictmerge.inventory.demo import load_demo
    from ictmerge.planning import services as planning
    from ictmerge.reforms.models import Municipality
    from ictmerge.reforms.services import load_bundled
    from ictmerge.review import takeover

    with django_db_blocker.unblock(), transaction.atomic():
        load_bundled("lv-2021")
        load_demo("lv-2021", seed=1)
        county = Municipality.objects.get(reform__code="lv-2021", code="0027000")
        scenario = consolidation.run(consolidation.scenario_to_run(county, 1.0))
        planning.generate_action_plan(county)
        planning.refresh_summary(county)
        admin = get_user_model().objects.create_user("schema-admin", is_superuser=True)
        former = county.predecessors.first().former
        act = takeover.approve(admin, takeover.ensure_act(former))
        start_run(admin, scenario)
        yield {"county": county, "former": former, "scenario": scenario, "admin": admin,
               "act": act, "plan": planning.action_plan_for(county)}
        transaction.set_rollback(True)


#: (method, path in the schema, the URL's values from the fixture, JSON body, status).
CASES: list[tuple[str, str, Callable[[dict[str, Any]], dict[str, Any]], Any, int]] = [
    ("get", "/api/consolidation/counties/", lambda w: {}, None, 200),
    ("get", "/api/consolidation/counties/{id}/", lambda w: {"id": w["county"].pk}, None, 200),
    ("get", "/api/consolidation/scenarios/{id}/result/", lambda w: {"id": w["scenario"].pk},
     None, 200),
    ("post", "/api/consolidation/scenarios/{id}/choose/", lambda w: {"id": w["scenario"].pk},
     None, 200),
    ("get", "/api/planning/counties/{id}/governance/", lambda w: {"id": w["county"].pk}, None,
     200),
    ("get", "/api/planning/counties/{id}/action-plan/", lambda w: {"id": w["county"].pk},
     None, 200),
    ("get", "/api/planning/counties/{id}/budget/", lambda w: {"id": w["county"].pk}, None, 200),
    ("get", "/api/planning/counties/{id}/accounts/", lambda w: {"id": w["county"].pk}, None,
     200),
    ("get", "/api/reports/national/", lambda w: {}, None, 200),
    ("get", "/api/review/progress/", lambda w: {}, None, 200),
    ("get", "/api/review/progress/{code}/", lambda w: {"code": w["county"].code}, None, 200),
    ("get", "/api/review/acts/{id}/", lambda w: {"id": w["former"].pk}, None, 200),
    ("post", "/api/review/handover-due/", lambda w: {},
     {"date": "2021-07-01", "dry_run": True}, 200),
    ("post", "/api/review/assessments/", lambda w: {},
     lambda w: {"municipality": w["county"].pk}, 201),
    ("get", "/api/review/municipalities/{id}/assessments/", lambda w: {"id": w["county"].pk},
     None, 200),
    ("post", "/api/review/checklist/", lambda w: {},
     lambda w: {"municipality": w["county"].code, "item": "software_register",
                "status": "done", "evidence": "Minutes of the council"}, 200),
    ("get", "/api/software/position/{id}/", lambda w: {"id": w["county"].pk}, None, 200),
    ("get", "/api/software/contracts/{id}/", lambda w: {"id": w["county"].pk}, None, 200),
    ("get", "/api/software/portfolio/{id}/", lambda w: {"id": w["county"].pk}, None, 200),
    ("get", "/api/software/review/", lambda w: {}, None, 200),
    ("post", "/api/software/review/", lambda w: {},
     {"name": "x", "vendor": "v", "product": "p", "category": "free", "municipality": 0},
     400),
    ("post", "/api/software/normalise-titles/", lambda w: {},
     {"titles": [{"name": "Microsoft Office Professional Plus 2016", "publisher": "Microsoft"},
                 {"name": "an unknown title"}]}, 200),
    ("get", "/api/systems/counties/{id}/plan/", lambda w: {"id": w["county"].pk}, None, 200),
    ("get", "/api/systems/counties/{id}/plan/?method=vote", lambda w: {"id": w["county"].pk},
     None, 400),
    ("get", "/api/systems/counties/{id}/security/", lambda w: {"id": w["county"].pk}, None,
     200),
    ("put", "/api/systems/counties/{id}/weights/", lambda w: {"id": w["county"].pk},
     {"weights": {"hosting": 0.2}}, 200),
    ("post", "/api/systems/counties/{id}/decisions/", lambda w: {"id": w["county"].pk},
     {"function": "finance"}, 201),
    ("post", "/api/systems/counties/{id}/checklist/", lambda w: {"id": w["county"].pk}, None,
     200),
    ("get", "/api/jobs/", lambda w: {}, None, 200),
    ("get", "/api/changes/?limit=200", lambda w: {}, None, 200),
    ("get", "/api/action-plans/{id}/", lambda w: {"id": w["plan"].pk}, None, 200),
    ("get", "/api/takeover-acts/{id}/", lambda w: {"id": w["act"].pk}, None, 200),
    ("get", "/api/takeover-acts/{id}/history/", lambda w: {"id": w["act"].pk}, None, 200),
    ("get", "/api/self-assessments/", lambda w: {}, None, 200),
    ("get", "/api/consolidation-scenarios/{id}/", lambda w: {"id": w["scenario"].pk}, None,
     200),
    ("get", "/api/imports/", lambda w: {}, None, 200),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "values", "body", "status"), CASES,
                         ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_it_answers_what_the_schema_says(latvia: dict[str, Any], schema: dict[str, Any],
                                         method: str, path: str,
                                         values: Callable[[dict[str, Any]], dict[str, Any]],
                                         body: Any, status: int) -> None:
    """GIVEN the Latvian demo with a county planned WHEN an endpoint answers THEN its JSON
    validates against the schema's answer for that status, with no key the schema does not
    name."""
    client = APIClient()
    client.force_authenticate(latvia["admin"])
    path, _, query = path.partition("?")
    url = path.format(**values(latvia)) + (f"?{query}" if query else "")
    response = getattr(client, method)(url, body(latvia) if callable(body) else body,
                                       format="json")
    assert response.status_code == status, response.content[:500]
    jsonschema.validate(response.json(), answer_schema(schema, path, method, status))


def test_it_refuses_an_answer_with_a_key_the_schema_does_not_name(
        schema: dict[str, Any]) -> None:
    """GIVEN a county's scenarios answer with an unnamed key, or a wrong type nested in it
    WHEN validated THEN it fails."""
    check = answer_schema(schema, "/api/consolidation/counties/{id}/", "get", 200)
    good = {"id": 1, "code": "C", "name": "N", "scenarios": [], "plan_scenario": None}
    jsonschema.validate(good, check)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "extra": 1}, check)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "plan_scenario": "1"}, check)
