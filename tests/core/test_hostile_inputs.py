"""Hostile inputs to every route in the URL map: never a 5xx, every 4xx problem+json.

A Hypothesis property test per method of every rule in `app.url_map`: path variables get ids
that exist (a small world committed once for the module) and ids that do not; each example
sends a hostile JSON body and, separately, a hostile query string, each anonymously and with
a bearer token of a coordinator, an organization admin or a student. Bodies are whole hostile
documents (nesting 1,000 and 20,000 deep, 5,000-digit integers, NaN and Infinity literals,
1e400, invalid UTF-8, over the size limit) or a plausible body (from the spec) whose fields
get values aimed at their type: 1e308 and 10**30 for numbers, times whose UTC form leaves
years 1..9999 for date-times, lone surrogates, NUL, very long and Chinese text, wrong types.
Query parameters get the same, plus cursors carrying such times and ids. Every request counts
as an input tried; the totals are printed at the end of the module.

CBEC_HOSTILE_EXAMPLES (default 3) sets the examples per route; bench/hostile_inputs.py runs
a bigger budget and prints the count per route (CBEC_HOSTILE_REPORT names its JSON report).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbec_alliance import create_app
from cbec_alliance.accounts import services as account_services
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db, limiter
from tests import factories
from tests.applications.factories import ApplicationFactory
from tests.competitions.factories import CompetitionFactory
from tests.conftest import _truncate_all
from tests.core.hostile import PROBLEM, Operation, hostile_requests, operations
from tests.courses.factories import CourseFactory
from tests.internships.factories import InternshipFactory
from tests.partnerships.factories import LectureFactory, TrainingBaseFactory
from tests.students.factories import student

EXAMPLES = int(os.environ.get("CBEC_HOSTILE_EXAMPLES", "3"))
OPERATIONS = operations(create_app("testing"))
TRIED: Counter[str] = Counter()
SERVER_ERRORS: Counter[str] = Counter()


@dataclass
class World:
    """Ids for path variables (by name) and bearer tokens (by identity)."""

    ids: dict[str, int]
    tokens: dict[str, str]


def _token(user) -> str:
    _row, plain = account_services.create_token(user, "hostile inputs", 1)
    return plain


def _created(client, url: str, body: dict) -> int | None:
    resp = client.post(url, json=body)
    return resp.get_json()["id"] if resp.status_code == 201 else None


def _rows() -> World:
    """An alliance in miniature, committed: one row behind most kinds of path id."""
    factories.bind(db.session)
    coordinator = factories.CoordinatorFactory()
    enterprise = factories.OrganizationFactory()
    university = factories.UniversityFactory()
    ent_admin = factories.member(enterprise, "admin")
    uni_admin = factories.member(university, "admin")
    staff = factories.member(enterprise, "staff")
    learner = student(university)
    posting = InternshipFactory(enterprise_id=enterprise.id)
    application = ApplicationFactory(
        internship_id=posting.id, student_id=learner.id, university_id=university.id
    )
    course = CourseFactory(university_id=university.id, partners=[enterprise])
    competition = CompetitionFactory(organizer=enterprise)
    base = TrainingBaseFactory(host_enterprise_id=enterprise.id, universities=[university])
    event = LectureFactory(
        host_organization_id=enterprise.id, starts_at=utcnow() + timedelta(days=3)
    )
    tokens = {
        "coordinator": _token(coordinator),
        "enterprise admin": _token(ent_admin),
        "university admin": _token(uni_admin),
        "student": _token(learner),
    }
    spare, _plain = account_services.create_token(coordinator, "spare", 1)
    db.session.flush()
    ids = {
        "org_id": enterprise.id,
        "enterprise_id": enterprise.id,
        "university_id": university.id,
        "user_id": staff.id,
        "student_id": learner.id,
        "internship_id": posting.id,
        "application_id": application.id,
        "course_id": course.id,
        "competition_id": competition.id,
        "base_id": base.id,
        "event_id": event.id,
        "token_id": spare.id,
    }
    db.session.commit()
    return World(ids=ids, tokens=tokens)


def _api_rows(app, world: World) -> None:
    """The rest through the API (outside any app context: each request its own session)."""
    ids = world.ids
    coord = _client(app, world.tokens["coordinator"])
    ent = _client(app, world.tokens["enterprise admin"])
    org = f"/api/v1/organizations/{ids['org_id']}"
    due = (utcnow() + timedelta(days=5)).isoformat()
    catalogue = coord.get("/api/v1/webhooks/events").get_json() or {}
    events = [event["type"] for event in catalogue.get("items", [])[:1]]
    made = {
        "round_id": _created(
            coord,
            "/api/v1/match-rounds",
            {"name": "春季", "internship_ids": [ids["internship_id"]], "preferences_close_at": due},
        ),
        "survey_id": _created(
            coord,
            "/api/v1/surveys",
            {"title": "调查", "year": 2026, "template": "talent-demand", "distributed": 10},
        ),
        "partnership_id": _created(
            ent,
            "/api/v1/partnerships",
            {
                "enterprise_id": ids["org_id"],
                "university_id": ids["university_id"],
                "modes": ["co-developed-courses"],
                "starts_on": utcnow().date().isoformat(),
            },
        ),
        "invitation_id": _created(
            ent, f"{org}/invitations", {"email": "invitee@example.cn", "role": "staff"}
        ),
        "webhook_id": _created(
            ent, f"{org}/webhooks", {"url": "https://example.cn/h", "events": events}
        ),
    }
    ids.update({name: value for name, value in made.items() if value is not None})
    inbox = _client(app, world.tokens["university admin"]).get("/api/v1/notifications")
    if inbox.get_json().get("items"):
        ids["notification_id"] = inbox.get_json()["items"][0]["id"]


def _client(app, token: str | None):
    client = app.test_client()
    client.bearer = token
    return client


@pytest.fixture(scope="module")
def world(app, request):
    """The committed world, emptied again (tables truncated) after the module."""
    _truncate_all(app)
    with app.app_context():
        built = _rows()
    _api_rows(app, built)
    yield built
    _truncate_all(app)
    _report(request.config)


@pytest.fixture(autouse=True)
def _no_throttling():
    # Throttled logins (429) would hide what validation does with a hostile body.
    limiter.enabled = False
    yield
    limiter.enabled = True


def _report(config) -> None:
    fives = sum(SERVER_ERRORS.values())
    line = (
        f"hostile inputs: {sum(TRIED.values())} requests over {len(TRIED)} routes "
        f"({min(TRIED.values(), default=0)}..{max(TRIED.values(), default=0)} per route), "
        f"{fives} answered 5xx"
    )
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        # Module teardown runs under output capture; the summary line is meant to be seen.
        with capture.global_and_fixture_disabled():
            reporter.write("\n")
            reporter.write_line(line)
    path = os.environ.get("CBEC_HOSTILE_REPORT")
    if path:
        rows = {route: [TRIED[route], SERVER_ERRORS[route]] for route in sorted(TRIED)}
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"examples": EXAMPLES, "routes": rows}, out, ensure_ascii=False, indent=1)


def _send(app, op: Operation, token: str | None, url: str, body, content_type):
    """One request; an exception the app let out counts as the 500 it would be."""
    TRIED[str(op)] += 1
    headers = {"Content-Type": content_type} if content_type and body is not None else {}
    try:
        resp = _client(app, token).open(url, method=op.method, data=body, headers=headers)
    except Exception as exc:
        SERVER_ERRORS[str(op)] += 1
        raise AssertionError(f"{op} {url[:300]} raised {exc!r}") from exc
    if resp.status_code >= 500:
        SERVER_ERRORS[str(op)] += 1
    sent = f"{op.method} {url[:300]} body={(body or b'')[:200]!r}"
    assert resp.status_code < 500, (sent, resp.status_code, resp.data[:500])
    if resp.status_code >= 400 and op.rule.startswith("/console"):
        # The web console answers people with a page, under the same security headers.
        assert resp.mimetype == "text/html", (sent, resp.status_code, resp.mimetype)
        assert "Content-Security-Policy" in resp.headers, sent
    elif resp.status_code >= 400:
        assert resp.mimetype == PROBLEM, (sent, resp.status_code, resp.mimetype)
        problem = json.loads(resp.data)
        assert problem["status"] == resp.status_code, (sent, problem)
        assert problem["detail"], (sent, problem)


@pytest.mark.parametrize("op", OPERATIONS, ids=str)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_no_hostile_input_gives_a_5xx(op, data, app, world):
    """Anonymously and logged in: a hostile body, then a hostile query string."""
    identities = sorted(world.tokens)
    hostile = data.draw(hostile_requests(op, world.ids, identities))
    for token in (None, world.tokens[hostile.who]):
        _send(app, op, token, hostile.path, hostile.body, hostile.content_type)
        _send(app, op, token, f"{hostile.path}?{hostile.query}", None, None)
