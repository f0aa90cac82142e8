"""The three-party apprenticeship agreement: made on admission, signed by each party over
its exact text, in force when all three have signed."""

from __future__ import annotations

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.programmes.conftest import URL, confirmed


def _admitted_apprentice(scene) -> tuple[int, str]:
    pid = confirmed(scene, kind="apprenticeship", months_per_year=6)["id"]
    a = scene.students[0]
    scene.clients[0].post(f"{URL}/{pid}/members")
    admitted = scene.uni_staff.post(
        f"{URL}/{pid}/members/{a.id}/selection", json={"selected": True}
    ).get_json()
    assert admitted["state"] == "admitted"
    return pid, f"{URL}/{pid}/members/{a.id}/agreement"


def test_three_parties_sign_the_text_they_read(scene):
    _pid, url = _admitted_apprentice(scene)
    got = scene.clients[0].get(url).get_json()
    assert "现代学徒制三方协议" in got["text"]
    assert "6 个月" in got["text"]
    assert got["missing_parties"] == ["student", "university", "enterprise"]
    assert_problem(scene.clients[0].post(f"{url}/sign", json={"sha256": "0" * 64}), 409)
    for client in (scene.clients[0], scene.uni_staff, scene.ent_staff):
        resp = client.post(f"{url}/sign", json={"sha256": got["sha256"]})
        assert resp.status_code == 200, resp.get_json()
    done = scene.uni_staff.get(url).get_json()
    assert done["missing_parties"] == []
    assert done["signed_at"] is not None
    assert [s["party"] for s in done["signatures"]] == ["student", "university", "enterprise"]
    assert_problem(scene.ent_staff.post(f"{url}/sign", json={"sha256": got["sha256"]}), 409)


def test_only_parties_see_or_sign_it(scene, as_user, client, coord):
    pid, url = _admitted_apprentice(scene)
    sha = scene.clients[0].get(url).get_json()["sha256"]
    assert_problem(client.get(url), 401)
    assert_problem(client.post(f"{url}/sign", json={"sha256": sha}), 401)
    other_ent = as_user(factories.member(factories.OrganizationFactory(), "staff"))
    assert_problem(other_ent.get(url), 404)
    assert_problem(other_ent.post(f"{url}/sign", json={"sha256": sha}), 404)
    assert_problem(scene.clients[1].get(url), 404)  # another student of the university
    assert coord.get(url).status_code == 200
    assert_problem(coord.post(f"{url}/sign", json={"sha256": sha}), 403)


def test_an_order_class_member_has_no_such_agreement(scene):
    pid = confirmed(scene)["id"]
    a = scene.students[0]
    scene.clients[0].post(f"{URL}/{pid}/members")
    for side in (scene.uni_staff, scene.ent_staff):
        side.post(f"{URL}/{pid}/members/{a.id}/selection", json={"selected": True})
    assert_problem(scene.uni_staff.get(f"{URL}/{pid}/members/{a.id}/agreement"), 404)


def test_bad_signatures_are_422(scene):
    _pid, url = _admitted_apprentice(scene)
    for body in ({}, {"sha256": "xyz"}, {"sha256": "A" * 64}, {"sha256": "0" * 64, "x": 1}):
        errors = validation_errors(scene.clients[0].post(f"{url}/sign", json=body))
        assert errors, body
