"""The coordinator role given through a government body (issue 21): who may grant and take it
back, for whom, and what follows (audit, notifications, the role's powers)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import CoordinatorGrant
from tests import factories
from tests.helpers import assert_problem

URL = "/api/v1/organizations"


def _url(org, user) -> str:
    return f"{URL}/{org.id}/members/{user.id}/coordinator"


def _gov(**kw):
    return factories.OrganizationFactory(
        kind="government", uscc=None, size=None, platforms=None, **kw
    )


@pytest.fixture
def bureau():
    """An approved government body: an admin and two staff."""
    org = _gov(name="广州市商务局")
    return {
        "org": org,
        "admin": factories.member(org, "admin"),
        "staff": factories.member(org, "staff", name="李科长 Li"),
        "staff2": factories.member(org, "staff"),
    }


def _role(c) -> str:
    return c.get("/api/v1/auth/me").get_json()["platform_role"]


def _refused(resp, status: int) -> None:
    body = assert_problem(resp, status)
    assert "platform_role" not in body


def test_a_government_admin_makes_its_staff_a_coordinator(as_user, bureau, coord):
    admin, staff = as_user(bureau["admin"]), as_user(bureau["staff"])
    pending = factories.OrganizationFactory(status="pending")
    assert_problem(staff.post(f"{URL}/{pending.id}/approve", json={}), 403)
    resp = admin.post(_url(bureau["org"], bureau["staff"]))
    assert resp.status_code == 200, resp.get_json()
    got = resp.get_json()
    assert (got["user_id"], got["role"], got["platform_role"]) == (
        bureau["staff"].id,
        "staff",
        "coordinator",
    )
    # The role's powers at once, for the same login: it approves organizations now.
    assert _role(staff) == "coordinator"
    assert staff.post(f"{URL}/{pending.id}/approve", json={}).status_code == 200
    # Audited against the body, with the member and the change.
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "coordinator_granted")
    ).one()
    assert (entry.actor_id, entry.organization_id) == (bureau["admin"].id, bureau["org"].id)
    assert entry.changes["platform_role"] == {"from": "user", "to": "coordinator"}
    assert entry.changes["user_id"] == bureau["staff"].id
    # The member and every coordinator hear of it; the other staff do not.
    inbox = staff.get("/api/v1/notifications").get_json()["items"]
    assert [n["title"] for n in inbox] == ["李科长 Li获得了平台协调员角色"]
    assert coord.get("/api/v1/notifications").get_json()["total"] == 1
    assert as_user(bureau["staff2"]).get("/api/v1/notifications").get_json()["total"] == 0
    # The members list shows who is a coordinator.
    listed = {
        m["user_id"]: m["platform_role"]
        for m in admin.get(f"{URL}/{bureau['org'].id}/members").get_json()["items"]
    }
    assert listed[bureau["staff"].id] == "coordinator"
    assert listed[bureau["staff2"].id] == "user"


def test_granting_twice_changes_nothing(as_user, bureau):
    admin = as_user(bureau["admin"])
    assert admin.post(_url(bureau["org"], bureau["staff"])).status_code == 200
    again = admin.post(_url(bureau["org"], bureau["staff"]))
    assert again.status_code == 200
    assert again.get_json()["platform_role"] == "coordinator"
    count = sa.select(sa.func.count()).select_from(AuditEntry)
    assert db.session.scalar(count.where(AuditEntry.action == "coordinator_granted")) == 1


def test_an_admin_may_make_itself_a_coordinator(as_user, bureau):
    resp = as_user(bureau["admin"]).post(_url(bureau["org"], bureau["admin"]))
    assert resp.get_json()["platform_role"] == "coordinator"


@pytest.mark.parametrize(
    "who",
    [
        "the body's staff",
        "another body's admin",
        "a pending body's admin",
        "an association's admin",
        "an enterprise admin",
        "a university admin",
        "a student",
    ],
)
def test_no_one_else_grants(as_user, bureau, who):
    uni = factories.UniversityFactory()
    caller = {
        "the body's staff": bureau["staff2"],
        "another body's admin": factories.member(_gov(), "admin"),
        "a pending body's admin": factories.member(_gov(status="pending"), "admin"),
        "an association's admin": factories.member(
            factories.OrganizationFactory(kind="association", uscc=None), "admin"
        ),
        "an enterprise admin": factories.member(factories.OrganizationFactory(), "admin"),
        "a university admin": factories.member(uni, "admin"),
        "a student": factories.member(uni, "student"),
    }[who]
    c = as_user(caller)
    _refused(c.post(_url(bureau["org"], bureau["staff"])), 403)
    _refused(c.delete(_url(bureau["org"], bureau["staff"])), 403)
    assert _role(as_user(bureau["staff"])) == "user"


def test_a_pending_body_admin_cannot_grant_its_own_staff(as_user):
    pending = _gov(status="pending")
    admin, staff = factories.member(pending, "admin"), factories.member(pending, "staff")
    _refused(as_user(admin).post(_url(pending, staff)), 403)


def test_an_enterprise_admin_cannot_make_its_staff_coordinators(as_user):
    ent = factories.OrganizationFactory()
    admin, staff = factories.member(ent, "admin"), factories.member(ent, "staff")
    _refused(as_user(admin).post(_url(ent, staff)), 403)


def test_only_the_body_s_own_members(as_user, bureau, coord):
    outsider = factories.member(factories.OrganizationFactory(), "staff")
    admin = as_user(bureau["admin"])
    _refused(admin.post(_url(bureau["org"], outsider)), 404)
    _refused(admin.post(f"{URL}/{bureau['org'].id}/members/999999/coordinator"), 404)
    _refused(admin.post(f"{URL}/999999/members/{bureau['staff'].id}/coordinator"), 404)
    # An enterprise's member, even for a coordinator: the role is the government's.
    _refused(coord.post(_url(factories.OrganizationFactory(), outsider)), 403)
    # A pending organization is invisible to outsiders (404), a pending body's member waits
    # for its approval (409, for a coordinator).
    pending = _gov(status="pending")
    member = factories.member(pending, "staff")
    _refused(admin.post(_url(pending, member)), 404)
    _refused(coord.post(_url(pending, member)), 409)


@pytest.mark.parametrize(
    "url",
    [
        f"{URL}/abc/members/1/coordinator",
        f"{URL}/1/members/x/coordinator",
        f"{URL}/{2**40}/members/1/coordinator",
        f"{URL}/-1/members/1/coordinator",
    ],
)
def test_bad_ids(as_user, bureau, url):
    _refused(as_user(bureau["admin"]).post(url), 404)


def test_the_anonymous_log_in_first(client, bureau):
    _refused(client.post(_url(bureau["org"], bureau["staff"])), 401)
    _refused(client.delete(_url(bureau["org"], bureau["staff"])), 401)


def test_a_coordinator_grants_and_revokes_for_any_body(coord, as_user, bureau):
    assert coord.post(_url(bureau["org"], bureau["staff"])).status_code == 200
    resp = coord.delete(_url(bureau["org"], bureau["staff"]))
    assert resp.status_code == 200
    assert resp.get_json()["platform_role"] == "user"
    assert db.session.get(CoordinatorGrant, bureau["staff"].id) is None
    actions = db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.action.like("coordinator_%"))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["coordinator_granted", "coordinator_revoked"]
    assert _role(as_user(bureau["staff"])) == "user"


def test_the_body_takes_back_what_it_gave_and_nothing_else(coord, as_user, bureau):
    admin = as_user(bureau["admin"])
    admin.post(_url(bureau["org"], bureau["staff"]))
    # The platform's coordinator (from the command line), a member of the body too.
    factories.MembershipFactory(user=coord.user, organization=bureau["org"], role="staff")
    _refused(admin.delete(_url(bureau["org"], coord.user)), 403)
    # Nor may a coordinator the body made demote the platform's own.
    assert _role(as_user(bureau["staff"])) == "coordinator"
    _refused(as_user(bureau["staff"]).delete(_url(bureau["org"], coord.user)), 403)
    _refused(coord.delete(_url(bureau["org"], coord.user)), 403)
    assert _role(coord) == "coordinator"
    # Another body's grant is not this body's to take back either.
    other = _gov()
    other_admin = factories.member(other, "admin")
    factories.MembershipFactory(user=bureau["staff2"], organization=other, role="staff")
    as_user(other_admin).post(_url(other, bureau["staff2"]))
    _refused(admin.delete(_url(bureau["org"], bureau["staff2"])), 403)
    # Its own grant it takes back; one not a coordinator stays as they are.
    resp = admin.delete(_url(bureau["org"], bureau["staff"]))
    assert (resp.status_code, resp.get_json()["platform_role"]) == (200, "user")
    again = admin.delete(_url(bureau["org"], bureau["staff"]))
    assert (again.status_code, again.get_json()["platform_role"]) == (200, "user")
    titles = [
        n["title"]
        for n in as_user(bureau["staff"]).get("/api/v1/notifications").get_json()["items"]
    ]
    assert "李科长 Li的平台协调员角色已被收回" in titles


def test_the_last_coordinator_keeps_the_role(as_user, bureau):
    # No coordinator but the one the body makes: it cannot lose the role.
    admin = as_user(bureau["admin"])
    admin.post(_url(bureau["org"], bureau["staff"]))
    problem = assert_problem(admin.delete(_url(bureau["org"], bureau["staff"])), 409)
    assert "last coordinator" in problem["detail"]
    # Nor does it go by leaving the body: the leaving is refused with it, and undone.
    staff = as_user(bureau["staff"])
    leave = f"{URL}/{bureau['org'].id}/members/{bureau['staff'].id}"
    assert "last coordinator" in assert_problem(staff.delete(leave), 409)["detail"]
    assert _role(staff) == "coordinator"
    assert bureau["org"].id in {
        m["organization_id"] for m in staff.get("/api/v1/auth/me").get_json()["memberships"]
    }


def test_leaving_the_body_gives_the_role_back(as_user, bureau, coord):
    admin = as_user(bureau["admin"])
    admin.post(_url(bureau["org"], bureau["staff"]))
    admin.post(_url(bureau["org"], bureau["staff2"]))
    assert admin.delete(f"{URL}/{bureau['org'].id}/members/{bureau['staff'].id}").status_code == 204
    staff2 = as_user(bureau["staff2"])
    assert (
        staff2.delete(f"{URL}/{bureau['org'].id}/members/{bureau['staff2'].id}").status_code == 204
    )
    assert _role(as_user(bureau["staff"])) == "user"
    assert _role(staff2) == "user"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CoordinatorGrant)) == 0
    # The platform's coordinator, a member who leaves, stays the platform's coordinator.
    factories.MembershipFactory(user=coord.user, organization=bureau["org"], role="staff")
    assert coord.delete(f"{URL}/{bureau['org'].id}/members/{coord.user.id}").status_code == 204
    assert _role(coord) == "coordinator"
