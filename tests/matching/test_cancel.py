"""Cancelling a match round before publication: who may, from which states, and what it frees."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.matching.models import MatchRound
from cbec_alliance.notifications.models import OutboxEvent
from tests.helpers import assert_problem, validation_errors
from tests.matching.conftest import URL

REASON = "岗位调整，本轮取消 Positions changed"


def _cancel(client, round_id, reason=REASON):
    return client.post(f"{URL}/{round_id}/cancel", json={"reason": reason})


def test_a_collecting_round_is_cancelled_with_its_reason_and_everyone_is_told(scene):
    rnd = scene.round()
    scene.prefer(rnd["id"], 0, scene.a, scene.c)
    resp = _cancel(scene.coord, rnd["id"])
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert (body["status"], body["cancel_reason"]) == ("cancelled", REASON)
    assert body["cancelled_at"].endswith("Z")
    events = db.session.execute(
        sa.select(OutboxEvent.event_type, OutboxEvent.organization_id, OutboxEvent.payload).where(
            OutboxEvent.event_type.like("match_round.cancelled%")
        )
    ).all()
    assert sorted((t, o) for t, o, _ in events) == sorted(
        [
            ("match_round.cancelled", None),
            ("match_round.cancelled_enterprise", scene.ent1.id),
            ("match_round.cancelled_enterprise", scene.ent2.id),
        ]
    )
    assert {p["reason"] for _, _, p in events} == {REASON}
    # Nothing more happens in a cancelled round, and its internships are free again.
    late = scene.clients[1].put(
        f"{URL}/{rnd['id']}/preferences", json={"internship_ids": [scene.a.id]}
    )
    assert_problem(late, 409)
    assert_problem(scene.coord.post(f"{URL}/{rnd['id']}/run", json={}), 409)
    assert scene.round(name="重开 Reopened")["status"] == "collecting"


def test_a_done_round_can_be_cancelled_instead_of_published(scene):
    rnd = scene.round()
    scene.prefer(rnd["id"], 0, scene.a)
    assert scene.close_and_run(rnd["id"])["status"] == "done"
    assert _cancel(scene.coord, rnd["id"]).get_json()["status"] == "cancelled"
    assert_problem(scene.coord.post(f"{URL}/{rnd['id']}/publish", json={}), 409)
    again = scene.coord.post(
        f"{URL}/{rnd['id']}/follow-up",
        json={"name": "补录", "preferences_close_at": "2099-01-01T00:00:00Z"},
    )
    assert_problem(again, 409)


@pytest.mark.parametrize("status", ["running", "published", "cancelled"])
def test_a_round_past_cancelling_is_409_naming_what_is_allowed(scene, status):
    rnd = scene.round()
    stmt = sa.update(MatchRound).where(MatchRound.id == rnd["id"]).values(status=status)
    db.session.execute(stmt)
    db.session.commit()
    body = assert_problem(_cancel(scene.coord, rnd["id"]), 409)
    assert status in body["detail"]
    assert db.session.get(MatchRound, rnd["id"]).status == status


def test_only_coordinators_cancel_and_others_learn_nothing(scene):
    rnd = scene.round()
    for client in (scene.e1, scene.e2, scene.clients[0]):
        assert_problem(_cancel(client, rnd["id"]), 403)
    assert_problem(_cancel(scene.coord, 999_999), 404)
    db.session.expire_all()
    assert db.session.get(MatchRound, rnd["id"]).status == "collecting"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": 7}, {"reason": "x" * 2001}])
def test_a_cancel_without_a_proper_reason_is_422_naming_it(scene, body):
    rnd = scene.round()
    resp = scene.coord.post(f"{URL}/{rnd['id']}/cancel", json=body)
    assert "reason" in validation_errors(resp)


def test_a_cancelled_follow_up_makes_room_for_another(scene):
    rnd = scene.round()
    scene.prefer(rnd["id"], 0, scene.a)
    scene.prefer(rnd["id"], 1, scene.a)
    scene.rank(rnd["id"], scene.a, [0, 1])
    scene.close_and_run(rnd["id"])
    scene.publish(rnd["id"])
    body = {"name": "补录 Follow-up", "preferences_close_at": "2099-01-01T00:00:00Z"}
    first = scene.coord.post(f"{URL}/{rnd['id']}/follow-up", json=body)
    assert first.status_code == 201, first.get_json()
    assert_problem(scene.coord.post(f"{URL}/{rnd['id']}/follow-up", json=body), 409)
    assert _cancel(scene.coord, first.get_json()["id"]).status_code == 200
    second = scene.coord.post(f"{URL}/{rnd['id']}/follow-up", json=body)
    assert second.status_code == 201, second.get_json()
    assert second.get_json()["parent_id"] == rnd["id"]
