"""The enterprise's "awaiting our confirmation" page: the co-developed courses and programmes
awaiting its answer, Confirm and Decline through the courses and programmes services, a
refusal shown with the service's message, and nobody else's data."""

from __future__ import annotations

import html
from types import SimpleNamespace

import pytest

from cbec_alliance.courses.models import Course
from cbec_alliance.extensions import db
from cbec_alliance.programmes.models import Programme
from tests import factories
from tests.console.conftest import csrf_of, text_of
from tests.courses.factories import CourseFactory
from tests.students.factories import student

E = "/console/enterprise"
COURSE = "跨境电商数据分析（校企共建）"
PROGRAMME = "跨境电商订单班（2027级）"


def page_text(resp) -> str:
    return html.unescape(text_of(resp))


@pytest.fixture
def scene(as_user):
    """A university proposing a course and a programme to one enterprise partner."""
    uni = factories.UniversityFactory()
    ent = factories.OrganizationFactory()
    uni_staff = factories.member(uni, "staff")
    course = CourseFactory(university_id=uni.id, status="proposed", title=COURSE, partners=[ent])
    course.partners[0].state = "pending"
    db.session.commit()
    body = {
        "kind": "order_class",
        "university_id": uni.id,
        "name": PROGRAMME,
        "major": "e-commerce",
        "intake_year": 2027,
        "cohort_size": 2,
        "partners": [{"enterprise_id": ent.id, "committed_positions": 2}],
        "course_ids": [CourseFactory(university_id=uni.id).id],
        "certificates": [{"code": "cbec-b2b-data-operation", "level": "junior"}],
    }
    resp = as_user(uni_staff).post("/api/v1/programmes", json=body)
    assert resp.status_code == 201, resp.get_json()
    return SimpleNamespace(
        uni=uni,
        ent=ent,
        staff=factories.member(ent, "staff"),
        course_id=course.id,
        programme_id=resp.get_json()["id"],
    )


def _course(scene) -> Course:
    db.session.expire_all()
    return db.session.get_one(Course, scene.course_id)


def _programme(scene) -> Programme:
    db.session.expire_all()
    return db.session.get_one(Programme, scene.programme_id)


def _url(scene, kind: str, verb: str, org=None) -> str:
    item = scene.course_id if kind == "course" else scene.programme_id
    return f"{E}/{(org or scene.ent).id}/confirmations/{kind}/{item}/{verb}"


def test_the_partner_sees_what_awaits_its_confirmation(as_user, scene):
    resp = as_user(scene.staff).get(f"{E}/{scene.ent.id}/confirmations")
    assert resp.status_code == 200
    text = page_text(resp)
    assert COURSE in text
    assert PROGRAMME in text
    assert scene.uni.name in text
    assert f'href="{E}/{scene.ent.id}/confirmations"' in resp.get_data(as_text=True)  # subnav


def test_confirming_the_course_and_the_programme(as_user, scene):
    c = as_user(scene.staff)
    resp = c.post(_url(scene, "course", "confirm"))
    assert resp.status_code == 303
    course = _course(scene)
    assert course.partners[0].state == "confirmed"
    assert course.status == "confirmed"  # its one partner confirmed
    assert c.post(_url(scene, "programme", "confirm")).status_code == 303
    programme = _programme(scene)
    assert programme.partners[0].state == "confirmed"
    assert programme.state == "confirmed"
    after = page_text(c.get(f"{E}/{scene.ent.id}/confirmations"))
    assert f"已确认：{COURSE}" in after  # the flash says so (the page is in Chinese)
    assert "没有待你方确认的课程" in after
    assert "没有待你方确认的培养项目" in after


def test_declining_needs_a_reason_and_keeps_it(as_user, scene):
    c = as_user(scene.staff)
    for kind in ("course", "programme"):
        resp = c.post(_url(scene, kind, "decline"), data={"reason": ""})
        assert resp.status_code == 422
        item = scene.course_id if kind == "course" else scene.programme_id
        assert f'id="e-reason-{kind}-{item}"' in resp.get_data(as_text=True)
    assert _course(scene).partners[0].state == "pending"
    assert _programme(scene).partners[0].state == "pending"
    assert c.post(_url(scene, "course", "decline"), data={"reason": "课时太多"}).status_code == 303
    course = _course(scene)
    assert (course.partners[0].state, course.partners[0].reason) == ("declined", "课时太多")
    assert course.status == "draft"  # a declined proposal goes back to the university
    resp = c.post(_url(scene, "programme", "decline"), data={"reason": "今年招聘计划已满"})
    assert resp.status_code == 303
    assert _programme(scene).partners[0].state == "declined"


def test_a_refused_step_shows_the_services_message(as_user, scene):
    c = as_user(scene.staff)
    course = _course(scene)
    course.status, course.partners[0].state = "draft", "pending"  # not proposed (again) yet
    db.session.commit()
    resp = c.post(_url(scene, "course", "confirm"))
    assert resp.status_code == 409
    assert "propose the course" in page_text(resp)
    assert _course(scene).partners[0].state == "pending"
    assert c.post(_url(scene, "programme", "confirm")).status_code == 303
    again = c.post(_url(scene, "programme", "confirm"))
    assert again.status_code == 409
    assert "没有需要答复的内容" in page_text(again)  # the service's message, in the page's language


def test_nobody_else_sees_or_answers(as_user, client, scene):
    other = factories.OrganizationFactory()
    outsiders = (
        factories.member(other, "admin"),
        factories.member(scene.uni, "staff"),
        student(scene.uni),
    )
    for person in outsiders:
        c = as_user(person)
        resp = c.get(f"{E}/{scene.ent.id}/confirmations")
        assert resp.status_code in (403, 404), resp.status_code
        assert COURSE not in page_text(resp)
        assert PROGRAMME not in page_text(resp)
        for kind in ("course", "programme"):
            assert c.post(_url(scene, kind, "confirm")).status_code in (403, 404)
    # Another enterprise answering through its own page: the course is not its to see.
    c = as_user(outsiders[0])
    assert c.get(f"{E}/{other.id}/confirmations").status_code == 200
    assert c.post(_url(scene, "course", "confirm", other)).status_code == 404
    assert c.post(_url(scene, "programme", "confirm", other)).status_code == 404
    assert _course(scene).partners[0].state == "pending"
    assert _programme(scene).partners[0].state == "pending"
    resp = client.get(f"{E}/{scene.ent.id}/confirmations")
    assert resp.status_code == 302
    assert "/console/login" in resp.headers["Location"]


def test_an_unknown_step_is_not_found(as_user, scene):
    c = as_user(scene.staff)
    assert c.post(_url(scene, "course", "publish")).status_code == 404
    assert c.post(f"{E}/{scene.ent.id}/confirmations/posting/1/confirm").status_code == 404


def test_an_answer_without_the_csrf_token_is_refused(app, scene):
    c = app.test_client()
    login = c.get("/console/login")
    c.post(
        "/console/login",
        data={
            "email": scene.staff.email,
            "password": factories.PASSWORD,
            "csrf_token": csrf_of(login),
        },
    )
    assert c.get(f"{E}/{scene.ent.id}/confirmations").status_code == 200
    resp = c.post(_url(scene, "course", "confirm"))
    assert resp.status_code == 400
    assert _course(scene).partners[0].state == "pending"
