"""The employer's confirmations: the pending list, confirm, dispute with a reason."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from tests.destinations.factories import DestinationFactory
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/destinations"


def _pending(world, student):
    return DestinationFactory(
        student_id=student.id,
        university_id=world.uni.id,
        employer_id=world.ent.id,
        employer_name=None,
        confirmation="pending",
    )


def test_the_enterprise_sees_its_pending_confirmations(world, as_user):
    first, second = _pending(world, world.student), _pending(world, world.student2)
    client = as_user(world.ent_staff)
    page = client.get(f"{URL}/confirmations?per_page=1").get_json()
    assert page["total"] == 2
    assert [d["id"] for d in page["items"]] == [first.id]
    assert page["items"][0]["student_name"] == world.student.name
    assert client.get(f"{URL}/confirmations?state=confirmed").get_json()["total"] == 0
    # Another enterprise sees none; a university's staff are no enterprise.
    assert as_user(world.other_ent_staff).get(f"{URL}/confirmations").get_json()["total"] == 0
    assert_problem(as_user(world.uni_staff).get(f"{URL}/confirmations"), 403)
    assert "state" in validation_errors(client.get(f"{URL}/confirmations?state=maybe"))
    assert second.id


def test_confirm(world, as_user, client):
    dest = _pending(world, world.student)
    url = f"{URL}/{dest.id}/confirm"
    assert_problem(client.post(url), 401)
    assert_problem(as_user(world.other_ent_staff).post(url), 404)
    assert_problem(as_user(world.uni_staff).post(url), 403)
    resp = as_user(world.ent_staff).post(url)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["confirmation"] == "confirmed"
    assert resp.get_json()["confirmed_at"]
    assert_problem(as_user(world.ent_staff).post(url), 409)


def test_dispute_needs_a_reason_and_tells_the_university(world, as_user):
    dest = _pending(world, world.student)
    url = f"{URL}/{dest.id}/dispute"
    staff = as_user(world.ent_staff)
    assert "reason" in validation_errors(staff.post(url, json={}))
    assert "reason" in validation_errors(staff.post(url, json={"reason": ""}))
    resp = staff.post(url, json={"reason": "该毕业生未在我司入职。"})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["confirmation"] == "disputed"
    assert resp.get_json()["dispute_reason"] == "该毕业生未在我司入职。"
    (event,) = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "destination.disputed")
    )
    assert event.payload["university_id"] == world.uni.id
    assert event.payload["reason"] == "该毕业生未在我司入职。"
    # The university corrects it: the employer is asked again.
    again = as_user(world.uni_staff).patch(f"{URL}/{dest.id}", json={"industry": "跨境物流"})
    assert again.get_json()["confirmation"] == "pending"


def test_nothing_to_confirm_without_an_alliance_employer(world, as_user):
    dest = DestinationFactory(student_id=world.student.id, university_id=world.uni.id)
    assert_problem(as_user(world.ent_staff).post(f"{URL}/{dest.id}/confirm"), 404)
