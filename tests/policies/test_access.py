"""Who may do what: every route of policies and applications, with users of other
organizations (403 or 404, never data)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import assert_problem
from tests.policies.conftest import APPS, URL, applied, body, government, published


@pytest.fixture
def others(app, scene, as_user):
    """Another government's staff, a user of no organization, a coordinator."""
    with app.app_context():
        users = {
            "other_gov": factories.member(government(name="南沙区商务局"), "staff"),
            "nobody": factories.UserFactory(),
            "coordinator": factories.CoordinatorFactory(),
        }
    return {name: as_user(user) for name, user in users.items()}


def test_anonymous_users_get_401_everywhere(client):
    for method, path in [
        ("get", URL),
        ("post", URL),
        ("get", f"{URL}/1"),
        ("patch", f"{URL}/1"),
        ("post", f"{URL}/1/publish"),
        ("post", f"{URL}/1/close"),
        ("get", f"{URL}/1/eligibility"),
        ("get", f"{URL}/1/applications"),
        ("post", f"{URL}/1/applications"),
        ("get", APPS),
        ("get", f"{APPS}/1"),
        *[("post", f"{APPS}/1/{verb}") for verb in ("request-info", "resubmit", "approve")],
        *[("post", f"{APPS}/1/{verb}") for verb in ("reject", "disburse", "withdraw")],
    ]:
        assert_problem(getattr(client, method)(path, json={}), 401)


def test_a_draft_is_404_to_outsiders_and_its_steps_too(scene, others):
    draft = scene.reviewer.post(URL, json=body(scene)).get_json()
    pid = draft["id"]
    for client in (scene.admin, scene.outsider, others["other_gov"], others["nobody"]):
        assert_problem(client.get(f"{URL}/{pid}"), 404)
        assert_problem(client.patch(f"{URL}/{pid}", json={"title": "x"}), 404)
        assert_problem(client.post(f"{URL}/{pid}/publish"), 404)
        assert_problem(client.get(f"{URL}/{pid}/eligibility"), 404)
        assert pid not in [p["id"] for p in client.get(URL).get_json()["items"]]
    assert others["coordinator"].get(f"{URL}/{pid}").status_code == 200


def test_only_the_issuer_and_coordinators_manage_a_published_policy(scene, others):
    pid = published(scene)["id"]
    for client in (scene.admin, scene.outsider, others["other_gov"], others["nobody"]):
        assert client.get(f"{URL}/{pid}").status_code == 200
        assert_problem(client.patch(f"{URL}/{pid}", json={"title": "x"}), 403)
        assert_problem(client.post(f"{URL}/{pid}/close"), 403)
    assert others["coordinator"].post(f"{URL}/{pid}/close").status_code == 200


def test_eligibility_is_for_ones_own_organization_unless_one_manages_the_policy(scene, others):
    pid = published(scene)["id"]
    path = f"{URL}/{pid}/eligibility"
    assert scene.ent_staff.get(path).get_json()["organization_id"] == scene.ent.id
    mine = scene.outsider.get(path).get_json()
    assert (mine["organization_id"], mine["eligible"]) == (scene.other.id, False)
    # Another organization's figures are the managers' to see.
    assert_problem(scene.outsider.get(path, query_string={"organization_id": scene.ent.id}), 403)
    assert_problem(others["nobody"].get(path), 403)
    for manager in (scene.reviewer, others["coordinator"]):
        seen = manager.get(path, query_string={"organization_id": scene.ent.id}).get_json()
        assert seen["eligible"] is True
    assert_problem(scene.reviewer.get(path, query_string={"organization_id": 10**6}), 404)


def test_applying_is_for_the_organizations_admins(scene, others):
    policy = published(scene)
    data = {"documents": {"营业执照": "x"}, "amount_requested": "1"}
    path = f"{URL}/{policy['id']}/applications"
    assert_problem(scene.ent_staff.post(path, json=data), 403)
    assert_problem(scene.outsider.post(path, json={**data, "organization_id": scene.ent.id}), 403)
    assert_problem(others["nobody"].post(path, json=data), 403)


def test_applications_are_seen_by_their_parties_only(scene, others):
    policy = published(scene)
    app = applied(scene, policy)
    path = f"{APPS}/{app['id']}"
    for client in (scene.admin, scene.reviewer, scene.gov_admin, others["coordinator"]):
        assert client.get(path).status_code == 200
    for client in (scene.ent_staff, scene.outsider, others["other_gov"], others["nobody"]):
        assert_problem(client.get(path), 404)
        assert client.get(APPS).get_json()["total"] == 0
        listed = client.get(f"{URL}/{policy['id']}/applications").get_json()
        assert listed["items"] == []


def test_each_step_belongs_to_its_party(scene, others):
    app = applied(scene, published(scene))
    path = f"{APPS}/{app['id']}"
    steps = {
        "request-info": {"reason": "补充材料"},
        "approve": {"amount": "1"},
        "reject": {"reason": "不符合"},
        "disburse": {"reference": "x"},
    }
    for verb, data in steps.items():
        # The applicant and coordinators see the application, but do not review it.
        assert_problem(scene.admin.post(f"{path}/{verb}", json=data), 403)
        assert_problem(others["coordinator"].post(f"{path}/{verb}", json=data), 403)
        assert_problem(scene.outsider.post(f"{path}/{verb}", json=data), 404)
        assert_problem(others["other_gov"].post(f"{path}/{verb}", json=data), 404)
    for verb in ("resubmit", "withdraw"):
        assert_problem(scene.reviewer.post(f"{path}/{verb}", json={}), 403)
        assert_problem(scene.outsider.post(f"{path}/{verb}", json={}), 404)
    assert scene.admin.get(path).get_json()["state"] == "submitted"
