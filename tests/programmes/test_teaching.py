"""Enterprise teachers' hours on a programme (issue 20 part 3): proposed by the programme's
university, answered by the teacher through the teaching routes, hours recorded."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.programmes.conftest import URL, body, confirmed

TEACHERS = "/api/v1/enterprise-teachers"
ASSIGNMENTS = "/api/v1/teaching-assignments"


@pytest.fixture
def taught(scene, as_user):
    """A confirmed programme and an enterprise teacher of its partner with a profile."""
    programme = confirmed(scene)
    user = factories.member(scene.ent, "staff", name="王建国")
    teacher = as_user(user)
    resp = teacher.put(
        f"{TEACHERS}/me",
        json={"title": "运营总监", "fields": ["data-analysis"], "years_of_practice": 8},
    )
    assert resp.status_code == 200, resp.get_json()
    scene.teacher, scene.teacher_user, scene.programme = teacher, user, programme
    return scene


def _propose(scene, client=None, **overrides):
    data = {"teacher_id": scene.teacher_user.id, "semester": "2027-spring", "hours": 24}
    data.update(overrides)
    return (client or scene.uni_staff).post(
        f"{URL}/{scene.programme['id']}/teaching-assignments", json=data
    )


def test_an_assignment_on_a_programme_runs_its_whole_course(taught):
    resp = _propose(taught)
    assert resp.status_code == 201, resp.get_json()
    a = resp.get_json()
    assert (a["programme_id"], a["course_id"], a["status"]) == (
        taught.programme["id"],
        None,
        "proposed",
    )
    assert a["subject"] == taught.programme["name"]
    accepted = taught.teacher.post(f"{ASSIGNMENTS}/{a['id']}/accept", json={})
    assert accepted.get_json()["status"] == "accepted"
    hours = taught.uni_staff.put(f"{ASSIGNMENTS}/{a['id']}/hours", json={"hours_delivered": 10})
    assert hours.status_code == 200, hours.get_json()
    listed = taught.uni_staff.get(f"{URL}/{taught.programme['id']}/teaching-assignments")
    assert [i["id"] for i in listed.get_json()["items"]] == [a["id"]]
    mine = taught.teacher.get(ASSIGNMENTS, query_string={"programme_id": taught.programme["id"]})
    assert [i["hours_delivered"] for i in mine.get_json()["items"]] == [10]
    # The same teacher, programme and semester again while one is live: 409.
    assert_problem(_propose(taught), 409)


def test_only_the_programmes_university_proposes(taught, as_user):
    assert_problem(_propose(taught, taught.ent_staff), 403)
    assert_problem(_propose(taught, taught.clients[0]), 403)
    other = as_user(factories.member(factories.UniversityFactory(), "staff"))
    assert_problem(_propose(taught, other), 403)


def test_outsiders_see_none_of_a_programmes_assignments(taught, as_user, client):
    assert _propose(taught).status_code == 201
    url = f"{URL}/{taught.programme['id']}/teaching-assignments"
    assert_problem(client.get(url), 401)
    outsider = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    assert outsider.get(url).get_json()["items"] == []
    assert_problem(outsider.get(f"{URL}/999999/teaching-assignments"), 404)


def test_a_proposed_programme_is_404_to_strangers_and_a_closed_one_takes_none(
    taught, as_user, coord
):
    stranger = as_user(factories.member(factories.UniversityFactory(), "admin"))
    resp = taught.uni_staff.post(URL, json={**body(taught), "name": "未确认的订单班"})
    assert resp.status_code == 201
    assert_problem(
        stranger.post(
            f"{URL}/{resp.get_json()['id']}/teaching-assignments",
            json={"teacher_id": taught.teacher_user.id, "semester": "2027-spring", "hours": 2},
        ),
        404,
    )
    pid = taught.programme["id"]
    assert taught.uni_staff.post(f"{URL}/{pid}/start").status_code == 200
    assert taught.uni_staff.post(f"{URL}/{pid}/close").status_code == 200
    assert_problem(_propose(taught), 409)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"teacher_id": None}, "teacher_id"),
        ({"teacher_id": "x"}, "teacher_id"),
        ({"teacher_id": 0}, "teacher_id"),
        ({"teacher_id": 2**40}, "teacher_id"),
        ({"hours": 0}, "hours"),
        ({"hours": 2001}, "hours"),
        ({"hours": "8"}, "hours"),
        ({"semester": "spring"}, "semester"),
        ({"semester": None}, "semester"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_proposals_are_422_naming_the_field(taught, change, field):
    assert field in validation_errors(_propose(taught, **change))


def test_a_user_without_a_teacher_profile_is_422(taught):
    plain = factories.member(taught.ent, "staff")
    assert "teacher_id" in validation_errors(_propose(taught, teacher_id=plain.id))
