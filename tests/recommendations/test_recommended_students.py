"""Recommended students from the index of students: the same pages as the SQL path they
replace, on a generated population, and fresh as profiles and universities change."""

from __future__ import annotations

import random

import pytest

from cbec_alliance.extensions import db
from cbec_alliance.recommendations.schemas import StudentPage
from cbec_alliance.students.models import StudentProfile
from tests import factories
from tests.internships.factories import InternshipFactory
from tests.recommendations import sql_reference
from tests.students.factories import student

CODES = ["platform-operation", "english", "data-analysis", "logistics"]
LANGUAGES = ["en", "es", "vi"]
MAJORS = ["e-commerce", "logistics", "marketing"]
# Postings of every shape: requirements or none of each kind, every mode.
SHAPES = [
    {"mode": "onsite"},
    {"mode": "hybrid", "competencies": {}, "languages": []},
    {"mode": "remote", "majors": [], "district": "haizhu"},
    {"mode": "onsite", "competencies": {"english": 3, "data-analysis": 4, "logistics": 5}},
    {"mode": "hybrid", "majors": ["logistics", "marketing"], "languages": ["es", "vi"]},
    {"mode": "onsite", "competencies": {"english": 2}, "majors": [], "languages": []},
]


def url(internship_id: int) -> str:
    return f"/api/v1/internships/{internship_id}/recommended-students"


def population(rng: random.Random, n: int = 90) -> None:
    """Students at approved universities in two districts and at a pending one, with few
    codes and levels so that many scores tie."""
    universities = [factories.UniversityFactory(district=d) for d in ("tianhe", "panyu")]
    universities.append(factories.UniversityFactory(status="pending", district="tianhe"))
    for _ in range(n):
        student(
            rng.choice(universities),
            competencies={c: rng.randint(1, 5) for c in rng.sample(CODES, rng.randint(0, 3))},
            languages={c: rng.randint(1, 5) for c in rng.sample(LANGUAGES, rng.randint(0, 2))},
            major=rng.choice([*MAJORS, None]),
            graduation_year=rng.choice([2026, 2027, None]),
        )


def reference(posting, page: int, per_page: int) -> dict:
    return StudentPage().dump(sql_reference.students_for(posting, page, per_page))


def test_every_page_equals_the_sql_path_on_a_generated_population(coord):
    population(random.Random(20261205))
    for shape in SHAPES:
        posting = InternshipFactory(**shape)
        for page, per_page in [(1, 20), (2, 20), (5, 20), (1, 100), (3, 7), (14, 7)]:
            query = {"page": page, "per_page": per_page}
            resp = coord.get(url(posting.id), query_string=query)
            assert resp.status_code == 200, resp.get_json()
            assert resp.get_json() == reference(posting, page, per_page), (shape, query)


def test_ties_break_by_student_id_across_pages(coord):
    university = factories.UniversityFactory(district="tianhe")
    same = [student(university, competencies={"english": 3}) for _ in range(9)]
    posting = InternshipFactory(competencies={"english": 3}, majors=[], languages=[])
    seen = []
    for page in (1, 2, 3):
        body = coord.get(url(posting.id), query_string={"page": page, "per_page": 4}).get_json()
        seen += [(item["student"]["id"], item["score"]) for item in body["items"]]
        assert body["total"] == 9
    assert seen == [(user.id, 1.0) for user in sorted(same, key=lambda u: u.id)]


def test_a_saved_profile_shows_at_once(as_user, coord):
    university = factories.UniversityFactory(district="tianhe")
    weaker = student(university, competencies={"english": 1})
    stronger = student(university, competencies={"english": 4})
    posting = InternshipFactory(competencies={"english": 4}, majors=[], languages=[])
    first = coord.get(url(posting.id)).get_json()["items"]
    assert [i["student"]["id"] for i in first] == [stronger.id, weaker.id]
    profile = {
        "major": "logistics-management",
        "graduation_year": 2028,
        "competencies": [{"code": "english", "level": 5}],
        "languages": [],
        "certificates": [],
        "bio": None,
    }
    resp = as_user(weaker).put("/api/v1/students/me/profile", json=profile)
    assert resp.status_code == 200, resp.get_json()
    body = coord.get(url(posting.id)).get_json()
    assert [i["student"]["id"] for i in body["items"]] == [weaker.id, stronger.id]
    assert body["items"][0]["student"]["major"] == "logistics-management"
    assert body == reference(posting, 1, 20)


def test_a_new_student_and_a_university_leaving_show_at_once(coord):
    university = factories.UniversityFactory(district="tianhe")
    posting = InternshipFactory()
    first = student(university)
    assert coord.get(url(posting.id)).get_json()["total"] == 1
    second = student(factories.UniversityFactory(district="panyu"))
    body = coord.get(url(posting.id)).get_json()
    assert [i["student"]["id"] for i in body["items"]] == [first.id, second.id]
    resp = coord.post(f"/api/v1/organizations/{university.id}/suspend", json={"reason": "停办"})
    assert resp.status_code == 200, resp.get_json()
    body = coord.get(url(posting.id)).get_json()
    assert [i["student"]["id"] for i in body["items"]] == [second.id]
    assert body["total"] == 1


def test_a_profile_gone_from_the_page_is_never_shown(coord):
    university = factories.UniversityFactory(district="tianhe")
    kept, gone = student(university), student(university)
    posting = InternshipFactory()
    assert coord.get(url(posting.id)).get_json()["total"] == 2
    # Deleting a row does not move max(updated_at): the page notices and rebuilds.
    db.session.delete(db.session.get(StudentProfile, gone.id))
    db.session.flush()
    body = coord.get(url(posting.id)).get_json()
    assert [i["student"]["id"] for i in body["items"]] == [kept.id]
    assert body["total"] == 1


@pytest.mark.parametrize("page", [1, 3])
def test_past_the_end_is_an_empty_page_with_the_total(coord, page):
    student(factories.UniversityFactory())
    posting = InternshipFactory()
    body = coord.get(url(posting.id), query_string={"page": page + 1}).get_json()
    assert body == {"items": [], "total": 1, "page": page + 1, "per_page": 20}
