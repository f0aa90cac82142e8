"""A student's match-round preferences through the console: ranked by place, saved through
the matching service, refused when places repeat, after the closing time, or to others."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.matching.models import MatchRound, Preference
from tests import factories
from tests.console.conftest import text_of
from tests.internships.factories import InternshipFactory
from tests.students.factories import student


@pytest.fixture
def setting(coord):
    enterprise = factories.OrganizationFactory()
    a = InternshipFactory(enterprise_id=enterprise.id, title="亚马逊运营实习生")
    b = InternshipFactory(enterprise_id=enterprise.id, title="TikTok 直播助理")
    c = InternshipFactory(enterprise_id=enterprise.id, title="跨境物流专员")
    me = student()
    db.session.commit()
    resp = coord.post(
        "/api/v1/match-rounds",
        json={
            "name": "2027 春季实习匹配",
            "internship_ids": [a.id, b.id, c.id],
            "preferences_close_at": (utcnow() + timedelta(days=1)).isoformat(),
            "seed": 7,
        },
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"], me, (a, b, c)


def _choices(round_id: int, user_id: int):
    pref = db.session.get(Preference, (round_id, user_id))
    if pref is None:
        return None
    db.session.refresh(pref)
    return pref.internship_ids


def test_the_student_ranks_internships_by_place(as_user, setting):
    round_id, me, (a, b, c) = setting
    client = as_user(me)
    listed = client.get("/console/student/rounds")
    assert listed.status_code == 200
    assert "2027 春季实习匹配" in text_of(listed)
    page = client.get(f"/console/student/rounds/{round_id}")
    assert page.status_code == 200
    assert "TikTok 直播助理" in text_of(page)
    resp = client.post(
        f"/console/student/rounds/{round_id}",
        data={f"rank-{c.id}": "1", f"rank-{a.id}": "2"},
    )
    assert resp.status_code == 303
    assert _choices(round_id, me.id) == [c.id, a.id]
    shown = client.get(f"/console/student/rounds/{round_id}")
    assert 'value="1" selected' in shown.get_data(as_text=True)
    # Nothing ranked: the preferences are withdrawn.
    assert client.post(f"/console/student/rounds/{round_id}", data={}).status_code == 303
    assert _choices(round_id, me.id) is None


def test_a_place_given_twice_names_the_field_and_stores_nothing(as_user, setting):
    round_id, me, (a, b, _c) = setting
    resp = as_user(me).post(
        f"/console/student/rounds/{round_id}", data={f"rank-{a.id}": "1", f"rank-{b.id}": "1"}
    )
    assert resp.status_code == 422
    assert f'id="e-rank-{b.id}"' in resp.get_data(as_text=True)
    assert _choices(round_id, me.id) is None


def test_after_the_closing_time_the_services_409_is_shown(as_user, setting):
    round_id, me, (a, _b, _c) = setting
    db.session.execute(
        sa.update(MatchRound)
        .where(MatchRound.id == round_id)
        .values(preferences_close_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    resp = as_user(me).post(f"/console/student/rounds/{round_id}", data={f"rank-{a.id}": "1"})
    assert resp.status_code == 409
    assert "flash error" in resp.get_data(as_text=True)
    assert _choices(round_id, me.id) is None


def test_rounds_are_refused_to_staff_and_anonymous_users(as_user, client, setting):
    round_id, _me, _postings = setting
    staff = factories.member(factories.UniversityFactory(), "staff")
    db.session.commit()
    assert as_user(staff).get(f"/console/student/rounds/{round_id}").status_code == 403
    resp = client.get(f"/console/student/rounds/{round_id}")
    assert resp.status_code == 302
    assert "/console/login" in resp.headers["Location"]
    assert as_user(student()).get("/console/student/rounds/999999").status_code == 404
