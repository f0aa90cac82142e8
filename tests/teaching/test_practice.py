"""Teachers' practice in enterprises: profiles, stays proposed by the teacher or their
university, confirmed or rejected by the hosting enterprise, never overlapping."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.teaching.conftest import STAYS, UNI_TEACHERS, events


def stay_body(world, **overrides) -> dict:
    data = {
        "enterprise_id": world["ent"].id,
        "starts_on": "2027-07-05",
        "ends_on": "2027-08-27",
        "hours": 320,
        "tasks": "参与亚马逊店铺运营与数据分析，整理教学案例。",
    }
    data.update(overrides)
    return data


@pytest.fixture
def lecturer(world, as_user):
    """A teacher of e-commerce at the world's university, with a profile."""
    user = factories.member(world["uni"], "staff", name="陈静")
    c = as_user(user)
    resp = c.put(f"{UNI_TEACHERS}/me", json={"majors_taught": ["e-commerce"]})
    assert resp.status_code == 200, resp.get_json()
    c.user = user
    return c


@pytest.fixture
def stay(world, lecturer) -> dict:
    resp = lecturer.post(STAYS, json=stay_body(world))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_a_university_teacher_keeps_their_profile(world, lecturer):
    mine = lecturer.get(f"{UNI_TEACHERS}/me").get_json()
    assert mine["university_id"] == world["uni"].id
    assert mine["majors_taught"] == ["e-commerce"]
    assert mine["industry_title"] is None
    body = {"majors_taught": ["marketing", "e-commerce"], "industry_title": "高级电子商务师"}
    assert lecturer.put(f"{UNI_TEACHERS}/me", json=body).get_json()["majors_taught"] == [
        "e-commerce",
        "marketing",
    ]


def test_a_stay_is_proposed_confirmed_and_told(world, lecturer, stay):
    assert stay["state"] == "proposed"
    assert stay["teacher_name"] == "陈静"
    assert stay["enterprise_name"] == "广州希音供应链有限公司"
    [asked] = events("practice_stay.confirmation_requested")
    assert asked.organization_id == world["ent"].id
    assert asked.payload["teacher"] == "陈静"
    # The enterprise sees it among its stays and confirms, correcting the hours.
    assert world["ent_staff"].get(STAYS).get_json()["total"] == 1
    resp = world["ent_staff"].post(f"{STAYS}/{stay['id']}/confirm", json={"hours": 300})
    assert resp.get_json()["state"] == "confirmed"
    assert resp.get_json()["hours"] == 300
    [done] = events("practice_stay.confirmed")
    assert done.payload["teacher_id"] == lecturer.user.id
    assert_problem(
        world["ent_staff"].post(f"{STAYS}/{stay['id']}/reject", json={"reason": "x"}), 409
    )


def test_a_rejected_stay_says_why_and_frees_the_dates(world, lecturer, stay):
    resp = world["ent_staff"].post(
        f"{STAYS}/{stay['id']}/reject", json={"reason": "该时段公司无接待安排"}
    )
    assert resp.get_json()["state"] == "rejected"
    assert resp.get_json()["reason"] == "该时段公司无接待安排"
    [ev] = events("practice_stay.rejected")
    assert ev.payload["reason"] == "该时段公司无接待安排"
    assert lecturer.post(STAYS, json=stay_body(world)).status_code == 201


def test_overlapping_stays_of_a_teacher_are_409_naming_the_other(world, lecturer, stay):
    body = stay_body(
        world, enterprise_id=world["other_ent"].id, starts_on="2027-08-27", ends_on="2027-09-10"
    )
    problem = assert_problem(lecturer.post(STAYS, json=body), 409)
    assert f"practice stay {stay['id']}" in problem["detail"]
    assert "2027-07-05" in problem["detail"]
    # The day after is free.
    body.update(starts_on="2027-08-28")
    assert lecturer.post(STAYS, json=body).status_code == 201


def test_the_university_proposes_for_its_teacher(world, lecturer):
    body = stay_body(world, teacher_id=lecturer.user.id)
    resp = world["staff"].post(STAYS, json=body)
    assert resp.status_code == 201
    assert resp.get_json()["teacher_id"] == lecturer.user.id
    assert_problem(
        world["other_uni_staff"].post(
            STAYS, json={**body, "starts_on": "2028-01-01", "ends_on": "2028-01-05", "hours": 40}
        ),
        403,
    )
    no_profile = factories.member(world["uni"], "staff")
    errors = validation_errors(
        world["staff"].post(STAYS, json=stay_body(world, teacher_id=no_profile.id))
    )
    assert "teacher_id" in errors


