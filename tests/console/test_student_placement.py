"""A student's placement through the console: the placements list, one placement's days
(check in and out) and weekly logs (written in Chinese; a future week refused with the
service's words); refused to other students, staff and anonymous users."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.placements import attendance
from cbec_alliance.placements.records_models import CheckIn, WeeklyLog
from tests.console.conftest import text_of
from tests.placements.records_factories import MONDAY, local, running
from tests.students.factories import student

LOG = "本周完成了亚马逊店铺的商品上架，学会了关键词优化。"


@pytest.fixture
def run(app, monkeypatch):
    # Ten days into March 2027, at ten in the morning in Guangzhou.
    monkeypatch.setattr(attendance, "clock", lambda: local(MONDAY + timedelta(days=9), 10))
    with app.app_context():  # a context of its own: the requests must not share its `g`
        r = running()
        db.session.commit()
        return r


def test_the_student_sees_the_placement_checks_in_and_writes_a_log(as_user, run):
    c = as_user(run.student)
    listed = c.get("/console/student/placements")
    assert listed.status_code == 200
    url = f"/console/student/placements/{run.placement.id}"
    assert url in listed.get_data(as_text=True)
    assert c.get(url).status_code == 200
    assert c.post(f"{url}/check", data={"action": "in"}).status_code == 303
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(CheckIn.placement_id == run.placement.id)
        )
        == 1
    )
    # Twice the same day: the service's refusal is flashed, nothing more is stored.
    assert c.post(f"{url}/check", data={"action": "in"}).status_code == 303
    assert "flash error" in c.get(url).get_data(as_text=True)
    resp = c.post(
        f"{url}/logs",
        data={
            "week": str(MONDAY + timedelta(days=7)),
            "hours": "38.5",
            "text": LOG,
            "competencies": ["platform-operation", "data-analysis"],
        },
    )
    assert resp.status_code == 303
    log = db.session.scalars(
        sa.select(WeeklyLog).where(WeeklyLog.placement_id == run.placement.id)
    ).one()
    assert log.text == LOG
    assert sorted(log.competencies) == ["data-analysis", "platform-operation"]
    assert LOG in text_of(c.get(url))


def test_bad_logs_name_the_field_and_store_nothing(as_user, run):
    c = as_user(run.student)
    url = f"/console/student/placements/{run.placement.id}/logs"
    resp = c.post(url, data={"week": "2027-03-08", "hours": "200", "text": LOG})
    assert resp.status_code == 422
    assert 'id="e-hours"' in resp.get_data(as_text=True)
    future = c.post(url, data={"week": "2027-04-05", "hours": "30", "text": LOG})
    assert future.status_code == 422
    assert 'id="e-week"' in future.get_data(as_text=True)
    bad_action = c.post(f"/console/student/placements/{run.placement.id}/check", data={})
    assert bad_action.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WeeklyLog)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_the_placement_is_refused_to_others(as_user, client, run):
    url = f"/console/student/placements/{run.placement.id}"
    other = as_user(student())
    assert other.get(url).status_code == 404
    assert other.post(f"{url}/check", data={"action": "in"}).status_code == 404
    assert LOG not in other.get("/console/student/placements").get_data(as_text=True)
    assert as_user(run.university_staff).get(url).status_code == 403
    resp = client.get(url)
    assert resp.status_code == 302
    assert "/console/login" in resp.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0
