"""GET /api/v1/audit-log: who sees which entries, filters, the entry shape."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.organizations.helpers import enterprise_body

URL = "/api/v1/audit-log"
ORGS = "/api/v1/organizations"


def _entries(c, **query) -> list[dict]:
    resp = c.get(URL, query_string={"per_page": 100, **query})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["items"]


@pytest.fixture
def world(as_user, coord):
    """Two enterprises with admins who each made changes, plus a taxonomy edit."""
    a = factories.OrganizationFactory(name="甲公司")
    b = factories.OrganizationFactory(name="乙公司")
    admin_a = factories.member(a, "admin")
    admin_b = factories.member(b, "admin")
    staff_a = factories.member(a, "staff")
    ca, cb = as_user(admin_a), as_user(admin_b)
    probe = f"audit-probe-{uuid.uuid4().hex[:12]}"
    responses = [
        ca.patch(f"{ORGS}/{a.id}", json={"description": "甲的新介绍"}),
        cb.patch(f"{ORGS}/{b.id}", json={"description": "乙的新介绍"}),
        cb.post(f"{ORGS}/{b.id}/invitations", json={"email": "b@example.cn", "role": "staff"}),
        coord.post(f"{ORGS}/{b.id}/suspend", json={"reason": "检查"}),
        coord.post(
            "/api/v1/taxonomy/competencies",
            json={"code": probe, "name_en": "Probe", "name_zh": "探针"},
        ),
    ]
    assert [r.status_code for r in responses] == [200, 200, 201, 200, 201]
    return {
        "a": a,
        "b": b,
        "admin_a": admin_a,
        "admin_b": admin_b,
        "staff_a": staff_a,
        "ca": ca,
        "probe": probe,
    }


def test_coordinator_sees_all_entries(coord, world):
    entries = _entries(coord)
    orgs = {e["organization_id"] for e in entries}
    assert {world["a"].id, world["b"].id, None} <= orgs
    actions = {(e["organization_id"], e["action"]) for e in entries}
    assert (world["a"].id, "update") in actions
    assert (world["b"].id, "invite") in actions
    assert (world["b"].id, "suspend") in actions
    assert (None, "create") in actions  # the taxonomy item


def test_entry_shape(coord, world):
    (entry,) = _entries(coord, organization_id=world["a"].id, action="update")
    assert set(entry) >= {
        "actor_id",
        "organization_id",
        "object_type",
        "object_id",
        "action",
        "changes",
        "created_at",
    }
    assert entry["actor_id"] == world["admin_a"].id
    assert entry["organization_id"] == world["a"].id
    assert entry["object_type"] == "organizations"
    assert entry["object_id"] == str(world["a"].id)
    assert entry["changes"] == {"description": {"from": None, "to": "甲的新介绍"}}
    assert entry["created_at"].endswith("Z")
    assert "+00:00" not in entry["created_at"]


def test_entries_are_newest_first(coord, world):
    entries = _entries(coord)
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids, reverse=True)
    times = [datetime.fromisoformat(e["created_at"].replace("Z", "+00:00")) for e in entries]
    assert times == sorted(times, reverse=True)


def test_org_admin_sees_only_their_orgs_entries(world):
    entries = _entries(world["ca"])
    assert entries, "the admin's own changes must be visible"
    assert {e["organization_id"] for e in entries} == {world["a"].id}
    assert world["b"].id not in {e["organization_id"] for e in entries}
    text = world["ca"].get(URL, query_string={"per_page": 100}).get_data(as_text=True)
    assert "乙的新介绍" not in text
    assert "b@example.cn" not in text
    assert world["probe"] not in text
    # Their own entries can be filtered.
    assert _entries(world["ca"], organization_id=world["a"].id) == entries


def test_org_admin_filtering_another_org_is_403(world):
    resp = world["ca"].get(URL, query_string={"organization_id": world["b"].id})
    body = assert_problem(resp, 403)
    assert "items" not in body


def test_admin_of_two_orgs_sees_both(as_user, coord, world):
    both = factories.UserFactory()
    factories.MembershipFactory(user=both, organization=world["a"], role="admin")
    factories.MembershipFactory(user=both, organization=world["b"], role="admin")
    orgs = {e["organization_id"] for e in _entries(as_user(both))}
    assert orgs == {world["a"].id, world["b"].id}


def test_admin_does_not_see_orgs_where_they_are_only_staff(as_user, world):
    user = factories.UserFactory()
    factories.MembershipFactory(user=user, organization=world["a"], role="admin")
    factories.MembershipFactory(user=user, organization=world["b"], role="staff")
    c = as_user(user)
    assert {e["organization_id"] for e in _entries(c)} == {world["a"].id}
    assert_problem(c.get(URL, query_string={"organization_id": world["b"].id}), 403)


def test_staff_and_plain_users_are_403(as_user, world):
    assert_problem(as_user(world["staff_a"]).get(URL), 403)
    assert_problem(as_user(factories.UserFactory()).get(URL), 403)


def test_anonymous_is_401(client):
    assert_problem(client.get(URL), 401)


def test_filters(coord, world):
    by_actor = _entries(coord, actor_id=world["admin_b"].id)
    assert by_actor
    assert all(e["actor_id"] == world["admin_b"].id for e in by_actor)
    assert {e["action"] for e in by_actor} == {"update", "invite"}
    invites = _entries(coord, object_type="invitations", organization_id=world["b"].id)
    assert [e["action"] for e in invites] == ["invite"]
    one = _entries(coord, object_type="organizations", object_id=str(world["b"].id))
    assert {e["action"] for e in one} == {"update", "suspend"}
    assert _entries(coord, action="no-such-action") == []


def test_pagination(coord, world):
    resp = coord.get(URL, query_string={"per_page": 2, "page": 1})
    body = resp.get_json()
    assert body["per_page"] == 2
    assert body["page"] == 1
    assert len(body["items"]) == 2
    assert body["total"] >= 5
    assert "per_page" in validation_errors(coord.get(URL, query_string={"per_page": 101}))
    assert "organization_id" in validation_errors(
        coord.get(URL, query_string={"organization_id": "x"})
    )


def test_creation_and_membership_changes_are_audited(as_user, coord):
    creator = factories.UserFactory()
    c = as_user(creator)
    org_id = c.post(ORGS, json=enterprise_body()).get_json()["id"]
    # The creator is admin of a pending org and may read its log.
    (created,) = _entries(c, action="create")
    assert created["organization_id"] == org_id
    assert created["actor_id"] == creator.id
    assert created["changes"]["kind"] == "enterprise"
    body = c.post(
        f"{ORGS}/{org_id}/invitations", json={"email": "joiner@example.cn", "role": "staff"}
    ).get_json()
    joiner = factories.UserFactory(email="joiner@example.cn")
    assert as_user(joiner).post(f"/api/v1/invitations/{body['token']}/accept").status_code == 201
    actions = [e["action"] for e in _entries(c)]
    assert actions[:3] == ["accept_invitation", "invite", "create"]
    accepted = _entries(coord, organization_id=org_id, action="accept_invitation")[0]
    assert accepted["actor_id"] == joiner.id
    assert accepted["object_type"] == "memberships"
