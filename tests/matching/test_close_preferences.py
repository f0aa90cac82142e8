"""Closing a round's preferences early: POST .../close-preferences, or PATCH to now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.matching.models import MatchRound
from cbec_alliance.notifications.models import OutboxEvent
from tests.helpers import assert_problem, validation_errors
from tests.matching.conftest import URL


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def outbox_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEvent))


def test_closing_early_lets_the_round_run_at_once(scene):
    r = scene.round()
    assert r["preferences_open"] is True
    scene.prefer(r["id"], 0, scene.a, scene.c)
    scene.prefer(r["id"], 1, scene.a)
    before, events = utcnow(), outbox_count()
    resp = scene.coord.post(f"{URL}/{r['id']}/close-preferences")
    assert resp.status_code == 200, resp.get_json()
    closed = resp.get_json()
    assert (closed["status"], closed["preferences_open"]) == ("collecting", False)
    closed_at = parse(closed["preferences_close_at"])
    assert before - timedelta(seconds=1) <= closed_at <= utcnow()
    assert closed_at < parse(r["preferences_close_at"])
    # The round's detail says so to everyone who may see it.
    for client in (scene.coord, scene.e1, scene.clients[3]):
        shown = client.get(f"{URL}/{r['id']}").get_json()
        assert shown["preferences_open"] is False
        assert shown["preferences_close_at"] == closed["preferences_close_at"]
    # Students can no longer choose; enterprises still rank until the run.
    late = scene.clients[2].put(
        f"{URL}/{r['id']}/preferences", json={"internship_ids": [scene.a.id]}
    )
    assert "closed" in assert_problem(late, 409)["detail"]
    scene.rank(r["id"], scene.a, [1, 0])
    run = scene.coord.post(f"{URL}/{r['id']}/run", json={})
    assert run.status_code == 202, run.get_json()
    done = scene.coord.get(f"{URL}/{r['id']}").get_json()
    assert (done["status"], done["stats"]["students"], done["stats"]["matched"]) == ("done", 2, 2)
    entry = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.object_type == "match_rounds", AuditEntry.action == "close-preferences"
        )
    ).one()
    assert (entry.object_id, entry.actor_id) == (str(r["id"]), scene.coord.user.id)
    assert entry.changes["preferences_close_at"] == {
        "from": r["preferences_close_at"],
        "to": closed["preferences_close_at"],
    }
    # As when preferences close on time, nobody is notified of the close itself.
    assert outbox_count() - events == 1  # the run's `match_round.finished` only


def test_patching_the_closing_time_to_now_closes_preferences(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.b)
    now = datetime.now(UTC).replace(microsecond=0)
    resp = scene.coord.patch(
        f"{URL}/{r['id']}",
        json={"name": "春季匹配（提前截止）", "preferences_close_at": now.isoformat()},
    )
    assert resp.status_code == 200, resp.get_json()
    got = resp.get_json()
    assert (got["name"], got["preferences_open"]) == ("春季匹配（提前截止）", False)
    assert parse(got["preferences_close_at"]) >= now  # the moment it closed, not earlier
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.object_type == "match_rounds")
    ).all()
    assert {"close-preferences", "update"} <= set(actions)
    assert scene.coord.post(f"{URL}/{r['id']}/run", json={}).status_code == 202


def test_a_closing_time_well_in_the_past_is_still_refused(scene):
    r = scene.round()
    url = f"{URL}/{r['id']}"
    past = (utcnow() - timedelta(minutes=30)).isoformat()
    errors = validation_errors(scene.coord.patch(url, json={"preferences_close_at": past}))
    assert "or now to close preferences" in errors["preferences_close_at"][0]
    assert scene.coord.get(url).get_json()["preferences_open"] is True


def test_closing_is_a_conflict_once_closed_or_no_longer_collecting(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    url = f"{URL}/{r['id']}/close-preferences"
    assert scene.coord.post(url).status_code == 200
    again = assert_problem(scene.coord.post(url), 409)["detail"]
    assert again.startswith("preferences already closed at ")
    assert again.endswith("allowed next steps: run, cancel")
    assert scene.coord.post(f"{URL}/{r['id']}/run", json={}).status_code == 202
    done = assert_problem(scene.coord.post(url), 409)["detail"]
    assert done == "cannot close preferences while done; allowed next steps: cancel, publish, run"
    db.session.execute(
        sa.update(MatchRound).where(MatchRound.id == r["id"]).values(status="running")
    )
    db.session.commit()
    # A run under way never gives preferences back: nothing to wait for, unlike a cancel.
    body = assert_problem(scene.coord.post(url), 409)
    assert body["detail"] == "cannot close preferences while running; allowed next steps: none"
    assert "waiting_for" not in body
    cancel = assert_problem(scene.coord.post(f"{URL}/{r['id']}/cancel", json={"reason": "x"}), 409)
    assert "waiting for the matching worker to finish the run" in cancel["detail"]


def test_only_coordinators_close_preferences(scene, client, as_user):
    r = scene.round()
    url = f"{URL}/{r['id']}/close-preferences"
    for other in (scene.e1, scene.e2, scene.clients[0]):
        assert_problem(other.post(url), 403)
        now = utcnow().isoformat()
        assert_problem(other.patch(f"{URL}/{r['id']}", json={"preferences_close_at": now}), 403)
    assert_problem(client.post(url), 401)
    assert_problem(scene.coord.post(f"{URL}/987654/close-preferences"), 404)
    assert scene.coord.get(f"{URL}/{r['id']}").get_json()["preferences_open"] is True


def test_bad_input_to_the_patch_names_the_field(scene):
    r = scene.round()
    for bad in ("现在", None, 20270301):
        errors = validation_errors(
            scene.coord.patch(f"{URL}/{r['id']}", json={"preferences_close_at": bad})
        )
        assert "preferences_close_at" in errors


def test_the_route_is_documented(client):
    spec = client.get("/api/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/match-rounds/{round_id}/close-preferences"]["post"]
    assert "run at once" in operation["summary"]
    example = operation["responses"]["200"]["content"]["application/json"]["example"]
    assert example["preferences_open"] is False
    conflict = operation["responses"]["409"]["content"]["application/problem+json"]["example"]
    assert conflict["detail"].startswith("preferences already closed at")
    patch = spec["components"]["schemas"]["RoundPatch"]["properties"]["preferences_close_at"]
    assert "close-preferences" in patch["description"]
    assert "preferences_open" in spec["components"]["schemas"]["Round"]["properties"]
