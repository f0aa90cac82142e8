"""A partnership's activity counts its programmes, admitted students, teaching and practice."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.teaching.models import PracticeStay, TeachingAssignment
from tests import factories
from tests.partnerships.test_partnerships import active
from tests.programmes.conftest import URL, confirmed


def test_programmes_cohorts_teaching_and_practice_count_as_shared_activity(scene, as_user):
    pair = SimpleNamespace(
        ent=scene.ent,
        uni=scene.uni,
        e=scene.ent_staff,
        u=as_user(factories.member(scene.uni, "admin")),
    )
    partnership = active(pair)
    pid = confirmed(scene)["id"]
    for k, user in enumerate(scene.students[:2]):
        scene.clients[k].post(f"{URL}/{pid}/members")
        for side in (scene.uni_staff, scene.ent_staff):
            side.post(f"{URL}/{pid}/members/{user.id}/selection", json={"selected": True})
    teacher = factories.member(scene.ent, "staff")
    lecturer = factories.member(scene.uni, "staff")
    now = utcnow()
    db.session.add_all(
        [
            TeachingAssignment(
                teacher_id=teacher.id,
                enterprise_id=scene.ent.id,
                university_id=scene.uni.id,
                course_id=scene.course.id,
                subject="跨境电商直播运营实务",
                semester="2027-spring",
                hours=16,
                hours_delivered=6,
                status="accepted",
                decided_at=now,
            ),
            PracticeStay(
                teacher_id=lecturer.id,
                university_id=scene.uni.id,
                enterprise_id=scene.ent.id,
                starts_on=dt.date.today() - dt.timedelta(days=40),
                ends_on=dt.date.today() - dt.timedelta(days=10),
                hours=180,
                tasks="参与店铺运营与数据分析",
                state="confirmed",
            ),
        ]
    )
    db.session.flush()
    got = pair.u.get(f"/api/v1/partnerships/{partnership['id']}").get_json()["activity"]
    assert {
        k: got[k]
        for k in (
            "programmes",
            "cohort_members",
            "teaching_assignments",
            "teaching_hours",
            "practice_stays",
        )
    } == {
        "programmes": 1,
        "cohort_members": 2,
        "teaching_assignments": 1,
        "teaching_hours": 6,
        "practice_stays": 1,
    }
