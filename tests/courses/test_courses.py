"""Joint courses: create, partners confirm or decline, publish, versions, links, filters, authz."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import Notification, OutboxEvent
from tests import factories
from tests.competitions.factories import CompetitionFactory
from tests.courses.factories import CourseFactory
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

URL = "/api/v1/courses"


def body(uni_id: int, partners: list[int], **overrides) -> dict:
    """A complete course."""
    data = {
        "university_id": uni_id,
        "code": "CBEC-301",
        "title": "跨境电商数据分析 Cross-border data analysis",
        "description": "与企业共建，案例来自真实店铺。",
        "credits": 2.5,
        "hours": 40,
        "semester": "2027-spring",
        "language": "zh",
        "competencies": ["data-analysis", "platform-operation"],
        "partner_enterprise_ids": partners,
        "capacity": 2,
        "lecturers": [{"name": "陈教授", "organization_id": uni_id}],
    }
    data.update(overrides)
    return data


@pytest.fixture
def setup(as_user):
    """A university's staff client, two partner enterprises and their staff clients."""
    uni = factories.UniversityFactory()
    partners = [factories.OrganizationFactory(), factories.OrganizationFactory()]
    staff = as_user(factories.member(uni, "staff"))
    partner_staff = [as_user(factories.member(p, "staff")) for p in partners]
    return uni, staff, partners, partner_staff


def create(setup, **overrides) -> dict:
    uni, staff, partners, _ = setup
    resp = staff.post(URL, json=body(uni.id, [p.id for p in partners], **overrides))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_the_whole_lifecycle_with_two_partners(setup):
    uni, staff, partners, partner_staff = setup
    course = create(setup)
    assert (course["status"], course["credits"], course["version"]) == ("draft", 2.5, 1)
    cid = course["id"]
    assert staff.post(f"{URL}/{cid}/propose").get_json()["status"] == "proposed"
    asked = db.session.scalars(
        sa.select(Notification.user_id).where(Notification.title.contains("请确认合作课程"))
    ).all()
    assert len(set(asked)) == 2
    first = partner_staff[0].post(f"{URL}/{cid}/partners/{partners[0].id}/confirm")
    assert first.get_json()["status"] == "proposed"
    assert_problem(staff.post(f"{URL}/{cid}/publish"), 409)
    second = partner_staff[1].post(f"{URL}/{cid}/partners/{partners[1].id}/confirm")
    assert second.get_json()["status"] == "confirmed"
    published = staff.post(f"{URL}/{cid}/publish").get_json()
    assert published["status"] == "published"
    assert [p["state"] for p in published["partners"]] == ["confirmed", "confirmed"]
    assert staff.post(f"{URL}/{cid}/archive").get_json()["status"] == "archived"
    assert_problem(staff.patch(f"{URL}/{cid}", json={"title": "改"}), 409)


def test_a_decline_sends_the_course_back_with_the_reason(setup):
    uni, staff, partners, partner_staff = setup
    cid = create(setup)["id"]
    staff.post(f"{URL}/{cid}/propose")
    url = f"{URL}/{cid}/partners/{partners[0].id}/decline"
    assert "reason" in validation_errors(partner_staff[0].post(url, json={}))
    resp = partner_staff[0].post(url, json={"reason": "课时太多 too many hours"})
    assert resp.status_code == 200, resp.get_json()
    got = resp.get_json()
    assert got["status"] == "draft"
    assert got["partners"][0]["reason"] == "课时太多 too many hours"
    event = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "course.declined")
    ).one()
    assert event.organization_id == uni.id
    # Answering again, or for another partner, is refused.
    assert_problem(partner_staff[0].post(url, json={"reason": "again"}), 409)
    other = f"{URL}/{cid}/partners/{partners[1].id}/confirm"
    assert_problem(partner_staff[0].post(other), 403)


