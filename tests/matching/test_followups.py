"""No slot allocated twice: one unpublished round an internship, one follow-up a round,
free slots checked again at publication, and what publication left for the follow-up."""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa

from cbec_alliance.applications.models import Application
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.matching import services
from cbec_alliance.matching.models import Assignment, MatchRound
from cbec_alliance.matching.ordering import lottery
from cbec_alliance.notifications.models import OutboxEvent
from tests import factories
from tests.applications.factories import apply_for
from tests.helpers import assert_problem, at_once, held_at_barrier, validation_errors
from tests.internships.factories import InternshipFactory
from tests.matching.conftest import URL, close
from tests.students.factories import student

LATER = "2099-01-01T00:00:00Z"


def _set(model, key, **values) -> None:
    db.session.execute(sa.update(model).where(model.id == key).values(**values))
    db.session.commit()  # a request's rollback must not undo it


def _follow_up(client, round_id):
    return client.post(
        f"{URL}/{round_id}/follow-up", json={"name": "补录", "preferences_close_at": LATER}
    )


def _offered(internship_id) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Application.student_id).where(
                Application.internship_id == internship_id, Application.status == "offered"
            )
        )
    )


def _no_offer(round_id) -> dict[int, str]:
    rows = db.session.execute(
        sa.select(Assignment.student_id, Assignment.no_offer).where(
            Assignment.round_id == round_id, Assignment.no_offer.is_not(None)
        )
    )
    return dict(rows.all())


def test_a_round_may_not_take_internships_of_a_round_not_yet_published(scene):
    a, b, c = scene.a, scene.b, scene.c
    first = scene.round(internship_ids=[a.id, b.id])
    body = {"name": "又一轮", "internship_ids": [b.id, c.id], "preferences_close_at": LATER}
    for status in ("collecting", "running", "done"):
        _set(MatchRound, first["id"], status=status)
        problem = assert_problem(scene.coord.post(URL, json=body), 409)
        assert str(b.id) in problem["detail"]
        assert "allowed next steps" in problem["detail"]
        assert (problem["internship_ids"], problem["round_ids"]) == ([b.id], [first["id"]])
    assert scene.round(internship_ids=[c.id])["status"] == "collecting"  # c is free
    # A failed round frees its internships; run again, it may not take them back.
    _set(MatchRound, first["id"], status="failed")
    close(first["id"])
    assert scene.round(internship_ids=[b.id])["internship_ids"] == [b.id]
    again = assert_problem(scene.coord.post(f"{URL}/{first['id']}/run", json={}), 409)
    assert again["internship_ids"] == [b.id]


def test_slots_promised_by_open_offers_are_not_free(scene):
    apply_for(scene.b, "offered")  # b: 2 slots, one promised
    r = scene.round(internship_ids=[scene.b.id])
    slots = scene.coord.get(f"{URL}/{r['id']}/internships").get_json()["items"]
    assert [i["slots"] for i in slots] == [1]
    full = InternshipFactory(slots=1)
    apply_for(full, "offered")
    body = {"name": "满", "internship_ids": [full.id], "preferences_close_at": LATER}
    assert "internship_ids" in validation_errors(scene.coord.post(URL, json=body))


def test_a_published_round_has_one_follow_up(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.a)
    scene.rank(r["id"], scene.a, [0, 1])
    scene.close_and_run(r["id"])
    scene.publish(r["id"])
    first = _follow_up(scene.coord, r["id"])
    assert first.status_code == 201, first.get_json()
    follow_id = first.get_json()["id"]
    problem = assert_problem(_follow_up(scene.coord, r["id"]), 409)
    assert f"follow-up round ({follow_id})" in problem["detail"]
    assert "allowed next steps" in problem["detail"]
    assert problem["follow_up_id"] == follow_id
    assert db.session.scalar(sa.select(sa.func.count()).where(MatchRound.parent_id == r["id"])) == 1


