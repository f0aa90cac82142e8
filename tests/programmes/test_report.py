"""GET /api/v1/monitoring/programmes: by kind and district, fill, fulfilment, dual-qualified."""

from __future__ import annotations

import datetime as dt

from cbec_alliance.extensions import db
from cbec_alliance.programmes.models import ProgrammePartner
from cbec_alliance.teaching.models import PracticeStay, UniversityTeacher, UniversityTeacherMajor
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.programmes.conftest import URL, confirmed, proposed

REPORT = "/api/v1/monitoring/programmes"


def _running_order_class(scene) -> int:
    pid = confirmed(scene)["id"]
    a = scene.students[0]
    scene.clients[0].post(f"{URL}/{pid}/members")
    for side in (scene.uni_staff, scene.ent_staff):
        side.post(f"{URL}/{pid}/members/{a.id}/selection", json={"selected": True})
    scene.uni_staff.post(f"{URL}/{pid}/start")
    scene.ent_staff.put(f"{URL}/{pid}/offers", json={"positions": 1})
    return pid


def test_the_coordinator_sees_every_programme_in_numbers(scene, coord):
    pid = _running_order_class(scene)
    proposed(scene, kind="industry_college", name="数字贸易产业学院")
    teacher = factories.member(scene.uni, "staff")
    db.session.add(
        UniversityTeacher(
            user_id=teacher.id,
            university_id=scene.uni.id,
            major_rows=[UniversityTeacherMajor(code="e-commerce")],
        )
    )
    db.session.add(
        PracticeStay(
            teacher_id=teacher.id,
            university_id=scene.uni.id,
            enterprise_id=scene.ent.id,
            starts_on=dt.date.today() - dt.timedelta(days=200),
            ends_on=dt.date.today() - dt.timedelta(days=1),
            hours=900,
            tasks="跨境店铺运营",
            state="confirmed",
        )
    )
    db.session.flush()
    body = coord.get(REPORT).get_json()
    kinds = {k["kind"]: k for k in body["by_kind"]}
    assert kinds["order_class"] == {
        "kind": "order_class",
        "count": 1,
        "running": 1,
        "cohort_size": 2,
        "admitted": 1,
        "fill": 0.5,
    }
    assert kinds["industry_college"]["count"] == 1
    assert kinds["industry_college"]["cohort_size"] == 0  # proposed: no cohort yet
    assert body["fulfilment"] == [
        {
            "programme_id": pid,
            "name": "跨境电商订单班（2027级）",
            "university_id": scene.uni.id,
            "committed": 2,
            "offered": 1,
            "fulfilment": 0.5,
        }
    ]
    dual = {r["university_id"]: r for r in body["dual_qualified"]}
    assert dual[scene.uni.id]["dual_qualified"] == 1
    csv = coord.get(REPORT, query_string={"format": "csv"})
    assert csv.status_code == 200
    assert "承诺兑现率" in csv.data.decode("utf-8-sig")
    assert coord.get(REPORT, query_string={"format": "svg"}).status_code == 200


def test_each_side_sees_its_own_and_outsiders_nothing(scene, as_user, client):
    _running_order_class(scene)
    other_uni = factories.UniversityFactory()
    mine = scene.uni_staff.get(REPORT).get_json()
    assert mine["scope"] == {"kind": "university", "organization_id": scene.uni.id}
    assert mine["totals"]["programmes"] == 1
    partner = scene.ent_staff.get(REPORT).get_json()
    assert partner["totals"]["programmes"] == 1
    stranger = as_user(factories.member(other_uni, "staff")).get(REPORT).get_json()
    assert stranger["totals"]["programmes"] == 0
    assert_problem(scene.clients[0].get(REPORT), 403)
    assert_problem(client.get(REPORT), 401)
    peek = scene.uni_staff.get(REPORT, query_string={"organization_id": other_uni.id})
    assert_problem(peek, 403)


def test_bad_report_arguments_are_422(coord):
    assert "format" in validation_errors(coord.get(REPORT, query_string={"format": "pdf"}))
    big = coord.get(REPORT, query_string={"organization_id": 2**63})
    assert "organization_id" in validation_errors(big)
    assert_problem(coord.get(REPORT, query_string={"organization_id": 999999}), 404)


def test_positions_are_summed_over_partners_and_scoped(scene, coord):
    pid = _running_order_class(scene)  # the scene's enterprise: 2 committed, 1 offered
    other, stranger = factories.OrganizationFactory(), factories.OrganizationFactory()
    db.session.add(
        ProgrammePartner(
            programme_id=pid, enterprise_id=other.id, state="declined", committed_positions=3
        )
    )
    lone = factories.UniversityFactory(name="广州无项目学院")  # teachers, no programmes
    teacher = factories.member(lone, "staff")
    db.session.add(
        UniversityTeacher(
            user_id=teacher.id,
            university_id=lone.id,
            industry_title="高级电子商务师",
            major_rows=[UniversityTeacherMajor(code="marketing")],
        )
    )
    db.session.flush()
    everything = coord.get(REPORT).get_json()
    rows = everything["fulfilment"]
    positions = [(f["programme_id"], f["committed"], f["offered"]) for f in rows]
    assert positions == [(pid, 5, 1)]
    assert everything["totals"] == {"programmes": 1, "admitted": 1, "committed": 5, "offered": 1}
    assert everything["by_district"] == [
        {"district": scene.uni.district or "unknown", "count": 1, "admitted": 1}
    ]
    dual = {r["university_id"]: r for r in everything["dual_qualified"]}
    assert dual[lone.id]["name"] == "广州无项目学院"
    assert dual[lone.id]["share"] == 1.0
    via_other = coord.get(REPORT, query_string={"organization_id": other.id}).get_json()
    assert via_other["fulfilment"] == everything["fulfilment"]
    assert [r["university_id"] for r in via_other["dual_qualified"]] == [scene.uni.id]
    none = coord.get(REPORT, query_string={"organization_id": stranger.id}).get_json()
    assert none["totals"] == {"programmes": 0, "admitted": 0, "committed": 0, "offered": 0}
    assert none["fulfilment"] == none["by_district"] == none["dual_qualified"] == []
    assert [k["count"] for k in none["by_kind"]] == [0, 0, 0]
