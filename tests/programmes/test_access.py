"""Who may do what with programmes: anonymous, students, other universities and enterprises."""

from __future__ import annotations

from tests import factories
from tests.helpers import assert_problem
from tests.programmes.conftest import URL, body, confirmed, proposed
from tests.students.factories import student


def test_anonymous_gets_401_everywhere(client, scene):
    pid = proposed(scene)["id"]
    sid = scene.students[0].id
    for method, path, json in [
        ("get", URL, None),
        ("post", URL, body(scene)),
        ("get", f"{URL}/{pid}", None),
        ("patch", f"{URL}/{pid}", {"cohort_size": 3}),
        ("post", f"{URL}/{pid}/confirm", {}),
        ("post", f"{URL}/{pid}/decline", {"reason": "x"}),
        ("post", f"{URL}/{pid}/start", None),
        ("post", f"{URL}/{pid}/close", None),
        ("put", f"{URL}/{pid}/offers", {"positions": 1}),
        ("get", f"{URL}/{pid}/members", None),
        ("post", f"{URL}/{pid}/members", None),
        ("delete", f"{URL}/{pid}/members/mine", None),
        ("post", f"{URL}/{pid}/members/{sid}/selection", {"selected": True}),
        ("put", f"{URL}/{pid}/members/{sid}/outcome", {"completed": True}),
        ("get", f"{URL}/{pid}/outcomes", None),
    ]:
        assert_problem(getattr(client, method)(path, json=json), 401)


def test_only_the_universitys_staff_propose_and_steer(scene, as_user):
    other_uni = as_user(factories.member(factories.UniversityFactory(), "admin"))
    assert_problem(other_uni.post(URL, json=body(scene)), 403)
    assert_problem(scene.ent_staff.post(URL, json=body(scene)), 403)
    assert_problem(scene.clients[0].post(URL, json=body(scene)), 403)
    pid = proposed(scene)["id"]
    # A proposed programme is not even visible to another university.
    assert_problem(other_uni.get(f"{URL}/{pid}"), 404)
    assert_problem(other_uni.patch(f"{URL}/{pid}", json={"cohort_size": 9}), 404)
    # The partner sees it but does not change it, start it or close it.
    assert_problem(scene.ent_staff.patch(f"{URL}/{pid}", json={"cohort_size": 9}), 403)
    scene.ent_staff.post(f"{URL}/{pid}/confirm", json={})
    for verb in ("start", "close"):
        assert_problem(scene.ent_staff.post(f"{URL}/{pid}/{verb}"), 403)
        assert_problem(other_uni.post(f"{URL}/{pid}/{verb}"), 403)


def test_only_partners_answer_and_offer(scene, as_user):
    pid = proposed(scene)["id"]
    other_ent = as_user(factories.member(factories.OrganizationFactory(), "staff"))
    assert_problem(other_ent.post(f"{URL}/{pid}/confirm", json={}), 404)  # not visible
    assert_problem(scene.uni_staff.post(f"{URL}/{pid}/confirm", json={}), 403)
    scene.ent_staff.post(f"{URL}/{pid}/confirm", json={})
    assert_problem(other_ent.post(f"{URL}/{pid}/confirm", json={}), 403)
    scene.uni_staff.post(f"{URL}/{pid}/start")
    assert_problem(other_ent.put(f"{URL}/{pid}/offers", json={"positions": 5}), 403)
    assert_problem(scene.uni_staff.put(f"{URL}/{pid}/offers", json={"positions": 5}), 403)


def test_the_cohort_is_seen_and_selected_by_the_parties_only(scene, as_user):
    pid = confirmed(scene)["id"]
    a = scene.students[0]
    scene.clients[0].post(f"{URL}/{pid}/members")
    other_ent = as_user(factories.member(factories.OrganizationFactory(), "staff"))
    other_uni = as_user(factories.member(factories.UniversityFactory(), "staff"))
    for outsider in (other_ent, other_uni, scene.clients[1]):
        problem = assert_problem(outsider.get(f"{URL}/{pid}/members"), 403)
        assert "items" not in problem
        sel = outsider.post(f"{URL}/{pid}/members/{a.id}/selection", json={"selected": True})
        assert_problem(sel, 403)
    outcome = {"completed": True}
    assert_problem(scene.ent_staff.put(f"{URL}/{pid}/members/{a.id}/outcome", json=outcome), 403)
    assert scene.ent_staff.get(f"{URL}/{pid}/members").get_json()["total"] == 1


def test_only_students_of_the_university_apply(scene, as_user):
    pid = confirmed(scene)["id"]
    stranger = as_user(student(factories.UniversityFactory()))
    assert_problem(stranger.post(f"{URL}/{pid}/members"), 403)
    assert_problem(scene.uni_staff.post(f"{URL}/{pid}/members"), 403)
    assert_problem(scene.clients[0].delete(f"{URL}/{pid}/members/mine"), 404)
    assert scene.clients[0].post(f"{URL}/{pid}/members").status_code == 201
    assert_problem(scene.clients[0].post(f"{URL}/{pid}/members"), 409)
