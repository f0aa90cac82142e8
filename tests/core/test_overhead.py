"""What a request pays for only when it uses it: the behaviour the overhead cuts keep (issue 17).

The cuts themselves are measured by bench/overhead.py; these tests hold what must not change:
sessions, remember-me cookies, `Vary: Cookie` where a response depends on the cookie, and
no state that grows with the number of requests.
"""

from __future__ import annotations

from tests import factories


def test_anonymous_response_sets_no_cookie_and_no_vary(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert "Set-Cookie" not in resp.headers
    assert "Cookie" not in resp.headers.get("Vary", "")


def test_a_response_read_from_the_session_still_varies_on_the_cookie(app, as_user):
    user = factories.UserFactory()
    c = as_user(user)
    resp = c.get("/api/v1/auth/me")
    assert resp.status_code == 200
    assert resp.get_json()["email"] == user.email
    assert "Cookie" in resp.headers.get("Vary", "")


def test_remember_me_still_sets_and_logout_clears_its_cookie(app):
    user = factories.UserFactory()
    c = app.test_client()
    resp = c.post(
        "/api/v1/auth/login",
        json={"email": user.email, "password": factories.PASSWORD, "remember": True},
    )
    assert resp.status_code == 200
    cookies = resp.headers.getlist("Set-Cookie")
    assert any(cookie.startswith("cbec_remember=") for cookie in cookies)
    logout = c.post("/api/v1/auth/logout", headers={"X-CSRF-Token": resp.get_json()["csrf_token"]})
    assert logout.status_code in (200, 204)
    cleared = [h for h in logout.headers.getlist("Set-Cookie") if h.startswith("cbec_remember=")]
    assert cleared
    assert "Expires=Thu, 01 Jan 1970" in cleared[0]


def test_requests_leave_nothing_behind_in_the_coroutine_check(app, client):
    # MethodView makes a new view object (so a new bound method) every request: the answer
    # is remembered per function, so the table stops growing after the first request.
    client.get("/healthz")
    client.get("/api/v1/internships")
    known = len(app.__dict__["_plain_functions"])
    for _ in range(20):
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/internships").status_code == 200
    assert len(app.__dict__["_plain_functions"]) == known


def test_a_get_with_a_body_is_still_guarded(client):
    resp = client.open(
        "/api/v1/internships",
        method="GET",
        data="[" * 5000,
        content_type="application/json",
    )
    assert resp.status_code == 400
    assert resp.mimetype == "application/problem+json"


def test_settle_process_loads_the_charts_and_freezes_what_is_alive(app):
    import gc
    import sys

    from cbec_alliance import settle_process

    try:
        settle_process()
        assert gc.get_freeze_count() > 0
        assert "matplotlib.backends.backend_agg" in sys.modules
    finally:
        gc.unfreeze()
