"""Match rounds through the API: preferences, rankings, the run, results, publishing."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
import sqlalchemy as sa

from cbec_alliance.applications.models import Application, ApplicationTransition
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.matching import runner
from cbec_alliance.matching.models import Assignment, MatchRound, Preference, RoundInternship
from cbec_alliance.matching.ordering import lottery
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.students.models import StudentCompetency
from tests.applications.factories import apply_for
from tests.helpers import assert_problem, statements_sent
from tests.internships.factories import InternshipFactory
from tests.matching.conftest import URL, close
from tests.students.factories import student


def events(kind: str) -> list[dict]:
    return db.session.scalars(
        sa.select(OutboxEvent.payload).where(OutboxEvent.event_type == kind)
    ).all()


def test_a_round_from_preferences_to_published_offers(scene):
    r = scene.round()
    assert (r["status"], r["seed"]) == ("collecting", 20270301)
    assert {
        e["organization_id"]
        for e in db.session.execute(
            sa.select(OutboxEvent.organization_id.label("organization_id")).where(
                OutboxEvent.event_type == "match_round.opened"
            )
        ).mappings()
    } == {scene.ent1.id, scene.ent2.id}
    a, b, c = scene.a, scene.b, scene.c
    scene.prefer(r["id"], 0, a, b)
    scene.prefer(r["id"], 1, a, c)
    scene.prefer(r["id"], 2, a, b, c)
    scene.prefer(r["id"], 3, c)
    scene.rank(r["id"], a, [1, 0, 2])
    scene.rank(r["id"], c, [3, 1, 2])
    scene.rank(r["id"], b, [2, 0])
    done = scene.close_and_run(r["id"])
    assert done["status"] == "done", done
    assert done["verdict"]["stable"] is True
    assert done["verdict"]["blocking_pairs"] == 0
    stats = done["stats"]
    assert (stats["students"], stats["slots"], stats["matched"], stats["unmatched"]) == (4, 4, 4, 0)
    assert stats["first_choice"] == 2  # students 1 (a) and 3 (c)
    assert stats["first_choice_share"] == 0.5
    got = scene.coord.get(f"{URL}/{r['id']}/assignments").get_json()
    pairs = {i["student_id"]: i["internship_id"] for i in got["items"]}
    s = [u.id for u in scene.students]
    assert pairs == {s[0]: b.id, s[1]: a.id, s[2]: b.id, s[3]: c.id}
    assert got["total"] == 4
    scene.publish(r["id"])
    offered = db.session.execute(
        sa.select(Application.student_id, Application.internship_id).where(
            Application.status == "offered"
        )
    ).all()
    assert {tuple(x) for x in offered} == set(pairs.items())
    notes = db.session.scalars(sa.select(ApplicationTransition.note)).all()
    assert notes == [f"offered by match round {r['id']}"] * 4
    assert events("match_round.published")[0]["round_id"] == r["id"]
    by_enterprise = {e["assigned"] for e in events("match_round.enterprise_results")}
    assert by_enterprise == {3, 1}
    mine = scene.clients[0].get(f"{URL}/{r['id']}/assignments/mine").get_json()
    assert (mine["internship_id"], mine["choice"], mine["internship_title"]) == (
        b.id,
        2,
        "TikTok 直播助理",
    )
    [why] = mine["explanation"]
    assert why["internship_id"] == a.id
    assert why["reason"] == "filled_by_higher_ranked"
    assert (why["your_rank"], why["cutoff_rank"], why["slots"]) == (2, 1, 1)
    assert "ranked higher" in why["detail"]


def test_students_left_unranked_follow_the_ranked_ones_by_score(scene, as_user):
    r = scene.round()
    weak = scene.students[0]
    strong = student(scene.university, competencies={"platform-operation": 5})
    strong_client = as_user(strong)
    for k in (0, 1):
        scene.prefer(r["id"], k, scene.b)
    resp = strong_client.put(f"{URL}/{r['id']}/preferences", json={"internship_ids": [scene.b.id]})
    assert resp.status_code == 200
    scene.rank(r["id"], scene.b, [1])  # student 1 first, the others unranked
    # The factory profile has platform-operation 3 against the posting's minimum 2, so
    # both unranked students meet it; make the weak one miss it.
    db.session.execute(
        sa.update(StudentCompetency).where(StudentCompetency.user_id == weak.id).values(level=1)
    )
    scene.close_and_run(r["id"])
    got = scene.coord.get(f"{URL}/{r['id']}/assignments?internship_id={scene.b.id}").get_json()
    assert {i["student_id"] for i in got["items"]} == {scene.students[1].id, strong.id}


def test_an_excluded_student_never_gets_the_internship_and_is_told_why(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.b, scene.c)
    scene.rank(r["id"], scene.b, [], excluded=[0])
    scene.close_and_run(r["id"])
    scene.publish(r["id"])
    mine = scene.clients[0].get(f"{URL}/{r['id']}/assignments/mine").get_json()
    assert mine["internship_id"] == scene.c.id  # b had a free slot but excluded them
    assert mine["explanation"][0]["reason"] == "excluded"
    assert mine["explanation"][0]["your_rank"] is None


def test_an_unmatched_student_is_told_why_for_every_choice(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.a)
    scene.rank(r["id"], scene.a, [1, 0])
    scene.close_and_run(r["id"])
    scene.publish(r["id"])
    mine = scene.clients[0].get(f"{URL}/{r['id']}/assignments/mine").get_json()
    assert (mine["internship_id"], mine["choice"]) == (None, None)
    assert [w["internship_id"] for w in mine["explanation"]] == [scene.a.id]


def test_the_same_seed_gives_the_same_run_and_ties_follow_the_lottery(scene):
    r = scene.round(seed=7)
    for k in range(5):
        scene.prefer(r["id"], k, scene.a)  # nobody ranked: equal profiles, equal scores
    first = scene.close_and_run(r["id"])
    winner = scene.coord.get(f"{URL}/{r['id']}/assignments?matched=true").get_json()["items"]
    ids = sorted(u.id for u in scene.students)
    numbers = lottery(np.array(ids), 7)
    assert winner[0]["student_id"] == ids[int(np.argmin(numbers))]
    again = scene.coord.post(f"{URL}/{r['id']}/run", json={})
    assert again.status_code == 202
    second = scene.coord.get(f"{URL}/{r['id']}").get_json()
    assert second["status"] == "done"
    rerun = scene.coord.get(f"{URL}/{r['id']}/assignments?matched=true").get_json()["items"]
    assert rerun == winner
    assert second["stats"]["matched"] == first["stats"]["matched"] == 1


def test_publishing_moves_an_existing_application_to_offered(scene, as_user):
    user, existing = apply_for(scene.a, "submitted")
    c = as_user(user)
    r = scene.round()
    assert (
        c.put(f"{URL}/{r['id']}/preferences", json={"internship_ids": [scene.a.id]}).status_code
        == 200
    )
    scene.close_and_run(r["id"])
    scene.publish(r["id"])
    db.session.refresh(existing)
    assert existing.status == "offered"
    assert existing.transitions[-1].from_status == "submitted"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 1
    # The student accepts the offer through the normal lifecycle: a slot is taken.
    assert c.post(f"/api/v1/applications/{existing.id}/accept", json={}).status_code == 200


def test_a_follow_up_round_takes_unfilled_slots_and_only_unmatched_students(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.a)
    scene.rank(r["id"], scene.a, [0, 1])
    scene.close_and_run(r["id"])
    assert_problem(
        scene.coord.post(
            f"{URL}/{r['id']}/follow-up",
            json={"name": "补录", "preferences_close_at": "2099-01-01T00:00:00Z"},
        ),
        409,
    )  # not published yet
    scene.publish(r["id"])
    resp = scene.coord.post(
        f"{URL}/{r['id']}/follow-up",
        json={"name": "补录轮次", "preferences_close_at": "2099-01-01T00:00:00Z"},
    )
    assert resp.status_code == 201, resp.get_json()
    follow = resp.get_json()
    assert follow["parent_id"] == r["id"]
    assert follow["internship_ids"] == sorted([scene.b.id, scene.c.id])
    slots = {
        i["internship_id"]: i["slots"]
        for i in scene.coord.get(f"{URL}/{follow['id']}/internships").get_json()["items"]
    }
    assert slots == {scene.b.id: 2, scene.c.id: 1}
    matched = scene.clients[0].put(
        f"{URL}/{follow['id']}/preferences", json={"internship_ids": [scene.b.id]}
    )
    assert_problem(matched, 403)
    scene.prefer(follow["id"], 1, scene.b)
    assert_problem(
        scene.clients[2].put(
            f"{URL}/{follow['id']}/preferences", json={"internship_ids": [scene.b.id]}
        ),
        403,
    )  # took no part in the first round


def test_preferences_close_on_the_server(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    close(r["id"])
    late = scene.clients[0].put(
        f"{URL}/{r['id']}/preferences", json={"internship_ids": [scene.b.id]}
    )
    assert "closed" in assert_problem(late, 409)["detail"]
    assert scene.clients[0].get(f"{URL}/{r['id']}/preferences").get_json()["internship_ids"] == [
        scene.a.id
    ]


def test_the_run_waits_for_the_close_and_each_step_names_the_next(scene):
    r = scene.round()
    early = scene.coord.post(f"{URL}/{r['id']}/run", json={})
    assert "after that" in assert_problem(early, 409)["detail"]
    assert (
        "allowed next steps: cancel, run"
        in assert_problem(scene.coord.post(f"{URL}/{r['id']}/publish", json={}), 409)["detail"]
    )
    scene.prefer(r["id"], 0, scene.a)
    scene.close_and_run(r["id"])
    scene.publish(r["id"])
    again = scene.coord.post(f"{URL}/{r['id']}/run", json={})
    assert "allowed next steps: follow-up" in assert_problem(again, 409)["detail"]
    assert_problem(scene.coord.patch(f"{URL}/{r['id']}", json={"name": "改名"}), 409)


def test_while_running_preferences_and_rankings_are_frozen(scene):
    r = scene.round()
    db.session.execute(
        sa.update(MatchRound).where(MatchRound.id == r["id"]).values(status="running")
    )
    db.session.commit()  # a request's rollback must not undo it
    assert_problem(
        scene.clients[0].put(f"{URL}/{r['id']}/preferences", json={"internship_ids": []}), 409
    )
    assert_problem(
        scene.e1.put(f"{URL}/{r['id']}/rankings/{scene.a.id}", json={"student_ids": []}), 409
    )
    assert_problem(scene.coord.post(f"{URL}/{r['id']}/run", json={}), 409)


def test_a_failed_run_is_recorded_and_can_be_run_again(scene, monkeypatch):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)

    def boom(*_args):
        raise RuntimeError("worker lost its way")

    monkeypatch.setattr(runner.algorithm, "solve", boom)
    failed = scene.close_and_run(r["id"])
    assert (failed["status"], failed["error"]) == ("failed", "RuntimeError: worker lost its way")
    assert events("match_round.finished")[-1]["status"] == "failed"
    monkeypatch.undo()
    assert scene.coord.post(f"{URL}/{r['id']}/run", json={}).status_code == 202
    assert scene.coord.get(f"{URL}/{r['id']}").get_json()["status"] == "done"


def test_a_student_withdraws_preferences_with_an_empty_list(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 0)
    assert_problem(scene.clients[0].get(f"{URL}/{r['id']}/preferences"), 404)


def test_coordinators_move_the_close_and_rename_while_collecting(scene):
    r = scene.round()
    resp = scene.coord.patch(
        f"{URL}/{r['id']}",
        json={"name": "春季匹配（延期）", "preferences_close_at": "2099-03-01T00:00:00Z"},
    )
    assert resp.status_code == 200, resp.get_json()
    got = resp.get_json()
    assert (got["name"], got["preferences_close_at"]) == (
        "春季匹配（延期）",
        "2099-03-01T00:00:00Z",
    )
    listed = scene.clients[0].get(f"{URL}?status=collecting").get_json()
    assert [x["id"] for x in listed["items"]] == [r["id"]]
    assert listed["items"][0]["seed"] is None  # the lottery waits for publication


def _stall(round_id: int, ago: timedelta) -> None:
    """As if the run had been requested `ago` and its message lost on the way."""
    db.session.execute(
        sa.update(MatchRound)
        .where(MatchRound.id == round_id)
        .values(status="running", run_requested_at=utcnow() - ago)
    )
    db.session.commit()


def test_a_round_whose_run_message_was_lost_is_run_by_the_sweep(scene, app):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    close(r["id"])
    _stall(r["id"], timedelta(seconds=5))
    with app.app_context():
        assert runner.resume_stalled() == 0  # maybe still on its way
    _stall(r["id"], timedelta(hours=3))
    with app.app_context():
        assert runner.resume_stalled() == 1
        assert runner.resume_stalled() == 0
    done = scene.coord.get(f"{URL}/{r['id']}").get_json()
    assert (done["status"], done["stats"]["matched"]) == ("done", 1)


def test_a_round_is_run_by_one_worker_at_a_time(scene, app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("workers run beside each other only on PostgreSQL (SQLite runs in-process)")
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    close(r["id"])
    _stall(r["id"], timedelta(seconds=1))
    with app.app_context(), db.engine.connect() as other:  # another worker, mid-run
        other.execute(sa.select(sa.func.pg_advisory_lock(runner.RUN_LOCK, r["id"])))
        assert runner.execute(r["id"]) is None
        other.execute(sa.select(sa.func.pg_advisory_unlock(runner.RUN_LOCK, r["id"])))
    assert scene.coord.get(f"{URL}/{r['id']}").get_json()["status"] == "running"


def test_publishing_leaves_closed_applications_closed(scene, as_user):
    withdrawn_user, withdrawn = apply_for(scene.a, "withdrawn")
    rejected_user, rejected = apply_for(scene.b, "rejected")
    shortlisted_user, shortlisted = apply_for(scene.c, "shortlisted")
    r = scene.round()
    for user, posting in (
        (withdrawn_user, scene.a),
        (rejected_user, scene.b),
        (shortlisted_user, scene.c),
    ):
        resp = as_user(user).put(
            f"{URL}/{r['id']}/preferences", json={"internship_ids": [posting.id]}
        )
        assert resp.status_code == 200, resp.get_json()
    done = scene.close_and_run(r["id"])
    assert done["stats"]["matched"] == 3  # the round itself knows nothing of applications
    published = scene.publish(r["id"])
    assert published["stats"]["skipped"] == 2
    for application in (withdrawn, rejected, shortlisted):
        db.session.refresh(application)
    assert (withdrawn.status, rejected.status, shortlisted.status) == (
        "withdrawn",
        "rejected",
        "offered",
    )
    assert [t.to_status for t in withdrawn.transitions] == ["withdrawn"]
    assert [t.to_status for t in rejected.transitions] == ["rejected"]
    last = shortlisted.transitions[-1]
    assert (last.from_status, last.to_status, last.note) == (
        "shortlisted",
        "offered",
        f"offered by match round {r['id']}",
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 3


def _statements(app):
    """The statements sent while the context is open (tests.helpers.statements_sent)."""
    with app.app_context():
        engine = db.engine
    return statements_sent(engine)


def test_a_page_of_rounds_costs_the_same_queries_whatever_its_size(scene, app):
    scene.round()
    with _statements(app) as one:
        assert len(scene.clients[0].get(URL).get_json()["items"]) == 1
    for _ in range(4):  # over other internships: one unpublished round an internship
        scene.round(internship_ids=[InternshipFactory().id for _ in range(3)])
    with _statements(app) as five:
        page = scene.clients[0].get(URL).get_json()["items"]
    assert len(page) == 5
    assert all(len(r["internship_ids"]) == 3 for r in page)
    assert len(five) == len(one), five


def test_a_failed_run_keeps_the_round_locked_until_failed_is_committed(scene, app, monkeypatch):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the run lock is a PostgreSQL advisory lock")
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    close(r["id"])
    _stall(r["id"], timedelta(seconds=1))

    def boom(*_args):
        raise RuntimeError("worker lost its way")

    monkeypatch.setattr(runner.algorithm, "solve", boom)
    with app.app_context(), db.engine.connect() as other:  # another worker
        assert runner.execute(r["id"]) is None
        rnd = db.session.get(MatchRound, r["id"])
        assert rnd.status == "failed"  # not committed yet
        taken = other.scalar(sa.select(sa.func.pg_try_advisory_lock(runner.RUN_LOCK, r["id"])))
        if taken:
            other.execute(sa.select(sa.func.pg_advisory_unlock(runner.RUN_LOCK, r["id"])))
        assert not taken, "the lock was released before `failed` was committed"


def test_an_assignment_goes_with_the_preferences_and_the_rounds_internship(scene, app):
    """Two foreign keys (migration 0025): deleting the round's internship or the student's
    preferences deletes the assignment, and an assignment needs preferences."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite does not enforce foreign keys here")
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.b)
    scene.close_and_run(r["id"])
    stored = sa.select(sa.func.count()).where(Assignment.round_id == r["id"])
    assert db.session.scalar(stored) == 2
    db.session.execute(
        sa.delete(RoundInternship).where(
            RoundInternship.round_id == r["id"], RoundInternship.internship_id == scene.a.id
        )
    )
    assert db.session.scalar(stored) == 1
    db.session.execute(
        sa.delete(Preference).where(
            Preference.round_id == r["id"], Preference.student_id == scene.students[1].id
        )
    )
    assert db.session.scalar(stored) == 0
    orphan = {"student_id": scene.students[2].id, "university_id": scene.university.id}
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(sa.insert(Assignment).values(round_id=r["id"], explanation=[], **orphan))
    db.session.rollback()
