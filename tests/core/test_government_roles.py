"""Who reads the alliance-wide views (issue 21): the role x route matrix.

Members (admins and staff) of an approved government body read monitoring, surveys and their
reports, and every partnership, as coordinators and industry associations do; a pending
body's members, enterprises, universities and students do not; the anonymous are asked to
log in. Monitoring and survey routes are read from the URL map, so a new one is walked (or,
for a survey route, named here) without touching this file's roles.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cbec_alliance.extensions import db
from cbec_alliance.partnerships.models import Partnership, PartnershipMode
from tests import factories
from tests.helpers import assert_problem
from tests.monitoring.test_monitoring import closed_survey

MONITORING = "/api/v1/monitoring/"
SURVEYS = "/api/v1/surveys"
# Monitoring routes a university's or enterprise's staff may read for their own organization
# (`monitoring.placements.scope_for`); every other monitoring route is alliance-wide only.
SCOPED = {"placements", "employment", "programmes"}
OVERSEERS = ("coordinator", "government admin", "government staff", "association member")
SIDES = ("enterprise admin", "university admin")
ROLES = (*OVERSEERS, "pending government admin", *SIDES, "student", "anonymous")


def _get_rules(app, prefix: str) -> list[str]:
    return sorted(
        {
            r.rule
            for r in app.url_map.iter_rules()
            if r.rule.startswith(prefix) and "GET" in (r.methods or ())
        }
    )


@pytest.fixture
def world(app, coord):
    """One organization per role, a partnership and surveys none of the roles belong to."""
    gov = factories.OrganizationFactory(kind="government", uscc=None, size=None, platforms=None)
    pending = factories.OrganizationFactory(
        kind="government", uscc=None, size=None, platforms=None, status="pending"
    )
    association = factories.OrganizationFactory(kind="association", uscc=None)
    ent, uni = factories.OrganizationFactory(), factories.UniversityFactory()
    users = {
        "coordinator": coord.user,
        "government admin": factories.member(gov, "admin"),
        "government staff": factories.member(gov, "staff"),
        "association member": factories.member(association, "staff"),
        "pending government admin": factories.member(pending, "admin"),
        "enterprise admin": factories.member(ent, "admin"),
        "university admin": factories.member(uni, "admin"),
        "student": factories.member(uni, "student"),
    }
    # Two others cooperate, and answered last year's survey; this year's is a draft.
    other_ent, other_uni = factories.OrganizationFactory(), factories.UniversityFactory()
    p = Partnership(
        enterprise_id=other_ent.id,
        university_id=other_uni.id,
        starts_on=dt.date(2026, 1, 1),
        goals={"interns_per_year": 4},
        status="active",
        proposed_by_org_id=other_ent.id,
        modes=[PartnershipMode(mode="lectures")],
    )
    db.session.add(p)
    db.session.flush()
    closed = closed_survey(app, coord.user, 2025, {other_ent: {"competencies": ["english"]}})
    draft = coord.post(
        SURVEYS,
        json={
            "title": "2026 人才需求调查",
            "year": 2026,
            "template": "talent-demand",
            "distributed": 9,
        },
    ).get_json()["id"]
    return {
        "users": users,
        "partnership": p.id,
        "closed": closed,
        "draft": draft,
        "ent": ent,
        "uni": uni,
        "other_uni": other_uni,
    }


@pytest.fixture(params=list(ROLES))
def caller(request, app, world, as_user, client):
    """(role, client) for each role of the matrix."""
    role = request.param
    if role == "anonymous":
        return role, client
    return role, as_user(world["users"][role])


def _refused(resp, role: str, status: int = 403) -> None:
    """A refusal: 401 for the anonymous, else `status`; a problem, with no figures."""
    body = assert_problem(resp, 401 if role == "anonymous" else status)
    assert not {"as_of", "items", "totals", "questions"} & set(body)


def test_monitoring_routes(app, world, caller):
    role, c = caller
    routes = _get_rules(app, MONITORING)
    assert {r.removeprefix(MONITORING) for r in routes} >= {"overview", "skills-gap"} | SCOPED
    for rule in routes:
        name = rule.removeprefix(MONITORING)
        resp = c.get(rule)
        if role in OVERSEERS:
            assert resp.status_code == 200, (rule, role, resp.get_json())
            got = resp.get_json()
            assert got["as_of"].endswith("Z"), rule
            assert got.get("scope") is None, (rule, "overseers see the whole alliance")
        elif role in SIDES and name in SCOPED:
            assert resp.status_code == 200, (rule, role, resp.get_json())
            assert resp.get_json()["as_of"].endswith("Z"), rule
            # Their own share only: another organization's is refused.
            _refused(c.get(rule, query_string={"organization_id": world["other_uni"].id}), role)
        else:
            _refused(resp, role)


def test_survey_routes(app, world, caller):
    role, c = caller
    ids = {"survey_id": world["draft"]}
    expected = {
        # rule: (status for overseers, for an enterprise's admin, for the others)
        SURVEYS: (200, 200, 403),
        f"{SURVEYS}/<int:survey_id>": (200, 404, 404),  # the draft
        f"{SURVEYS}/<int:survey_id>/report": (200, 403, 403),  # last year's, closed
        f"{SURVEYS}/<int:survey_id>/responses": (200, 403, 403),  # each questionnaire
    }
    assert _get_rules(app, SURVEYS) == sorted(expected), "name who reads the new survey route"
    for rule, (seer, enterprise, other) in expected.items():
        ids["survey_id"] = world["closed"] if rule.endswith("/report") else world["draft"]
        url = rule.replace("<int:survey_id>", str(ids["survey_id"]))
        resp = c.get(url)
        want = seer if role in OVERSEERS else enterprise if role == "enterprise admin" else other
        if want != 200 or role == "anonymous":
            _refused(resp, role, want)
            continue
        assert resp.status_code == 200, (url, role, resp.get_json())
        if rule == SURVEYS:  # drafts only for those who oversee
            listed = {s["id"] for s in resp.get_json()["items"]}
            assert (world["draft"] in listed) == (role in OVERSEERS), role
            assert world["closed"] in listed


def test_partnership_reads(world, caller):
    role, c = caller
    pid = world["partnership"]
    listed = c.get("/api/v1/partnerships")
    one = c.get(f"/api/v1/partnerships/{pid}")
    if role == "anonymous":
        _refused(listed, role)
        _refused(one, role)
    elif role in OVERSEERS:
        assert [p["id"] for p in listed.get_json()["items"]] == [pid]
        assert listed.get_json()["items"][0]["health"] is not None
        assert one.status_code == 200
        assert one.get_json()["progress"]["goals"][0]["goal"] == "interns_per_year"
    else:  # their own partnerships only: none
        assert listed.get_json()["total"] == 0
        _refused(one, role, 404)


@pytest.mark.parametrize("role", OVERSEERS[1:])
def test_coordinators_alone_still_decide(world, as_user, role):
    """Reading like coordinators changes nothing coordinators alone may do."""
    c = as_user(world["users"][role])
    pending = factories.OrganizationFactory(status="pending")
    pid = world["partnership"]
    for method, url, body in (
        ("post", f"/api/v1/organizations/{pending.id}/approve", {}),
        ("post", "/api/v1/taxonomy/job-categories", {"code": "x", "name_en": "X", "name_zh": "X"}),
        ("patch", "/api/v1/taxonomy/job-categories/other", {"name_en": "Misc"}),
        ("post", SURVEYS, {"title": "调查", "year": 2027, "distributed": 3}),
        ("post", f"{SURVEYS}/{world['draft']}/open", None),
        ("post", f"/api/v1/partnerships/{pid}/note", {"note": "看一看", "flagged": True}),
        (
            "post",
            "/api/v1/match-rounds",
            {"name": "R", "internship_ids": [1], "preferences_close_at": "2030-01-01T00:00:00Z"},
        ),
    ):
        resp = getattr(c, method)(url, json=body)
        assert_problem(resp, 403)
    assert_problem(
        c.get(
            "/api/v1/partnerships/fit",
            query_string={"enterprise_id": world["ent"].id, "university_id": world["uni"].id},
        ),
        403,
    )
    # The audit log stays each organization's own; the whole of it is the coordinators'.
    assert_problem(
        c.get("/api/v1/audit-log", query_string={"organization_id": world["uni"].id}), 403
    )
