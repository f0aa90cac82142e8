"""GET /api/v1/organizations and /api/v1/organizations/{id}: visibility, filters, pagination."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/organizations"


def _ids(resp) -> set[int]:
    assert resp.status_code == 200, resp.get_json()
    return {o["id"] for o in resp.get_json()["items"]}


@pytest.fixture
def orgs():
    """One organization in each status, plus a university."""
    return {
        "approved": factories.OrganizationFactory(
            name="广州星河贸易有限公司", name_en="Xinghe Trading"
        ),
        "pending": factories.OrganizationFactory(status="pending", name="待审企业"),
        "rejected": factories.OrganizationFactory(status="rejected", name="被拒企业"),
        "suspended": factories.OrganizationFactory(status="suspended", name="暂停企业"),
        "university": factories.UniversityFactory(name="华南跨境学院", district="panyu"),
    }


def test_anonymous_list_shows_only_approved(client, orgs):
    ids = _ids(client.get(URL, query_string={"per_page": 100}))
    assert orgs["approved"].id in ids
    assert orgs["university"].id in ids
    for hidden in ("pending", "rejected", "suspended"):
        assert orgs[hidden].id not in ids
    body = client.get(URL, query_string={"per_page": 100}).get_json()
    assert all(o["status"] == "approved" for o in body["items"])


def test_list_envelope_and_pagination(client):
    made = [factories.OrganizationFactory(district="nansha") for _ in range(5)]
    expected = sorted(o.id for o in made)
    first = client.get(URL, query_string={"district": "nansha", "per_page": 2}).get_json()
    assert set(first) == {"items", "total", "page", "per_page"}
    assert first["total"] == 5
    assert first["page"] == 1
    assert first["per_page"] == 2
    assert [o["id"] for o in first["items"]] == expected[:2]
    third = client.get(URL, query_string={"district": "nansha", "per_page": 2, "page": 3})
    assert [o["id"] for o in third.get_json()["items"]] == expected[4:]
    beyond = client.get(URL, query_string={"district": "nansha", "per_page": 2, "page": 9})
    assert beyond.get_json()["items"] == []
    assert beyond.get_json()["total"] == 5
    default = client.get(URL).get_json()
    assert default["page"] == 1
    assert default["per_page"] == 20


@pytest.mark.parametrize(
    "query", [{"per_page": 101}, {"per_page": 0}, {"page": 0}, {"page": "x"}, {"kind": "club"}]
)
def test_bad_list_arguments_are_422(client, query):
    errors = validation_errors(client.get(URL, query_string=query))
    assert set(errors) <= set(query)
    assert errors


def test_per_page_100_is_allowed(client):
    assert client.get(URL, query_string={"per_page": 100}).status_code == 200


def test_filter_kind_and_district(client, orgs):
    unis = client.get(URL, query_string={"kind": "university", "per_page": 100}).get_json()
    assert unis["items"]
    assert all(o["kind"] == "university" for o in unis["items"])
    assert orgs["university"].id in {o["id"] for o in unis["items"]}
    assert orgs["approved"].id not in {o["id"] for o in unis["items"]}
    conghua = factories.OrganizationFactory(district="conghua")
    ids = _ids(client.get(URL, query_string={"district": "conghua"}))
    assert ids == {conghua.id}
    both = _ids(client.get(URL, query_string={"district": "panyu", "kind": "enterprise"}))
    assert orgs["university"].id not in both


@pytest.mark.parametrize("q", ["星河", "广州星河", "xinghe", "XINGHE TRADING", "hE tRaD"])
def test_q_is_case_insensitive_substring_in_chinese_and_english(client, orgs, q):
    ids = _ids(client.get(URL, query_string={"q": q}))
    assert orgs["approved"].id in ids
    assert orgs["university"].id not in ids


def test_q_does_not_reveal_pending_and_treats_wildcards_literally(client, orgs):
    assert _ids(client.get(URL, query_string={"q": "待审"})) == set()
    assert _ids(client.get(URL, query_string={"q": "%"})) == set()
    assert _ids(client.get(URL, query_string={"q": "_"})) == set()
    pct = factories.OrganizationFactory(name="百分之百_100%跨境")
    assert _ids(client.get(URL, query_string={"q": "_100%"})) == {pct.id}


def test_non_coordinator_asking_for_pending_is_403(client, as_user, orgs):
    # Anonymous callers are told to log in (401); logged-in non-coordinators get 403.
    assert_problem(client.get(URL, query_string={"status": "pending"}), 401)
    admin = factories.member(orgs["pending"], "admin")
    assert_problem(as_user(admin).get(URL, query_string={"status": "pending"}), 403)


def test_coordinator_may_list_by_status(as_user, orgs):
    c = as_user(factories.CoordinatorFactory())
    for status in ("pending", "rejected", "suspended"):
        body = c.get(URL, query_string={"status": status, "per_page": 100}).get_json()
        assert orgs[status].id in {o["id"] for o in body["items"]}
        assert all(o["status"] == status for o in body["items"])
    approved = c.get(URL, query_string={"per_page": 100}).get_json()
    assert orgs["pending"].id not in {o["id"] for o in approved["items"]}


def test_get_approved_organization_is_public(client, orgs):
    org = orgs["approved"]
    resp = client.get(f"{URL}/{org.id}")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["id"] == org.id
    assert body["name"] == "广州星河贸易有限公司"
    assert body["uscc"] == org.uscc
    assert body["status"] == "approved"
    assert body["updated_at"].endswith("Z")


def test_get_university_has_majors(client, orgs):
    body = client.get(f"{URL}/{orgs['university'].id}").get_json()
    assert body["majors"] == [{"code": "e-commerce", "yearly_graduates": 300}]
    assert body["level"] == "undergraduate"


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_hidden_organization_is_404_to_anonymous_and_strangers(client, as_user, orgs, status):
    org = orgs[status]
    missing = client.get(f"{URL}/999999999").get_json()
    anon = client.get(f"{URL}/{org.id}")
    assert_problem(anon, 404)
    stranger = as_user(factories.UserFactory()).get(f"{URL}/{org.id}")
    assert_problem(stranger, 404)
    # Indistinguishable from a missing id.
    assert anon.get_json()["detail"] == missing["detail"]
    other_admin = factories.member(orgs["approved"], "admin")
    assert_problem(as_user(other_admin).get(f"{URL}/{org.id}"), 404)


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_pending_organization_visible_to_its_members(as_user, orgs, role):
    user = factories.member(orgs["pending"], role)
    resp = as_user(user).get(f"{URL}/{orgs['pending'].id}")
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "pending"


def test_pending_organization_visible_to_coordinators(as_user, orgs):
    c = as_user(factories.CoordinatorFactory())
    for status in ("pending", "rejected", "suspended"):
        resp = c.get(f"{URL}/{orgs[status].id}")
        assert resp.status_code == 200
        assert resp.get_json()["status"] == status


def test_unknown_organization_is_404(client):
    assert_problem(client.get(f"{URL}/987654321"), 404)
