"""Register, login, logout, sessions and CSRF through the HTTP API."""

from __future__ import annotations

from tests import factories


def test_register_returns_user_and_keeps_chinese(client):
    resp = client.post(
        "/api/v1/auth/register",
        json={"email": "Li.Hua@Example.cn", "password": "0123456789", "name": "李华"},
    )
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["email"] == "li.hua@example.cn"
    assert body["name"] == "李华"
    assert "李华".encode() in resp.data  # UTF-8, not \\u escapes
    assert "password" not in body
    assert "password_hash" not in body


def test_register_duplicate_email_is_409(client):
    data = {"email": "dup@example.cn", "password": "0123456789", "name": "A"}
    assert client.post("/api/v1/auth/register", json=data).status_code == 201
    data["email"] = "DUP@example.cn"
    resp = client.post("/api/v1/auth/register", json=data)
    assert resp.status_code == 409
    assert resp.mimetype == "application/problem+json"


def test_register_short_password_names_the_field(client):
    resp = client.post(
        "/api/v1/auth/register", json={"email": "a@example.cn", "password": "short", "name": "A"}
    )
    assert resp.status_code == 422
    assert "password" in resp.get_json()["errors"]


def test_login_me_logout_and_replayed_cookie_is_401(app, client):
    user = factories.UserFactory()
    resp = client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": factories.PASSWORD}
    )
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["user"]["email"] == user.email
    assert body["csrf_token"]
    cookie = client.get_cookie("cbec_session")
    assert cookie is not None
    client.csrf = body["csrf_token"]
    assert client.get("/api/v1/auth/me").status_code == 200
    assert client.post("/api/v1/auth/logout").status_code == 204
    # Replay the cookie captured while logged in.
    replay = app.test_client()
    replay.set_cookie("cbec_session", cookie.value)
    assert replay.get("/api/v1/auth/me").status_code == 401


def test_session_cookie_flags(client):
    user = factories.UserFactory()
    resp = client.post(
        "/api/v1/auth/login",
        json={"email": user.email, "password": factories.PASSWORD, "remember": True},
    )
    cookies = resp.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("cbec_session="))
    remember = next(c for c in cookies if c.startswith("cbec_remember="))
    for c in (session, remember):
        assert "HttpOnly" in c
        assert "SameSite=Lax" in c
    # Remember-me lasts at most 30 days.
    assert "Max-Age=2592000" in remember or "Expires=" in remember


def test_session_id_changes_at_login(app, client):
    user = factories.UserFactory()
    creds = {"email": user.email, "password": factories.PASSWORD}
    client.post("/api/v1/auth/login", json=creds)
    first = client.get_cookie("cbec_session").value
    client.post("/api/v1/auth/login", json=creds)
    second = client.get_cookie("cbec_session").value
    assert first != second


def test_wrong_password_and_unknown_email_same_401(client):
    user = factories.UserFactory()
    a = client.post("/api/v1/auth/login", json={"email": user.email, "password": "wrong-pass-1"})
    b = client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.cn", "password": "wrong-pass-1"}
    )
    assert a.status_code == b.status_code == 401
    assert a.get_json() == b.get_json()


def test_cookie_write_without_csrf_is_403(as_user):
    user = factories.UserFactory()
    c = as_user(user)
    c.csrf = None
    resp = c.patch("/api/v1/auth/me", json={"name": "新名字"})
    assert resp.status_code == 403
    resp = c.patch("/api/v1/auth/me", json={"name": "新名字"}, headers={"X-CSRF-Token": "nope"})
    assert resp.status_code == 403


def test_cookie_write_with_csrf_works(as_user):
    c = as_user(factories.UserFactory())
    resp = c.patch("/api/v1/auth/me", json={"name": "新名字", "language": "en"})
    assert resp.status_code == 200
    assert resp.get_json()["name"] == "新名字"
    csrf = c.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    assert csrf == c.csrf


def test_password_change_kills_old_cookies(app, as_user):
    user = factories.UserFactory()
    c = as_user(user)
    other = as_user(user)  # a second device
    old_cookie = c.get_cookie("cbec_session").value
    resp = c.post(
        "/api/v1/auth/password",
        json={"current_password": factories.PASSWORD, "new_password": "a brand new password"},
    )
    assert resp.status_code == 200
    assert other.get("/api/v1/auth/me").status_code == 401
    replay = app.test_client()
    replay.set_cookie("cbec_session", old_cookie)
    assert replay.get("/api/v1/auth/me").status_code == 401
    # The device that changed it got a fresh session.
    c.csrf = resp.get_json()["csrf_token"]
    assert c.get("/api/v1/auth/me").status_code == 200
    new_login = app.test_client().post(
        "/api/v1/auth/login", json={"email": user.email, "password": "a brand new password"}
    )
    assert new_login.status_code == 200


def test_password_change_wrong_current_is_422(as_user):
    c = as_user(factories.UserFactory())
    resp = c.post(
        "/api/v1/auth/password",
        json={"current_password": "not it at all", "new_password": "a brand new password"},
    )
    assert resp.status_code == 422
    assert "current_password" in resp.get_json()["errors"]


def test_me_lists_memberships(as_user):
    org = factories.OrganizationFactory()
    user = factories.member(org, "admin")
    body = as_user(user).get("/api/v1/auth/me").get_json()
    assert body["memberships"] == [
        {"organization_id": org.id, "organization_kind": "enterprise", "role": "admin"}
    ]
    assert body["platform_role"] == "user"