def test_publication_gives_no_offer_for_an_internship_no_longer_open(scene):
    r = scene.round()
    s = scene.students
    scene.prefer(r["id"], 0, scene.c)
    scene.prefer(r["id"], 1, scene.a)
    scene.close_and_run(r["id"])
    _set(Internship, scene.c.id, status="closed")  # closed by its enterprise meanwhile
    stats = scene.publish(r["id"])["stats"]
    assert (stats["not_open"], stats["no_free_slot"], stats["skipped"]) == (1, 0, 0)
    assert (_offered(scene.c.id), _offered(scene.a.id)) == (set(), {s[1].id})
    assert _no_offer(r["id"]) == {s[0].id: "not_open"}
    mine = scene.clients[0].get(f"{URL}/{r['id']}/assignments/mine").get_json()
    assert (mine["internship_id"], mine["no_offer"]) == (scene.c.id, "not_open")
    listed = scene.coord.get(f"{URL}/{r['id']}/assignments?matched=true").get_json()["items"]
    assert {i["student_id"]: i["no_offer"] for i in listed} == {s[0].id: "not_open", s[1].id: None}
    # The follow-up leaves c out (not open) and takes student 0, who got no offer.
    follow = _follow_up(scene.coord, r["id"]).get_json()
    assert follow["internship_ids"] == [scene.b.id]
    scene.prefer(follow["id"], 0, scene.b)


def test_publication_offers_no_more_than_the_free_slots_in_the_internships_order(scene):
    r = scene.round()
    s = scene.students
    for k in (0, 1, 2):
        scene.prefer(r["id"], k, scene.b)
    scene.rank(r["id"], scene.b, [2, 0, 1])
    scene.close_and_run(r["id"])  # b's 2 slots: students 2 and 0
    apply_for(scene.b, "accepted")
    _set(Internship, scene.b.id, accepted_count=1)  # another student took one meanwhile
    stats = scene.publish(r["id"])["stats"]
    assert (stats["no_free_slot"], stats["not_open"], stats["skipped"]) == (1, 0, 0)
    assert _offered(scene.b.id) == {s[2].id}  # ranked first
    assert _no_offer(r["id"]) == {s[0].id: "no_free_slot"}
    enterprise = db.session.scalars(
        sa.select(OutboxEvent.payload).where(
            OutboxEvent.event_type == "match_round.enterprise_results",
            OutboxEvent.organization_id == scene.ent1.id,
        )
    ).one()
    assert (enterprise["assigned"], enterprise["unfilled"]) == (1, 2)
    # b has no free slot left (one accepted, one offered): the follow-up leaves it out, and
    # takes student 0 (no offer) and student 1 (unmatched).
    follow = _follow_up(scene.coord, r["id"]).get_json()
    assert follow["internship_ids"] == sorted([scene.a.id, scene.c.id])
    scene.prefer(follow["id"], 0, scene.a)
    scene.prefer(follow["id"], 1, scene.c)
    assert_problem(
        scene.clients[2].put(
            f"{URL}/{follow['id']}/preferences", json={"internship_ids": [scene.a.id]}
        ),
        403,
    )  # was offered b


def test_without_a_ranking_the_rounds_lottery_decides_who_keeps_the_slot(scene):
    r = scene.round(seed=7)
    for k in range(5):
        scene.prefer(r["id"], k, scene.b)  # equal profiles, nobody ranked
    scene.close_and_run(r["id"])
    ids = sorted(u.id for u in scene.students)
    numbers = lottery(np.array(ids), 7)
    winners = [ids[k] for k in np.argsort(numbers)[:2]]
    _set(Internship, scene.b.id, accepted_count=1)
    scene.publish(r["id"])
    assert _offered(scene.b.id) == {winners[0]}
    assert _no_offer(r["id"]) == {winners[1]: "no_free_slot"}


