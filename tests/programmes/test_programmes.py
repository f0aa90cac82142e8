"""Programmes from proposal to outcomes: partners confirm, both sides select an order
class's cohort within its size, outcomes and commitment fulfilment."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.programmes.conftest import URL, body, confirmed, proposed


def _select(client, pid, student_id, selected=True, **extra):
    return client.post(
        f"{URL}/{pid}/members/{student_id}/selection", json={"selected": selected, **extra}
    )


def test_an_order_class_from_proposal_to_commitment_fulfilment(scene, as_user):
    programme = proposed(scene)
    assert programme["state"] == "proposed"
    assert programme["partners"][0]["state"] == "pending"
    # The partner's staff are asked.
    inbox = scene.ent_staff.get("/api/v1/notifications").get_json()["items"]
    assert any("合作项目邀请" in n["title"] for n in inbox)
    pid = programme["id"]
    done = scene.ent_staff.post(f"{URL}/{pid}/confirm", json={}).get_json()
    assert done["state"] == "confirmed"
    a, b, c = scene.students
    for client in scene.clients:
        assert client.post(f"{URL}/{pid}/members").status_code == 201
    # An order class needs both sides: the university's selection alone admits nobody.
    assert _select(scene.uni_staff, pid, a.id).get_json()["state"] == "applied"
    admitted = _select(scene.ent_staff, pid, a.id).get_json()
    assert admitted["state"] == "admitted"
    _select(scene.ent_staff, pid, b.id)
    assert _select(scene.uni_staff, pid, b.id).get_json()["state"] == "admitted"
    # The cohort of 2 is full: the third selection is refused and nothing is stored.
    _select(scene.uni_staff, pid, c.id)
    problem = assert_problem(_select(scene.ent_staff, pid, c.id), 409)
    assert "full" in problem["detail"]
    members = scene.uni_staff.get(f"{URL}/{pid}/members", query_string={"state": "applied"})
    assert [m["enterprise_selected"] for m in members.get_json()["items"]] == [None]
    # A student's withdrawal gives the place back; the third is admitted then.
    assert scene.clients[1].delete(f"{URL}/{pid}/members/mine").status_code == 204
    assert _select(scene.ent_staff, pid, c.id).get_json()["state"] == "admitted"
    assert scene.uni_staff.post(f"{URL}/{pid}/start").get_json()["state"] == "running"
    outcome = {"completed": True, "hired_by_id": scene.ent.id}
    resp = scene.uni_staff.put(f"{URL}/{pid}/members/{a.id}/outcome", json=outcome)
    assert resp.status_code == 200, resp.get_json()
    assert scene.ent_staff.put(f"{URL}/{pid}/offers", json={"positions": 1}).status_code == 200
    figures = scene.uni_staff.get(f"{URL}/{pid}/outcomes").get_json()
    assert figures == {
        "programme_id": pid,
        "cohort_size": 2,
        "applicants": 3,
        "admitted": 2,
        "rejected": 0,
        "withdrawn": 1,
        "completed": 1,
        "hired_by_partner": 1,
        "committed_positions": 2,
        "offered_positions": 1,
        "commitment_fulfilment": 0.5,
    }
    assert scene.uni_staff.post(f"{URL}/{pid}/close").get_json()["state"] == "closed"
    assert_problem(scene.clients[1].post(f"{URL}/{pid}/members"), 409)


def test_an_industry_college_admits_on_the_universitys_selection(scene):
    pid = confirmed(scene, kind="industry_college")["id"]
    a = scene.students[0]
    scene.clients[0].post(f"{URL}/{pid}/members")
    assert _select(scene.uni_staff, pid, a.id).get_json()["state"] == "admitted"


def test_not_selected_needs_a_reason_and_ends_the_application(scene):
    pid = confirmed(scene)["id"]
    a = scene.students[0]
    scene.clients[0].post(f"{URL}/{pid}/members")
    assert "reason" in validation_errors(_select(scene.ent_staff, pid, a.id, selected=False))
    rejected = _select(scene.ent_staff, pid, a.id, selected=False, reason="面试未通过").get_json()
    assert rejected["state"] == "rejected"
    assert_problem(_select(scene.uni_staff, pid, a.id), 409)
    inbox = scene.clients[0].get("/api/v1/notifications").get_json()["items"]
    assert any("未入选" in n["title"] for n in inbox)


def test_a_decline_keeps_it_proposed_until_the_partners_change(scene, as_user):
    programme = proposed(scene)
    pid = programme["id"]
    assert "reason" in validation_errors(scene.ent_staff.post(f"{URL}/{pid}/decline", json={}))
    declined = scene.ent_staff.post(f"{URL}/{pid}/decline", json={"reason": "名额已满"}).get_json()
    assert declined["state"] == "proposed"
    assert declined["partners"][0]["state"] == "declined"
    other = factories.OrganizationFactory()
    patched = scene.uni_staff.patch(
        f"{URL}/{pid}", json={"partners": [{"enterprise_id": other.id, "committed_positions": 3}]}
    )
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["partners"][0]["state"] == "pending"
    other_staff = as_user(factories.member(other, "staff"))
    assert other_staff.post(f"{URL}/{pid}/confirm", json={}).get_json()["state"] == "confirmed"
    # Confirmed: no more changes, nothing more to answer.
    assert_problem(scene.uni_staff.patch(f"{URL}/{pid}", json={"cohort_size": 9}), 409)
    assert_problem(other_staff.post(f"{URL}/{pid}/confirm", json={}), 409)


def test_lifecycle_steps_out_of_order_are_409_naming_the_allowed_ones(scene):
    pid = proposed(scene)["id"]
    problem = assert_problem(scene.uni_staff.post(f"{URL}/{pid}/start"), 409)
    assert "start" in problem["detail"]
    assert_problem(scene.uni_staff.post(f"{URL}/{pid}/close"), 409)
    assert_problem(scene.clients[0].post(f"{URL}/{pid}/members"), 409)  # not open yet


def test_outcomes_and_offers_wait_for_the_programme_to_run(scene):
    pid = confirmed(scene)["id"]
    a = scene.students[0]
    assert_problem(scene.ent_staff.put(f"{URL}/{pid}/offers", json={"positions": 1}), 409)
    body_ = {"completed": True}
    assert_problem(scene.uni_staff.put(f"{URL}/{pid}/members/{a.id}/outcome", json=body_), 409)
    scene.uni_staff.post(f"{URL}/{pid}/start")
    assert_problem(scene.uni_staff.put(f"{URL}/{pid}/members/{a.id}/outcome", json=body_), 404)
    scene.clients[0].post(f"{URL}/{pid}/members")
    # Applied but not admitted: no outcome; a hire by a non-partner is refused.
    assert_problem(scene.uni_staff.put(f"{URL}/{pid}/members/{a.id}/outcome", json=body_), 409)
    _select(scene.uni_staff, pid, a.id)
    _select(scene.ent_staff, pid, a.id)
    stranger = factories.OrganizationFactory()
    errors = validation_errors(
        scene.uni_staff.put(
            f"{URL}/{pid}/members/{a.id}/outcome",
            json={"completed": True, "hired_by_id": stranger.id},
        )
    )
    assert "hired_by_id" in errors


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "summer_camp"}, "kind"),
        ({"major": "alchemy"}, "major"),
        ({"intake_year": 1999}, "intake_year"),
        ({"cohort_size": 0}, "cohort_size"),
        ({"cohort_size": "40"}, "cohort_size"),
        ({"partners": []}, "partners"),
        ({"partners": [{"enterprise_id": 999999, "committed_positions": 1}]}, "partners"),
        ({"certificates": [{"code": "made-up", "level": "junior"}]}, "certificates.0.code"),
        (
            {"certificates": [{"code": "cbec-b2b-data-operation", "level": "master"}]},
            "certificates",
        ),
        ({"months_per_year": 6}, "months_per_year"),  # not an apprenticeship
        ({"kind": "apprenticeship"}, "months_per_year"),  # an apprenticeship without it
        ({"kind": "apprenticeship", "months_per_year": 13}, "months_per_year"),
        ({"name": ""}, "name"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_programmes_are_422_naming_the_field(scene, overrides, field):
    errors = validation_errors(scene.uni_staff.post(URL, json=body(scene, **overrides)))
    assert any(k == field or k.startswith(f"{field}.") for k in errors), errors


def test_an_order_class_partner_commits_at_least_one_position(scene):
    partners = [{"enterprise_id": scene.ent.id, "committed_positions": 0}]
    assert "partners" in validation_errors(
        scene.uni_staff.post(URL, json=body(scene, partners=partners))
    )
    apprenticeship = body(scene, kind="apprenticeship", months_per_year=6, partners=partners)
    assert scene.uni_staff.post(URL, json=apprenticeship).status_code == 201


def test_a_course_of_another_university_is_404(scene):
    from tests.courses.factories import CourseFactory

    foreign = CourseFactory()
    assert_problem(scene.uni_staff.post(URL, json=body(scene, course_ids=[foreign.id])), 404)
    assert_problem(scene.uni_staff.post(URL, json=body(scene, course_ids=[999999])), 404)


def test_the_list_filters_and_hides_proposed_programmes_from_outsiders(scene, as_user):
    shown = confirmed(scene)
    hidden = proposed(scene, name="未确认的项目")
    outsider = as_user(factories.member(factories.UniversityFactory(), "staff"))
    ids = [p["id"] for p in outsider.get(URL).get_json()["items"]]
    assert shown["id"] in ids
    assert hidden["id"] not in ids
    assert_problem(outsider.get(f"{URL}/{hidden['id']}"), 404)
    mine = scene.ent_staff.get(URL, query_string={"enterprise_id": scene.ent.id}).get_json()
    assert {p["id"] for p in mine["items"]} == {shown["id"], hidden["id"]}
    assert (
        scene.uni_staff.get(URL, query_string={"kind": "apprenticeship"}).get_json()["total"] == 0
    )
