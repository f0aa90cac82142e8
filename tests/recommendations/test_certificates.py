"""Certificates in recommendations, both ways, through the API (issue 19): one weight, reasons
naming what is held (declared ones marked) and what is missing; recommended internships by
kind."""

from __future__ import annotations

from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

MINE = "/api/v1/students/me/recommended-internships"
B2B = "cbec-b2b-data-operation"
NAME = "跨境电商B2B数据运营"


def students_url(internship_id: int) -> str:
    return f"/api/v1/internships/{internship_id}/recommended-students"


def _learner(university, *certificates):
    """A student meeting every other requirement of the postings below, with `certificates`
    as (level, number or None)."""
    return student(
        university,
        competencies={"platform-operation": 2},
        languages={"en": 3},
        major="e-commerce",
        certificates=[{"code": B2B, "level": lv, "number": no} for lv, no in certificates],
    )


def _certificate_reason(item) -> dict:
    (reason,) = [r for r in item["reasons"] if r["kind"] == "certificate"]
    return reason


def test_a_student_sees_held_and_missing_certificates_with_their_weight(as_user):
    university = factories.UniversityFactory(district="tianhe")
    user = _learner(university, ("intermediate", "CBEC-2026-000123"))
    plain = InternshipFactory()
    wants_intermediate = InternshipFactory(certificates={B2B: "junior"})
    wants_senior = InternshipFactory(certificates={B2B: "senior"})
    items = as_user(user).get(MINE).get_json()["items"]
    by_id = {i["internship"]["id"]: i for i in items}
    assert by_id[plain.id]["score"] == 1.0
    assert by_id[wants_intermediate.id]["score"] == 1.0
    # Missing: the certificates' 0.1 of the score is lost, the rest as before.
    assert by_id[wants_senior.id]["score"] == 0.9
    assert [i["internship"]["id"] for i in items][-1] == wants_senior.id
    held = _certificate_reason(by_id[wants_intermediate.id])
    assert held == {
        "kind": "certificate",
        "code": B2B,
        "matched": True,
        "required_certificate_level": "junior",
        "certificate_level": "intermediate",
        "verified": True,
        "text": f"has {NAME} intermediate",
    }
    missing = _certificate_reason(by_id[wants_senior.id])
    assert missing["matched"] is False
    assert missing["text"] == f"missing {NAME} senior"
    assert not [r for r in by_id[plain.id]["reasons"] if r["kind"] == "certificate"]


def test_a_declared_certificate_counts_and_says_so(as_user):
    university = factories.UniversityFactory(district="tianhe")
    declared = _learner(university, ("senior", None), ("junior", "CBEC-2026-000999"))
    posting = InternshipFactory(certificates={B2B: "intermediate"})
    (item,) = as_user(declared).get(MINE).get_json()["items"]
    assert item["score"] == 1.0
    reason = _certificate_reason(item)
    assert (reason["certificate_level"], reason["verified"]) == ("senior", False)
    assert reason["text"] == f"has {NAME} senior (declared)"
    assert item["internship"]["id"] == posting.id


def test_recommended_students_are_scored_on_certificates(coord, as_user):
    university = factories.UniversityFactory(district="tianhe")
    holder = _learner(university, ("intermediate", "CBEC-2026-000124"))
    claims = _learner(university, ("intermediate", None))
    lacks = _learner(university, ("junior", None))
    posting = InternshipFactory(certificates={B2B: "intermediate"})
    body = coord.get(students_url(posting.id)).get_json()
    order = [(i["student"]["id"], i["score"]) for i in body["items"]]
    assert order == [(holder.id, 1.0), (claims.id, 1.0), (lacks.id, 0.9)]
    texts = [_certificate_reason(i)["text"] for i in body["items"]]
    assert texts == [
        f"has {NAME} intermediate",
        f"has {NAME} intermediate (declared)",
        f"missing {NAME} intermediate",
    ]
    # The enterprise's staff see the same; another enterprise's do not see the posting's list.
    enterprise = db.session.get(Organization, posting.enterprise_id)
    staff = as_user(factories.member(enterprise, "staff"))
    assert staff.get(students_url(posting.id)).get_json() == body
    other = as_user(factories.member(factories.OrganizationFactory(), "staff"))
    problem = assert_problem(other.get(students_url(posting.id)), 403)
    assert "items" not in problem


def test_recommended_internships_by_kind(as_user, client):
    user = _learner(factories.UniversityFactory(district="tianhe"))
    intern = InternshipFactory()
    job = InternshipFactory(kind="full_time", salary_band="6000-8000", contract_type="fixed-term")
    gig = InternshipFactory(kind="flexible")
    c = as_user(user)
    every = c.get(MINE).get_json()
    assert {i["internship"]["id"] for i in every["items"]} == {intern.id, job.id, gig.id}
    full = c.get(MINE, query_string={"kind": "full_time"}).get_json()
    assert [i["internship"]["id"] for i in full["items"]] == [job.id]
    assert full["total"] == 1
    assert full["items"][0]["internship"]["kind"] == "full_time"
    assert full["items"][0]["internship"]["salary_band"] == "6000-8000"
    flexible = c.get(MINE, query_string={"kind": "flexible"}).get_json()
    assert [i["internship"]["id"] for i in flexible["items"]] == [gig.id]
    assert "kind" in validation_errors(c.get(MINE, query_string={"kind": "gig"}))
    assert_problem(client.get(MINE, query_string={"kind": "full_time"}), 401)


def test_a_language_asked_at_a_level_is_matched_at_that_level(as_user, coord):
    university = factories.UniversityFactory(district="tianhe")
    beginner = student(university, competencies={}, languages={"ar": 1}, major="e-commerce")
    fluent = student(university, competencies={}, languages={"ar": 4}, major="e-commerce")
    posting = InternshipFactory(competencies={}, languages={"ar": 4})
    body = coord.get(students_url(posting.id)).get_json()
    assert [(i["student"]["id"], i["score"]) for i in body["items"]] == [
        (fluent.id, 1.0),
        (beginner.id, 0.8),
    ]
    (mine,) = as_user(beginner).get(MINE).get_json()["items"]
    (arabic,) = [r for r in mine["reasons"] if r["kind"] == "language"]
    assert (arabic["matched"], arabic["required_level"], arabic["student_level"]) == (False, 4, 1)
    assert mine["score"] == 0.8
