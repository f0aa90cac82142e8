"""Mentors (who assigns whom, the load limit, a mentor's list) and insurance (recording,
cover, the sweep that flags cover ending early)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.placements import insurance, mentors
from cbec_alliance.placements.models import Placement
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.placements.factories import insure, world


def _assign(client, w, role, mentor_id):
    return client.post(
        f"/api/v1/placements/{w.placement.id}/mentors", json={"role": role, "mentor_id": mentor_id}
    )


def test_each_side_assigns_its_own_staff(run, as_user):
    w = run(world)
    uni, ent = as_user(w.uni_staff), as_user(w.ent_staff)
    assert _assign(uni, w, "school", w.school_mentor.id).status_code == 200
    assert_problem(_assign(uni, w, "enterprise", w.ent_mentor.id), 403)
    assert_problem(_assign(ent, w, "school", w.school_mentor.id), 403)
    assert_problem(_assign(as_user(w.student), w, "school", w.school_mentor.id), 403)
    # A school mentor must be the university's staff.
    assert "mentor_id" in validation_errors(_assign(uni, w, "school", w.ent_mentor.id))
    assert "mentor_id" in validation_errors(_assign(uni, w, "school", w.student.id))
    assert "role" in validation_errors(_assign(uni, w, "coach", w.school_mentor.id))
    body = _assign(ent, w, "enterprise", w.ent_mentor.id).get_json()
    assert (body["school_mentor_id"], body["enterprise_mentor_id"]) == (
        w.school_mentor.id,
        w.ent_mentor.id,
    )


def test_replacing_a_mentor_moves_the_load(run, as_user):
    w = run(world)
    other = run(factories.member, w.university, "staff")
    uni = as_user(w.uni_staff)
    _assign(uni, w, "school", w.school_mentor.id)
    _assign(uni, w, "school", other.id)
    assert (mentors.load(w.school_mentor.id), mentors.load(other.id)) == (0, 1)
    _assign(uni, w, "school", other.id)  # the same again: nothing changes
    assert mentors.load(other.id) == 1


def test_the_load_limit_holds(run, as_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "PLACEMENT_MENTOR_MAX_STUDENTS", 2)
    first = run(world)
    uni = as_user(first.uni_staff)
    mentor = first.school_mentor
    seconds = [run(world) for _ in range(2)]
    for w in seconds:
        # The same mentor, through their staff membership of each university.
        run(factories.MembershipFactory, user=db.session.merge(mentor), organization=w.university)
    _assign(uni, first, "school", mentor.id)
    assert (
        _assign(as_user(seconds[0].uni_staff), seconds[0], "school", mentor.id).status_code == 200
    )
    resp = _assign(as_user(seconds[1].uni_staff), seconds[1], "school", mentor.id)
    assert "2 students" in assert_problem(resp, 409)["detail"]
    assert db.session.get(Placement, seconds[1].placement.id).school_mentor_id is None
    assert mentors.load(mentor.id) == 2


def test_a_mentor_sees_their_students(run, as_user):
    w = run(world)
    other = run(world)
    _assign(as_user(w.uni_staff), w, "school", w.school_mentor.id)
    listing = as_user(w.school_mentor).get("/api/v1/placements/mentoring").get_json()
    assert [p["id"] for p in listing["items"]] == [w.placement.id]
    assert as_user(other.school_mentor).get("/api/v1/placements/mentoring").get_json()["total"] == 0
    active = as_user(w.school_mentor).get("/api/v1/placements/mentoring?state=active")
    assert active.get_json()["total"] == 0
    bad = as_user(w.school_mentor).get("/api/v1/placements/mentoring?per_page=1000")
    assert "per_page" in validation_errors(bad)


def test_insurance_is_recorded_by_either_side(run, as_user):
    w = run(world)
    p = w.placement
    policy = {
        "insurer": "中国平安财产保险",
        "policy_number": "PA-001",
        "covers_from": p.starts_on.isoformat(),
        "covers_to": p.ends_on.isoformat(),
        "sum_insured": 300000,
    }
    resp = as_user(w.ent_staff).post(f"/api/v1/placements/{p.id}/insurance", json=policy)
    assert resp.status_code == 201, resp.get_json()
    assert_problem(
        as_user(w.student).post(f"/api/v1/placements/{p.id}/insurance", json=policy), 403
    )
    backwards = {**policy, "covers_to": (p.starts_on - timedelta(days=1)).isoformat()}
    errors = validation_errors(
        as_user(w.uni_staff).post(f"/api/v1/placements/{p.id}/insurance", json=backwards)
    )
    assert "covers_to" in errors
    assert "sum_insured" in validation_errors(
        as_user(w.uni_staff).post(
            f"/api/v1/placements/{p.id}/insurance", json={**policy, "sum_insured": 0}
        )
    )
    cover = as_user(w.student).get(f"/api/v1/placements/{p.id}/insurance").get_json()
    assert cover["covers_placement"] is True
    assert cover["first_uncovered_day"] is None
    assert [x["policy_number"] for x in cover["policies"]] == ["PA-001"]


def _flags(placement_id: int) -> list[OutboxEvent]:
    return [
        e
        for e in db.session.scalars(
            sa.select(OutboxEvent).where(OutboxEvent.event_type == "placement.insurance_ending")
        )
        if e.payload["placement_id"] == placement_id
    ]


def test_cover_ending_early_is_flagged_a_week_ahead_once(run):
    w = run(world, start_in=-20)
    run(insure, w, days_short=10)  # cover ends 10 days before the placement
    last_covered = w.placement.ends_on - timedelta(days=10)
    far = last_covered - timedelta(days=30)
    assert run(insurance.flag_gaps, far) == 0
    near = last_covered - timedelta(days=5)
    assert run(insurance.flag_gaps, near) == 1
    assert run(insurance.flag_gaps, near + timedelta(days=1)) == 0  # once per gap
    (event,) = _flags(w.placement.id)
    assert event.payload["covered_until"] == last_covered.isoformat()
    assert {event.payload["university_id"], event.payload["enterprise_id"]} == {
        w.university.id,
        w.enterprise.id,
    }


def test_a_placement_with_no_cover_is_flagged_before_it_starts(run):
    bare = run(world, start_in=5)
    assert run(insurance.flag_gaps, date.today()) == 1
    assert len(_flags(bare.placement.id)) == 1
    covered = run(world, start_in=5)
    run(insure, covered)
    assert run(insurance.flag_gaps, date.today()) == 0
    assert _flags(covered.placement.id) == []


@pytest.mark.parametrize("role", ["school", "enterprise"])
def test_a_finished_placement_takes_no_mentor(run, as_user, role):
    w = run(world)
    reason = {"reason_code": "other", "reason_text": "取消"}
    as_user(w.student).post(f"/api/v1/placements/{w.placement.id}/terminate", json=reason)
    client = as_user(w.uni_staff if role == "school" else w.ent_staff)
    mentor = w.school_mentor if role == "school" else w.ent_mentor
    assert_problem(_assign(client, w, role, mentor.id), 409)
