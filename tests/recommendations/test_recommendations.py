"""Recommendations through the API: order, reasons, freshness, who may ask, bad input."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.recommendations import services
from cbec_alliance.recommendations.scoring import score
from cbec_alliance.students.models import StudentProfile
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.recommendations import sql_reference
from tests.students.factories import student

MINE = "/api/v1/students/me/recommended-internships"


def students_url(internship_id: int) -> str:
    return f"/api/v1/internships/{internship_id}/recommended-students"


def fitting_student(university=None):
    """A student who meets every requirement of the factory's default posting."""
    university = university or factories.UniversityFactory(district="tianhe")
    return student(
        university,
        competencies={"platform-operation": 4, "english": 3},
        languages={"en": 4},
        major="e-commerce",
    )


def test_internships_come_best_first_with_reasons(as_user):
    user = fitting_student()
    perfect = InternshipFactory()
    weaker = InternshipFactory(competencies={"platform-operation": 2, "data-analysis": 4})
    remote = InternshipFactory(majors=["logistics"], mode="remote", district="panyu")
    resp = as_user(user).get(MINE)
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    # remote: 0.5 + 0 (major) + 0.2 + 0.1; weaker: 0.5 * 1/2 + 0.2 + 0.2 + 0.1
    assert [i["internship"]["id"] for i in body["items"]] == [perfect.id, remote.id, weaker.id]
    assert [i["score"] for i in body["items"]] == [1.0, 0.8, 0.75]
    assert body["total"] == 3
    assert {"kind": "major", "code": "logistics", "matched": False} in body["items"][1]["reasons"]
    reasons = body["items"][2]["reasons"]
    assert {
        "kind": "competency",
        "code": "data-analysis",
        "matched": False,
        "required_level": 4,
        "student_level": 0,
    } in reasons
    assert body["items"][0]["internship"]["title"] == perfect.title


def test_only_open_postings_are_recommended_and_changes_show_at_once(as_user, coord):
    user = fitting_student()
    shown = InternshipFactory()
    InternshipFactory(status="draft", published_at=None)
    InternshipFactory(status="closed")
    InternshipFactory(status="taken_down")
    c = as_user(user)
    assert [i["internship"]["id"] for i in c.get(MINE).get_json()["items"]] == [shown.id]
    resp = coord.post(f"/api/v1/internships/{shown.id}/take-down", json={"reason": "虚假招聘"})
    assert resp.status_code == 200, resp.get_json()
    assert c.get(MINE).get_json() == {"items": [], "total": 0, "page": 1, "per_page": 20}
    fresh = InternshipFactory()
    assert [i["internship"]["id"] for i in c.get(MINE).get_json()["items"]] == [fresh.id]


def test_under_a_stream_of_changes_the_index_lags_but_never_shows_a_closed_posting(
    app, as_user, monkeypatch
):
    user = fitting_student()
    enterprise = factories.OrganizationFactory()
    shown = InternshipFactory(enterprise_id=enterprise.id)
    c = as_user(user)
    assert [i["internship"]["id"] for i in c.get(MINE).get_json()["items"]] == [shown.id]
    monkeypatch.setitem(app.config, "RECS_INDEX_MIN_AGE", 3600)
    staff = as_user(factories.member(enterprise, "staff"))
    assert staff.post(f"/api/v1/internships/{shown.id}/close").status_code == 200
    fresh = InternshipFactory()
    # The index is not rebuilt yet: the new posting waits, the closed one is dropped.
    assert c.get(MINE).get_json()["items"] == []
    monkeypatch.setitem(app.config, "RECS_INDEX_MIN_AGE", 0)
    assert [i["internship"]["id"] for i in c.get(MINE).get_json()["items"]] == [fresh.id]


def test_pages_split_the_same_order(as_user):
    user = fitting_student()
    postings = [InternshipFactory(competencies={"english": k % 5 + 1}) for k in range(7)]
    c = as_user(user)
    first = c.get(MINE, query_string={"per_page": 4}).get_json()
    second = c.get(MINE, query_string={"per_page": 4, "page": 2}).get_json()
    everything = c.get(MINE).get_json()["items"]
    assert [i["internship"]["id"] for i in first["items"] + second["items"]] == [
        i["internship"]["id"] for i in everything
    ]
    assert len(everything) == len(postings)
    keys = [(-i["score"], i["internship"]["id"]) for i in everything]
    assert keys == sorted(keys)


