"""Who hears of joint teaching: the teacher of a proposal and of a decision on their stay,
the university's staff of an answer, the enterprise's staff of a stay to confirm."""

from __future__ import annotations

from cbec_alliance.notifications.catalogue import render, spec_for
from tests import factories
from tests.teaching.conftest import ASSIGNMENTS, STAYS, UNI_TEACHERS, events


def recipients(event) -> set[int]:
    """Everyone the event's spec resolves to."""
    return {uid for batch in spec_for(event.event_type).recipients(event, 100) for uid in batch}


def test_every_teaching_event_reaches_its_party(world, as_user):
    body = {"teacher_id": world["teacher_user"].id, "course_id": world["course"].id, "hours": 8}
    a = world["staff"].post(ASSIGNMENTS, json=body).get_json()
    world["teacher"].post(f"{ASSIGNMENTS}/{a['id']}/accept", json={})
    body["semester"] = "2027-fall"
    b = world["staff"].post(ASSIGNMENTS, json=body).get_json()
    world["teacher"].post(f"{ASSIGNMENTS}/{b['id']}/decline", json={"reason": "时间冲突"})
    [proposed, _] = events("teaching_assignment.proposed")
    assert recipients(proposed) == {world["teacher_user"].id}
    spec = spec_for("teaching_assignment.proposed")
    assert "跨境电商数据分析" in render(spec.title["zh"], proposed.payload)
    staff = world["staff"].get("/api/v1/auth/me").get_json()["id"]
    for kind in ("accepted", "declined"):
        [ev] = events(f"teaching_assignment.{kind}")
        assert staff in recipients(ev)
        assert world["teacher_user"].id not in recipients(ev)

    lecturer_user = factories.member(world["uni"], "staff", name="陈静")
    lecturer = as_user(lecturer_user)
    lecturer.put(f"{UNI_TEACHERS}/me", json={"majors_taught": ["e-commerce"]})
    stay = {
        "enterprise_id": world["ent"].id,
        "starts_on": "2027-07-01",
        "ends_on": "2027-07-31",
        "hours": 160,
        "tasks": "直播运营",
    }
    s1 = lecturer.post(STAYS, json=stay).get_json()
    s2 = lecturer.post(STAYS, json={**stay, "starts_on": "2027-08-01", "ends_on": "2027-08-31"})
    world["ent_staff"].post(f"{STAYS}/{s1['id']}/confirm", json={})
    world["ent_staff"].post(f"{STAYS}/{s2.get_json()['id']}/reject", json={"reason": "无岗位"})
    asked = events("practice_stay.confirmation_requested")[0]
    ent_staff = world["ent_staff"].get("/api/v1/auth/me").get_json()["id"]
    assert {ent_staff, world["teacher_user"].id} <= recipients(asked)
    assert lecturer_user.id not in recipients(asked)
    for kind in ("confirmed", "rejected"):
        [ev] = events(f"practice_stay.{kind}")
        assert recipients(ev) == {lecturer_user.id}
    rejected = events("practice_stay.rejected")[0]
    assert "无岗位" in render(spec_for("practice_stay.rejected").body["zh"], rejected.payload)