def test_a_follow_up_takes_the_students_and_slots_publication_skipped(scene, as_user):
    withdrawn_user, _ = apply_for(scene.a, "withdrawn")
    withdrawn = as_user(withdrawn_user)
    r = scene.round()
    resp = withdrawn.put(f"{URL}/{r['id']}/preferences", json={"internship_ids": [scene.a.id]})
    assert resp.status_code == 200
    scene.prefer(r["id"], 1, scene.a)
    resp = scene.e1.put(
        f"{URL}/{r['id']}/rankings/{scene.a.id}",
        json={"student_ids": [withdrawn_user.id, scene.students[1].id]},
    )
    assert resp.status_code == 200
    assert scene.close_and_run(r["id"])["stats"]["matched"] == 1
    assert scene.publish(r["id"])["stats"]["skipped"] == 1
    assert _no_offer(r["id"]) == {withdrawn_user.id: "application_closed"}
    mine = withdrawn.get(f"{URL}/{r['id']}/assignments/mine").get_json()
    assert (mine["internship_id"], mine["no_offer"]) == (scene.a.id, "application_closed")
    assigned = db.session.scalars(
        sa.select(OutboxEvent.payload).where(
            OutboxEvent.event_type == "match_round.enterprise_results"
        )
    ).all()
    assert {e["assigned"] for e in assigned} == {0}
    follow = _follow_up(scene.coord, r["id"])
    assert follow.status_code == 201, follow.get_json()
    follow = follow.get_json()
    slots = {
        i["internship_id"]: i["slots"]
        for i in scene.coord.get(f"{URL}/{follow['id']}/internships").get_json()["items"]
    }
    assert slots == {scene.a.id: 1, scene.b.id: 2, scene.c.id: 1}  # a's slot was not offered
    resp = withdrawn.put(f"{URL}/{follow['id']}/preferences", json={"internship_ids": [scene.b.id]})
    assert resp.status_code == 200, resp.get_json()
    scene.prefer(follow["id"], 1, scene.a)


def test_a_follow_up_with_nothing_left_names_what_may_follow(scene):
    r = scene.round(internship_ids=[scene.a.id])
    scene.prefer(r["id"], 0, scene.a)
    scene.close_and_run(r["id"])
    scene.publish(r["id"])
    detail = assert_problem(_follow_up(scene.coord, r["id"]), 409)["detail"]
    assert "nothing is left" in detail
    assert "allowed next steps: none for this round" in detail
    assert "POST /api/v1/match-rounds" in detail
    # Slots left over but every student offered one.
    r = scene.round(internship_ids=[scene.b.id])
    scene.prefer(r["id"], 1, scene.b)
    scene.close_and_run(r["id"])
    scene.publish(r["id"])
    detail = assert_problem(_follow_up(scene.coord, r["id"]), 409)["detail"]
    assert "every student" in detail
    assert "allowed next steps: none for this round" in detail


@pytest.mark.committed
def test_two_rounds_at_once_over_one_internship_make_one(app, as_user, monkeypatch):
    with app.app_context():
        posting = InternshipFactory()
        coordinator = factories.CoordinatorFactory()
        db.session.commit()
        posting_id = posting.id
        ca, cb = as_user(coordinator), as_user(coordinator)
    held_at_barrier(monkeypatch, services, "lock_postings")
    body = {"name": "并发", "internship_ids": [posting_id], "preferences_close_at": LATER}
    codes = at_once(
        lambda: ca.post(URL, json=body).status_code, lambda: cb.post(URL, json=body).status_code
    )
    assert sorted(codes) == [201, 409]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchRound)) == 1


@pytest.mark.committed
def test_two_follow_ups_at_once_make_one(app, as_user, monkeypatch):
    with app.app_context():
        enterprise = factories.OrganizationFactory()
        postings = [InternshipFactory(enterprise_id=enterprise.id, slots=1) for _ in range(2)]
        university = factories.UniversityFactory()
        users = [student(university) for _ in range(2)]
        coordinator = factories.CoordinatorFactory()
        db.session.commit()
        ids = [p.id for p in postings]
        coord = as_user(coordinator)
        clients = [as_user(u) for u in users]
    body = {"name": "并发补录", "internship_ids": ids, "preferences_close_at": LATER}
    resp = coord.post(URL, json=body)
    assert resp.status_code == 201, resp.get_json()
    round_id = resp.get_json()["id"]
    for c in clients:  # both want the first internship: one is left unmatched
        put = c.put(f"{URL}/{round_id}/preferences", json={"internship_ids": ids[:1]})
        assert put.status_code == 200
    with app.app_context():
        close(round_id)
    assert coord.post(f"{URL}/{round_id}/run", json={}).status_code == 202
    assert coord.post(f"{URL}/{round_id}/publish", json={}).status_code == 200
    held_at_barrier(monkeypatch, services, "lock")
    codes = at_once(
        lambda: _follow_up(coord, round_id).status_code,
        lambda: _follow_up(coord, round_id).status_code,
    )
    assert sorted(codes) == [201, 409]
    with app.app_context():
        children = sa.select(sa.func.count()).where(MatchRound.parent_id == round_id)
        assert db.session.scalar(children) == 1