def test_editing_a_published_course_keeps_the_earlier_version(setup, client):
    uni, staff, partners, partner_staff = setup
    course = CourseFactory(university_id=uni.id, partners=partners, title="旧标题 old title")
    resp = staff.patch(f"{URL}/{course.id}", json={"capacity": 40})
    assert resp.get_json()["version"] == 1  # capacity is not content
    resp = staff.patch(
        f"{URL}/{course.id}", json={"title": "新标题 new title", "competencies": ["english"]}
    )
    got = resp.get_json()
    assert (got["version"], got["status"]) == (2, "published")
    assert {p["state"] for p in got["partners"]} == {"pending"}
    versions = client.get(f"{URL}/{course.id}/versions").get_json()
    assert [(v["version"], v["current"]) for v in versions] == [(1, False), (2, True)]
    assert versions[0]["content"]["title"] == "旧标题 old title"
    assert versions[0]["content"]["competencies"] == ["content-creation"]
    assert versions[1]["content"]["competencies"] == ["english"]
    again = partner_staff[0].post(f"{URL}/{course.id}/partners/{partners[0].id}/confirm")
    assert again.get_json()["partners"][0]["state"] == "confirmed"


def test_links_lead_to_open_internships_and_competitions(client):
    course = CourseFactory(competencies=("data-analysis", "english"))
    both = InternshipFactory(competencies={"data-analysis": 2, "english": 3})
    one = InternshipFactory(competencies={"english": 2, "customer-service": 1})
    InternshipFactory(competencies={"data-analysis": 2}, status="closed")
    InternshipFactory(competencies={"customer-service": 2})
    contest = CompetitionFactory(tracks={"数据赛道": ["data-analysis"], "other": ["marketing"]})
    CompetitionFactory(tracks={"x": ["marketing"]})
    links = client.get(f"{URL}/{course.id}").get_json()["links"]
    assert [(i["id"], i["competencies"]) for i in links["internships"]] == [
        (both.id, ["data-analysis", "english"]),
        (one.id, ["english"]),
    ]
    assert links["competitions"] == [
        {"id": contest.id, "title": contest.title, "tracks": ["数据赛道"]}
    ]


def test_drafts_are_for_insiders_only(setup, client, as_user):
    uni, _, partners, partner_staff = setup
    cid = create(setup)["id"]
    assert partner_staff[0].get(f"{URL}/{cid}").status_code == 200
    for c in (client, as_user(factories.member(factories.OrganizationFactory(), "staff"))):
        assert_problem(c.get(f"{URL}/{cid}"), 404)
        assert_problem(c.get(f"{URL}/{cid}/versions"), 404)
        assert cid not in [x["id"] for x in c.get(URL).get_json()["items"]]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("outsider_staff", 403), ("student", 403), ("partner_staff", 403)],
)
def test_only_the_university_creates_and_changes_its_courses(setup, client, as_user, who, status):
    uni, staff, partners, partner_staff = setup
    cid = create(setup)["id"]
    c = {
        "anonymous": lambda: client,
        "outsider_staff": lambda: as_user(factories.member(factories.UniversityFactory(), "admin")),
        "student": lambda: as_user(student(uni)),
        "partner_staff": lambda: partner_staff[0],
    }[who]()
    assert_problem(c.post(URL, json=body(uni.id, [], code="X-1")), status)
    expected = 404 if who in ("outsider_staff",) else status
    assert_problem(c.patch(f"{URL}/{cid}", json={"title": "偷改"}), expected)
    assert_problem(c.post(f"{URL}/{cid}/propose"), expected)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"semester": "fall 2026"}, "semester"),
        ({"credits": 25}, "credits"),
        ({"credits": "two"}, "credits"),
        ({"hours": 0}, "hours"),
        ({"capacity": 0}, "capacity"),
        ({"competencies": ["juggling"]}, "competencies"),
        ({"competencies": ["english", "english"]}, "competencies"),
        ({"language": "xx"}, "language"),
        ({"code": ""}, "code"),
        ({"title": "题" * 201}, "title"),
        ({"lecturers": [{"name": "某人", "organization_id": 987654}]}, "lecturers"),
        ({"lecturers": [{"organization_id": None}]}, "lecturers"),
        ({"university_id": "1"}, "university_id"),
    ],
)
def test_bad_courses_are_422_naming_the_field(setup, overrides, field):
    uni, staff, partners, _ = setup
    resp = staff.post(URL, json=body(uni.id, [p.id for p in partners], **overrides))
    errors = validation_errors(resp)
    assert any(name == field or name.startswith(f"{field}.") for name in errors), errors


