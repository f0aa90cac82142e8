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
