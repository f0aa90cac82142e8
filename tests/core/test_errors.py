"""Every error is application/problem+json: routing, methods, body size, JSON, crashes."""

from __future__ import annotations

import json

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors

REGISTER = "/api/v1/auth/register"
LIMIT = 2 * 1024 * 1024


@pytest.mark.parametrize("path", ["/nope", "/api/v1/nope", "/api/v1/organizations/1/nope"])
def test_unknown_url_is_404_problem(client, path):
    body = assert_problem(client.get(path), 404)
    assert body["title"] == "Not Found"


def test_unknown_url_is_404_problem_for_writes_too(client):
    assert_problem(client.post("/api/v1/nope", json={}), 404)


def test_wrong_method_is_405_problem_with_allow(client):
    resp = client.put("/healthz")
    assert_problem(resp, 405)
    allowed = {m.strip() for m in resp.headers["Allow"].split(",")}
    assert "GET" in allowed
    assert "PUT" not in allowed


def test_wrong_method_on_api_route_is_405(client):
    resp = client.delete("/api/v1/auth/register")
    assert_problem(resp, 405)
    assert "POST" in resp.headers["Allow"]


def test_body_over_2_mib_is_413_problem(client):
    resp = client.post(REGISTER, data=b"x" * (LIMIT + 1), content_type="application/json")
    assert_problem(resp, 413)


def test_body_just_under_2_mib_is_read_and_validated(client):
    # The limit is on the body, not lower: a big but allowed body reaches validation.
    name = "名" * ((LIMIT - 200) // 3)  # 3 UTF-8 bytes each
    data = json.dumps(
        {"email": "big@example.cn", "password": "0123456789", "name": name}, ensure_ascii=False
    ).encode()
    assert len(data) < LIMIT
    errors = validation_errors(client.post(REGISTER, data=data, content_type="application/json"))
    assert "name" in errors


@pytest.mark.parametrize(
    "data",
    [b"{bad", b'{"email": "a@b.cn",}', b"\xff\xfe{}", b'{"name": "unterminated'],
    ids=["syntax", "trailing-comma", "not-utf8", "unterminated"],
)
def test_malformed_json_is_400_problem(client, data):
    body = assert_problem(client.post(REGISTER, data=data, content_type="application/json"), 400)
    assert "JSON" in body["detail"]


def test_malformed_json_is_400_when_logged_in(as_user):
    c = as_user(factories.UserFactory())
    resp = c.post("/api/v1/organizations", data="{bad", content_type="application/json")
    assert_problem(resp, 400)


@pytest.mark.parametrize("data", ["[1, 2]", '"text"', "null", "42"])
def test_json_that_is_not_an_object_is_422(client, data):
    resp = client.post(REGISTER, data=data, content_type="application/json")
    assert_problem(resp, 422)


def test_unhandled_error_is_500_problem_without_internals(app, client, monkeypatch):
    def boom(*_args, **_kwargs):
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setitem(app.view_functions, "health.Health", boom)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    resp = client.get("/healthz")
    assert_problem(resp, 500)
    assert b"secret internals" not in resp.data
    assert b"Traceback" not in resp.data


def test_problem_bodies_are_utf8_not_escaped(client):
    # A field name the client chose comes back readable (and never breaks the response).
    resp = client.post(
        REGISTER,
        json={"email": "a@example.cn", "password": "0123456789", "name": "A", "备注": "x"},
    )
    assert "备注" in validation_errors(resp)
    assert "备注".encode() in resp.data


def test_anonymous_callers_are_told_401_never_403(client, as_user):
    # Listing pending organizations is for coordinators: a stranger is asked to log in...
    body = assert_problem(client.get("/api/v1/organizations?status=pending"), 401)
    assert "Log in" in body["detail"]
    # ...while a logged-in user who is not a coordinator is refused.
    c = as_user(factories.UserFactory())
    assert_problem(c.get("/api/v1/organizations?status=pending"), 403)
