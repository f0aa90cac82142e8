"""PATCH /api/v1/organizations/{id} and the approve / reject / suspend lifecycle."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.organizations.helpers import enterprise_body

URL = "/api/v1/organizations"


def _audit(coordinator_client, org_id: int, action: str) -> list[dict]:
    resp = coordinator_client.get(
        "/api/v1/audit-log",
        query_string={"organization_id": org_id, "action": action, "per_page": 100},
    )
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["items"]


# --- PATCH ---------------------------------------------------------------------------------


def test_admin_patches_and_audit_entry_is_written(as_user, coord):
    org = factories.OrganizationFactory(description="旧的介绍")
    admin = factories.member(org, "admin")
    resp = as_user(admin).patch(
        f"{URL}/{org.id}",
        json={"description": "新的介绍：专注东南亚市场", "platforms": ["shopee", "lazada"]},
    )
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["description"] == "新的介绍：专注东南亚市场"
    assert body["platforms"] == ["shopee", "lazada"]
    again = coord.get(f"{URL}/{org.id}").get_json()
    assert again["description"] == "新的介绍：专注东南亚市场"
    (entry,) = _audit(coord, org.id, "update")
    assert entry["actor_id"] == admin.id
    assert entry["object_type"] == "organizations"
    assert entry["object_id"] == str(org.id)
    assert entry["changes"]["description"] == {"from": "旧的介绍", "to": "新的介绍：专注东南亚市场"}
    assert entry["changes"]["platforms"] == {"from": ["amazon"], "to": ["shopee", "lazada"]}


def test_patch_without_changes_writes_no_audit_entry(as_user, coord):
    org = factories.OrganizationFactory()
    admin = factories.member(org, "admin")
    resp = as_user(admin).patch(f"{URL}/{org.id}", json={"district": org.district})
    assert resp.status_code == 200
    assert _audit(coord, org.id, "update") == []


def test_university_admin_replaces_majors(as_user, coord):
    uni = factories.UniversityFactory()
    admin = factories.member(uni, "admin")
    majors = [
        {"code": "marketing", "yearly_graduates": 80},
        {"code": "e-commerce", "yearly_graduates": 350},
    ]
    resp = as_user(admin).patch(f"{URL}/{uni.id}", json={"majors": majors})
    assert resp.status_code == 200, resp.get_json()
    assert sorted(resp.get_json()["majors"], key=lambda m: m["code"]) == sorted(
        majors, key=lambda m: m["code"]
    )
    (entry,) = _audit(coord, uni.id, "update")
    assert entry["changes"]["majors"]["to"] == {"marketing": 80, "e-commerce": 350}


def test_patch_by_staff_is_403(as_user):
    org = factories.OrganizationFactory()
    staff = factories.member(org, "staff")
    c = as_user(staff)
    assert_problem(c.patch(f"{URL}/{org.id}", json={"name": "改名"}), 403)
    assert c.get(f"{URL}/{org.id}").get_json()["name"] == org.name != "改名"


def test_patch_by_other_orgs_admin_is_403(as_user):
    org = factories.OrganizationFactory()
    other_admin = factories.member(factories.OrganizationFactory(), "admin")
    assert_problem(as_user(other_admin).patch(f"{URL}/{org.id}", json={"name": "改名"}), 403)


def test_patch_by_coordinator_who_is_not_admin_is_403(coord):
    org = factories.OrganizationFactory()
    assert_problem(coord.patch(f"{URL}/{org.id}", json={"name": "改名"}), 403)


def test_patch_anonymous_is_401(client):
    org = factories.OrganizationFactory()
    assert_problem(client.patch(f"{URL}/{org.id}", json={"name": "改名"}), 401)


def test_patch_pending_org_of_stranger_is_404(as_user):
    org = factories.OrganizationFactory(status="pending")
    stranger = factories.member(factories.OrganizationFactory(), "admin")
    assert_problem(as_user(stranger).patch(f"{URL}/{org.id}", json={"name": "x"}), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "university"}, "kind"),
        ({"uscc": "91350100M000100Y44"}, "uscc"),
        ({"uscc": None}, "uscc"),
        ({"size": None}, "size"),
        ({"district": "beijing"}, "district"),
        ({"school_code": "4144010559"}, "school_code"),
        ({"status": "approved"}, "status"),
        ({"name": ""}, "name"),
    ],
)
def test_patch_validation(as_user, body, field):
    org = factories.OrganizationFactory()
    admin = factories.member(org, "admin")
    assert field in validation_errors(as_user(admin).patch(f"{URL}/{org.id}", json=body))


def test_patch_to_existing_uscc_is_409(as_user):
    taken = factories.OrganizationFactory()
    org = factories.OrganizationFactory()
    admin = factories.member(org, "admin")
    assert_problem(as_user(admin).patch(f"{URL}/{org.id}", json={"uscc": taken.uscc}), 409)
    # Re-sending its own code is not a conflict.
    assert as_user(admin).patch(f"{URL}/{org.id}", json={"uscc": org.uscc}).status_code == 200


# --- lifecycle -----------------------------------------------------------------------------


def test_created_org_is_approved_by_coordinator(as_user, coord):
    creator = as_user(factories.UserFactory())
    org_id = creator.post(URL, json=enterprise_body()).get_json()["id"]
    resp = coord.post(f"{URL}/{org_id}/approve", json={})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["status"] == "approved"
    # Now public.
    assert creator.application.test_client().get(f"{URL}/{org_id}").status_code == 200
    (entry,) = _audit(coord, org_id, "approve")
    assert entry["actor_id"] == coord.user.id
    assert entry["changes"]["status"] == {"from": "pending", "to": "approved"}


def test_approve_without_a_body(coord):
    org = factories.OrganizationFactory(status="pending")
    resp = coord.post(f"{URL}/{org.id}/approve")
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["status"] == "approved"


def test_reject_stores_reason(client, coord):
    org = factories.OrganizationFactory(status="pending")
    reason = "统一社会信用代码与营业执照不符"
    resp = coord.post(f"{URL}/{org.id}/reject", json={"reason": reason})
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "rejected"
    assert resp.get_json()["status_reason"] == reason
    assert coord.get(f"{URL}/{org.id}").get_json()["status_reason"] == reason
    (entry,) = _audit(coord, org.id, "reject")
    assert entry["changes"]["reason"] == reason
    assert_problem(client.get(f"{URL}/{org.id}"), 404)


def test_suspend_hides_from_public_and_approve_restores(client, coord):
    org = factories.OrganizationFactory()
    resp = coord.post(f"{URL}/{org.id}/suspend", json={"reason": "虚假招聘信息"})
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "suspended"
    assert resp.get_json()["status_reason"] == "虚假招聘信息"
    assert_problem(client.get(f"{URL}/{org.id}"), 404)
    assert coord.post(f"{URL}/{org.id}/approve", json={}).get_json()["status"] == "approved"
    assert client.get(f"{URL}/{org.id}").status_code == 200


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        ("approved", "approve", ["suspend"]),
        ("approved", "reject", ["suspend"]),
        ("pending", "suspend", ["approve", "reject"]),
        ("rejected", "reject", ["approve"]),
        ("rejected", "suspend", ["approve"]),
        ("suspended", "suspend", ["approve"]),
        ("suspended", "reject", ["approve"]),
    ],
)
def test_wrong_step_is_409_naming_allowed_steps(coord, status, action, allowed):
    org = factories.OrganizationFactory(status=status)
    body = assert_problem(coord.post(f"{URL}/{org.id}/{action}", json={}), 409)
    for step in allowed:
        assert step in body["detail"]
    for step in {"approve", "reject", "suspend"} - set(allowed):
        assert f"steps: {step}" not in body["detail"]
        assert f", {step}" not in body["detail"]
    assert coord.get(f"{URL}/{org.id}").get_json()["status"] == status


@pytest.mark.parametrize("action", ["approve", "reject", "suspend"])
def test_lifecycle_is_coordinator_only(client, as_user, action):
    org = factories.OrganizationFactory(status="pending" if action != "suspend" else "approved")
    admin = factories.member(org, "admin")
    assert_problem(as_user(admin).post(f"{URL}/{org.id}/{action}", json={}), 403)
    assert_problem(as_user(factories.UserFactory()).post(f"{URL}/{org.id}/{action}", json={}), 403)
    assert_problem(client.post(f"{URL}/{org.id}/{action}", json={}), 401)
    expected = "pending" if action != "suspend" else "approved"
    assert as_user(admin).get(f"{URL}/{org.id}").get_json()["status"] == expected


def test_lifecycle_on_unknown_org_is_404(coord):
    assert_problem(coord.post(f"{URL}/98765432/approve", json={}), 404)


def test_reason_too_long_is_422(coord):
    org = factories.OrganizationFactory(status="pending")
    assert "reason" in validation_errors(
        coord.post(f"{URL}/{org.id}/reject", json={"reason": "长" * 2001})
    )
