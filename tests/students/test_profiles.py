"""Student profiles: GET/PUT /students/me/profile and a university's student list."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.students.factories import student

ME = "/api/v1/students/me/profile"

PROFILE = {
    "major": "e-commerce",
    "graduation_year": 2027,
    "competencies": [{"code": "platform-operation", "level": 3}, {"code": "english", "level": 4}],
    "languages": [{"code": "en", "level": 4}, {"code": "vi", "level": 2}],
    "certificates": [{"name": "跨境电商多平台运营（1+X）", "level": "intermediate"}],
    "bio": "熟悉 Shopee 与 TikTok Shop 运营。",
}


def test_student_puts_and_gets_the_profile(as_user):
    uni = factories.UniversityFactory()
    user = student(uni, profile=False)
    c = as_user(user)
    assert_problem(c.get(ME), 404)
    resp = c.put(ME, json=PROFILE)
    assert resp.status_code == 200, resp.get_json()
    got = c.get(ME).get_json()
    assert got["university_id"] == uni.id
    assert got["competencies"] == [
        {"code": "english", "level": 4},
        {"code": "platform-operation", "level": 3},
    ]
    assert got["certificates"] == [
        {**c, "code": None, "verified": False, "number": None} for c in PROFILE["certificates"]
    ]
    assert got["bio"] == PROFILE["bio"]
    replaced = c.put(ME, json={**PROFILE, "competencies": [], "certificates": []}).get_json()
    assert replaced["competencies"] == []
    assert replaced["certificates"] == []
    assert replaced["languages"][0] == {"code": "en", "level": 4}


@pytest.mark.parametrize(
    "who", ["anonymous", "enterprise_staff", "university_staff", "pending_uni_student"]
)
def test_only_students_have_profiles(client, as_user, who):
    if who == "anonymous":
        c, status = client, 401
    else:
        org = {
            "enterprise_staff": factories.OrganizationFactory,
            "university_staff": factories.UniversityFactory,
            "pending_uni_student": lambda: factories.UniversityFactory(status="pending"),
        }[who]()
        role = "student" if who == "pending_uni_student" else "staff"
        c, status = as_user(factories.member(org, role)), 403
    assert_problem(c.put(ME, json=PROFILE), status)
    assert_problem(c.get(ME), status)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("major", "alchemy"),
        ("graduation_year", 1999),
        ("graduation_year", "2027"),
        ("competencies", [{"code": "english", "level": 0}]),
        ("competencies", [{"code": "english", "level": 6}]),
        ("competencies", [{"code": "magic", "level": 2}]),
        ("competencies", [{"code": "english", "level": 2}, {"code": "english", "level": 3}]),
        ("competencies", [{"code": "english"}]),
        ("languages", [{"code": "klingon", "level": 2}]),
        ("languages", [{"code": "en", "level": 2}, {"code": "en", "level": 2}]),
        ("certificates", [{"name": "1+X", "level": "grandmaster"}]),
        ("certificates", [{"name": "", "level": "junior"}]),
        # A made-up catalogue code, a level the certificate is not awarded at, both or neither.
        ("certificates", [{"code": "made-up-certificate", "level": "junior"}]),
        ("certificates", [{"code": "Not A Code", "level": "junior"}]),
        ("certificates", [{"code": "cbec-b2b-data-operation", "name": "x", "level": "junior"}]),
        ("certificates", [{"level": "junior"}]),
        ("bio", "x" * 2001),
        ("bio", "a\x00b"),
        ("competencies", "english"),
    ],
)
def test_bad_profiles_are_422_naming_the_field(as_user, field, value):
    c = as_user(student(profile=False))
    errors = validation_errors(c.put(ME, json={**PROFILE, field: value}))
    assert any(k == field or k.startswith(f"{field}.") for k in errors), errors
    assert_problem(c.get(ME), 404)


def test_unknown_profile_field_is_422(as_user):
    errors = validation_errors(as_user(student()).put(ME, json={**PROFILE, "gpa": 4}))
    assert "gpa" in errors


def _list(c, org_id, **query):
    return c.get(f"/api/v1/organizations/{org_id}/students", query_string=query)


def test_university_staff_list_their_students_with_filters(as_user, coord):
    uni = factories.UniversityFactory()
    a = student(uni, competencies={"english": 4}, major="e-commerce")
    b = student(uni, competencies={"english": 2}, major="marketing", graduation_year=2028)
    no_profile = student(uni, profile=False)
    student()  # another university's student
    staff = factories.member(uni, "staff")
    body = _list(as_user(staff), uni.id).get_json()
    assert [i["id"] for i in body["items"]] == [a.id, b.id, no_profile.id]
    assert body["items"][2]["profile"] is None
    assert body["items"][0]["profile"]["competencies"] == [{"code": "english", "level": 4}]
    assert body["total"] == 3
    ids = [
        i["id"]
        for i in _list(as_user(staff), uni.id, competency="english", min_level=3).get_json()[
            "items"
        ]
    ]
    assert ids == [a.id]
    assert [
        i["id"] for i in _list(as_user(staff), uni.id, major="marketing").get_json()["items"]
    ] == [b.id]
    assert [
        i["id"] for i in _list(as_user(staff), uni.id, graduation_year=2028).get_json()["items"]
    ] == [b.id]
    assert [i["id"] for i in _list(as_user(staff), uni.id, q=a.email).get_json()["items"]] == [a.id]
    assert _list(coord, uni.id).get_json()["total"] == 3


def test_student_list_authorization(client, as_user):
    uni = factories.UniversityFactory()
    student(uni)
    other_uni_staff = factories.member(factories.UniversityFactory(), "staff")
    enterprise_staff = factories.member(factories.OrganizationFactory(), "admin")
    own_student = student(uni)
    assert_problem(_list(client, uni.id), 401)
    for user in (other_uni_staff, enterprise_staff, own_student):
        problem = assert_problem(_list(as_user(user), uni.id), 403)
        assert "items" not in problem
    enterprise = factories.OrganizationFactory()
    admin = factories.member(enterprise, "admin")
    assert_problem(_list(as_user(admin), enterprise.id), 404)
    assert_problem(_list(as_user(other_uni_staff), 2147483647), 404)


@pytest.mark.parametrize("query", [{"min_level": 9}, {"graduation_year": "x"}, {"per_page": 500}])
def test_bad_student_list_arguments(as_user, query):
    uni = factories.UniversityFactory()
    staff = factories.member(uni, "staff")
    errors = validation_errors(_list(as_user(staff), uni.id, **query))
    assert set(query) & set(errors)


def test_a_catalogue_certificate_is_declared_by_code_and_shows_unverified(as_user):
    c = as_user(student(profile=False))
    body = {**PROFILE, "certificates": [{"code": "cbec-b2b-data-operation", "level": "senior"}]}
    resp = c.put(ME, json=body)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["certificates"] == [
        {
            "code": "cbec-b2b-data-operation",
            "name": "跨境电商B2B数据运营",
            "level": "senior",
            "verified": False,
            "number": None,
        }
    ]


def test_a_level_the_catalogue_does_not_award_is_422(as_user, coord):
    resp = coord.post(
        "/api/v1/taxonomy/certificates",
        json={
            "code": "cbec-live-commerce",
            "name_en": "Live commerce",
            "name_zh": "跨境直播电商",
            "details": {"issuer": "某评价组织", "levels": ["junior"]},
        },
    )
    assert resp.status_code == 201, resp.get_json()
    c = as_user(student(profile=False))
    body = {**PROFILE, "certificates": [{"code": "cbec-live-commerce", "level": "senior"}]}
    assert "certificates.0.level" in validation_errors(c.put(ME, json=body))
