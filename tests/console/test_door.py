"""The console's door: the login form, CSRF on every form, the security headers, the
language switch, the home page and its areas, and HTML error pages."""

from __future__ import annotations

import pytest

from cbec_alliance.accounts.models import User
from cbec_alliance.extensions import db
from tests import factories
from tests.console.conftest import csrf_of, text_of


def form_login(client, email: str, password: str = factories.PASSWORD, **extra):
    """Log in through the console's form as a browser does: read the form, send it back."""
    token = csrf_of(client.get("/console/login"))
    return client.post(
        "/console/login",
        data={"csrf_token": token, "email": email, "password": password, **extra},
    )


def test_anonymous_pages_send_to_the_login_form_and_back(client):
    resp = client.get("/console/monitoring/districts?measure=gap")
    assert resp.status_code == 302
    assert resp.headers["Location"] == (
        "/console/login?next=/console/monitoring/districts?measure%3Dgap"
    )


def test_login_page_is_chinese_first_with_a_strict_policy(client):
    resp = client.get("/console/login")
    assert resp.status_code == 200
    assert resp.headers["Content-Language"] == "zh-CN"
    assert "登录" in text_of(resp)
    policy = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Cache-Control"] == "no-store"
    body = resp.get_data(as_text=True)
    assert "<script>" not in body
    assert " style=" not in body
    assert " onclick=" not in body


def test_english_when_the_browser_asks_for_it(client):
    resp = client.get("/console/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert resp.headers["Content-Language"] == "en"
    assert "Log in" in text_of(resp)


def test_login_goes_to_the_page_asked_for(client, ctx):
    user = factories.CoordinatorFactory()
    resp = form_login(client, user.email, next="/console/monitoring/skills-gap")
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/console/monitoring/skills-gap"
    assert client.get("/console/monitoring/skills-gap").status_code == 200


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "console"]
)
def test_login_never_redirects_off_the_site(client, ctx, target):
    user = factories.CoordinatorFactory()
    resp = form_login(client, user.email, next=target)
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/console/"


def test_wrong_password_gets_the_same_answer_and_no_session(client, ctx):
    user = factories.UserFactory()
    wrong = form_login(client, user.email, password="not-the-password-at-all")
    unknown = form_login(client, "nobody@example.cn", password="not-the-password-at-all")
    for resp in (wrong, unknown):
        assert resp.status_code == 401
        assert "邮箱或密码错误" in text_of(resp)
    assert client.get("/console/").status_code == 302


def test_a_form_without_its_csrf_token_is_refused(client, ctx):
    user = factories.UserFactory()
    resp = client.post("/console/login", data={"email": user.email, "password": factories.PASSWORD})
    assert resp.status_code == 400
    assert "表单已过期" in text_of(resp)
    forged = client.post(
        "/console/login",
        data={"csrf_token": "forged", "email": user.email, "password": factories.PASSWORD},
    )
    assert forged.status_code == 400
    assert client.get("/console/").status_code == 302  # still not logged in


def test_a_logged_in_form_needs_the_token_too(app, ctx):
    user = factories.CoordinatorFactory()
    browser = app.test_client()
    assert form_login(browser, user.email).status_code == 303
    resp = browser.post("/console/language", data={"language": "en"})
    assert resp.status_code == 400
    assert user.ui_language is None


def test_language_switch_is_kept_on_the_user(app):
    # No app context held across the requests: each request chooses its language afresh.
    with app.app_context():
        user = factories.CoordinatorFactory()
        email, user_id = user.email, user.id
    browser = app.test_client()
    form_login(browser, email)
    page = browser.get("/console/monitoring/")
    resp = browser.post(
        "/console/language",
        data={"csrf_token": csrf_of(page), "language": "en", "next": "/console/monitoring/"},
    )
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/console/monitoring/"
    assert "Alliance overview" in text_of(browser.get("/console/monitoring/"))
    bad = browser.post("/console/language", data={"csrf_token": csrf_of(page), "language": "fr"})
    assert bad.status_code == 422
    with app.app_context():
        assert db.session.get(User, user_id).ui_language == "en"


def test_language_switch_before_login_is_kept_in_the_session(client):
    token = csrf_of(client.get("/console/login"))
    client.post("/console/language", data={"csrf_token": token, "language": "en"})
    assert "Log in" in text_of(client.get("/console/login"))


def test_home_lists_every_area_of_a_user_with_several(app, ctx):
    user = factories.CoordinatorFactory()
    org = factories.OrganizationFactory()
    factories.MembershipFactory(user=user, organization=org, role="admin")
    browser = app.test_client()
    form_login(browser, user.email)
    resp = browser.get("/console/")
    assert resp.status_code == 200
    text = text_of(resp)
    assert "联盟监测" in text
    assert org.name in text


def test_a_user_without_an_approved_organization_is_told_what_to_do(app, ctx):
    user = factories.UserFactory()
    pending = factories.OrganizationFactory(status="pending")
    factories.MembershipFactory(user=user, organization=pending, role="admin")
    browser = app.test_client()
    form_login(browser, user.email)
    resp = browser.get("/console/")
    assert resp.status_code == 200
    assert "尚未加入已批准的组织" in text_of(resp)
    assert pending.name not in text_of(resp)


def test_logout_ends_the_session(app, ctx):
    user = factories.CoordinatorFactory()
    browser = app.test_client()
    form_login(browser, user.email)
    page = browser.get("/console/monitoring/")
    resp = browser.post("/console/logout", data={"csrf_token": csrf_of(page)})
    assert resp.status_code == 303
    assert browser.get("/console/monitoring/").status_code == 302


def test_console_errors_are_pages_not_json(coord):
    resp = coord.post("/console/monitoring/approvals/999999", data={"action": "approve"})
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert "Content-Security-Policy" in resp.headers


def test_the_static_files_and_the_font_are_served(client):
    for path, kind in (
        ("/console/static/htmx.min.js", "text/javascript"),
        ("/console/static/console.js", "text/javascript"),
        ("/console/static/console.css", "text/css"),
        ("/console/font/cjk.otf", "font/otf"),
    ):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert resp.mimetype == kind, path
        resp.close()
