"""Policies: who adds and manages them, what a draft and a published policy may change,
who sees them, list filters, and bad input."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.policies.conftest import URL, applied, body, government, published


def test_a_draft_is_published_then_closed_by_its_government(scene, as_user):
    resp = scene.reviewer.post(URL, json=body(scene))
    assert resp.status_code == 201, resp.get_json()
    draft = resp.get_json()
    assert (draft["status"], draft["accepting"], draft["budget"]) == ("draft", False, "1000.00")
    pid = draft["id"]
    # A draft is hidden from everyone but its managers.
    assert_problem(scene.admin.get(f"{URL}/{pid}"), 404)
    assert scene.admin.get(URL).get_json()["total"] == 0
    changed = scene.gov_admin.patch(f"{URL}/{pid}", json={"title": "跨境电商补贴（修订）"})
    assert changed.get_json()["title"] == "跨境电商补贴（修订）"
    assert scene.reviewer.post(f"{URL}/{pid}/publish").get_json()["status"] == "published"
    seen = scene.admin.get(f"{URL}/{pid}").get_json()
    assert (seen["status"], seen["accepting"]) == ("published", True)
    # Published: the conditions are fixed, the budget may grow, the texts may change.
    fixed = scene.reviewer.patch(f"{URL}/{pid}", json={"conditions": []})
    assert "keeps its conditions" in assert_problem(fixed, 409)["detail"]
    more = scene.reviewer.patch(f"{URL}/{pid}", json={"budget": "1500.50"}).get_json()
    assert (more["budget"], more["remaining"]) == ("1500.50", "1500.50")
    again = scene.reviewer.post(f"{URL}/{pid}/publish")
    assert "allowed next steps: close" in assert_problem(again, 409)["detail"]
    assert scene.reviewer.post(f"{URL}/{pid}/close").get_json()["status"] == "closed"
    assert_problem(scene.reviewer.patch(f"{URL}/{pid}", json={"title": "x"}), 409)


def test_the_budget_never_goes_below_what_was_granted(scene):
    policy = published(scene)
    app = applied(scene, policy)
    scene.reviewer.post(f"/api/v1/policy-applications/{app['id']}/approve", json={"amount": "300"})
    low = scene.reviewer.patch(
        f"{URL}/{policy['id']}", json={"budget": "299.99", "max_per_applicant": "299.99"}
    )
    assert "300.00 already granted" in assert_problem(low, 409)["detail"]


def test_coordinators_add_policies_for_a_government_others_may_not(scene, coord):
    made = coord.post(URL, json=body(scene, kind="award", title="优秀校企合作奖"))
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["issuer_id"] == scene.gov.id
    # Not the issuer's staff: an enterprise admin, another government's staff.
    assert_problem(scene.admin.post(URL, json=body(scene)), 403)
    other_gov = government(name="南沙区商务局")
    outsider = body(scene)
    assert_problem(scene.reviewer.post(URL, json={**outsider, "issuer_id": other_gov.id}), 403)
    # The issuer must be an approved government organization.
    as_ent = scene.reviewer.post(URL, json=body(scene, issuer_id=scene.ent.id))
    assert "issuer_id" in validation_errors(as_ent)


def test_lists_filter_by_kind_status_issuer_and_window(scene, coord):
    subsidy = published(scene)
    award = published(scene, kind="award", title="跨境电商人才培养奖")
    cert = published(
        scene, kind="certification", title="产教融合型企业认定", budget=None, max_per_applicant=None
    )
    scene.reviewer.post(f"{URL}/{cert['id']}/close")
    draft = scene.reviewer.post(URL, json=body(scene, title="草稿")).get_json()

    def ids(client, **query):
        return {p["id"] for p in client.get(URL, query_string=query).get_json()["items"]}

    assert ids(scene.admin) == {subsidy["id"], award["id"], cert["id"]}
    assert ids(scene.reviewer) == {subsidy["id"], award["id"], cert["id"], draft["id"]}
    assert ids(scene.admin, kind="award") == {award["id"]}
    assert ids(scene.admin, status="closed") == {cert["id"]}
    assert ids(scene.admin, open="true") == {subsidy["id"], award["id"]}
    assert ids(coord, issuer_id=scene.gov.id, status="draft") == {draft["id"]}
    assert ids(scene.admin, q="产教融合") == {cert["id"]}
    page = scene.admin.get(URL, query_string={"per_page": 2}).get_json()
    assert (page["total"], len(page["items"])) == (3, 2)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "loan"),
        ("title", ""),
        ("budget", "-1"),
        ("budget", "0.001"),
        ("budget", "1e13"),
        ("max_per_applicant", "abc"),
        ("budget", None),
        ("max_per_applicant", "1000.01"),
        ("closes_at", "2020-01-01T00:00:00Z"),
        ("opens_at", "not a time"),
        ("required_documents", ["营业执照", "营业执照"]),
        ("required_documents", [""]),
        ("conditions", "everyone"),
        ("conditions", [{"figure": "karma", "min": 1}]),
        ("conditions", [{"figure": "interns_hosted_12m", "min": -1}]),
        ("conditions", [{"figure": "interns_hosted_12m", "min": True}]),
        ("conditions", [{"figure": "interns_hosted_12m", "in": [1]}]),
        ("conditions", [{"figure": "district", "in": ["atlantis"]}]),
        ("conditions", [{"figure": "district", "in": []}]),
        ("conditions", [{"figure": "organization_kind", "in": ["bank"]}]),
        ("conditions", [{"figure": "training_base_level", "min": "galactic"}]),
        ("conditions", [{"figure": "active_partnerships", "min": 1}] * 2),
        ("conditions", [{"figure": "district"}]),
        ("conditions", ["district"]),
        ("issuer_id", "x"),
        ("unknown", 1),
    ],
)
def test_bad_policy_input_422(scene, field, value):
    errors = validation_errors(scene.reviewer.post(URL, json=body(scene, **{field: value})))
    assert any(name == field or name.startswith(f"{field}.") for name in errors), errors


def test_bad_list_arguments_422(scene):
    for query in ({"kind": "loan"}, {"status": "x"}, {"open": "perhaps"}, {"per_page": 101}):
        assert validation_errors(scene.admin.get(URL, query_string=query))


def test_chinese_text_round_trips(scene):
    text = "粤港澳大湾区跨境电商「专精特新」补贴 🚢"
    made = scene.reviewer.post(URL, json=body(scene, title=text, description=text * 3))
    got = scene.reviewer.get(f"{URL}/{made.get_json()['id']}").get_json()
    assert (got["title"], got["description"]) == (text, text * 3)


def test_a_pending_organization_cannot_apply(scene, as_user):
    policy = published(scene)
    pending = factories.OrganizationFactory(status="pending")
    client = as_user(factories.member(pending, "admin"))
    resp = client.post(
        f"{URL}/{policy['id']}/applications",
        json={"documents": {"营业执照": "x"}, "amount_requested": "1"},
    )
    assert_problem(resp, 403)


def test_bad_patch_eligibility_and_application_list_input_422(scene):
    pid = scene.reviewer.post(URL, json=body(scene)).get_json()["id"]
    for data in (
        {"budget": "-1"},
        {"max_per_applicant": "2000.00"},
        {"closes_at": "2000-01-01T00:00:00Z"},
        {"conditions": [{"figure": "district", "in": ["atlantis"]}]},
        {"kind": "award"},
        {"title": None},
    ):
        assert validation_errors(scene.reviewer.patch(f"{URL}/{pid}", json=data)), data
    published_id = published(scene)["id"]
    path = f"{URL}/{published_id}/eligibility"
    assert "organization_id" in validation_errors(
        scene.admin.get(path, query_string={"organization_id": "x"})
    )
    for query in ({"kind": "loan"}, {"policy_id": "x"}, {"issuer_id": "y"}, {"page": 0}):
        assert validation_errors(scene.admin.get("/api/v1/policy-applications", query_string=query))
