"""POST/GET/PATCH /api/v1/destinations: who reports whose destination, what is checked, who
sees it."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from tests.destinations.factories import YEAR, DestinationFactory
from tests.factories import valid_uscc
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/destinations"


def _body(student_id=None, **kw):
    body = {
        "graduation_year": YEAR,
        "outcome": "employed-contract",
        "employer_name": "广州跨境优选贸易有限公司",
        "employer_uscc": valid_uscc(990001),
        "location_code": "440106",
        "industry": "跨境电商（亚马逊运营）",
        "cbec_related": True,
        "related_to_major": True,
        "salary_band": "6000-8000",
        **kw,
    }
    if student_id is not None:
        body["student_id"] = student_id
    return body


def _events(kind: str) -> list[OutboxEvent]:
    return list(db.session.scalars(sa.select(OutboxEvent).where(OutboxEvent.event_type == kind)))


def test_staff_report_a_student_destination(world, as_user):
    resp = as_user(world.uni_staff).post(URL, json=_body(world.student.id))
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["student_id"] == world.student.id
    assert body["university_id"] == world.uni.id
    assert body["major"] == "e-commerce"
    assert body["outcome_zh"] == "签约就业"
    assert body["location"] == {"code": "440106", "name_zh": "天河区", "name_en": "Tianhe"}
    assert body["source"] == "staff"
    # A name and code outside the alliance: declared only, nobody to confirm.
    assert body["confirmation"] == "not_required"


def test_a_student_reports_their_own(world, as_user):
    resp = as_user(world.student).post(
        URL, json=_body(outcome="further-study", employer_name=None, employer_uscc=None)
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["student_id"] == world.student.id
    assert resp.get_json()["source"] == "student"
    # ... and not another student's.
    other = as_user(world.student).post(URL, json=_body(world.student2.id))
    assert_problem(other, 403)


def test_an_alliance_employer_is_asked_to_confirm(world, as_user):
    resp = as_user(world.uni_staff).post(
        URL,
        json=_body(
            world.student.id, employer_name=None, employer_uscc=None, employer_id=world.ent.id
        ),
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["confirmation"] == "pending"
    (event,) = _events("destination.confirmation_requested")
    assert event.payload["enterprise_id"] == world.ent.id
    assert event.payload["count"] == 1


def test_an_alliance_employer_found_by_its_credit_code(world, as_user):
    resp = as_user(world.uni_staff).post(
        URL, json=_body(world.student.id, employer_name="某公司", employer_uscc=world.ent.uscc)
    )
    body = resp.get_json()
    assert body["employer_id"] == world.ent.id
    assert body["employer_name"] is None
    assert body["confirmation"] == "pending"


def test_another_universitys_student_is_404(world, as_user):
    resp = as_user(world.uni_staff).post(URL, json=_body(world.other_student.id))
    assert_problem(resp, 404)
    # Nor does an unknown id tell anything else.
    assert_problem(as_user(world.uni_staff).post(URL, json=_body(99_999_999)), 404)


def test_one_per_student_and_year(world, as_user):
    client = as_user(world.uni_staff)
    assert client.post(URL, json=_body(world.student.id)).status_code == 201
    body = assert_problem(client.post(URL, json=_body(world.student.id)), 409)
    assert "PATCH" in body["detail"]


def test_bad_input_names_the_field(world, as_user):
    client = as_user(world.uni_staff)
    sid = world.student.id
    cases = {
        "outcome": _body(sid, outcome="lying-flat"),
        "employer_uscc": _body(sid, employer_uscc="91440101MA5CXY1230"),  # bad check digit
        "location_code": _body(sid, location_code="999999"),
        "salary_band": _body(sid, salary_band="1000000+"),
        "graduation_year": _body(sid, graduation_year=1800),
        "cbec_related": _body(sid, cbec_related="是"),
    }
    for field, body in cases.items():
        assert field in validation_errors(client.post(URL, json=body)), field
    missing = {k: v for k, v in _body(sid).items() if k != "outcome"}
    assert "outcome" in validation_errors(client.post(URL, json=missing))
    # A name without its credit code, and both kinds of employer at once.
    no_code = _body(sid, employer_uscc=None)
    assert "employer_uscc" in validation_errors(client.post(URL, json=no_code))
    both = _body(sid, employer_id=world.ent.id)
    assert "employer_id" in validation_errors(client.post(URL, json=both))
    # A contract names its employer; an unknown enterprise id is refused.
    bare = _body(sid, employer_name=None, employer_uscc=None)
    assert "employer_id" in validation_errors(client.post(URL, json=bare))
    ghost = _body(sid, employer_name=None, employer_uscc=None, employer_id=99_999_999)
    assert "employer_id" in validation_errors(client.post(URL, json=ghost))
    # Further study names no employer.
    study = _body(sid, outcome="further-study")
    assert "employer_id" in validation_errors(client.post(URL, json=study))


def test_authorization(world, client, as_user):
    assert_problem(client.post(URL, json=_body(world.student.id)), 401)
    assert_problem(client.get(URL), 401)
    # An enterprise's staff report nobody's destination.
    assert_problem(as_user(world.ent_staff).post(URL, json=_body(world.student.id)), 403)


def test_who_sees_a_destination(world, as_user, coord):
    dest = DestinationFactory(
        student_id=world.student.id,
        university_id=world.uni.id,
        employer_id=world.ent.id,
        employer_name=None,
        confirmation="pending",
    )
    url = f"{URL}/{dest.id}"
    for user in (world.student, world.uni_staff, world.ent_staff):
        assert as_user(user).get(url).status_code == 200
    assert coord.get(url).status_code == 200
    for user in (world.student2, world.other_staff, world.other_ent_staff):
        assert_problem(as_user(user).get(url), 404)
        assert as_user(user).get(URL).get_json()["total"] == 0
    listed = as_user(world.uni_staff).get(f"{URL}?year={YEAR}").get_json()
    assert [d["id"] for d in listed["items"]] == [dest.id]
    assert coord.get(f"{URL}?university_id={world.other_uni.id}").get_json()["total"] == 0
    assert "outcome" in validation_errors(coord.get(f"{URL}?outcome=nope"))


def test_patch_asks_the_employer_again(world, as_user):
    dest = DestinationFactory(
        student_id=world.student.id,
        university_id=world.uni.id,
        employer_id=world.ent.id,
        employer_name=None,
        confirmation="confirmed",
    )
    url = f"{URL}/{dest.id}"
    resp = as_user(world.uni_staff).patch(url, json={"salary_band": "8000-10000"})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["confirmation"] == "confirmed"  # same outcome and employer
    resp = as_user(world.student).patch(url, json={"employer_id": world.other_ent.id})
    assert resp.get_json()["confirmation"] == "pending"
    assert resp.get_json()["employer_id"] == world.other_ent.id
    # Another university's staff do not see it; the employer's staff may not change it.
    assert_problem(as_user(world.other_staff).patch(url, json={"outcome": "other"}), 404)
    assert_problem(as_user(world.other_ent_staff).patch(url, json={"outcome": "other"}), 403)
    assert "location_code" in validation_errors(
        as_user(world.uni_staff).patch(url, json={"location_code": "44010"})
    )


def test_vocabulary(world, as_user):
    body = as_user(world.student).get(f"{URL}/vocabulary").get_json()
    assert {"code": "flexible", "name_zh": "灵活就业", "name_en": "flexible employment"} in body[
        "outcomes"
    ]
    assert len([c for c in body["locations"] if c["code"].endswith("0000")]) >= 31
    assert "440113" in {c["code"] for c in body["locations"]}  # 番禺区
