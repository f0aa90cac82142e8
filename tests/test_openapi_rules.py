"""The OpenAPI document says how to call each operation and what it may answer.

Every operation has a unique operationId; one that needs a login declares 401 and 403, one
whose path names a row 404, one that reads a body or query arguments 422, and every write
409. Writes take a bearer token or the session cookie with the CSRF header, so Swagger UI
can write after a cookie login. The Swagger UI page has no inline script.
"""

from __future__ import annotations

import json
import re

import pytest

from cbec_alliance import create_app
from cbec_alliance.accounts.auth import CSRF_EXEMPT, CSRF_HEADER
from tests import factories
from tests.test_routes_auth import PUBLIC

UNSAFE = {"post", "put", "patch", "delete"}
WRITE_SECURITY = [{"bearer": []}, {"cookie": [], "csrf": []}]


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app("testing").test_client().get("/api/openapi.json").get_json()


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation


def _security(spec: dict, operation: dict) -> list:
    return operation.get("security", spec.get("security", []))


def _rule(path: str) -> str:
    """/api/v1/x/{x_id} -> /api/v1/x/<x_id> (converters dropped), to compare with PUBLIC."""
    return re.sub(r"\{([^}]+)\}", r"<\1>", path)


PUBLIC_RULES = {(m.lower(), re.sub(r"<(?:[a-z]+:)?([^>]+)>", r"<\1>", r)) for m, r in PUBLIC}


def test_every_operation_has_a_unique_operation_id(spec):
    ids = [op.get("operationId") for _path, _method, op in _operations(spec)]
    assert all(ids), [(p, m) for p, m, op in _operations(spec) if not op.get("operationId")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    orgs = spec["paths"]["/api/v1/organizations/{org_id}"]
    assert orgs["patch"]["operationId"] != orgs["get"]["operationId"]


def test_operations_needing_a_login_say_so_and_public_ones_do_not(spec):
    """The spec's `security` agrees with the routes anyone may call (test_routes_auth)."""
    wrong = []
    for path, method, operation in _operations(spec):
        public = (method, _rule(path)) in PUBLIC_RULES
        if public != (not _security(spec, operation)):
            wrong.append(f"{method.upper()} {path}: public={public}")
    assert not wrong, "\n".join(wrong)


def test_each_operation_declares_the_problems_it_can_answer(spec):
    missing = []
    for path, method, operation in _operations(spec):
        declared = set(operation["responses"])
        expected = set()
        if _security(spec, operation):
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        query = any(p.get("in") == "query" for p in operation.get("parameters", ()))
        if "requestBody" in operation or query:
            expected.add("422")
        if method in UNSAFE:
            expected.add("409")
        if expected - declared:
            missing.append(f"{method.upper()} {path}: {sorted(expected - declared)}")
    assert not missing, "\n".join(missing)
    refs = spec["components"]["responses"]
    for name in ("UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "UNPROCESSABLE_ENTITY"):
        assert refs[name]["content"]["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }


def test_writes_take_a_bearer_token_or_the_cookie_with_its_csrf_header(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["csrf"] == {**schemes["csrf"], "type": "apiKey", "in": "header"}
    assert schemes["csrf"]["name"] == CSRF_HEADER
    assert schemes["cookie"]["in"] == "cookie"
    for path, method, operation in _operations(spec):
        security = _security(spec, operation)
        if method in UNSAFE and security:
            assert security == WRITE_SECURITY, (method, path)
        elif security:  # reads need no CSRF token
            assert all("csrf" not in requirement for requirement in security), (method, path)


def test_csrf_exempt_endpoints_are_the_public_writes(app, spec):
    """The endpoints that skip the CSRF check are documented without security."""
    exempt = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in CSRF_EXEMPT:
            exempt |= {(m.lower(), rule.rule) for m in rule.methods & {"POST", "PUT", "PATCH"}}
    assert exempt
    for method, rule in exempt:
        operation = spec["paths"][re.sub(r"<(?:[a-z]+:)?([^>]+)>", r"{\1}", rule)][method]
        assert operation["security"] == [], (method, rule)


def test_a_cookie_write_works_as_the_spec_says(app, spec):
    """Log in with the cookie, take the token the spec names, send it in the header the csrf
    scheme names: the write goes through; without it, the documented 403."""
    user = factories.UserFactory()
    c = app.test_client()
    login = c.post("/api/v1/auth/login", json={"email": user.email, "password": factories.PASSWORD})
    assert login.status_code == 200
    token = c.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    assert token == login.get_json()["csrf_token"]
    operation = spec["paths"]["/api/v1/auth/me"]["patch"]
    assert "403" in operation["responses"]
    header = spec["components"]["securitySchemes"]["csrf"]["name"]
    refused = c.patch("/api/v1/auth/me", json={"name": "王芳"})
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    done = c.patch("/api/v1/auth/me", json={"name": "王芳"}, headers={header: token})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["name"] == "王芳"


def test_swagger_ui_page_has_no_inline_script(client):
    resp = client.get("/api/docs")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attrs, body in scripts:
        assert 'src="/api/docs/assets/' in attrs, attrs
        assert not body.strip(), body
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert "javascript:" not in html
    assert '<script src="/api/docs/assets/cbec-swagger-init.js"></script>' in html


def test_swagger_ui_initializer_is_served_and_reads_its_settings(client):
    html = client.get("/api/docs").get_data(as_text=True)
    config = json.loads(re.search(r"data-config='([^']*)'", html).group(1))
    assert config["persistAuthorization"] is True
    assert 'data-spec-url="/api/openapi.json"' in html
    js = client.get("/api/docs/assets/cbec-swagger-init.js")
    assert js.status_code == 200
    assert "javascript" in js.mimetype
    text = js.get_data(as_text=True)
    assert "SwaggerUIBundle" in text
    assert "data-config" in text
    # Swagger UI's own files are still there, beside ours.
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
