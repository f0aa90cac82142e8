"""Who may do what in a match round, and bad input: always a 4xx problem, never a 500."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.matching.conftest import URL


def names(field: str, errors: dict) -> bool:
    """True when the errors name `field` (or one of its items, `field.0`)."""
    return any(key.split(".")[0] == field for key in errors)


def test_only_coordinators_create_run_publish_and_follow_up(scene):
    r = scene.round()
    body = {
        "name": "x",
        "internship_ids": [scene.a.id],
        "preferences_close_at": "2099-01-01T00:00:00Z",
    }
    for client in (scene.e1, scene.clients[0]):
        assert_problem(client.post(URL, json=body), 403)
        assert_problem(client.post(f"{URL}/{r['id']}/run", json={}), 403)
        assert_problem(client.post(f"{URL}/{r['id']}/publish", json={}), 403)
        assert_problem(client.patch(f"{URL}/{r['id']}", json={"name": "y"}), 403)
        assert_problem(
            client.post(
                f"{URL}/{r['id']}/follow-up",
                json={"name": "y", "preferences_close_at": "2099-01-01T00:00:00Z"},
            ),
            403,
        )


def test_an_enterprise_ranks_only_its_own_internships(scene, as_user):
    r = scene.round()
    url = f"{URL}/{r['id']}/rankings/{scene.a.id}"
    ranking = {"student_ids": [scene.students[0].id]}
    assert_problem(scene.e2.put(url, json=ranking), 403)  # a is enterprise 1's
    assert_problem(scene.e2.get(url), 403)
    assert_problem(scene.clients[0].put(url, json=ranking), 403)
    assert_problem(scene.coord.put(url, json=ranking), 403)  # the enterprise's call
    student_member = as_user(factories.member(scene.ent1, "student"))
    assert_problem(student_member.put(url, json=ranking), 403)  # not admin or staff
    outside = InternshipFactory(enterprise_id=scene.ent1.id)
    assert_problem(scene.e1.put(f"{URL}/{r['id']}/rankings/{outside.id}", json=ranking), 404)
    assert scene.e1.put(url, json=ranking).status_code == 200
    assert scene.e1.get(url).get_json()["student_ids"] == [scene.students[0].id]


def test_only_students_give_preferences_and_see_only_their_own(scene):
    r = scene.round()
    prefs = {"internship_ids": [scene.a.id]}
    for client in (scene.coord, scene.e1):
        assert_problem(client.put(f"{URL}/{r['id']}/preferences", json=prefs), 403)
        assert_problem(client.get(f"{URL}/{r['id']}/assignments/mine"), 403)
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.b)
    assert scene.clients[1].get(f"{URL}/{r['id']}/preferences").get_json()["internship_ids"] == [
        scene.b.id
    ]
    scene.rank(r["id"], scene.a, [0])
    scene.close_and_run(r["id"])
    # Results wait for publication, then each student sees their own only.
    assert_problem(scene.clients[0].get(f"{URL}/{r['id']}/assignments/mine"), 409)
    scene.publish(r["id"])
    mine = scene.clients[1].get(f"{URL}/{r['id']}/assignments/mine").get_json()
    assert (mine["student_id"], mine["internship_id"]) == (scene.students[1].id, scene.b.id)
    assert_problem(scene.clients[0].get(f"{URL}/{r['id']}/assignments"), 403)
    assert_problem(scene.clients[4].get(f"{URL}/{r['id']}/assignments/mine"), 404)  # no prefs


def test_an_enterprise_sees_only_assignments_to_its_internships_once_published(scene, as_user):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.c)
    scene.close_and_run(r["id"])
    assert_problem(scene.e1.get(f"{URL}/{r['id']}/assignments"), 409)
    hidden = scene.e1.get(f"{URL}/{r['id']}/internships").get_json()["items"]
    assert {i["filled"] for i in hidden} == {None}
    scene.publish(r["id"])
    mine = scene.e2.get(f"{URL}/{r['id']}/assignments").get_json()
    assert [(i["student_id"], i["internship_id"]) for i in mine["items"]] == [
        (scene.students[1].id, scene.c.id)
    ]
    rows = scene.e1.get(f"{URL}/{r['id']}/internships").get_json()["items"]
    assert {(i["internship_id"], i["filled"], i["unfilled"]) for i in rows} == {
        (scene.a.id, 1, 0),
        (scene.b.id, 0, 2),
    }
    # An organization with nothing in the round is refused, not shown an empty page.
    stranger = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    university_staff = as_user(factories.member(scene.university, "staff"))
    for client in (stranger, university_staff):
        for path in ("assignments", "internships"):
            body = assert_problem(client.get(f"{URL}/{r['id']}/{path}"), 403)
            assert "items" not in body


def test_a_student_of_no_round_and_a_missing_round(scene):
    assert_problem(scene.clients[0].get(f"{URL}/999999"), 404)
    assert_problem(scene.coord.post(f"{URL}/999999/run", json={}), 404)
    assert_problem(
        scene.clients[0].put(f"{URL}/999999/preferences", json={"internship_ids": []}), 404
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"internship_ids": [1, 1]}, "internship_ids"),
        ({"internship_ids": [123456789]}, "internship_ids"),
        ({"internship_ids": ["a"]}, "internship_ids"),
        ({"internship_ids": "1"}, "internship_ids"),
        ({"internship_ids": [0]}, "internship_ids"),
        ({"internship_ids": list(range(1, 40))}, "internship_ids"),
        ({}, "internship_ids"),
        ({"internship_ids": [], "extra": 1}, "extra"),
    ],
)
def test_bad_preferences_name_the_field(scene, body, field):
    r = scene.round()
    if body.get("internship_ids") == [1, 1]:
        body = {"internship_ids": [scene.a.id, scene.a.id]}
    resp = scene.clients[0].put(f"{URL}/{r['id']}/preferences", json=body)
    assert names(field, validation_errors(resp))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"student_ids": "dup"}, "student_ids"),
        ({"student_ids": [987654321]}, "student_ids"),
        ({"student_ids": [1.5]}, "student_ids"),
        ({"student_ids": [], "excluded_student_ids": "overlap"}, "excluded_student_ids"),
        ({"student_ids": [], "excluded_student_ids": [987654321]}, "excluded_student_ids"),
        ({}, "student_ids"),
    ],
)
def test_bad_rankings_name_the_field(scene, body, field):
    r = scene.round()
    s0 = scene.students[0].id
    if body.get("student_ids") == "dup":
        body = {"student_ids": [s0, s0]}
    if body.get("excluded_student_ids") == "overlap":
        body = {"student_ids": [s0], "excluded_student_ids": [s0]}
    resp = scene.e1.put(f"{URL}/{r['id']}/rankings/{scene.a.id}", json=body)
    assert names(field, validation_errors(resp))


def test_ranking_a_student_who_did_not_list_the_internship_is_harmless(scene):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    scene.rank(r["id"], scene.a, [3, 0])  # student 3 never chose a
    scene.close_and_run(r["id"])
    got = scene.coord.get(f"{URL}/{r['id']}/assignments").get_json()["items"]
    assert [(i["student_id"], i["internship_id"]) for i in got] == [
        (scene.students[0].id, scene.a.id)
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"internship_ids": []}, "internship_ids"),
        ({"internship_ids": [123456789]}, "internship_ids"),
        ({"internship_ids": "dup"}, "internship_ids"),
        ({"internship_ids": "closed"}, "internship_ids"),
        ({"preferences_close_at": "2000-01-01T00:00:00Z"}, "preferences_close_at"),
        ({"preferences_close_at": "next week"}, "preferences_close_at"),
        ({"internship_ids": "full_time"}, "internship_ids"),
        ({"seed": -1}, "seed"),
        ({"seed": "x"}, "seed"),
    ],
)
def test_bad_rounds_name_the_field(scene, overrides, field):
    if overrides.get("internship_ids") == "dup":
        overrides = {"internship_ids": [scene.a.id, scene.a.id]}
    if overrides.get("internship_ids") == "closed":
        overrides = {"internship_ids": [InternshipFactory(status="closed").id]}
    if overrides.get("internship_ids") == "full_time":
        job = InternshipFactory(
            kind="full_time", salary_band="6000-8000", contract_type="open-ended"
        )
        overrides = {"internship_ids": [job.id]}
    body = {
        "name": "春季",
        "internship_ids": [scene.a.id],
        "preferences_close_at": "2099-01-01T00:00:00Z",
    } | overrides
    assert names(field, validation_errors(scene.coord.post(URL, json=body)))


def test_bad_query_and_patch_input(scene):
    r = scene.round()
    assert "status" in validation_errors(scene.coord.get(f"{URL}?status=unknown"))
    assert "per_page" in validation_errors(scene.coord.get(f"{URL}?per_page=1000"))
    assert "matched" in validation_errors(
        scene.coord.get(f"{URL}/{r['id']}/assignments?matched=maybe")
    )
    assert "preferences_close_at" in validation_errors(
        scene.coord.patch(f"{URL}/{r['id']}", json={"preferences_close_at": "2001-01-01"})
    )
    assert "seed" in validation_errors(scene.coord.patch(f"{URL}/{r['id']}", json={"seed": 1}))
    malformed = scene.coord.post(
        URL, data="{not json", headers={"Content-Type": "application/json"}
    )
    assert_problem(malformed, 400)


def test_preferences_are_read_by_students_and_round_internships_by_their_enterprises(scene):
    r = scene.round()
    for client in (scene.coord, scene.e1):
        assert_problem(client.get(f"{URL}/{r['id']}/preferences"), 403)
    body = assert_problem(scene.clients[0].get(f"{URL}/{r['id']}/internships"), 403)
    assert "items" not in body
    assert scene.e1.get(f"{URL}/{r['id']}/internships").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"preferences_close_at": "2000-01-01T00:00:00Z"}, "preferences_close_at"),
        ({"preferences_close_at": None}, "preferences_close_at"),
        ({"seed": -1}, "seed"),
        ({"seed": "x"}, "seed"),
        ({"internship_ids": [1]}, "internship_ids"),  # they come from the round
    ],
)
def test_bad_follow_up_rounds_name_the_field(scene, body, field):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.a)
    scene.rank(r["id"], scene.a, [0, 1])
    scene.close_and_run(r["id"])
    scene.publish(r["id"])  # student 1 and b, c are left over
    data = {"name": "补录", "preferences_close_at": "2099-01-01T00:00:00Z"} | body
    data = {k: v for k, v in data.items() if v is not None}  # None: the field is missing
    resp = scene.coord.post(f"{URL}/{r['id']}/follow-up", json=data)
    assert names(field, validation_errors(resp))
