"""Subscriptions (university staff and students)."""

from __future__ import annotations

from tests import factories


def _student(as_user):
    uni = factories.UniversityFactory()
    return as_user(factories.member(uni, "student"))


def test_create_list_delete(as_user):
    c = _student(as_user)
    resp = c.post(
        "/api/v1/subscriptions",
        json={"categories": ["marketing"], "competencies": ["data-analysis"], "districts": []},
    )
    assert resp.status_code == 201
    sub = resp.get_json()
    assert sub["categories"] == ["marketing"]
    listed = c.get("/api/v1/subscriptions").get_json()
    assert [s["id"] for s in listed["items"]] == [sub["id"]]
    assert c.delete(f"/api/v1/subscriptions/{sub['id']}").status_code == 204
    assert c.get("/api/v1/subscriptions").get_json()["total"] == 0


def test_only_university_people_subscribe(as_user):
    enterprise_staff = factories.member(factories.OrganizationFactory(), "staff")
    resp = as_user(enterprise_staff).post("/api/v1/subscriptions", json={"districts": ["tianhe"]})
    assert resp.status_code == 403
    resp = as_user(factories.UserFactory()).post(
        "/api/v1/subscriptions", json={"districts": ["tianhe"]}
    )
    assert resp.status_code == 403


def test_other_users_subscription_is_invisible(as_user):
    mine = _student(as_user)
    sub = mine.post("/api/v1/subscriptions", json={"districts": ["panyu"]}).get_json()
    other = _student(as_user)
    assert other.get("/api/v1/subscriptions").get_json()["total"] == 0
    assert other.delete(f"/api/v1/subscriptions/{sub['id']}").status_code == 404
    assert mine.get("/api/v1/subscriptions").get_json()["total"] == 1


def test_subscription_bad_input(as_user):
    c = _student(as_user)
    cases = [
        ({"categories": ["astrology"]}, "categories"),
        ({"competencies": ["juggling"]}, "competencies"),
        ({"districts": ["shenzhen"]}, "districts"),
        ({}, "categories"),
        ({"districts": "tianhe"}, "districts"),
        ({"districts": ["tianhe"], "extra": 1}, "extra"),
    ]
    for payload, field in cases:
        resp = c.post("/api/v1/subscriptions", json=payload)
        assert resp.status_code == 422, payload
        assert field in resp.get_json()["errors"], resp.get_json()
