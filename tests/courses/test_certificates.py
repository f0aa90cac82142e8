"""Courses name the certificates they prepare for (issue 19) and link to the open postings
that ask for them: job, course, competition, certificate."""

from __future__ import annotations

import pytest

from cbec_alliance.courses.models import CourseCertificate
from cbec_alliance.extensions import db
from tests import factories
from tests.courses.factories import CourseFactory
from tests.courses.test_courses import URL, body, create
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory

B2B = "cbec-b2b-data-operation"


@pytest.fixture
def setup(as_user):
    uni = factories.UniversityFactory()
    partners = [factories.OrganizationFactory()]
    staff = as_user(factories.member(uni, "staff"))
    return uni, staff, partners, [as_user(factories.member(partners[0], "staff"))]


def test_a_course_keeps_the_certificates_it_prepares_for(setup):
    uni, staff, _partners, _ = setup
    course = create(setup, certificates=[{"code": B2B, "min_level": "intermediate"}])
    assert course["certificates"] == [{"code": B2B, "min_level": "intermediate"}]
    url = f"{URL}/{course['id']}"
    got = staff.patch(url, json={"certificates": [{"code": B2B, "min_level": "senior"}]})
    assert got.status_code == 200, got.get_json()
    assert staff.get(url).get_json()["certificates"] == [{"code": B2B, "min_level": "senior"}]
    assert staff.patch(url, json={"certificates": []}).get_json()["certificates"] == []
    plain = staff.post(URL, json=body(uni.id, [], code="CBEC-302")).get_json()
    assert plain["certificates"] == []


@pytest.mark.parametrize(
    ("certificates", "field"),
    [
        ([{"code": "made-up-1x", "min_level": "junior"}], "certificates.0.code"),
        (
            [{"code": B2B, "min_level": "junior"}, {"code": "nope", "min_level": "junior"}],
            "certificates.1.code",
        ),
        ([{"code": B2B, "min_level": "master"}], "certificates"),
        ([{"min_level": "junior"}], "certificates"),
        (
            [{"code": B2B, "min_level": "junior"}, {"code": B2B, "min_level": "senior"}],
            "certificates",
        ),
        ("跨境电商B2B数据运营", "certificates"),
    ],
)
def test_bad_certificates_are_422_naming_the_field(setup, certificates, field):
    uni, staff, partners, _ = setup
    resp = staff.post(URL, json=body(uni.id, [p.id for p in partners], certificates=certificates))
    errors = validation_errors(resp)
    assert any(key == field or key.startswith(f"{field}.") for key in errors), errors


def test_only_the_university_staff_set_them(setup, client, as_user):
    uni, staff, partners, partner_staff = setup
    course = create(setup)
    url = f"{URL}/{course['id']}"
    change = {"certificates": [{"code": B2B, "min_level": "junior"}]}
    assert_problem(client.patch(url, json=change), 401)
    assert_problem(partner_staff[0].patch(url, json=change), 403)
    stranger = as_user(factories.member(factories.UniversityFactory(), "staff"))
    assert_problem(stranger.patch(url, json=change), 404)  # a draft is hidden
    assert staff.get(url).get_json()["certificates"] == []


def test_links_include_postings_requiring_what_the_course_prepares_for(client):
    course = CourseFactory(competencies=("content-creation",))
    db.session.add(CourseCertificate(course_id=course.id, code=B2B, min_level="intermediate"))
    db.session.commit()
    at_junior = InternshipFactory(competencies={"english": 2}, certificates={B2B: "junior"})
    at_level = InternshipFactory(
        competencies={"content-creation": 2},
        certificates={B2B: "intermediate"},
        kind="full_time",
        salary_band="6000-8000",
        contract_type="fixed-term",
    )
    beyond = InternshipFactory(competencies={"english": 2}, certificates={B2B: "senior"})
    InternshipFactory(certificates={B2B: "junior"}, status="closed")
    links = client.get(f"{URL}/{course.id}").get_json()["links"]
    got = {i["id"]: (i["competencies"], i["certificates"]) for i in links["internships"]}
    assert got == {
        at_level.id: (["content-creation"], [B2B]),
        at_junior.id: ([], [B2B]),
    }
    assert beyond.id not in got  # a senior certificate is beyond an intermediate course
    # Sharing both a competency and a certificate ranks first.
    assert links["internships"][0]["id"] == at_level.id
