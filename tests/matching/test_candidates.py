"""Who chose an internship: its enterprise (and coordinators) list the candidates it ranks."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.students.models import StudentCompetency
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.matching.conftest import URL


def _candidates(client, round_id, posting, **query):
    resp = client.get(f"{URL}/{round_id}/rankings/{posting.id}/candidates", query_string=query)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_the_enterprise_lists_who_chose_its_internship_in_its_current_order(scene):
    r = scene.round()
    s = scene.students
    scene.prefer(r["id"], 0, scene.a)
    scene.prefer(r["id"], 1, scene.b, scene.a)
    scene.prefer(r["id"], 2, scene.a, scene.c)
    scene.prefer(r["id"], 3, scene.c)  # never chose a
    scene.prefer(r["id"], 4, scene.c, scene.a)
    scene.rank(r["id"], scene.a, [2], excluded=[1])
    # Students 0 and 4 are left unranked: 0 misses the posting's competency minimum.
    db.session.execute(
        sa.update(StudentCompetency).where(StudentCompetency.user_id == s[0].id).values(level=1)
    )
    page = _candidates(scene.e1, r["id"], scene.a)
    assert (page["total"], page["page"], page["per_page"]) == (4, 1, 20)
    got = [
        (i["student_id"], i["choice"], i["rank"], i["excluded"], i["university_id"])
        for i in page["items"]
    ]
    uni = scene.university.id
    assert got == [
        (s[2].id, 1, 1, False, uni),  # ranked
        (s[4].id, 2, None, False, uni),  # unranked, the better score
        (s[0].id, 1, None, False, uni),
        (s[1].id, 2, None, True, uni),  # excluded last
    ]
    by_id = {i["student_id"]: i for i in page["items"]}
    assert by_id[s[4].id]["score"] > by_id[s[0].id]["score"]
    assert all(0 <= i["score"] <= 1 for i in page["items"])
    assert by_id[s[2].id]["name"] == s[2].name
    # Pages of the same order; coordinators see the same list.
    second = _candidates(scene.e1, r["id"], scene.a, page=2, per_page=3)
    assert (second["total"], [i["student_id"] for i in second["items"]]) == (4, [s[1].id])
    assert _candidates(scene.coord, r["id"], scene.a)["items"] == page["items"]
    # Another internship, another list: c was chosen by 2, 3 and 4 (nobody ranked them).
    assert {i["student_id"] for i in _candidates(scene.e2, r["id"], scene.c)["items"]} == {
        s[2].id,
        s[3].id,
        s[4].id,
    }
    assert _candidates(scene.e1, r["id"], scene.b)["total"] == 1


def test_an_internship_nobody_chose_has_no_candidates(scene):
    r = scene.round()
    assert _candidates(scene.e1, r["id"], scene.a) == {
        "items": [],
        "total": 0,
        "page": 1,
        "per_page": 20,
    }


def test_only_its_enterprise_and_coordinators_see_the_candidates(scene, as_user):
    r = scene.round()
    scene.prefer(r["id"], 0, scene.a)
    url = f"{URL}/{r['id']}/rankings/{scene.a.id}/candidates"
    stranger = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    university_staff = as_user(factories.member(scene.university, "staff"))
    student_member = as_user(factories.member(scene.ent1, "student"))
    for client in (scene.e2, scene.clients[0], stranger, university_staff, student_member):
        body = assert_problem(client.get(url), 403)
        assert "items" not in body
    outside = InternshipFactory(enterprise_id=scene.ent1.id)
    for client in (scene.e1, scene.coord):
        body = assert_problem(client.get(f"{URL}/{r['id']}/rankings/{outside.id}/candidates"), 404)
        assert "items" not in body
    assert_problem(scene.e1.get(f"{URL}/999999/rankings/{scene.a.id}/candidates"), 404)
    assert "per_page" in validation_errors(scene.e1.get(f"{url}?per_page=1000"))
