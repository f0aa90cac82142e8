"""Members of an organization: listing, roles, leaving and removal."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/organizations"


def _members(c, org_id: int) -> dict[int, str]:
    resp = c.get(f"{URL}/{org_id}/members", query_string={"per_page": 100})
    assert resp.status_code == 200, resp.get_json()
    return {m["user_id"]: m["role"] for m in resp.get_json()["items"]}


def _my_roles(c) -> dict[int, str]:
    return {
        m["organization_id"]: m["role"] for m in c.get("/api/v1/auth/me").get_json()["memberships"]
    }


@pytest.fixture
def team():
    """An approved enterprise with one admin and two staff."""
    org = factories.OrganizationFactory()
    return {
        "org": org,
        "admin": factories.member(org, "admin", name="管理员 王芳"),
        "staff": factories.member(org, "staff"),
        "staff2": factories.member(org, "staff"),
    }


# --- listing -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_members_see_the_member_list(as_user, team, who):
    resp = as_user(team[who]).get(f"{URL}/{team['org'].id}/members")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["total"] == 3
    assert body["page"] == 1
    by_id = {m["user_id"]: m for m in body["items"]}
    assert by_id[team["admin"].id]["role"] == "admin"
    assert by_id[team["admin"].id]["name"] == "管理员 王芳"
    assert by_id[team["admin"].id]["email"] == team["admin"].email
    assert by_id[team["staff"].id]["role"] == "staff"
    assert all(m["created_at"].endswith("Z") for m in body["items"])


def test_coordinator_sees_members_of_any_org(coord, team):
    assert set(_members(coord, team["org"].id)) == {
        team["admin"].id,
        team["staff"].id,
        team["staff2"].id,
    }
    pending = factories.OrganizationFactory(status="pending")
    admin = factories.member(pending, "admin")
    assert _members(coord, pending.id) == {admin.id: "admin"}


def test_other_orgs_member_cannot_list_members(as_user, team):
    outsider = factories.member(factories.OrganizationFactory(), "admin")
    resp = as_user(outsider).get(f"{URL}/{team['org'].id}/members")
    assert resp.status_code in (403, 404)
    assert "items" not in resp.get_json()
    assert team["admin"].email.encode() not in resp.data


def test_members_of_pending_org_are_404_to_strangers(as_user):
    pending = factories.OrganizationFactory(status="pending")
    factories.member(pending, "admin")
    assert_problem(as_user(factories.UserFactory()).get(f"{URL}/{pending.id}/members"), 404)


def test_anonymous_cannot_list_members(client, team):
    assert_problem(client.get(f"{URL}/{team['org'].id}/members"), 401)


# --- roles ---------------------------------------------------------------------------------


def test_admin_promotes_staff(as_user, coord, team):
    c = as_user(team["admin"])
    resp = c.patch(f"{URL}/{team['org'].id}/members/{team['staff'].id}", json={"role": "admin"})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["role"] == "admin"
    assert resp.get_json()["user_id"] == team["staff"].id
    assert _my_roles(as_user(team["staff"]))[team["org"].id] == "admin"
    entries = coord.get(
        "/api/v1/audit-log",
        query_string={"organization_id": team["org"].id, "action": "change_role"},
    ).get_json()["items"]
    assert entries[0]["changes"]["role"] == {"from": "staff", "to": "admin"}
    assert entries[0]["actor_id"] == team["admin"].id


def test_staff_cannot_change_roles(as_user, team):
    c = as_user(team["staff"])
    url = f"{URL}/{team['org'].id}/members/{team['staff'].id}"
    assert_problem(c.patch(url, json={"role": "admin"}), 403)
    assert _members(c, team["org"].id)[team["staff"].id] == "staff"


def test_coordinator_who_is_not_admin_cannot_change_roles(coord, team):
    url = f"{URL}/{team['org'].id}/members/{team['staff'].id}"
    assert_problem(coord.patch(url, json={"role": "admin"}), 403)


def test_other_orgs_admin_cannot_change_roles(as_user, team):
    outsider = factories.member(factories.OrganizationFactory(), "admin")
    url = f"{URL}/{team['org'].id}/members/{team['staff'].id}"
    assert as_user(outsider).patch(url, json={"role": "admin"}).status_code in (403, 404)
    assert _members(as_user(team["admin"]), team["org"].id)[team["staff"].id] == "staff"


def test_student_role_only_in_universities(as_user, team):
    c = as_user(team["admin"])
    url = f"{URL}/{team['org'].id}/members/{team['staff'].id}"
    assert "role" in validation_errors(c.patch(url, json={"role": "student"}))
    uni = factories.UniversityFactory()
    uni_admin = factories.member(uni, "admin")
    person = factories.member(uni, "staff")
    resp = as_user(uni_admin).patch(f"{URL}/{uni.id}/members/{person.id}", json={"role": "student"})
    assert resp.status_code == 200
    assert resp.get_json()["role"] == "student"


@pytest.mark.parametrize("role", ["owner", "", None])
def test_unknown_role_is_422(as_user, team, role):
    url = f"{URL}/{team['org'].id}/members/{team['staff'].id}"
    assert "role" in validation_errors(as_user(team["admin"]).patch(url, json={"role": role}))


def test_changing_role_of_non_member_is_404(as_user, team):
    stranger = factories.UserFactory()
    url = f"{URL}/{team['org'].id}/members/{stranger.id}"
    assert_problem(as_user(team["admin"]).patch(url, json={"role": "staff"}), 404)


def test_last_admin_cannot_be_demoted(as_user, team):
    c = as_user(team["admin"])
    url = f"{URL}/{team['org'].id}/members/{team['admin'].id}"
    body = assert_problem(c.patch(url, json={"role": "staff"}), 409)
    assert "admin" in body["detail"]
    assert _my_roles(c)[team["org"].id] == "admin"


def test_admin_can_step_down_when_another_admin_exists(as_user, team):
    c = as_user(team["admin"])
    org_id = team["org"].id
    assert (
        c.patch(f"{URL}/{org_id}/members/{team['staff'].id}", json={"role": "admin"}).status_code
        == 200
    )
    resp = c.patch(f"{URL}/{org_id}/members/{team['admin'].id}", json={"role": "staff"})
    assert resp.status_code == 200
    # Now the promoted one is the last admin.
    other = as_user(team["staff"])
    assert_problem(
        other.patch(f"{URL}/{org_id}/members/{team['staff'].id}", json={"role": "staff"}), 409
    )


# --- leaving and removal -------------------------------------------------------------------


def test_member_can_leave(as_user, team):
    c = as_user(team["staff"])
    resp = c.delete(f"{URL}/{team['org'].id}/members/{team['staff'].id}")
    assert resp.status_code == 204
    assert team["org"].id not in _my_roles(c)
    assert team["staff"].id not in _members(as_user(team["admin"]), team["org"].id)


def test_last_admin_cannot_leave(as_user, team):
    c = as_user(team["admin"])
    body = assert_problem(c.delete(f"{URL}/{team['org'].id}/members/{team['admin'].id}"), 409)
    assert "admin" in body["detail"]
    assert _my_roles(c)[team["org"].id] == "admin"


def test_admin_removes_staff(as_user, coord, team):
    c = as_user(team["admin"])
    assert c.delete(f"{URL}/{team['org'].id}/members/{team['staff'].id}").status_code == 204
    assert set(_members(c, team["org"].id)) == {team["admin"].id, team["staff2"].id}
    entries = coord.get(
        "/api/v1/audit-log", query_string={"organization_id": team["org"].id, "action": "remove"}
    ).get_json()["items"]
    assert len(entries) == 1
    assert entries[0]["changes"]["user_id"] == team["staff"].id


def test_staff_cannot_remove_others(as_user, team):
    c = as_user(team["staff"])
    assert_problem(c.delete(f"{URL}/{team['org'].id}/members/{team['staff2'].id}"), 403)
    assert_problem(c.delete(f"{URL}/{team['org'].id}/members/{team['admin'].id}"), 403)
    assert set(_members(c, team["org"].id)) == {
        team["admin"].id,
        team["staff"].id,
        team["staff2"].id,
    }


def test_outsider_cannot_remove_or_leave(as_user, coord, team):
    outsider = factories.member(factories.OrganizationFactory(), "admin")
    c = as_user(outsider)
    assert c.delete(f"{URL}/{team['org'].id}/members/{team['staff'].id}").status_code in (403, 404)
    assert c.delete(f"{URL}/{team['org'].id}/members/{outsider.id}").status_code in (403, 404)
    assert coord.delete(f"{URL}/{team['org'].id}/members/{team['staff'].id}").status_code == 403
    assert team["staff"].id in _members(coord, team["org"].id)


def test_removing_non_member_is_404(as_user, team):
    stranger = factories.UserFactory()
    c = as_user(team["admin"])
    assert_problem(c.delete(f"{URL}/{team['org'].id}/members/{stranger.id}"), 404)


def test_anonymous_cannot_remove(client, team):
    assert_problem(client.delete(f"{URL}/{team['org'].id}/members/{team['staff'].id}"), 401)
