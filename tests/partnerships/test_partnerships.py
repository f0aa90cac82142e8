"""Partnerships through the API: proposals, answers, the lifecycle, activity and health."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from cbec_alliance.applications.models import Hire
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.partnerships.models import Partnership
from tests import factories
from tests.applications.factories import apply_for
from tests.courses.factories import CourseFactory
from tests.helpers import assert_problem, at_once, held_at_barrier, validation_errors
from tests.internships.factories import InternshipFactory
from tests.partnerships import factories as pf

URL = "/api/v1/partnerships"


@pytest.fixture
def pair(as_user, coord):
    """An enterprise and a university with staff clients, and outsiders."""
    ent = factories.OrganizationFactory(district="tianhe")
    uni = factories.UniversityFactory(district="panyu")
    association = factories.OrganizationFactory(kind="association", uscc=None)
    return SimpleNamespace(
        ent=ent,
        uni=uni,
        coord=coord,
        e=as_user(factories.member(ent, "staff")),
        u=as_user(factories.member(uni, "admin")),
        student=as_user(factories.member(uni, "student")),
        other=as_user(factories.member(factories.OrganizationFactory(), "admin")),
        association=as_user(factories.member(association, "staff")),
    )


def body(pair, **overrides) -> dict:
    return {
        "enterprise_id": pair.ent.id,
        "university_id": pair.uni.id,
        "modes": ["internship-employment", "co-developed-courses"],
        "starts_on": dt.date.today().isoformat(),
        "ends_on": (dt.date.today() + dt.timedelta(days=800)).isoformat(),
        "goals": {"interns_per_year": 4, "courses": 1},
    } | overrides


def active(pair, **overrides) -> dict:
    resp = pair.e.post(URL, json=body(pair, **overrides))
    assert resp.status_code == 201, resp.get_json()
    p = resp.get_json()
    resp = pair.u.post(f"{URL}/{p['id']}/accept", json={})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_proposed_by_one_side_and_accepted_by_the_other(pair):
    resp = pair.e.post(URL, json=body(pair))
    assert resp.status_code == 201, resp.get_json()
    p = resp.get_json()
    assert (p["status"], p["proposed_by_org_id"], p["health"]) == ("proposed", pair.ent.id, None)
    event = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "partnership.proposed")
    ).one()
    assert event.organization_id == pair.uni.id
    assert_problem(pair.e.post(f"{URL}/{p['id']}/accept", json={}), 403)  # its own proposal
    assert (
        "allowed next steps: accept, decline"
        in assert_problem(pair.u.post(f"{URL}/{p['id']}/suspend", json={}), 409)["detail"]
    )
    accepted = pair.u.post(f"{URL}/{p['id']}/accept", json={}).get_json()
    assert (accepted["status"], accepted["health"]) == ("active", "active")
    assert_problem(pair.u.post(URL, json=body(pair)), 409)  # one live partnership per pair


def test_suspend_resume_end_by_either_side_and_decline_with_a_reason(pair):
    p = active(pair)
    assert (
        pair.e.post(f"{URL}/{p['id']}/suspend", json={"reason": "淡季"}).get_json()["status_reason"]
        == "淡季"
    )
    assert pair.u.post(f"{URL}/{p['id']}/resume", json={}).get_json()["status"] == "active"
    ended = pair.u.post(f"{URL}/{p['id']}/end", json={"reason": "协议到期"}).get_json()
    assert (ended["status"], ended["health"]) == ("ended", "ended")
    assert_problem(pair.e.post(f"{URL}/{p['id']}/resume", json={}), 409)
    again = pair.u.post(URL, json=body(pair)).get_json()  # history does not block a new one
    declined = pair.e.post(f"{URL}/{again['id']}/decline", json={"reason": "名额已满"})
    assert declined.get_json()["status"] == "declined"


def test_activity_progress_and_health_come_from_what_the_sides_share(pair):
    p = active(pair, starts_on=(dt.date.today() - dt.timedelta(days=300)).isoformat())
    posting = InternshipFactory(enterprise_id=pair.ent.id)
    for status in ("accepted", "completed", "submitted"):
        apply_for(posting, status, university=pair.uni)
    _user, hired = apply_for(posting, "completed", university=pair.uni)
    db.session.add(
        Hire(
            application_id=hired.id,
            enterprise_id=pair.ent.id,
            university_id=pair.uni.id,
            student_id=hired.student_id,
        )
    )
    apply_for(InternshipFactory(), "accepted", university=pair.uni)  # another enterprise
    db.session.flush()
    got = pair.e.get(f"{URL}/{p['id']}").get_json()
    assert got["activity"]["internships"] == 1
    assert got["activity"]["placements"] == 3
    assert got["activity"]["hires"] == 1
    assert got["activity"]["courses"] == 0
    goals = {g["goal"]: (g["target"], g["actual"]) for g in got["progress"]["goals"]}
    assert goals == {"courses": (1, 0), "interns_per_year": (4, 3)}
    # 300 days into the year with no course of the one promised: behind.
    assert got["health"] == "behind"
    assert got["last_activity_at"] is not None


def test_a_partnership_with_nothing_for_180_days_is_quiet_after_the_refresh(pair, app):
    from cbec_alliance.insights import activity

    p = active(pair)
    db.session.execute(
        sa.update(Partnership)
        .where(Partnership.id == p["id"])
        .values(accepted_at=utcnow() - dt.timedelta(days=200), goals={})
    )
    activity.refresh()
    db.session.commit()
    listed = pair.coord.get(f"{URL}?health=quiet").get_json()
    assert [x["id"] for x in listed["items"]] == [p["id"]]
    assert pair.coord.get(f"{URL}?health=active").get_json()["items"] == []


def test_filters_combine(pair):
    p = active(pair)
    c = pair.coord
    assert [x["id"] for x in c.get(f"{URL}?mode=co-developed-courses").get_json()["items"]] == [
        p["id"]
    ]
    assert c.get(f"{URL}?mode=joint-competitions").get_json()["items"] == []
    assert c.get(f"{URL}?district=panyu&status=active").get_json()["total"] == 1
    assert c.get(f"{URL}?district=huadu").get_json()["total"] == 0
    assert (
        c.get(f"{URL}?university_id={pair.uni.id}&enterprise_id={pair.ent.id}").get_json()["total"]
        == 1
    )
    assert c.get(f"{URL}?status=ended").get_json()["total"] == 0


def test_coordinators_note_and_flag(pair):
    p = active(pair)
    resp = pair.coord.post(f"{URL}/{p['id']}/note", json={"note": "关注进度", "flagged": True})
    assert (resp.get_json()["coordinator_note"], resp.get_json()["flagged"]) == ("关注进度", True)
    assert pair.coord.get(f"{URL}?flagged=true").get_json()["total"] == 1
    assert_problem(pair.e.post(f"{URL}/{p['id']}/note", json={"note": "x"}), 403)


def test_either_side_changes_goals_and_modes(pair):
    p = active(pair)
    resp = pair.u.patch(
        f"{URL}/{p['id']}", json={"goals": {"students_trained": 30}, "modes": ["lectures"]}
    )
    assert resp.status_code == 200, resp.get_json()
    assert (resp.get_json()["goals"], resp.get_json()["modes"]) == (
        {"students_trained": 30},
        ["lectures"],
    )


def test_who_sees_and_moves_a_partnership(pair, client):
    p = active(pair)
    for viewer in (pair.e, pair.u, pair.student, pair.coord, pair.association):
        assert viewer.get(f"{URL}/{p['id']}").status_code == 200
    assert_problem(pair.other.get(f"{URL}/{p['id']}"), 404)
    assert pair.other.get(URL).get_json()["items"] == []
    assert pair.association.get(URL).get_json()["total"] == 1
    for verb in ("suspend", "resume", "end", "accept", "decline"):
        assert_problem(pair.other.post(f"{URL}/{p['id']}/{verb}", json={}), 404)
        assert_problem(pair.student.post(f"{URL}/{p['id']}/{verb}", json={}), 403)
        assert_problem(pair.coord.post(f"{URL}/{p['id']}/{verb}", json={}), 403)
    assert_problem(pair.other.patch(f"{URL}/{p['id']}", json={"goals": {}}), 404)
    assert_problem(pair.student.patch(f"{URL}/{p['id']}", json={"goals": {}}), 403)
    assert_problem(pair.other.post(URL, json=body(pair)), 403)
    assert_problem(pair.student.post(URL, json=body(pair)), 403)
    assert_problem(client.get(URL), 401)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"modes": []}, "modes"),
        ({"modes": ["teleportation"]}, "modes"),
        ({"modes": ["lectures", "lectures"]}, "modes"),
        ({"starts_on": "2026-13-01"}, "starts_on"),
        ({"ends_on": "2000-01-01"}, "ends_on"),
        ({"starts_on": "9999-12-31", "ends_on": None}, "starts_on"),
        ({"starts_on": "1999-12-31"}, "starts_on"),
        ({"ends_on": "9999-12-31"}, "ends_on"),
        ({"goals": {"interns_per_year": -1}}, "goals"),
        ({"goals": {"unknown": 1}}, "goals"),
        ({"enterprise_id": "x"}, "enterprise_id"),
        ({"university_id": 999999}, "university_id"),
        ({"extra": True}, "extra"),
    ],
)
def test_bad_proposals_name_the_field(pair, overrides, field):
    errors = validation_errors(pair.e.post(URL, json=body(pair, **overrides)))
    assert any(k.split(".")[0] == field for k in errors), errors


def test_the_enterprise_must_be_an_enterprise_and_bad_filters(pair):
    wrong = body(pair, enterprise_id=pair.uni.id)
    assert "enterprise_id" in validation_errors(pair.u.post(URL, json=wrong))
    assert "health" in validation_errors(pair.coord.get(f"{URL}?health=sick"))
    assert "status" in validation_errors(pair.coord.get(f"{URL}?status=x"))
    p = active(pair)
    assert "flagged" in validation_errors(
        pair.coord.post(f"{URL}/{p['id']}/note", json={"flagged": "yes"})
    )
    assert "reason" in validation_errors(pair.e.post(f"{URL}/{p['id']}/end", json={"reason": 5}))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"modes": ["lectures", "lectures"]}, "modes"),
        ({"ends_on": "2020-01-01"}, "ends_on"),  # before the stored starts_on
        ({"goals": None}, "goals"),
        ({"starts_on": "9999-12-31"}, "starts_on"),
        ({"ends_on": "2101-01-01"}, "ends_on"),
    ],
)
def test_bad_changes_name_the_field(pair, change, field):
    p = active(pair)
    errors = validation_errors(pair.u.patch(f"{URL}/{p['id']}", json=change))
    assert any(k.split(".")[0] == field for k in errors), errors
    assert pair.u.get(f"{URL}/{p['id']}").get_json()["goals"] == p["goals"]


def test_a_stored_date_at_the_end_of_the_calendar_breaks_nothing(pair):
    from cbec_alliance.insights import activity

    proposed = pair.e.post(URL, json=body(pair)).get_json()
    others = factories.UniversityFactory()
    fine = pair.e.post(URL, json=body(pair, university_id=others.id)).get_json()
    db.session.execute(
        sa.update(Partnership)
        .where(Partnership.id == proposed["id"])
        .values(starts_on=dt.date(9999, 12, 31), ends_on=None)
    )
    accepted = pair.u.post(f"{URL}/{proposed['id']}/accept", json={})
    assert accepted.status_code == 200, accepted.get_json()
    got = pair.u.get(f"{URL}/{proposed['id']}")
    assert got.status_code == 200, got.get_json()
    assert got.get_json()["progress"]["elapsed"] == 0.0
    changed = pair.u.patch(f"{URL}/{proposed['id']}", json={"goals": {"courses": 2}})
    assert changed.status_code == 200, changed.get_json()
    assert activity.refresh() >= 2  # the other partnerships are refreshed too
    assert db.session.get(Partnership, fine["id"]).health_checked_at is not None


def test_a_note_needs_something_to_say(pair):
    p = active(pair)
    errors = validation_errors(pair.coord.post(f"{URL}/{p['id']}/note", json={}))
    assert "_schema" in errors
    stored = db.session.get(Partnership, p["id"])
    assert (stored.noted_by_id, stored.noted_at) == (None, None)
    cleared = pair.coord.post(f"{URL}/{p['id']}/note", json={"note": None})
    assert cleared.status_code == 200, cleared.get_json()


def test_another_organization_cannot_note(pair):
    p = active(pair)
    for outsider in (pair.other, pair.u):
        problem = assert_problem(
            outsider.post(f"{URL}/{p['id']}/note", json={"note": "x", "flagged": True}), 403
        )
        assert "coordinator_note" not in problem
    got = pair.coord.get(f"{URL}/{p['id']}").get_json()
    assert (got["coordinator_note"], got["flagged"]) == (None, False)


@pytest.mark.committed
def test_an_accept_and_a_decline_at_once_only_one_wins(app, as_user, monkeypatch):
    from cbec_alliance.partnerships import services
    from cbec_alliance.partnerships.models import PartnershipMode

    with app.app_context():
        ent, uni = factories.OrganizationFactory(), factories.UniversityFactory()
        admin, staff = factories.member(uni, "admin"), factories.member(uni, "staff")
        p = Partnership(
            enterprise_id=ent.id,
            university_id=uni.id,
            starts_on=dt.date.today(),
            goals={},
            modes=[PartnershipMode(mode="lectures")],
            proposed_by_org_id=ent.id,
        )
        db.session.add(p)
        db.session.commit()
        pid = p.id
        ca, cb = as_user(admin), as_user(staff)
    held_at_barrier(monkeypatch, services, "_lock")
    codes = at_once(
        lambda: ca.post(f"{URL}/{pid}/accept", json={}).status_code,
        lambda: cb.post(f"{URL}/{pid}/decline", json={}).status_code,
    )
    assert sorted(codes) == [200, 409]
    with app.app_context():
        status = db.session.get(Partnership, pid).status
        assert status == ("active" if codes[0] == 200 else "declined")


def test_every_kind_of_shared_activity_counts_and_moves_the_goals(pair):
    p = active(
        pair,
        starts_on=(dt.date.today() - dt.timedelta(days=100)).isoformat(),
        goals={"interns_per_year": 2, "courses": 2, "students_trained": 40},
    )
    other_uni, other_ent = factories.UniversityFactory(), factories.OrganizationFactory()
    # Courses: one co-developed (confirmed); not a draft, nor another university's.
    pf.co_developed_course(pair.ent, pair.uni)
    CourseFactory(university_id=pair.uni.id, partners=[pair.ent], status="draft")
    pf.co_developed_course(pair.ent, other_uni)
    # Bases: one the enterprise hosts with the university, two sessions of its students
    # there (another university's session and another host's base do not count).
    base = pf.TrainingBaseFactory(
        host_enterprise_id=pair.ent.id, universities=[pair.uni, other_uni]
    )
    pf.base_session(base, pair.uni, 12, days_ago=30)
    pf.base_session(base, pair.uni, 8, days_ago=3)
    pf.base_session(base, other_uni, 25, days_ago=3)
    pf.base_session(base, pair.uni, 30, days_ago=200)  # before this agreement year
    pf.TrainingBaseFactory(universities=[pair.uni])
    # Competitions: co-organized by both (and one of its teams mentored: still one), one
    # where the enterprise mentors the university's team, one co-organized with another
    # university only.
    together = pf.co_organized(pair.ent, pair.uni)
    pf.mentored_team(together, pair.ent, pair.uni)
    mentored = pf.co_organized(factories.OrganizationFactory(kind="association", uscc=None))
    pf.mentored_team(mentored, pair.ent, pair.uni)
    pf.mentored_team(mentored, other_ent, pair.uni)
    pf.co_organized(pair.ent, other_uni)
    # Lectures: the enterprise's at the university; a cancelled one never counts.
    pf.LectureFactory(host_organization_id=pair.ent.id, university_id=pair.uni.id)
    pf.LectureFactory(
        host_organization_id=pair.ent.id, university_id=pair.uni.id, status="cancelled"
    )
    pf.LectureFactory(host_organization_id=pair.ent.id, university_id=other_uni.id)
    # A completed internship: a placement and a student trained.
    apply_for(InternshipFactory(enterprise_id=pair.ent.id), "completed", university=pair.uni)

    got = pair.u.get(f"{URL}/{p['id']}").get_json()
    counts = {k: v for k, v in got["activity"].items() if k != "last_activity_at"}
    assert counts == {
        "internships": 1,
        "placements": 1,
        "hires": 0,
        "courses": 1,
        "bases": 1,
        "competitions": 2,
        "lectures": 1,
        "programmes": 0,
        "cohort_members": 0,
        "teaching_assignments": 0,
        "teaching_hours": 0,
        "practice_stays": 0,
    }
    goals = {g["goal"]: (g["target"], g["actual"], g["percent"]) for g in got["progress"]["goals"]}
    assert goals == {
        "courses": (2, 1, 50.0),
        "interns_per_year": (2, 1, 50.0),
        # 12 + 8 students at the base this agreement year, and the completed intern.
        "students_trained": (40, 21, 52.5),
    }
    assert got["health"] == "active"  # just under a third of the year gone
    assert dt.datetime.fromisoformat(got["last_activity_at"]) <= utcnow()


def test_planned_competitions_and_lectures_count_but_are_not_recent_activity(pair):
    p = active(pair, goals={})
    pf.co_organized(pair.ent, pair.uni, starts_in=dt.timedelta(days=30))
    pf.LectureFactory(
        host_organization_id=pair.ent.id,
        university_id=pair.uni.id,
        starts_at=utcnow() + dt.timedelta(days=14),
    )
    got = pair.e.get(f"{URL}/{p['id']}").get_json()
    assert (got["activity"]["competitions"], got["activity"]["lectures"]) == (1, 1)
    assert got["last_activity_at"] is None  # nothing has happened yet
    db.session.execute(
        sa.update(Partnership)
        .where(Partnership.id == p["id"])
        .values(accepted_at=utcnow() - dt.timedelta(days=200))
    )
    # Planned for next month: shared, but the partnership has still been quiet for 200 days.
    assert pair.e.get(f"{URL}/{p['id']}").get_json()["health"] == "quiet"
    # Once one has started, it is recent activity.
    pf.co_organized(pair.ent, pair.uni)
    got = pair.e.get(f"{URL}/{p['id']}").get_json()
    assert (got["activity"]["competitions"], got["health"]) == (2, "active")
    assert got["last_activity_at"] is not None


def test_past_its_end_date_a_partnership_is_ended_in_the_detail_lists_and_monitoring(pair):
    from cbec_alliance.insights import activity

    yesterday = dt.date.today() - dt.timedelta(days=1)
    p = active(pair, starts_on=(yesterday - dt.timedelta(days=400)).isoformat(), goals={})
    p = pair.u.patch(f"{URL}/{p['id']}", json={"ends_on": yesterday.isoformat()}).get_json()
    assert (p["status"], p["health"]) == ("active", "ended")  # stored on the change
    assert pair.e.get(f"{URL}/{p['id']}").get_json()["health"] == "ended"
    activity.refresh()
    assert [x["id"] for x in pair.coord.get(f"{URL}?health=ended").get_json()["items"]] == [p["id"]]
    assert pair.coord.get(f"{URL}?health=active").get_json()["total"] == 0
    rows = pair.coord.get("/api/v1/monitoring/partnerships").get_json()["items"]
    assert {(r["status"], r["health"]) for r in rows} == {("active", "ended")}
    # Suspended past the end date: still ended. Extended: live again.
    assert pair.e.post(f"{URL}/{p['id']}/suspend", json={}).get_json()["health"] == "ended"
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert pair.u.patch(f"{URL}/{p['id']}", json={"ends_on": later}).get_json()["health"] == (
        "active"
    )
    # Its last day is still inside it.
    today = dt.date.today().isoformat()
    changed = pair.u.patch(f"{URL}/{p['id']}", json={"ends_on": today}).get_json()
    assert (changed["status"], changed["health"]) == ("suspended", "active")


def test_an_agreement_past_its_end_date_is_neither_accepted_nor_resumed(pair):
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    start = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    proposed = pair.e.post(URL, json=body(pair, starts_on=start, ends_on=yesterday)).get_json()
    detail = assert_problem(pair.u.post(f"{URL}/{proposed['id']}/accept", json={}), 409)["detail"]
    assert yesterday in detail
    assert "extend ends_on" in detail
    assert pair.e.get(f"{URL}/{proposed['id']}").get_json()["status"] == "proposed"
    later = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    pair.e.patch(f"{URL}/{proposed['id']}", json={"ends_on": later})
    p = pair.u.post(f"{URL}/{proposed['id']}/accept", json={}).get_json()
    assert p["status"] == "active"
    pair.u.post(f"{URL}/{p['id']}/suspend", json={})
    pair.u.patch(f"{URL}/{p['id']}", json={"ends_on": yesterday})
    assert_problem(pair.e.post(f"{URL}/{p['id']}/resume", json={}), 409)
    ended = pair.e.post(f"{URL}/{p['id']}/end", json={"reason": "到期"}).get_json()
    assert ended["status"] == "ended"
