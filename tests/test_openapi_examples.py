"""Every request body and every 2xx JSON response in the OpenAPI document has an example.

An example is the media type's own `example`, or its schema's (through `$ref`), or, for an
object, one on every property; an array's items count. The examples also keep the rules of
the schema they illustrate (Swagger UI's "Try it out" sends them, schemathesis too).
"""

from __future__ import annotations

import copy

import jsonschema_rs
import pytest

from cbec_alliance import create_app


@pytest.fixture(scope="module")
def spec() -> dict:
    app = create_app("testing")
    return app.test_client().get("/api/openapi.json").get_json()


def _has_example(spec: dict, schema: dict, seen: frozenset[str] = frozenset()) -> bool:
    if not isinstance(schema, dict):
        return False
    if "example" in schema:
        return True
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:  # a schema nesting itself: the outer one decides
            return True
        return _has_example(spec, spec["components"]["schemas"][name], seen | {name})
    if "allOf" in schema:
        return all(_has_example(spec, part, seen) for part in schema["allOf"])
    if schema.get("type") == "array":
        return _has_example(spec, schema.get("items", {}), seen)
    properties = schema.get("properties")
    return bool(properties) and all(_has_example(spec, p, seen) for p in properties.values())


def _json_media(content: dict) -> list[dict]:
    return [media for kind, media in (content or {}).items() if "json" in kind]


def operations_without_examples(spec: dict) -> list[str]:
    """`METHOD path (what)` for each request body or 2xx JSON response with no example."""
    missing = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            label = f"{method.upper()} {path} ({operation.get('operationId')})"
            body = operation.get("requestBody") or {}
            for media in _json_media(body.get("content")):
                if "example" not in media and not _has_example(spec, media.get("schema", {})):
                    missing.append(f"{label}: request body")
            for code, response in operation.get("responses", {}).items():
                if not str(code).startswith("2") or "$ref" in response:
                    continue
                for media in _json_media(response.get("content")):
                    if "example" not in media and not _has_example(spec, media.get("schema", {})):
                        missing.append(f"{label}: {code} response")
    return missing


def test_every_body_and_json_response_has_an_example(spec):
    missing = operations_without_examples(spec)
    assert not missing, "no example for:\n" + "\n".join(missing)


def test_the_check_fails_when_an_example_goes(spec):
    """Remove one property's example and the operations using its schema are named."""
    broken = copy.deepcopy(spec)
    prop = broken["components"]["schemas"]["InternshipCreate"]["properties"]["title"]
    del prop["example"]
    broken["components"]["schemas"]["InternshipCreate"].pop("example", None)
    missing = operations_without_examples(broken)
    assert missing
    assert all("request body" in line for line in missing), missing
    assert any(line.startswith("POST /api/v1/internships ") for line in missing), missing


def test_examples_are_realistic_and_chinese_where_the_field_is(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["InternshipCreate"]["properties"]["title"]["example"] == "跨境电商运营实习生"
    assert "广州市天河区" in schemas["BaseCreate"]["properties"]["address"]["example"]
    assert schemas["OrganizationCreate"]["properties"]["district"]["example"] == "tianhe"


def _json_schema(node):
    """OpenAPI 3.0 schema -> JSON Schema: `nullable` becomes a `null` type."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k not in ("nullable", "example")}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        elif "$ref" in out or "allOf" in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _example_of(spec: dict, schema: dict):
    """The example a client would read for `schema`: its own, else one built from its
    properties' (as Swagger UI builds it)."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "example" in schema:
        return schema["example"]
    if schema.get("type") == "array":
        return [_example_of(spec, schema.get("items", {}))]
    if "allOf" in schema:
        return _example_of(spec, schema["allOf"][0])
    return {name: _example_of(spec, prop) for name, prop in schema.get("properties", {}).items()}


def test_request_body_examples_keep_their_schemas_rules(spec):
    """A body built from the examples is valid against the body's schema (types, patterns,
    lengths, bounds, enums): "Try it out" starts from a body the spec allows."""
    root = {"components": _json_schema(spec["components"])}
    invalid = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            for media in _json_media((body or {}).get("content")):
                schema = media.get("schema", {})
                validator = jsonschema_rs.Draft4Validator({**root, **_json_schema(schema)})
                errors = [e.message for e in validator.iter_errors(_example_of(spec, schema))]
                if errors:
                    invalid.append(f"{method.upper()} {path}: {errors[:3]}")
    assert not invalid, "\n".join(invalid)
