"""Creating, editing, publishing, closing and taking down internship postings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.internships.helpers import URL, body, enterprise_staff
from tests.students.factories import student


def _events(event_type):
    return db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == event_type)
    ).all()


def test_staff_creates_a_draft_with_every_field(as_user):
    org, staff = enterprise_staff()
    resp = as_user(staff).post(URL, json=body(org.id))
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["status"] == "draft"
    assert got["title"] == "跨境电商运营实习生 Amazon operations intern"
    assert got["competencies"] == [{"code": "platform-operation", "min_level": 2}]
    assert got["majors"] == ["e-commerce"]
    assert got["languages"] == ["en"]
    assert got["hours_per_day"] == 8
    assert got["insurance_provided"] is True
    assert got["published_at"] is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("other_enterprise", 403), ("student", 403), ("university_staff", 403)],
)
def test_only_the_enterprise_staff_may_post(client, as_user, who, status):
    org, _ = enterprise_staff()
    users = {
        "other_enterprise": lambda: enterprise_staff()[1],
        "student": lambda: student(),
        "university_staff": lambda: factories.member(factories.UniversityFactory(), "staff"),
    }
    c = client if who == "anonymous" else as_user(users[who]())
    resp = c.post(URL, json=body(org.id))
    problem = assert_problem(resp, status)
    assert "id" not in problem
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEvent)) == 0


def test_a_pending_enterprise_cannot_post(as_user):
    org, staff = enterprise_staff(status="pending")
    assert_problem(as_user(staff).post(URL, json=body(org.id)), 409)


def test_unknown_or_non_enterprise_ids_are_422(as_user):
    org, staff = enterprise_staff()
    uni = factories.UniversityFactory()
    factories.member(uni, "staff", email="both@example.cn")
    resp = as_user(staff).post(URL, json=body(999_999))
    assert "enterprise_id" in validation_errors(resp)
    admin_of_uni = factories.member(uni, "admin")
    resp = as_user(admin_of_uni).post(URL, json=body(uni.id))
    assert "enterprise_id" in validation_errors(resp)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "x" * 201),
        ("category", "astrology"),
        ("district", "manhattan"),
        ("mode", "teleport"),
        ("slots", 0),
        ("slots", 10_001),
        ("slots", "2"),
        ("slots", 2**40),
        ("competencies", [{"code": "english", "min_level": 6}]),
        ("competencies", [{"code": "juggling", "min_level": 2}]),
        (
            "competencies",
            [{"code": "english", "min_level": 2}, {"code": "english", "min_level": 3}],
        ),
        ("majors", ["alchemy"]),
        ("majors", ["e-commerce", "e-commerce"]),
        ("languages", ["xx"]),
        ("stipend_min", -1),
        ("stipend_max", 100),
        ("start_date", "2026-02-30"),
        ("end_date", "2000-01-01"),
        ("apply_by", "2999-01-01"),
        ("hours_per_day", 0),
        ("hours_per_day", 25),
        ("hours_per_day", -1e27),
        ("hours_per_week", 1e300),
        ("hours_per_week", 200),
        ("hours_per_week", 4),
        ("night_shifts", "no"),
        ("insurance_provided", None),
        ("fee_charged", 0),
        ("description", "bad\x00text"),
    ],
)
def test_bad_fields_are_422_naming_the_field(as_user, field, value):
    org, staff = enterprise_staff()
    resp = as_user(staff).post(URL, json=body(org.id, **{field: value}))
    errors = validation_errors(resp)
    assert any(k == field or k.startswith(f"{field}.") for k in errors), errors


@pytest.mark.parametrize("field", ["title", "slots", "apply_by", "insurance_provided"])
def test_required_fields(as_user, field):
    org, staff = enterprise_staff()
    data = body(org.id)
    del data[field]
    assert field in validation_errors(as_user(staff).post(URL, json=data))


def test_unknown_fields_and_malformed_json(as_user):
    org, staff = enterprise_staff()
    assert "salary" in validation_errors(as_user(staff).post(URL, json=body(org.id, salary=1)))
    resp = as_user(staff).post(URL, data="{", content_type="application/json")
    assert_problem(resp, 400)


@pytest.mark.parametrize(
    ("terms", "codes"),
    [
        ({"hours_per_day": 9, "hours_per_week": 45}, ["max_hours_per_day", "max_hours_per_week"]),
        ({"night_shifts": True}, ["no_night_shifts"]),
        ({"insurance_provided": False}, ["insurance_required"]),
        ({"fee_charged": True}, ["no_fees"]),
        (
            {
                "hours_per_day": 10,
                "hours_per_week": 50,
                "night_shifts": True,
                "insurance_provided": False,
                "fee_charged": True,
            },
            [
                "max_hours_per_day",
                "max_hours_per_week",
                "no_night_shifts",
                "insurance_required",
                "no_fees",
            ],
        ),
    ],
)
def test_publish_refuses_a_posting_that_breaks_the_rules(as_user, terms, codes):
    org, staff = enterprise_staff()
    c = as_user(staff)
    draft = c.post(URL, json=body(org.id, **terms))
    assert draft.status_code == 201, draft.get_json()  # a draft may break them
    problem = assert_problem(c.post(f"{URL}/{draft.get_json()['id']}/publish"), 409)
    assert [r["code"] for r in problem["rules"]] == codes
    for code in codes:
        assert code in problem["detail"]
    assert c.get(f"{URL}/{draft.get_json()['id']}").get_json()["status"] == "draft"


def test_publish_close_reopen_and_wrong_steps(as_user):
    org, staff = enterprise_staff()
    c = as_user(staff)
    pid = c.post(URL, json=body(org.id)).get_json()["id"]
    assert_problem(c.post(f"{URL}/{pid}/close"), 409)
    opened = c.post(f"{URL}/{pid}/publish")
    assert opened.status_code == 200, opened.get_json()
    assert opened.get_json()["status"] == "open"
    assert opened.get_json()["published_at"]
    problem = assert_problem(c.post(f"{URL}/{pid}/publish"), 409)
    assert "allowed next steps: close" in problem["detail"]
    assert c.post(f"{URL}/{pid}/close").get_json()["status"] == "closed"
    assert c.post(f"{URL}/{pid}/reopen").get_json()["status"] == "open"
    assert len(_events("internship.published")) == 2
    assert len(_events("internship.closed")) == 1


def test_publish_refuses_a_passed_deadline(as_user):
    org, staff = enterprise_staff()
    c = as_user(staff)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    pid = c.post(URL, json=body(org.id, apply_by=yesterday)).get_json()["id"]
    problem = assert_problem(c.post(f"{URL}/{pid}/publish"), 409)
    assert "apply_by" in problem["detail"]


@pytest.mark.parametrize("action", ["publish", "close", "reopen"])
def test_lifecycle_steps_need_the_enterprise_staff(client, as_user, action):
    posting = InternshipFactory(status="draft" if action == "publish" else "open")
    _, outsider = enterprise_staff()
    assert_problem(client.post(f"{URL}/{posting.id}/{action}"), 401)
    resp = as_user(outsider).post(f"{URL}/{posting.id}/{action}")
    assert resp.status_code in (403, 404)
    assert "enterprise_id" not in resp.get_json()
    assert resp.status_code == (404 if action == "publish" else 403)  # drafts are hidden
    student_resp = as_user(student()).post(f"{URL}/{posting.id}/{action}")
    assert student_resp.status_code in (403, 404)


def test_patch_an_open_posting_informs_applicants_and_keeps_the_rules(as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id)
    c = as_user(staff)
    resp = c.patch(f"{URL}/{posting.id}", json={"description": "新的职责说明", "slots": 3})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["description"] == "新的职责说明"
    (event,) = _events("internship.updated")
    assert "description" in event.payload["fields"]
    assert "slots" in event.payload["fields"]
    problem = assert_problem(c.patch(f"{URL}/{posting.id}", json={"night_shifts": True}), 409)
    assert [r["code"] for r in problem["rules"]] == ["no_night_shifts"]
    assert c.get(f"{URL}/{posting.id}").get_json()["night_shifts"] is False


def test_patch_refuses_slots_below_accepted(as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id, slots=3, accepted_count=2)
    assert_problem(as_user(staff).patch(f"{URL}/{posting.id}", json={"slots": 1}), 409)
    ok = as_user(staff).patch(f"{URL}/{posting.id}", json={"slots": 2})
    assert ok.get_json()["slots"] == 2


def test_patch_validates_against_the_stored_values(as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id, status="draft")
    resp = as_user(staff).patch(f"{URL}/{posting.id}", json={"stipend_min": 99_999})
    assert "stipend_max" in validation_errors(resp)
    resp = as_user(staff).patch(f"{URL}/{posting.id}", json={"competencies": []})
    assert resp.get_json()["competencies"] == []


def test_patch_and_delete_authorization(client, as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id)
    _, outsider = enterprise_staff()
    for c, status in ((client, 401), (as_user(outsider), 403), (as_user(student()), 403)):
        assert_problem(c.patch(f"{URL}/{posting.id}", json={"title": "hijack"}), status)
        assert_problem(c.delete(f"{URL}/{posting.id}"), status)
    assert as_user(staff).get(f"{URL}/{posting.id}").get_json()["title"] != "hijack"


def test_delete_only_drafts(as_user):
    org, staff = enterprise_staff()
    draft = InternshipFactory(enterprise_id=org.id, status="draft")
    live = InternshipFactory(enterprise_id=org.id)
    c = as_user(staff)
    problem = assert_problem(c.delete(f"{URL}/{live.id}"), 409)
    assert "close it instead" in problem["detail"]
    assert c.delete(f"{URL}/{draft.id}").status_code == 204
    assert_problem(c.get(f"{URL}/{draft.id}"), 404)


def test_drafts_are_hidden_from_outsiders(client, as_user):
    org, staff = enterprise_staff()
    draft = InternshipFactory(enterprise_id=org.id, status="draft")
    _, outsider = enterprise_staff()
    assert_problem(client.get(f"{URL}/{draft.id}"), 404)
    assert_problem(as_user(outsider).get(f"{URL}/{draft.id}"), 404)
    assert as_user(staff).get(f"{URL}/{draft.id}").status_code == 200
    coordinator = factories.CoordinatorFactory()
    assert as_user(coordinator).get(f"{URL}/{draft.id}").status_code == 200
    assert_problem(client.get(f"{URL}/2147483647"), 404)


def test_coordinator_takes_a_posting_down_with_a_reason(as_user, coord):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id)
    assert "reason" in validation_errors(coord.post(f"{URL}/{posting.id}/take-down", json={}))
    resp = coord.post(f"{URL}/{posting.id}/take-down", json={"reason": "虚假招聘 fraudulent"})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["status"] == "taken_down"
    assert resp.get_json()["status_reason"] == "虚假招聘 fraudulent"
    (event,) = _events("internship.taken_down")
    assert event.payload["reason"] == "虚假招聘 fraudulent"
    assert_problem(as_user(staff).patch(f"{URL}/{posting.id}", json={"title": "back"}), 409)
    assert_problem(as_user(staff).post(f"{URL}/{posting.id}/reopen"), 409)
    assert_problem(coord.post(f"{URL}/{posting.id}/take-down", json={"reason": "again"}), 409)


def test_only_coordinators_take_down(client, as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id)
    url = f"{URL}/{posting.id}/take-down"
    assert_problem(client.post(url, json={"reason": "x"}), 401)
    assert_problem(as_user(staff).post(url, json={"reason": "x"}), 403)
    assert_problem(as_user(student()).post(url, json={"reason": "x"}), 403)
