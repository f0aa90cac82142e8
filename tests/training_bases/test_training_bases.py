"""Training bases: apply, approve with a level or reject, reviews, sessions, utilisation, authz."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.students.factories import student

URL = "/api/v1/training-bases"


@pytest.fixture
def scene(as_user):
    """A host enterprise, two universities, and their staff clients."""
    host = factories.OrganizationFactory()
    unis = [factories.UniversityFactory(), factories.UniversityFactory()]
    return {
        "host": host,
        "unis": unis,
        "host_staff": as_user(factories.member(host, "staff")),
        "uni_staff": as_user(factories.member(unis[0], "admin")),
    }


def body(scene, **overrides) -> dict:
    data = {
        "name": "天河跨境电商产教融合实践基地",
        "host_enterprise_id": scene["host"].id,
        "university_ids": [u.id for u in scene["unis"]],
        "district": "tianhe",
        "address": "广州市天河区珠江新城",
        "capacity": 30,
        "competencies": ["platform-operation", "content-creation"],
    }
    data.update(overrides)
    return data


def applied(scene) -> dict:
    resp = scene["host_staff"].post(URL, json=body(scene))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def approved(scene, coord) -> dict:
    base = applied(scene)
    resp = coord.post(f"{URL}/{base['id']}/approve", json={"level": "provincial"})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_apply_then_coordinators_approve_with_a_level(scene, coord, client):
    base = applied(scene)
    assert (base["status"], base["level"]) == ("applied", None)
    assert db.session.scalars(
        sa.select(OutboxEvent.event_type).where(OutboxEvent.event_type == "training_base.applied")
    ).all()
    assert_problem(client.get(f"{URL}/{base['id']}"), 404)  # not public yet
    assert scene["uni_staff"].get(f"{URL}/{base['id']}").status_code == 200
    resp = coord.post(f"{URL}/{base['id']}/approve", json={"level": "provincial"})
    got = resp.get_json()
    assert (got["status"], got["level"]) == ("approved", "provincial")
    assert client.get(f"{URL}/{base['id']}").get_json()["name"] == "天河跨境电商产教融合实践基地"
    assert_problem(coord.post(f"{URL}/{base['id']}/reject", json={"reason": "晚了"}), 409)


def test_a_university_may_apply_and_a_rejection_is_final(scene, coord):
    resp = scene["uni_staff"].post(URL, json=body(scene))
    assert resp.status_code == 201, resp.get_json()
    base_id = resp.get_json()["id"]
    assert "reason" in validation_errors(coord.post(f"{URL}/{base_id}/reject", json={}))
    rejected = coord.post(f"{URL}/{base_id}/reject", json={"reason": "场地不足 not enough room"})
    assert rejected.get_json()["status_reason"] == "场地不足 not enough room"
    assert_problem(scene["host_staff"].patch(f"{URL}/{base_id}", json={"capacity": 5}), 409)


def test_sessions_within_capacity_and_utilisation_per_year_and_university(scene, coord):
    base = approved(scene, coord)
    url = f"{URL}/{base['id']}/sessions"
    a, b = scene["unis"]
    last_year = date.today().replace(month=1, day=15) - timedelta(days=365)
    for day, uni, students in [
        (date.today(), a, 10),
        (date.today(), b, 30),
        (date.today() - timedelta(days=1), a, 5),
        (last_year, a, 7),
    ]:
        resp = scene["host_staff"].post(
            url, json={"date": day.isoformat(), "university_id": uni.id, "students": students}
        )
        assert resp.status_code == 201, resp.get_json()
    over = {"date": date.today().isoformat(), "university_id": a.id, "students": 31}
    assert "students" in validation_errors(scene["host_staff"].post(url, json=over))
    stranger = {
        "date": date.today().isoformat(),
        "university_id": factories.UniversityFactory().id,
        "students": 1,
    }
    assert "university_id" in validation_errors(scene["host_staff"].post(url, json=stranger))
    future = {
        "date": (date.today() + timedelta(days=3)).isoformat(),
        "university_id": a.id,
        "students": 1,
    }
    assert "date" in validation_errors(scene["host_staff"].post(url, json=future))
    use = scene["host_staff"].get(f"{URL}/{base['id']}").get_json()["utilisation"]
    this_year = date.today().year
    # (Early January the "yesterday" session falls in the year before: count it where it is.)
    yesterday = (date.today() - timedelta(days=1)).year
    expected_this = {a.id: [10], b.id: [30]}
    if yesterday == this_year:
        expected_this[a.id].append(5)
    assert use[0]["year"] == this_year
    assert use[0]["sessions"] == sum(len(v) for v in expected_this.values())
    assert use[0]["students"] == sum(sum(v) for v in expected_this.values())
    assert use[0]["by_university"] == [
        {"university_id": u, "sessions": len(v), "students": sum(v)}
        for u, v in sorted(expected_this.items())
    ]
    assert use[-1]["year"] == last_year.year
    assert scene["uni_staff"].get(url).get_json()["total"] == 4


def test_reviews_once_a_year_by_coordinators(scene, coord):
    base = approved(scene, coord)
    url = f"{URL}/{base['id']}/reviews"
    resp = coord.post(url, json={"year": 2026, "rating": 4, "notes": "设施完善"})
    assert resp.status_code == 201, resp.get_json()
    assert_problem(coord.post(url, json={"year": 2026, "rating": 5}), 409)
    assert "rating" in validation_errors(coord.post(url, json={"year": 2027, "rating": 6}))
    assert "year" in validation_errors(coord.post(url, json={"year": "2027", "rating": 3}))
    assert_problem(scene["host_staff"].post(url, json={"year": 2027, "rating": 5}), 403)
    reviews = scene["host_staff"].get(f"{URL}/{base['id']}").get_json()["reviews"]
    assert [(r["year"], r["rating"]) for r in reviews] == [(2026, 4)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"district": "atlantis"}, "district"),
        ({"competencies": ["juggling"]}, "competencies"),
        ({"university_ids": []}, "university_ids"),
        ({"university_ids": [987654]}, "university_ids"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "30"}, "capacity"),
        ({"name": ""}, "name"),
        ({"host_enterprise_id": None}, "host_enterprise_id"),
    ],
)
def test_bad_applications_are_422_naming_the_field(scene, overrides, field):
    errors = validation_errors(scene["host_staff"].post(URL, json=body(scene, **overrides)))
    assert any(name == field or name.startswith(f"{field}.") for name in errors), errors


def test_the_host_must_be_an_approved_enterprise(scene):
    bad = body(scene, host_enterprise_id=scene["unis"][0].id)
    assert "host_enterprise_id" in validation_errors(scene["uni_staff"].post(URL, json=bad))


@pytest.mark.parametrize("who", ["anonymous", "outsider_staff", "student"])
def test_others_cannot_apply_change_or_record(scene, coord, client, as_user, who):
    base = approved(scene, coord)
    c, status = {
        "anonymous": lambda: (client, 401),
        "outsider_staff": lambda: (
            as_user(factories.member(factories.OrganizationFactory(), "admin")),
            403,
        ),
        "student": lambda: (as_user(student(scene["unis"][0])), 403),
    }[who]()
    assert_problem(c.post(URL, json=body(scene)), status)
    assert_problem(c.patch(f"{URL}/{base['id']}", json={"capacity": 1}), status)
    session = {
        "date": date.today().isoformat(),
        "university_id": scene["unis"][0].id,
        "students": 1,
    }
    assert_problem(c.post(f"{URL}/{base['id']}/sessions", json=session), status)
    assert_problem(c.post(f"{URL}/{base['id']}/approve", json={"level": "national"}), status)


def test_an_outsider_sees_no_pending_application(scene, as_user):
    base = applied(scene)
    outsider = as_user(factories.member(factories.OrganizationFactory(), "staff"))
    assert_problem(outsider.get(f"{URL}/{base['id']}"), 404)
    assert_problem(outsider.get(f"{URL}/{base['id']}/sessions"), 404)
    assert base["id"] not in [b["id"] for b in outsider.get(URL).get_json()["items"]]


def test_list_filters_combine(scene, coord, client):
    base = approved(scene, coord)
    applied(scene)

    def ids(**q):
        resp = client.get(URL, query_string=q)
        assert resp.status_code == 200, resp.get_json()
        return [b["id"] for b in resp.get_json()["items"]]

    assert ids() == [base["id"]]
    assert ids(level="provincial", district="tianhe", competency="content-creation") == [base["id"]]
    assert ids(university_id=scene["unis"][1].id, q="天河") == [base["id"]]
    assert ids(level="national") == []
    assert "level" in validation_errors(client.get(URL, query_string={"level": "galactic"}))
    assert_problem(client.get(f"{URL}/987654"), 404)


@pytest.mark.parametrize(
    ("tail", "json"),
    [
        ("reject", {"reason": "不行"}),
        ("approve", {"level": "national"}),
        ("reviews", {"year": 2026, "rating": 1}),
        ("sessions", {"date": "2026-01-05", "university_id": 1, "students": 1}),
    ],
)
def test_a_member_of_another_organization_changes_nothing(scene, as_user, tail, json):
    base = applied(scene)
    outsider = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    resp = outsider.post(f"{URL}/{base['id']}/{tail}", json=json)
    assert resp.status_code in (403, 404), resp.get_json()
    assert "name" not in resp.get_json()
