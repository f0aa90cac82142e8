"""Enterprises' rankings: what a PUT may hold, who may read one, and when it may change."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.matching.models import MatchRound
from tests.helpers import assert_problem, validation_errors
from tests.matching.conftest import URL, close


def _pairs(scene, round_id) -> dict:
    got = scene.coord.get(f"{URL}/{round_id}/assignments").get_json()["items"]
    return {i["student_id"]: i["internship_id"] for i in got}


def test_a_ranking_may_give_only_the_excluded_students(scene):
    r = scene.round()
    url = f"{URL}/{r['id']}/rankings/{scene.a.id}"
    s = scene.students
    assert scene.e1.put(url, json={"student_ids": [s[0].id]}).status_code == 200
    resp = scene.e1.put(url, json={"excluded_student_ids": [s[1].id]})
    assert resp.status_code == 200, resp.get_json()
    # The ranking is replaced as a whole: a list not given is empty.
    assert (resp.get_json()["student_ids"], resp.get_json()["excluded_student_ids"]) == (
        [],
        [s[1].id],
    )
    assert scene.e1.get(url).get_json()["excluded_student_ids"] == [s[1].id]


def test_an_empty_ranking_body_is_422_naming_both_lists(scene):
    r = scene.round()
    errors = validation_errors(scene.e1.put(f"{URL}/{r['id']}/rankings/{scene.a.id}", json={}))
    assert set(errors) == {"student_ids", "excluded_student_ids"}
    assert errors["student_ids"] == ["give student_ids or excluded_student_ids"]
    # Both lists empty is a valid, harmless ranking.
    resp = scene.e1.put(
        f"{URL}/{r['id']}/rankings/{scene.a.id}",
        json={"student_ids": [], "excluded_student_ids": []},
    )
    assert resp.status_code == 200


def test_a_student_reads_no_ranking(scene):
    r = scene.round()
    scene.rank(r["id"], scene.a, [0])
    body = assert_problem(scene.clients[0].get(f"{URL}/{r['id']}/rankings/{scene.a.id}"), 403)
    assert "student_ids" not in body


def test_ranking_a_student_of_the_round_who_chose_another_internship_is_harmless(scene):
    r = scene.round()
    s = scene.students
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.c)  # in the round, but never chose a
    scene.rank(r["id"], scene.a, [1, 0])  # allowed
    scene.close_and_run(r["id"])
    assert _pairs(scene, r["id"]) == {s[0].id: scene.a.id, s[1].id: scene.c.id}


def test_an_enterprise_still_ranks_after_preferences_close_until_the_run(scene):
    r = scene.round()
    s = scene.students
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.a)
    close(r["id"])
    late = scene.clients[2].put(
        f"{URL}/{r['id']}/preferences", json={"internship_ids": [scene.a.id]}
    )
    detail = assert_problem(late, 409)["detail"]
    assert "closed" in detail
    assert "allowed next steps" in detail
    scene.rank(r["id"], scene.a, [1, 0])  # preferences closed, the round not yet run
    assert scene.coord.post(f"{URL}/{r['id']}/run", json={}).status_code == 202
    assert _pairs(scene, r["id"]) == {s[0].id: None, s[1].id: scene.a.id}
    # Once run, rankings are frozen, and the 409 says what may follow.
    frozen = scene.e1.put(f"{URL}/{r['id']}/rankings/{scene.a.id}", json={"student_ids": []})
    assert "allowed next steps: cancel, publish, run" in assert_problem(frozen, 409)["detail"]


def test_a_run_whose_check_failed_cannot_be_published(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    done = scene.close_and_run(r["id"])
    db.session.execute(
        sa.update(MatchRound)
        .where(MatchRound.id == r["id"])
        .values(verdict={**done["verdict"], "stable": False, "blocking_pairs": 1})
    )
    db.session.commit()  # a request's rollback must not undo it
    refused = scene.coord.post(f"{URL}/{r['id']}/publish", json={})
    detail = assert_problem(refused, 409)["detail"]
    assert "check failed" in detail
    assert "allowed next steps: run" in detail
    assert scene.coord.get(f"{URL}/{r['id']}").get_json()["status"] == "done"
    # Running again (the same seed) stores a fresh verdict, and then it may be published.
    assert scene.coord.post(f"{URL}/{r['id']}/run", json={}).status_code == 202
    assert scene.publish(r["id"])["status"] == "published"


def test_a_run_before_the_close_names_what_may_be_done_meanwhile(scene):
    r = scene.round()
    detail = assert_problem(scene.coord.post(f"{URL}/{r['id']}/run", json={}), 409)["detail"]
    assert "after that" in detail
    assert "allowed next steps until then" in detail
    assert "preferences_close_at" in detail
