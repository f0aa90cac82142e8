"""Liveness, readiness, the OpenAPI document and the self-hosted Swagger UI."""

from __future__ import annotations

import re

import sqlalchemy as sa

from cbec_alliance.extensions import db
from tests.helpers import assert_problem


def test_healthz_is_200(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "ok"


def test_readyz_is_200_with_database_and_in_process_broker(client):
    resp = client.get("/readyz")
    assert resp.status_code == 200
    checks = resp.get_json()["checks"]
    assert checks["database"] == "ok"
    assert checks["broker"] == "ok (in-process tasks)"


def test_readyz_is_503_naming_the_database(client, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("db down"))

    monkeypatch.setattr(db.session, "execute", refuse)
    body = assert_problem(client.get("/readyz"), 503)
    assert "database" in body["detail"]
    assert "broker" not in body["detail"]


def test_readyz_is_503_naming_the_broker(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    body = assert_problem(client.get("/readyz"), 503)
    assert "broker" in body["detail"]
    assert "database" not in body["detail"]


def test_healthz_stays_200_when_the_database_is_down(client, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("db down"))

    monkeypatch.setattr(db.session, "execute", refuse)
    assert client.get("/healthz").status_code == 200


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_json_is_a_valid_openapi_3_document(client):
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    spec = resp.get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"]
    assert spec["info"]["version"]
    paths = spec["paths"]
    api_paths = [p for p in paths if p.startswith("/api/v1/")]
    assert "/api/v1/auth/login" in api_paths
    assert "/api/v1/organizations" in api_paths
    assert set(paths) - set(api_paths) <= {"/healthz", "/readyz"}
    methods = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
    for path, item in paths.items():
        for method, op in item.items():
            if method not in methods:
                continue
            assert op.get("responses"), f"{method} {path} documents no response"
            for name in re.findall(r"{([^}]+)}", path):
                params = item.get("parameters", []) + op.get("parameters", [])
                assert any(p["in"] == "path" and p["name"] == name for p in params), (path, name)
    # Every reference resolves inside the document.
    for ref in set(_refs(spec)):
        assert ref.startswith("#/"), ref
        node = spec
        for part in ref[2:].split("/"):
            assert part in node, f"dangling $ref {ref}"
            node = node[part]


def test_openapi_documents_errors_as_problem_json(client):
    spec = client.get("/api/openapi.json").get_json()
    problem_ref = "#/components/schemas/Problem"
    for name, response in spec["components"]["responses"].items():
        if "content" in response:
            assert list(response["content"]) == ["application/problem+json"], name
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            for code, response in op.get("responses", {}).items():
                if code.isdigit() and int(code) >= 400 and "$ref" not in response:
                    content = response.get("content", {})
                    assert content.get("application/problem+json", {}).get("schema") == {
                        "$ref": problem_ref
                    }, (method, path, code)
    assert {"type", "title", "status", "detail"} <= set(
        spec["components"]["schemas"]["Problem"]["required"]
    )


def test_docs_page_uses_only_assets_served_by_the_app(client):
    resp = client.get("/api/docs")
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "http://" not in html
    assert "https://" not in html
    assert "//cdn" not in html
    urls = re.findall(r'(?:src|href)=["\']([^"\']+)["\']', html)
    assets = [u for u in urls if u.endswith((".js", ".css"))]
    assert "/api/docs/assets/swagger-ui-bundle.js" in assets
    assert "/api/docs/assets/swagger-ui.css" in assets
    for url in assets:
        assert url.startswith("/api/docs/assets/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.data) > 1000, url
    assert "/api/openapi.json" in html


def test_docs_assets_are_served_with_the_right_types(client):
    js = client.get("/api/docs/assets/swagger-ui-bundle.js")
    css = client.get("/api/docs/assets/swagger-ui.css")
    assert js.status_code == css.status_code == 200
    assert "javascript" in js.mimetype
    assert css.mimetype == "text/css"
    assert_problem(client.get("/api/docs/assets/nope.js"), 404)
