"""POST /courses/{id}/confirm and /decline: a partner answers for the caller's enterprise."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from tests import factories
from tests.courses.factories import CourseFactory
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/courses"


@pytest.fixture
def proposed(as_user):
    """A course proposed to two partners; the university's staff and each partner's staff."""
    uni = factories.UniversityFactory()
    partners = [factories.OrganizationFactory(), factories.OrganizationFactory()]
    course = CourseFactory(university_id=uni.id, partners=partners, status="proposed")
    for partner in course.partners:
        partner.state = "pending"
    db.session.commit()
    staff = as_user(factories.member(uni, "staff"))
    partner_staff = [as_user(factories.member(p, "staff")) for p in partners]
    return course, uni, partners, staff, partner_staff


def states(resp) -> dict[int, str]:
    return {p["enterprise_id"]: p["state"] for p in resp.get_json()["partners"]}


def test_each_partner_confirms_without_naming_its_enterprise(proposed):
    course, _uni, partners, staff, partner_staff = proposed
    first = partner_staff[0].post(f"{URL}/{course.id}/confirm")
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["status"] == "proposed"
    assert states(first) == {partners[0].id: "confirmed", partners[1].id: "pending"}
    second = partner_staff[1].post(f"{URL}/{course.id}/confirm", json={})
    assert second.status_code == 200, second.get_json()
    assert second.get_json()["status"] == "confirmed"
    assert staff.post(f"{URL}/{course.id}/publish").get_json()["status"] == "published"


def test_a_partner_declines_with_a_reason_and_the_course_returns_to_draft(proposed):
    course, uni, partners, _staff, partner_staff = proposed
    resp = partner_staff[1].post(f"{URL}/{course.id}/decline", json={"reason": "课时太多"})
    assert resp.status_code == 200, resp.get_json()
    got = resp.get_json()
    assert got["status"] == "draft"
    declined = next(p for p in got["partners"] if p["enterprise_id"] == partners[1].id)
    assert (declined["state"], declined["reason"]) == ("declined", "课时太多")
    event = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "course.declined")
    ).one()
    assert (event.organization_id, event.payload["enterprise_id"]) == (uni.id, partners[1].id)
    # The answer is given once: a second one finds nothing awaiting it.
    again = partner_staff[1].post(f"{URL}/{course.id}/confirm")
    assert "waiting for" in assert_problem(again, 409)["detail"]


def test_a_caller_of_several_partners_must_name_one(proposed, as_user):
    course, _uni, partners, _staff, _partner_staff = proposed
    both = factories.member(partners[0], "admin")
    factories.MembershipFactory(user=both, organization=partners[1], role="staff")
    client = as_user(both)
    errors = validation_errors(client.post(f"{URL}/{course.id}/confirm"))
    message = errors["enterprise_id"][0]
    for partner in partners:
        assert f"{partner.id} ({partner.name})" in message
    errors = validation_errors(client.post(f"{URL}/{course.id}/decline", json={"reason": "不合适"}))
    assert "enterprise_id" in errors
    resp = client.post(f"{URL}/{course.id}/confirm", json={"enterprise_id": partners[1].id})
    assert resp.status_code == 200, resp.get_json()
    assert states(resp) == {partners[0].id: "pending", partners[1].id: "confirmed"}


def test_bad_input_names_the_field(proposed):
    course, uni, _partners, _staff, partner_staff = proposed
    url = f"{URL}/{course.id}"
    assert "reason" in validation_errors(partner_staff[0].post(f"{url}/decline", json={}))
    assert "enterprise_id" in validation_errors(
        partner_staff[0].post(f"{url}/confirm", json={"enterprise_id": "十二"})
    )
    not_partner = validation_errors(
        partner_staff[0].post(f"{url}/confirm", json={"enterprise_id": uni.id})
    )
    assert "not a partner" in not_partner["enterprise_id"][0]
    assert "reason" in validation_errors(
        partner_staff[0].post(f"{url}/decline", json={"reason": ""})
    )


def test_only_partners_answer(proposed, as_user, client, coord):
    course, uni, partners, staff, partner_staff = proposed
    url = f"{URL}/{course.id}"
    stranger = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    # A course under way is hidden from other organizations; a published one is not.
    assert_problem(stranger.post(f"{url}/confirm"), 404)
    assert_problem(stranger.post(f"{url}/decline", json={"reason": "x"}), 404)
    assert_problem(staff.post(f"{url}/confirm"), 403)  # the university is no partner
    assert_problem(coord.post(f"{url}/confirm"), 403)
    assert_problem(client.post(f"{url}/confirm"), 401)
    # Another partner named explicitly: the caller is not its staff.
    named = partner_staff[0].post(f"{url}/confirm", json={"enterprise_id": partners[1].id})
    assert_problem(named, 403)
    published = CourseFactory(partners=[factories.OrganizationFactory()])
    assert_problem(stranger.post(f"{URL}/{published.id}/confirm"), 403)
    assert {p["state"] for p in partner_staff[0].get(url).get_json()["partners"]} == {"pending"}


def test_a_partner_cannot_answer_a_draft_and_is_told_whom_it_waits_for(as_user):
    uni = factories.UniversityFactory(name="华南某某大学")
    partner = factories.OrganizationFactory()
    course = CourseFactory(university_id=uni.id, partners=[partner], status="draft")
    client = as_user(factories.member(partner, "staff"))
    body = assert_problem(client.post(f"{URL}/{course.id}/confirm"), 409)
    assert body["detail"] == (
        f"cannot confirm while draft: waiting for 华南某某大学 (university {uni.id}) to propose "
        "the course; allowed next steps: none"
    )
    assert body["waiting_for"] == [
        {
            "party": "university",
            "id": uni.id,
            "name": "华南某某大学",
            "action": "propose the course",
        }
    ]


def test_the_routes_are_documented_with_examples(client):
    spec = client.get("/api/openapi.json").get_json()
    for verb in ("confirm", "decline"):
        operation = spec["paths"][f"/api/v1/courses/{{course_id}}/{verb}"]["post"]
        assert "caller's partner" in operation["summary"]
        assert "example" in operation["requestBody"]["content"]["application/json"]
        assert "example" in operation["responses"]["200"]["content"]["application/json"]
        several = operation["responses"]["422"]["content"]["application/problem+json"]
        assert "enterprise_id" in several["example"]["errors"]
    confirm = spec["paths"]["/api/v1/courses/{course_id}/confirm"]["post"]
    assert confirm["requestBody"]["required"] is False