def test_partners_must_be_approved_enterprises_and_codes_unique(setup):
    uni, staff, partners, _ = setup
    for bad in (
        [factories.UniversityFactory().id],
        [factories.OrganizationFactory(status="pending").id],
    ):
        assert "partner_enterprise_ids" in validation_errors(
            staff.post(URL, json=body(uni.id, bad))
        )
    create(setup)
    assert_problem(staff.post(URL, json=body(uni.id, [])), 409)


def test_proposing_needs_competencies_and_a_solo_course_needs_no_confirmation(setup):
    uni, staff, _, _ = setup
    bare = staff.post(URL, json=body(uni.id, [], code="SOLO", competencies=[])).get_json()
    assert_problem(staff.post(f"{URL}/{bare['id']}/propose"), 409)
    solo = staff.post(URL, json=body(uni.id, [], code="SOLO-2")).get_json()
    assert staff.post(f"{URL}/{solo['id']}/propose").get_json()["status"] == "confirmed"


def test_list_filters_combine(client):
    uni = factories.UniversityFactory()
    partner = factories.OrganizationFactory()
    hit = CourseFactory(university_id=uni.id, partners=[partner], competencies=("english",))
    CourseFactory(university_id=uni.id, semester="2027-spring")
    CourseFactory(competencies=("english",))

    def ids(**q):
        resp = client.get(URL, query_string=q)
        assert resp.status_code == 200, resp.get_json()
        return [c["id"] for c in resp.get_json()["items"]]

    assert ids(university_id=uni.id, competency="english") == [hit.id]
    assert ids(enterprise_id=partner.id) == [hit.id]
    assert ids(university_id=uni.id, semester="2026-fall") == [hit.id]
    assert ids(q=hit.code.lower()) == [hit.id]
    assert ids(status="draft") == []
    assert "status" in validation_errors(client.get(URL, query_string={"status": "gone"}))
    assert_problem(client.get(f"{URL}/987654"), 404)


def test_a_course_without_its_required_fields_is_422_naming_each(setup):
    _, staff, _, _ = setup
    errors = validation_errors(staff.post(URL, json={"title": "只有标题"}))
    expected = {"university_id", "code", "credits", "hours", "semester", "language", "capacity"}
    assert expected <= set(errors)
    assert "title" not in errors


@pytest.mark.parametrize(
    ("method", "tail", "json"),
    [
        ("post", "publish", None),
        ("post", "archive", None),
        ("post", "partners/{p}/confirm", None),
        ("post", "partners/{p}/decline", {"reason": "不"}),
        ("post", "enrollments", None),
        ("get", "enrollments", None),
        ("delete", "enrollments/mine", None),
    ],
)
def test_a_member_of_another_organization_moves_nothing(as_user, method, tail, json):
    partner = factories.OrganizationFactory()
    course = CourseFactory(partners=[partner], status="confirmed")
    outsider = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    url = f"{URL}/{course.id}/" + tail.format(p=partner.id)
    resp = getattr(outsider, method)(url, json=json) if json else getattr(outsider, method)(url)
    problem = assert_problem(resp, 404)  # a confirmed, unpublished course is not theirs to see
    assert "university_id" not in problem
    published = CourseFactory(partners=[partner])
    url = f"{URL}/{published.id}/" + tail.format(p=partner.id)
    resp = getattr(outsider, method)(url, json=json) if json else getattr(outsider, method)(url)
    assert resp.status_code in (403, 404), resp.get_json()
    assert "university_id" not in resp.get_json()
    assert "items" not in resp.get_json()


def test_a_partner_added_later_is_asked_and_the_others_keep_their_answer(setup):
    uni, staff, partners, partner_staff = setup
    course = CourseFactory(university_id=uni.id, partners=[partners[0]], status="confirmed")
    resp = staff.patch(
        f"{URL}/{course.id}", json={"partner_enterprise_ids": [partners[0].id, partners[1].id]}
    )
    got = resp.get_json()
    assert got["status"] == "proposed"
    assert [p["state"] for p in got["partners"]] == ["confirmed", "pending"]
    asked = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "course.confirmation_requested")
    ).all()
    assert len(asked) == 1
    done = partner_staff[1].post(f"{URL}/{course.id}/partners/{partners[1].id}/confirm")
    assert done.get_json()["status"] == "confirmed"