def test_another_enterprise_confirming_is_403(world, stay):
    for who in ("other_ent_staff", "student", "staff"):
        assert_problem(world[who].post(f"{STAYS}/{stay['id']}/confirm", json={}), 403)
        assert_problem(world[who].post(f"{STAYS}/{stay['id']}/reject", json={"reason": "否"}), 403)
    assert world["staff"].get(f"{STAYS}/{stay['id']}").get_json()["state"] == "proposed"
    assert_problem(world["ent_staff"].post(f"{STAYS}/999999/confirm", json={}), 404)


def test_outsiders_see_no_stays(world, stay, coord):
    for who in ("other_ent_staff", "other_uni_staff", "student"):
        assert world[who].get(STAYS).get_json()["items"] == []
        assert_problem(world[who].get(f"{STAYS}/{stay['id']}"), 404)
    for viewer in ("staff", "ent_staff"):
        assert world[viewer].get(f"{STAYS}/{stay['id']}").status_code == 200
    assert coord.get(f"{STAYS}?state=proposed").get_json()["total"] == 1
    assert coord.get(f"{STAYS}?state=confirmed").get_json()["total"] == 0


def test_anonymous_gets_401(client, stay):
    url = f"{STAYS}/{stay['id']}"
    for method, path, body in [
        ("get", f"{UNI_TEACHERS}/me", None),
        ("put", f"{UNI_TEACHERS}/me", {"majors_taught": []}),
        ("get", STAYS, None),
        ("post", STAYS, {}),
        ("get", url, None),
        ("post", f"{url}/confirm", {}),
        ("post", f"{url}/reject", {"reason": "否"}),
    ]:
        assert_problem(getattr(client, method)(path, json=body), 401)


@pytest.mark.parametrize("who", ["student", "teacher", "ent_staff"])
def test_only_university_staff_are_university_teachers(world, who):
    assert_problem(world[who].put(f"{UNI_TEACHERS}/me", json={"majors_taught": []}), 403)
    assert_problem(world[who].get(f"{UNI_TEACHERS}/me"), 404)
    assert_problem(world[who].post(STAYS, json=stay_body(world)), 403)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"majors_taught": ["no-such-major"]}, "majors_taught"),
        ({"majors_taught": "e-commerce"}, "majors_taught"),
        ({}, "majors_taught"),
        ({"majors_taught": [], "industry_title": "长" * 101}, "industry_title"),
        ({"majors_taught": [], "university_id": 0}, "university_id"),
        ({"majors_taught": [], "university_id": 999999}, "university_id"),
    ],
)
def test_bad_university_teacher_profiles_are_422(world, lecturer, body, field):
    assert field in validation_errors(lecturer.put(f"{UNI_TEACHERS}/me", json=body))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": "2027-07-01"}, "ends_on"),
        ({"starts_on": "2027-02-30"}, "starts_on"),
        ({"starts_on": "七月"}, "starts_on"),
        ({"hours": 0}, "hours"),
        ({"hours": 24 * 54 + 1}, "hours"),
        ({"hours": "三百"}, "hours"),
        ({"tasks": ""}, "tasks"),
        ({"tasks": "\x00"}, "tasks"),
        ({"enterprise_id": 999999}, "enterprise_id"),
        ({"enterprise_id": "企业"}, "enterprise_id"),
        ({"teacher_id": 0}, "teacher_id"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_bad_stays_are_422_naming_the_field(world, lecturer, change, field):
    assert field in validation_errors(lecturer.post(STAYS, json=stay_body(world, **change)))


def test_bad_stays_of_a_university_are_422(world, lecturer):
    body = stay_body(world, enterprise_id=world["uni"].id)
    assert "enterprise_id" in validation_errors(lecturer.post(STAYS, json=body))
    body = stay_body(world, university_id=world["other_uni"].id)
    assert "university_id" in validation_errors(lecturer.post(STAYS, json=body))


def test_bad_decisions_and_filters_are_422(world, stay):
    url = f"{STAYS}/{stay['id']}"
    assert "reason" in validation_errors(world["ent_staff"].post(f"{url}/reject", json={}))
    assert "reason" in validation_errors(
        world["ent_staff"].post(f"{url}/reject", json={"reason": ""})
    )
    for body in ({"hours": 0}, {"hours": "多"}, {"hours": 10**6}):
        assert "hours" in validation_errors(world["ent_staff"].post(f"{url}/confirm", json=body))
    too_many = {"hours": 24 * 54 + 1}
    assert "hours" in validation_errors(world["ent_staff"].post(f"{url}/confirm", json=too_many))
    for query, field in [("state=done", "state"), ("teacher_id=某", "teacher_id")]:
        assert field in validation_errors(world["staff"].get(f"{STAYS}?{query}"))
