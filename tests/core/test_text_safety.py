"""Every documented input refuses unstorable text (NUL, lone surrogates) with 422, never 500.

The operations come from the OpenAPI document, so new routes are covered automatically: their
input schemas must derive from `core.schemas.BaseSchema`.
"""

from __future__ import annotations

import json
import re

import pytest

from tests import factories
from tests.helpers import validation_errors

WRITE_METHODS = ("post", "put", "patch")
NUL = "x\u0000y"


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        node = spec
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        schema = node
    return schema


def _string_props(spec: dict, schema: dict) -> list[str]:
    props = _resolve(spec, schema).get("properties", {})
    return [name for name, s in props.items() if _resolve(spec, s).get("type") == "string"]


def _url(path: str) -> str:
    return re.sub(r"{[^}]+}", "1", path)


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in WRITE_METHODS or method == "get":
                yield path, method, op


def _coordinator(as_user):
    return as_user(factories.CoordinatorFactory())


@pytest.mark.parametrize("bad", [NUL, "\ud800"], ids=["nul", "lone-surrogate"])
def test_unstorable_text_in_every_string_body_field_is_422(as_user, bad):
    c = _coordinator(as_user)
    spec = c.get("/api/openapi.json").get_json()
    checked, failures = 0, []
    for path, method, op in _operations(spec):
        content = op.get("requestBody", {}).get("content", {}).get("application/json")
        if method == "get" or not content:
            continue
        names = _string_props(spec, content["schema"])
        if not names:
            continue
        checked += 1
        # json.dumps writes a lone surrogate as the ASCII escape "\\ud800", as a client would.
        data = json.dumps(dict.fromkeys(names, bad))
        resp = c.open(_url(path), method=method.upper(), data=data, content_type="application/json")
        if resp.status_code != 422:
            failures.append((method, path, resp.status_code, resp.data[:200]))
            continue
        errors = validation_errors(resp)
        if set(errors) != set(names) or not all(
            "cannot be stored" in m[0] for m in errors.values()
        ):
            failures.append((method, path, errors))
    assert checked >= 5
    assert not failures, failures


def test_nul_in_every_string_query_parameter_is_422(as_user):
    c = _coordinator(as_user)
    spec = c.get("/api/openapi.json").get_json()
    checked, failures = 0, []
    for path, method, op in _operations(spec):
        if method != "get":
            continue
        for param in op.get("parameters", []):
            if param["in"] != "query":
                continue
            checked += 1
            resp = c.get(_url(path), query_string={param["name"]: NUL})
            if resp.status_code != 422 or param["name"] not in resp.get_json().get("errors", {}):
                failures.append((path, param["name"], resp.status_code, resp.data[:200]))
    assert checked >= 5
    assert not failures, failures
