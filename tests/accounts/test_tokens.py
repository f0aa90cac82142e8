"""Personal API tokens."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import ApiToken
from cbec_alliance.extensions import db
from tests import factories


def _make_token(c, **kw):
    resp = c.post("/api/v1/auth/tokens", json={"name": "脚本 script", "expires_in_days": 30, **kw})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_token_is_shown_once_and_stored_hashed(app, as_user):
    c = as_user(factories.UserFactory())
    body = _make_token(c)
    token = body["token"]
    assert body["name"] == "脚本 script"
    assert body["expires_at"].endswith("Z")
    # 256 random bits, URL-safe base64 after the prefix: at least 128 bits in any case.
    assert len(token) - len("cbec_") >= 43
    listed = c.get("/api/v1/auth/tokens").get_json()
    assert listed["total"] == 1
    assert "token" not in listed["items"][0]
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == body["id"]))
    assert token not in (row.token_hash, row.prefix)
    assert len(row.token_hash) == 64


def test_bearer_token_authenticates_without_csrf(app, as_user):
    user = factories.UserFactory()
    token = _make_token(as_user(user))["token"]
    api = app.test_client()
    api.bearer = token
    assert api.get("/api/v1/auth/me").get_json()["id"] == user.id
    # Writes with a token need no CSRF header.
    assert api.patch("/api/v1/auth/me", json={"name": "王芳"}).status_code == 200


def test_revoked_token_stops_at_once(app, as_user):
    c = as_user(factories.UserFactory())
    body = _make_token(c)
    api = app.test_client()
    api.bearer = body["token"]
    assert api.get("/api/v1/auth/me").status_code == 200
    assert c.delete(f"/api/v1/auth/tokens/{body['id']}").status_code == 204
    assert api.get("/api/v1/auth/me").status_code == 401
    assert c.delete(f"/api/v1/auth/tokens/{body['id']}").status_code == 404


def test_expired_token_is_401(app, as_user):
    c = as_user(factories.UserFactory())
    body = _make_token(c)
    row = db.session.get(ApiToken, body["id"])
    row.expires_at = row.created_at
    db.session.flush()
    api = app.test_client()
    api.bearer = body["token"]
    assert api.get("/api/v1/auth/me").status_code == 401


def test_token_in_query_string_is_ignored(app, as_user):
    c = as_user(factories.UserFactory())
    token = _make_token(c)["token"]
    anon = app.test_client()
    for name in ("token", "access_token", "api_key"):
        assert anon.get(f"/api/v1/auth/me?{name}={token}").status_code == 401


def test_other_users_token_cannot_be_revoked_or_seen(app, as_user):
    alice, bob = factories.UserFactory(), factories.UserFactory()
    a = as_user(alice)
    body = _make_token(a)
    b = as_user(bob)
    assert b.delete(f"/api/v1/auth/tokens/{body['id']}").status_code == 404
    assert b.get("/api/v1/auth/tokens").get_json()["total"] == 0
    api = app.test_client()
    api.bearer = body["token"]
    assert api.get("/api/v1/auth/me").status_code == 200


def test_token_bad_input(as_user):
    c = as_user(factories.UserFactory())
    for payload, field in (
        ({"name": "", "expires_in_days": 30}, "name"),
        ({"name": "x", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "expires_in_days": 366}, "expires_in_days"),
        ({"expires_in_days": 5}, "name"),
    ):
        resp = c.post("/api/v1/auth/tokens", json=payload)
        assert resp.status_code == 422
        assert field in resp.get_json()["errors"]


def test_garbage_bearer_is_401(client):
    for header in ("Bearer ", "Bearer cbec_nope", "Basic abc", "Bearer " + "x" * 5000):
        resp = client.get("/api/v1/auth/me", headers={"Authorization": header})
        assert resp.status_code == 401


PASSWORD_URL = "/api/v1/auth/password"
NEW_PASSWORD = "a brand new password"


def _change_password(c, current: str = factories.PASSWORD):
    return c.post(PASSWORD_URL, json={"current_password": current, "new_password": NEW_PASSWORD})


def test_password_change_revokes_every_token_and_says_how_many(app, as_user):
    user = factories.UserFactory()
    c = as_user(user)
    tokens = [_make_token(c)["token"] for _ in range(3)]
    other_token = _make_token(as_user(factories.UserFactory()))["token"]
    api = app.test_client()
    api.bearer = tokens[0]
    assert api.get("/api/v1/auth/me").status_code == 200  # in use before the change
    resp = _change_password(c)
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["revoked_tokens"] == 3
    assert "3 API tokens were revoked" in body["detail"]
    assert body["user"]["id"] == user.id
    assert body["csrf_token"]
    for token in tokens:
        api.bearer = token
        assert api.get("/api/v1/auth/me").status_code == 401
    # The session that changed it was renewed; its token list is empty now.
    c.csrf = body["csrf_token"]
    assert c.get("/api/v1/auth/tokens").get_json()["total"] == 0
    # Another user's token is untouched, and a token made after the change works.
    api.bearer = other_token
    assert api.get("/api/v1/auth/me").status_code == 200
    api.bearer = _make_token(c)["token"]
    assert api.get("/api/v1/auth/me").get_json()["id"] == user.id


def test_password_change_with_a_token_revokes_that_token_too(app, as_user):
    user = factories.UserFactory()
    cookie = as_user(user)
    token = _make_token(cookie)["token"]
    api = app.test_client()
    api.bearer = token
    resp = _change_password(api)
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["revoked_tokens"] == 1
    assert body["csrf_token"] is None
    assert "1 API token was revoked" in body["detail"]
    assert "log in again" in body["detail"]
    assert api.get("/api/v1/auth/me").status_code == 401
    assert cookie.get("/api/v1/auth/me").status_code == 401


def test_password_change_without_tokens_revokes_none(as_user):
    resp = _change_password(as_user(factories.UserFactory()))
    assert resp.status_code == 200
    assert resp.get_json()["revoked_tokens"] == 0
    assert "0 API tokens were revoked" in resp.get_json()["detail"]


def test_wrong_current_password_revokes_nothing(app, as_user):
    c = as_user(factories.UserFactory())
    token = _make_token(c)["token"]
    resp = _change_password(c, current="not it at all")
    assert resp.status_code == 422
    assert "current_password" in resp.get_json()["errors"]
    api = app.test_client()
    api.bearer = token
    assert api.get("/api/v1/auth/me").status_code == 200


def test_openapi_documents_the_revoked_token_count(client):
    spec = client.get("/api/openapi.json").get_json()
    ok = spec["paths"][PASSWORD_URL]["post"]["responses"]["200"]["content"]["application/json"]
    name = ok["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = spec["components"]["schemas"][name]["properties"]
    assert {"user", "csrf_token", "revoked_tokens", "detail"} <= set(properties)
    assert properties["revoked_tokens"]["type"] == "integer"
    assert ok["example"]["revoked_tokens"] == 2
