"""Hostile and odd input: out-of-range ids, NUL bytes, fractional counts, duplicates."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.organizations.helpers import enterprise_body, university_body

URL = "/api/v1/organizations"
HUGE = [2**31, 2**63, 10**30]


@pytest.fixture
def org_admin(as_user):
    org = factories.OrganizationFactory()
    admin = factories.member(org, "admin")
    return org, as_user(admin)


@pytest.mark.parametrize("big", HUGE)
def test_out_of_range_organization_id_is_404(client, coord, big):
    assert_problem(client.get(f"{URL}/{big}"), 404)
    assert_problem(coord.get(f"{URL}/{big}/members"), 404)
    assert_problem(coord.post(f"{URL}/{big}/approve", json={}), 404)


@pytest.mark.parametrize("big", HUGE)
def test_out_of_range_member_and_invitation_ids_are_404(org_admin, big):
    org, c = org_admin
    assert_problem(c.patch(f"{URL}/{org.id}/members/{big}", json={"role": "staff"}), 404)
    assert_problem(c.delete(f"{URL}/{org.id}/members/{big}"), 404)
    assert_problem(c.delete(f"{URL}/{org.id}/invitations/{big}"), 404)


@pytest.mark.parametrize("name", ["organization_id", "actor_id"])
@pytest.mark.parametrize("value", [2**31, 10**30, 0, -1])
def test_out_of_range_audit_filters_are_422(coord, name, value):
    errors = validation_errors(coord.get("/api/v1/audit-log", query_string={name: value}))
    assert name in errors


@pytest.mark.parametrize("name", ["q", "district"])
def test_nul_in_list_filters_is_422(client, name):
    errors = validation_errors(client.get(URL, query_string={name: "广州\x00"}))
    assert any(k.startswith(name) for k in errors)


def test_nul_in_name_is_422(as_user):
    c = as_user(factories.UserFactory())
    assert "name" in validation_errors(c.post(URL, json=enterprise_body(name="坏\x00名字")))


@pytest.mark.parametrize("value", [1.5, "12", True])
def test_yearly_graduates_must_be_a_whole_number(as_user, value):
    c = as_user(factories.UserFactory())
    majors = [{"code": "e-commerce", "yearly_graduates": value}]
    errors = validation_errors(c.post(URL, json=university_body(majors=majors)))
    assert "majors.0.yearly_graduates" in errors


def test_duplicate_platforms_are_422(org_admin):
    org, c = org_admin
    errors = validation_errors(c.patch(f"{URL}/{org.id}", json={"platforms": ["amazon", "amazon"]}))
    assert "platforms" in errors
    assert c.get(f"{URL}/{org.id}").get_json()["platforms"] == ["amazon"]


def test_platforms_may_be_emptied(org_admin):
    org, c = org_admin
    assert c.patch(f"{URL}/{org.id}", json={"platforms": []}).get_json()["platforms"] == []


@pytest.mark.parametrize("code", ["%00", "UPPER", "a%0A", "x" * 61])
def test_renaming_an_impossible_code_is_404(coord, code):
    resp = coord.patch(f"/api/v1/taxonomy/districts/{code}", json={"name_en": "X"})
    assert_problem(resp, 404)


def test_body_that_is_not_an_object_is_422(org_admin):
    org, c = org_admin
    assert validation_errors(c.patch(f"{URL}/{org.id}", json=["name", "x"]))


def test_body_over_2_mib_is_413(as_user):
    c = as_user(factories.UserFactory())
    body = enterprise_body(description="长" * (1024 * 1024))  # 3 MiB of UTF-8
    assert_problem(c.post(URL, json=body), 413)


def test_university_creation_audit_names_its_majors(as_user, coord):
    c = as_user(factories.UserFactory())
    org_id = c.post(URL, json=university_body()).get_json()["id"]
    log = coord.get(
        "/api/v1/audit-log", query_string={"organization_id": org_id, "action": "create"}
    ).get_json()
    (entry,) = log["items"]
    assert entry["changes"]["majors"] == {"e-commerce": 420, "foreign-languages": 120}
    assert entry["changes"]["school_code"].isdigit()


def test_verified_identifier_is_fixed_after_review(as_user):
    org = factories.OrganizationFactory()  # approved
    admin = as_user(factories.member(org, "admin"))
    resp = admin.patch(
        f"/api/v1/organizations/{org.id}", json={"uscc": factories.valid_uscc(987654)}
    )
    assert resp.status_code == 409
    assert "uscc" in resp.get_json()["detail"]
    # Sending the same value is no change and is fine.
    assert (
        admin.patch(f"/api/v1/organizations/{org.id}", json={"uscc": org.uscc}).status_code == 200
    )
    pending = factories.OrganizationFactory(status="pending")
    p_admin = as_user(factories.member(pending, "admin"))
    new = factories.valid_uscc(987655)
    resp = p_admin.patch(f"/api/v1/organizations/{pending.id}", json={"uscc": new})
    assert resp.status_code == 200
    assert resp.get_json()["uscc"] == new