@pytest.mark.parametrize("who", ["anonymous", "enterprise_staff", "university_staff", "no_profile"])
def test_only_students_with_a_profile_get_internships(client, as_user, who):
    InternshipFactory()
    if who == "anonymous":
        assert_problem(client.get(MINE), 401)
        return
    if who == "no_profile":
        c, status = as_user(student(profile=False)), 404
    else:
        org = (
            factories.OrganizationFactory()
            if who == "enterprise_staff"
            else factories.UniversityFactory()
        )
        c, status = as_user(factories.member(org, "staff")), 403
    problem = assert_problem(c.get(MINE), status)
    assert "items" not in problem


def test_students_come_best_first_for_the_posting_staff(as_user):
    enterprise = factories.OrganizationFactory()
    staff = factories.member(enterprise, "admin")
    posting = InternshipFactory(enterprise_id=enterprise.id)
    best = fitting_student()
    partial = student(factories.UniversityFactory(), competencies={"platform-operation": 1})
    student(factories.UniversityFactory(status="pending"))  # not an alliance member yet
    resp = as_user(staff).get(students_url(posting.id))
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert [i["student"]["id"] for i in body["items"]] == [best.id, partial.id]
    assert body["total"] == 2
    assert body["items"][0]["score"] == 1.0
    assert body["items"][0]["student"]["name"] == best.name
    # 0.5 * 1/2 + 0.2 (major) + 0.2 (en) + 0 (onsite in tianhe, student in panyu)
    assert body["items"][1]["score"] == 0.65
    assert any(r["kind"] == "district" and not r["matched"] for r in body["items"][1]["reasons"])


def test_coordinators_may_ask_for_students(coord):
    posting = InternshipFactory()
    fitting_student()
    resp = coord.get(students_url(posting.id))
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["total"] == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("other_enterprise", 403),
        ("university_staff", 403),
        ("student", 403),
    ],
)
def test_others_get_no_students(client, as_user, who, status):
    posting = InternshipFactory()
    fitting_student()
    if who == "anonymous":
        c = client
    elif who == "student":
        c = as_user(fitting_student())
    else:
        org = (
            factories.OrganizationFactory()
            if who == "other_enterprise"
            else factories.UniversityFactory()
        )
        c = as_user(factories.member(org, "staff"))
    problem = assert_problem(c.get(students_url(posting.id)), status)
    assert "items" not in problem


def test_a_draft_is_hidden_from_other_enterprises_and_missing_postings_are_404(as_user):
    enterprise = factories.OrganizationFactory()
    draft = InternshipFactory(enterprise_id=enterprise.id, status="draft", published_at=None)
    outsider = as_user(factories.member(factories.OrganizationFactory(), "staff"))
    assert_problem(outsider.get(students_url(draft.id)), 404)
    own = as_user(factories.member(enterprise, "staff"))
    assert own.get(students_url(draft.id)).status_code == 200
    assert_problem(own.get(students_url(draft.id + 10_000)), 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"per_page": 0}, "per_page"),
        ({"per_page": 101}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "二"}, "page"),
        ({"per_page": "1.5"}, "per_page"),
    ],
)
def test_bad_paging_is_422_naming_the_field(as_user, query, field):
    enterprise = factories.OrganizationFactory()
    posting = InternshipFactory(enterprise_id=enterprise.id)
    user = fitting_student()
    assert field in validation_errors(as_user(user).get(MINE, query_string=query))
    staff = as_user(factories.member(enterprise, "staff"))
    assert field in validation_errors(staff.get(students_url(posting.id), query_string=query))


def test_the_sql_scores_equal_the_scoring_function(ctx):
    rng = random.Random(20261125)
    codes = ["platform-operation", "english", "data-analysis", "logistics"]
    universities = [factories.UniversityFactory(district=d) for d in ("tianhe", "panyu")]
    for _ in range(25):
        student(
            rng.choice(universities),
            competencies={c: rng.randint(1, 5) for c in rng.sample(codes, rng.randint(0, 4))},
            languages={c: rng.randint(1, 5) for c in rng.sample(["en", "es", "vi"], 2)},
            major=rng.choice(["e-commerce", "logistics", None]),
        )
    for mode in ("onsite", "hybrid", "remote"):
        posting = InternshipFactory(
            mode=mode,
            competencies={c: rng.randint(1, 5) for c in rng.sample(codes, 3)},
            majors=rng.sample(["e-commerce", "logistics", "marketing"], 2),
            languages=rng.sample(["en", "es", "vi"], 2),
        )
        stmt, _ = sql_reference.score_sql(posting)
        target = services.posting_signals(posting)
        for user_id, value in db.session.execute(stmt).all():
            profile = db.session.get(StudentProfile, user_id)
            expected = score(services.student_signals(profile), target).score
            assert float(value) == expected, (mode, user_id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StudentProfile)) == 25
