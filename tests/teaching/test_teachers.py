"""Enterprise teachers' profiles: their own, listed for universities and coordinators."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.teaching.conftest import TEACHERS, profile_body


def test_a_teacher_keeps_their_profile(world):
    mine = world["teacher"].get(f"{TEACHERS}/me").get_json()
    assert mine["name"] == "王建国"
    assert mine["enterprise_id"] == world["ent"].id
    assert mine["enterprise_name"] == "广州希音供应链有限公司"
    assert mine["fields"] == ["data-analysis", "platform-operation"]
    again = world["teacher"].put(
        f"{TEACHERS}/me", json=profile_body(title="品牌出海顾问", fields=["marketing"], bio=None)
    )
    assert again.status_code == 200
    assert again.get_json()["title"] == "品牌出海顾问"
    assert world["teacher"].get(f"{TEACHERS}/me").get_json()["fields"] == ["marketing"]


def test_universities_and_coordinators_find_teachers_by_field(world, coord, as_user):
    c = as_user(factories.member(world["other_ent"], "staff", name="赵敏"))
    c.put(f"{TEACHERS}/me", json=profile_body(fields=["english"], years_of_practice=3))
    for viewer in (world["staff"], world["other_uni_staff"], coord):
        page = viewer.get(TEACHERS).get_json()
        assert [t["name"] for t in page["items"]] == ["王建国", "赵敏"]
    by_field = world["staff"].get(f"{TEACHERS}?field=english").get_json()["items"]
    assert [t["name"] for t in by_field] == ["赵敏"]
    assert world["staff"].get(f"{TEACHERS}?min_years=5").get_json()["total"] == 1
    assert world["staff"].get(f"{TEACHERS}?q=王建").get_json()["total"] == 1
    assert world["staff"].get(f"{TEACHERS}?q=总监").get_json()["total"] == 2
    ent_only = world["staff"].get(f"{TEACHERS}?enterprise_id={world['ent'].id}").get_json()
    assert ent_only["total"] == 1


def test_anonymous_gets_401(client):
    assert_problem(client.get(TEACHERS), 401)
    assert_problem(client.get(f"{TEACHERS}/me"), 401)
    assert_problem(client.put(f"{TEACHERS}/me", json=profile_body()), 401)


@pytest.mark.parametrize("who", ["student", "teacher", "ent_staff"])
def test_only_universities_and_coordinators_list_teachers(world, who):
    problem = assert_problem(world[who].get(TEACHERS), 403)
    assert "items" not in problem


@pytest.mark.parametrize("who", ["student", "staff"])
def test_only_enterprise_staff_have_a_teacher_profile(world, who):
    assert_problem(world[who].put(f"{TEACHERS}/me", json=profile_body()), 403)
    assert_problem(world[who].get(f"{TEACHERS}/me"), 404)


def test_a_profile_names_only_the_callers_enterprise(world):
    body = profile_body(enterprise_id=world["other_ent"].id)
    assert "enterprise_id" in validation_errors(world["teacher"].put(f"{TEACHERS}/me", json=body))
    # Staff of two enterprises must say which.
    factories.MembershipFactory(user=world["teacher_user"], organization=world["other_ent"])
    errors = validation_errors(world["teacher"].put(f"{TEACHERS}/me", json=profile_body()))
    assert "enterprise_id" in errors
    body = profile_body(enterprise_id=world["other_ent"].id)
    assert world["teacher"].put(f"{TEACHERS}/me", json=body).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"fields": ["不存在的能力"]}, "fields.0"),
        ({"fields": ["no-such-competency"]}, "fields"),
        ({"fields": []}, "fields"),
        ({"fields": "marketing"}, "fields"),
        ({"title": ""}, "title"),
        ({"title": "长" * 101}, "title"),
        ({"years_of_practice": -1}, "years_of_practice"),
        ({"years_of_practice": "八"}, "years_of_practice"),
        ({"years_of_practice": 10**12}, "years_of_practice"),
        ({"enterprise_id": "一"}, "enterprise_id"),
        ({"bio": "\x00"}, "bio"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_profiles_are_422_naming_the_field(world, change, field):
    resp = world["teacher"].put(f"{TEACHERS}/me", json=profile_body(**change))
    assert field in validation_errors(resp)


def test_missing_fields_and_bad_filters_are_422(world):
    errors = validation_errors(world["teacher"].put(f"{TEACHERS}/me", json={}))
    assert {"title", "fields", "years_of_practice"} <= set(errors)
    for query, field in [
        ("field=不是代码", "field"),
        ("min_years=-3", "min_years"),
        ("enterprise_id=x", "enterprise_id"),
        ("per_page=1000", "per_page"),
    ]:
        assert field in validation_errors(world["staff"].get(f"{TEACHERS}?{query}"))
