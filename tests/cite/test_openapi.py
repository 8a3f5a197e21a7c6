"""The OpenAPI 3 document at /api/openapi.json describes the API the app routes."""
from __future__ import annotations

import re

import pytest

from tests.support.factories import make_item, make_record, make_token, make_user

IGNORED_METHODS = {"HEAD", "OPTIONS"}
ERROR_REF = "#/components/schemas/ApiError"


# Helpers ---------------------------------------------------------------------
def spec_of(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def routed_operations(app) -> set[tuple[str, str]]:
    """(OpenAPI path, lower-case method) for every /api/v1 rule of the app."""
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        operations |= {(path, method.lower()) for method in rule.methods - IGNORED_METHODS}
    return operations


def documented_operations(spec) -> dict[tuple[str, str], dict]:
    return {(path, method): operation for path, item in spec["paths"].items()
            for method, operation in item.items() if method in ("get", "put", "post", "delete", "patch")}


def resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        assert node["$ref"].startswith("#/"), node
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def response_schema(spec: dict, operation: dict, status: str) -> dict:
    response = resolve(spec, operation["responses"][status])
    return response["content"]["application/json"]["schema"]


def concrete(path: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "1", path)


def validate_instance(spec: dict, instance, ref: str) -> None:
    """Validate a real response against a component schema of the document."""
    validator_module = pytest.importorskip("openapi_schema_validator")
    schema = {"$ref": ref, "components": spec["components"]}
    validator_module.validate(instance, schema, cls=validator_module.OAS30Validator)


def bearer(db) -> dict:
    make_user(db)
    return {"Authorization": f"Bearer {make_token(db, 'doc')}"}


# Tests -----------------------------------------------------------------------
def test_document_is_openapi_3(client):
    spec = spec_of(client)
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]


def test_document_is_valid_openapi(client):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(spec_of(client))


def test_every_routed_operation_is_documented_and_nothing_else(app, client):
    documented = set(documented_operations(spec_of(client)))
    routed = routed_operations(app)
    assert routed, "no /api/v1 route found"
    assert routed - documented == set(), "routed but undocumented"
    assert documented - routed == set(), "documented but not routed"


def test_bearer_security_is_declared(client):
    spec = spec_of(client)
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert {"bearerAuth": []} in spec["security"]


def test_declared_security_matches_what_the_api_enforces(client, db):
    record = make_record(db)
    make_item(db, record.id, "CM1")
    for (path, method), operation in documented_operations(spec_of(client)).items():
        response = getattr(client, method)(concrete(path), json={} if method in ("post", "put") else None)
        if operation.get("security") == []:
            assert method == "get" and response.status_code == 200, (path, method)
        else:
            assert "security" not in operation or {"bearerAuth": []} in operation["security"], (path, method)
            assert response.status_code == 401, (path, method, response.status_code)
            assert "401" in operation["responses"], (path, method)


def test_conflict_and_validation_responses_use_the_error_schema(client):
    spec = spec_of(client)
    operations = documented_operations(spec)
    must_document = {
        ("/api/v1/records", "post"): {"401", "403", "422"},
        ("/api/v1/records/{record_id}", "get"): {"401", "403", "404"},
        ("/api/v1/records/{record_id}", "put"): {"401", "403", "404", "409", "422"},
        ("/api/v1/records/{record_id}", "delete"): {"401", "403", "404", "409"},
        ("/api/v1/records/{record_id}/items", "post"): {"401", "403", "404", "409", "422"},
        ("/api/v1/items/{item_id}", "put"): {"401", "403", "404", "409", "422"},
        ("/api/v1/items/{item_id}", "delete"): {"401", "403", "404", "409"},
        ("/api/v1/uses", "post"): {"401", "403", "422"},
    }
    for key, statuses in must_document.items():
        responses = operations[key]["responses"]
        assert statuses <= set(responses), (key, statuses - set(responses))
        for status in statuses:
            assert response_schema(spec, operations[key], status) == {"$ref": ERROR_REF}, (key, status)
            assert resolve(spec, responses[status]).get("description"), (key, status)

    # Every operation that reads a body or a query documents its 422.
    for key, operation in operations.items():
        if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert response_schema(spec, operation, "422") == {"$ref": ERROR_REF}, key

    error = spec["components"]["schemas"]["ApiError"]
    assert error["required"] == ["error"]
    detail = resolve(spec, error["properties"]["error"])
    assert {"status", "code", "message"} <= set(detail["required"])
    assert {"fields", "current", "submitted"} <= set(detail["properties"])


def test_writes_document_their_request_bodies(client):
    spec = spec_of(client)
    operations = documented_operations(spec)
    for key in (("/api/v1/records/{record_id}", "put"), ("/api/v1/items/{item_id}", "put")):
        body = resolve(spec, operations[key]["requestBody"]["content"]["application/json"]["schema"])
        assert "version" in body["required"], key
    uses = resolve(spec, operations[("/api/v1/uses", "post")]["requestBody"]["content"]["application/json"]["schema"])
    assert "barcodes" in uses["required"]


def test_list_responses_match_their_schemas(client, db):
    headers = bearer(db)
    record = make_record(db)
    make_item(db, record.id, "CM1")
    client.post("/api/v1/uses", json={"barcodes": ["CM1"]}, headers=headers)
    spec = spec_of(client)
    operations = documented_operations(spec)

    for path in ("/api/v1/records", "/api/v1/items", "/api/v1/audit", "/api/v1/records/{record_id}/items",
                 "/api/v1/records/{record_id}/history"):
        body = client.get(concrete(path).replace("/1", f"/{record.id}"), headers=headers).get_json()
        schema = resolve(spec, response_schema(spec, operations[(path, "get")], "200"))
        assert {"items", "total", "page", "size"} <= set(schema["properties"]), path
        assert {"items", "total", "page", "size"} <= set(body), path
        assert set(body) <= set(schema["properties"]), path
        assert body["total"] >= 1 and body["items"], path
        row_schema = resolve(spec, schema["properties"]["items"]["items"])
        for row in body["items"]:
            assert set(row) <= set(row_schema["properties"]), (path, set(row) - set(row_schema["properties"]))
        validate_instance(spec, body, response_schema(spec, operations[(path, "get")], "200")["$ref"])


def test_single_responses_match_their_schemas(client, db):
    headers = bearer(db)
    record = make_record(db)
    item = make_item(db, record.id, "CM1")
    spec = spec_of(client)
    operations = documented_operations(spec)
    for path, url in (("/api/v1/records/{record_id}", f"/api/v1/records/{record.id}"),
                      ("/api/v1/items/{item_id}", f"/api/v1/items/{item.id}")):
        body = client.get(url, headers=headers).get_json()
        ref = response_schema(spec, operations[(path, "get")], "200")["$ref"]
        assert set(body) == set(resolve(spec, {"$ref": ref})["properties"]), path
        validate_instance(spec, body, ref)
    uses = client.post("/api/v1/uses", json={"barcodes": ["CM1", "NOPE"]}, headers=headers).get_json()
    validate_instance(spec, uses, response_schema(spec, operations[("/api/v1/uses", "post")], "200")["$ref"])


def test_error_responses_match_the_error_schema(client, db):
    headers = bearer(db)
    spec = spec_of(client)
    validate_instance(spec, client.get("/api/v1/records").get_json(), ERROR_REF)
    validate_instance(spec, client.get("/api/v1/records/5", headers=headers).get_json(), ERROR_REF)
    validate_instance(spec, client.post("/api/v1/records", json={"year": "abc"}, headers=headers).get_json(),
                      ERROR_REF)
