"""Every route needs a login unless it is on the public allow-list below.

The rules come from the app's URL map, so a new route is covered the moment it is added: it
must answer an anonymous caller 401 (problem+json), or be listed here on purpose.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from tests.helpers import assert_problem

SKIPPED_METHODS = {"HEAD", "OPTIONS"}

# (method, rule) pairs anyone may call without logging in.
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/docs"),
    ("GET", "/api/docs/assets/<path:filename>"),
    ("GET", "/static/<path:filename>"),
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    # Anonymous by nature: the mailed token (or the mailbox asked for) is the credential.
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("POST", "/api/v1/auth/verify-email"),
    ("GET", "/api/v1/organizations"),
    ("GET", "/api/v1/organizations/<int:org_id>"),
    ("GET", "/api/v1/taxonomy"),
    ("GET", "/api/v1/taxonomy/<string:vocabulary>"),
    ("GET", "/api/v1/internships"),
    ("GET", "/api/v1/events"),
    ("GET", "/api/v1/events/<int:event_id>"),
    ("GET", "/api/v1/training-bases"),
    ("GET", "/api/v1/training-bases/<int:base_id>"),
    ("GET", "/api/v1/courses"),
    ("GET", "/api/v1/courses/<int:course_id>"),
    ("GET", "/api/v1/courses/<int:course_id>/versions"),
    ("GET", "/api/v1/competitions"),
    ("GET", "/api/v1/competitions/<int:competition_id>"),
    ("GET", "/api/v1/competitions/<int:competition_id>/teams"),
    ("GET", "/api/v1/competitions/<int:competition_id>/leaderboard"),
    ("GET", "/api/v1/internships/<int:internship_id>"),
    # Anyone holding a certificate may confirm its code (and learns nothing else).
    ("GET", "/api/v1/placements/verify/<string:code>"),
    ("GET", "/api/v1/certificate-exams"),
    ("GET", "/api/v1/certificate-exams/<int:exam_id>"),
    ("GET", "/api/v1/certificates/verify"),
    # Calendars: the items are public; a feed's secret address is its own credential.
    ("GET", "/api/v1/calendar/feed/<string:token>.ics"),
    ("GET", "/api/v1/calendar/events/<int:event_id>.ics"),
    ("GET", "/api/v1/calendar/competitions/<int:competition_id>.ics"),
    ("GET", "/api/v1/calendar/certificate-exams/<int:exam_id>.ics"),
    # An account a university's roster made has no password to log in with: the emailed
    # invitation token sets its first one.
    ("POST", "/api/v1/invitations/<string:token>/password"),
    # A signed download link is its own credential (short-lived, made by someone who sees
    # the document).
    ("GET", "/api/v1/documents/signed/<string:token>"),
}


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - SKIPPED_METHODS):
            yield method, rule


def _url(rule) -> str:
    """The rule with plausible values: integers 1, anything else 'x'."""
    values = {
        name: 1 if isinstance(conv, IntegerConverter) else "x"
        for name, conv in rule._converters.items()
    }
    return rule.build(values, append_unknown=False)[1]


def _protected(app):
    """The API's protected routes (the console's pages answer with pages: tested below)."""
    return [
        (m, r)
        for m, r in _routes(app)
        if (m, r.rule) not in PUBLIC and not r.rule.startswith("/console")
    ]


# The console's door: anyone may see the login form, log in, and choose a language.
CONSOLE_PUBLIC = {
    ("GET", "/console/login"),
    ("POST", "/console/login"),
    ("POST", "/console/language"),
    ("GET", "/console/static/<path:filename>"),
    ("GET", "/console/font/cjk.otf"),
}


def test_console_pages_send_anonymous_callers_to_the_login_form(app):
    """Every console page and form, found in the URL map, sends an anonymous caller (with a
    valid CSRF token, so the form is not refused for that) to the login form."""
    from tests.console.conftest import csrf_of  # noqa: PLC0415

    failures, seen = [], 0
    for method, rule in _routes(app):
        if not rule.rule.startswith("/console") or (method, rule.rule) in CONSOLE_PUBLIC:
            continue
        seen += 1
        client = app.test_client()
        token = csrf_of(client.get("/console/login"))
        data = {"csrf_token": token} if method != "GET" else None
        resp = client.open(_url(rule), method=method, data=data)
        if resp.status_code != 302 or not resp.headers["Location"].startswith(
            "/console/login?next="
        ):
            failures.append((method, rule.rule, resp.status_code))
    assert seen > 40, seen
    assert not failures, failures


def test_allow_list_has_no_stale_entries(app):
    existing = {(m, r.rule) for m, r in _routes(app)}
    assert not PUBLIC - existing, f"public routes that no longer exist: {PUBLIC - existing}"


def test_the_walk_sees_the_api(app):
    # Guards the walk itself: if it found nothing, every other test here would pass vacuously.
    protected = {(m, r.rule) for m, r in _protected(app)}
    assert ("GET", "/api/v1/auth/me") in protected
    assert ("POST", "/api/v1/organizations") in protected
    assert len(protected) >= 15


@pytest.mark.parametrize(
    ("headers", "cookie"),
    [
        ({}, None),
        ({"Authorization": "Bearer cbec_not-a-real-token"}, None),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, None),
        ({"X-CSRF-Token": "guess"}, "forged.session.cookie"),
    ],
    ids=["no-credentials", "bad-token", "other-scheme", "forged-cookie"],
)
def test_protected_routes_answer_anonymous_callers_401(app, headers, cookie):
    failures = []
    for method, rule in _protected(app):
        client = app.test_client()
        if cookie:
            client.set_cookie("cbec_session", cookie)
        resp = client.open(_url(rule), method=method, json={}, headers=headers)
        if resp.status_code != 401 or resp.mimetype != "application/problem+json":
            failures.append((method, rule.rule, resp.status_code, resp.data[:120]))
            continue
        assert_problem(resp, 401)
    assert not failures, failures


def test_public_routes_do_not_ask_for_a_login(app):
    failures = []
    for method, rule in _routes(app):
        if (method, rule.rule) not in PUBLIC:
            continue
        resp = app.test_client().open(_url(rule), method=method, json={})
        if resp.status_code in (401, 403) or resp.status_code >= 500:
            failures.append((method, rule.rule, resp.status_code))
    assert not failures, failures


def test_spec_marks_exactly_the_public_api_operations_public(app, client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["security"] == [{"bearer": []}, {"cookie": []}]
    assert {"bearer", "cookie"} <= set(spec["components"]["securitySchemes"])
    public_in_spec = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete") and op.get("security") == []
    }

    def as_spec_path(rule: str) -> str:
        return rule.replace("<int:", "{").replace("<string:", "{").replace(">", "}")

    documented = {(m, as_spec_path(r)) for m, r in PUBLIC if as_spec_path(r) in spec["paths"]}
    assert len(documented) >= 7
    assert public_in_spec == documented
