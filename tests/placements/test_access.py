"""Who may reach a placement's routes: strangers, other enterprises and other universities
get 404 with no data; anonymous callers 401; readers who are no party 403 on writes."""

from __future__ import annotations

import pytest

from tests.helpers import assert_problem
from tests.placements.factories import outsiders, world

ROUTES = [
    ("get", ""),
    ("patch", ""),
    ("post", "/activate"),
    ("post", "/terminate"),
    ("post", "/complete"),
    ("post", "/mentors"),
    ("get", "/agreement"),
    ("post", "/agreement/signatures"),
    ("get", "/agreement.pdf"),
    ("get", "/insurance"),
    ("post", "/insurance"),
    ("get", "/grades"),
    ("post", "/grades"),
    ("get", "/certificate.pdf"),
]
BODIES = {
    "/terminate": {"reason_code": "other", "reason_text": "不再继续"},
    "/mentors": {"role": "school", "mentor_id": 1},
    "/agreement/signatures": {"sha256": "a" * 64},
    "/insurance": {
        "insurer": "平安",
        "policy_number": "P-1",
        "covers_from": "2027-01-01",
        "covers_to": "2027-12-31",
        "sum_insured": 1000,
    },
    "/grades": {"score": 90, "ratings": []},
    "": {"stipend": 1},
}


@pytest.fixture
def scene(run):
    return run(world), run(outsiders)


@pytest.mark.parametrize(("method", "tail"), ROUTES)
@pytest.mark.parametrize("who", ["stranger", "other_enterprise", "other_university"])
def test_outsiders_get_404_with_no_data(scene, as_user, method, tail, who):
    w, others = scene
    client = as_user(others[who])
    kwargs = {"json": BODIES.get(tail, {})} if method != "get" else {}
    resp = getattr(client, method)(f"/api/v1/placements/{w.placement.id}{tail}", **kwargs)
    problem = assert_problem(resp, 404)
    assert problem["detail"] == "placement not found"
    assert w.student.name not in resp.get_data(as_text=True)


@pytest.mark.parametrize(("method", "tail"), ROUTES)
def test_anonymous_callers_are_asked_to_log_in(scene, client, method, tail):
    w, _ = scene
    resp = getattr(client, method)(f"/api/v1/placements/{w.placement.id}{tail}", json={})
    assert_problem(resp, 401)


def test_lists_show_only_what_the_caller_may_see(scene, as_user, coord):
    w, others = scene
    for who in others.values():
        assert as_user(who).get("/api/v1/placements").get_json()["total"] == 0
    for party in (w.student, w.uni_staff, w.ent_staff):
        items = as_user(party).get("/api/v1/placements").get_json()["items"]
        assert [p["id"] for p in items] == [w.placement.id]
    assert coord.get("/api/v1/placements").get_json()["total"] == 1
    filtered = coord.get("/api/v1/placements?state=active").get_json()
    assert filtered["total"] == 0
    assert "state" in assert_problem(coord.get("/api/v1/placements?state=bogus"), 422)["errors"]


def test_a_coordinator_reads_but_does_not_act(scene, coord):
    w, _ = scene
    assert coord.get(f"/api/v1/placements/{w.placement.id}").status_code == 200
    reason = {"reason_code": "other", "reason_text": "x"}
    assert_problem(coord.post(f"/api/v1/placements/{w.placement.id}/terminate", json=reason), 403)
    assert_problem(coord.post(f"/api/v1/placements/{w.placement.id}/activate"), 403)


def test_the_student_reads_the_detail_with_its_checks(scene, as_user):
    w, _ = scene
    body = as_user(w.student).get(f"/api/v1/placements/{w.placement.id}").get_json()
    assert body["state"] == "preparing"
    assert body["allowed"] == ["activate", "terminate"]
    unchecked = [rule["code"] for rule in body["checks"]["unchecked"]]
    assert unchecked == ["enterprise_quota", "role_quota"]
    assert "insurance" in [rule["code"] for rule in body["checks"]["missing"]]


def test_unknown_ids_are_404(as_user, run):
    w = run(world)
    assert_problem(as_user(w.student).get("/api/v1/placements/999999"), 404)
