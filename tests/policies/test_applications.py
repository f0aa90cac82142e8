"""Applying to a policy and its review: eligibility with evidence, the window, amounts
within the maximum and the budget, every step audited and notified."""

from __future__ import annotations

import datetime as dt

from cbec_alliance.core.timeutil import utcnow
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.partnerships.factories import TrainingBaseFactory
from tests.placements.factories import world
from tests.policies.conftest import APPS, URL, applied, partnership, published


def _titles(client) -> list[str]:
    return [n["title"] for n in client.get("/api/v1/notifications").get_json()["items"]]


def test_from_application_to_disbursement(scene, coord):
    policy = published(scene)
    assert policy["accepting"] is True
    assert (policy["granted"], policy["remaining"]) == ("0.00", "1000.00")
    app = applied(scene, policy, statement="我司接收实习生并共建基地。")
    assert app["state"] == "submitted"
    assert app["amount_requested"] == "300.00"
    # The evidence it was judged on is kept with it.
    found = {c["figure"]: (c["found"], c["passed"]) for c in app["evidence"]}
    assert found == {
        "organization_kind": ("enterprise", True),
        "district": ("tianhe", True),
        "interns_hosted_12m": (1, True),
        "active_partnerships": (1, True),
        "training_base_level": ("provincial", True),
    }
    assert any("收到政策申请" in t for t in _titles(scene.reviewer))
    aid = app["id"]
    asked = scene.reviewer.post(f"{APPS}/{aid}/request-info", json={"reason": "请补充社保证明"})
    assert asked.get_json()["state"] == "more_info_requested"
    assert any("需补充材料" in t for t in _titles(scene.admin))
    again = scene.admin.post(
        f"{APPS}/{aid}/resubmit", json={"documents": {"营业执照": "file:1", "社保证明": "file:2"}}
    )
    assert again.status_code == 200, again.get_json()
    assert (again.get_json()["state"], again.get_json()["reason"]) == ("submitted", None)
    done = scene.reviewer.post(f"{APPS}/{aid}/approve", json={"amount": "250.50"}).get_json()
    assert (done["state"], done["amount_approved"]) == ("approved", "250.50")
    got = scene.admin.get(f"{URL}/{policy['id']}").get_json()
    assert (got["granted"], got["remaining"]) == ("250.50", "749.50")
    paid = scene.reviewer.post(f"{APPS}/{aid}/disburse", json={"reference": "财付2027-001"})
    assert paid.get_json()["state"] == "disbursed"
    assert paid.get_json()["amount_disbursed"] == "250.50"
    assert any("资金已拨付" in t for t in _titles(scene.admin))
    # Every step is in the audit log.
    log = coord.get("/api/v1/audit-log", query_string={"per_page": 100}).get_json()["items"]
    steps = [e["action"] for e in log if e["object_type"] == "policy_applications"]
    assert sorted(steps) == sorted(["apply", "request-info", "resubmit", "approve", "disburse"])


def test_an_ineligible_organization_gets_409_naming_each_unmet_condition(scene, as_user):
    policy = published(
        scene,
        conditions=[
            {"figure": "interns_hosted_12m", "min": 5},
            {"figure": "district", "in": ["nansha"]},
            {"figure": "active_partnerships", "min": 1},
        ],
    )
    problem = assert_problem(
        scene.admin.post(
            f"{URL}/{policy['id']}/applications",
            json={"documents": {"营业执照": "x"}, "amount_requested": "100"},
        ),
        409,
    )
    assert "interns hosted in the last 12 months" in problem["detail"]
    assert "at least 5 required, 1 found" in problem["detail"]
    assert "one of nansha required, tianhe found" in problem["detail"]
    assert [c["figure"] for c in problem["unmet"]] == ["interns_hosted_12m", "district"]
    # The eligibility route shows the same evidence, passes included.
    check = scene.admin.get(f"{URL}/{policy['id']}/eligibility").get_json()
    assert check["eligible"] is False
    assert [(c["figure"], c["passed"]) for c in check["conditions"]] == [
        ("interns_hosted_12m", False),
        ("district", False),
        ("active_partnerships", True),
    ]
    # Reviewers check any organization; the outsider's own figures are zero.
    other = scene.reviewer.get(
        f"{URL}/{policy['id']}/eligibility", query_string={"organization_id": scene.other.id}
    ).get_json()
    assert [c["found"] for c in other["conditions"]] == [0, "tianhe", 0]


def test_outside_the_window_409(scene):
    now = utcnow()
    later = published(
        scene,
        opens_at=(now + dt.timedelta(days=2)).isoformat(),
        closes_at=(now + dt.timedelta(days=9)).isoformat(),
    )
    assert later["accepting"] is False
    resp = scene.admin.post(
        f"{URL}/{later['id']}/applications",
        json={"documents": {"营业执照": "x"}, "amount_requested": "10"},
    )
    assert "takes applications from" in assert_problem(resp, 409)["detail"]
    closed = published(scene)
    scene.reviewer.post(f"{URL}/{closed['id']}/close")
    resp = scene.admin.post(
        f"{URL}/{closed['id']}/applications",
        json={"documents": {"营业执照": "x"}, "amount_requested": "10"},
    )
    assert "it is closed" in assert_problem(resp, 409)["detail"]


def test_amounts_over_the_maximum_or_the_remaining_budget_409_naming_it(app, scene, as_user):
    policy = published(scene)
    resp = scene.admin.post(
        f"{URL}/{policy['id']}/applications",
        json={"documents": {"营业执照": "x"}, "amount_requested": "400.01"},
    )
    problem = assert_problem(resp, 409)
    assert "maximum per applicant of 400.00" in problem["detail"]
    assert problem["max_per_applicant"] == "400.00"
    # Three organizations approved 400 + 400; the third may have 200.00 at most.
    apps = [applied(scene, policy, amount_requested="400.00")]
    for _ in range(2):
        with app.app_context():
            w = world(start_in=-10)
            w.placement.state = "active"
            partnership(w.enterprise, w.university)
            TrainingBaseFactory(host_enterprise_id=w.enterprise.id)
            admin = factories.member(w.enterprise, "admin")
        client = as_user(admin)
        apps.append(applied(scene, policy, client=client, amount_requested="400.00"))
    for app in apps[:2]:
        ok = scene.reviewer.post(f"{APPS}/{app['id']}/approve", json={"amount": "400.00"})
        assert ok.status_code == 200, ok.get_json()
    over = scene.reviewer.post(f"{APPS}/{apps[2]['id']}/approve", json={"amount": "200.01"})
    problem = assert_problem(over, 409)
    assert "remaining budget of 200.00" in problem["detail"]
    assert problem["remaining_budget"] == "200.00"
    too_much = scene.reviewer.post(f"{APPS}/{apps[2]['id']}/approve", json={"amount": "400.01"})
    assert "maximum per applicant" in assert_problem(too_much, 409)["detail"]
    exact = scene.reviewer.post(f"{APPS}/{apps[2]['id']}/approve", json={"amount": "200.00"})
    assert exact.get_json()["amount_approved"] == "200.00"
    got = scene.reviewer.get(f"{URL}/{policy['id']}").get_json()
    assert (got["granted"], got["remaining"]) == ("1000.00", "0.00")


def test_reject_withdraw_apply_again_and_wrong_steps(scene):
    policy = published(scene)
    app = applied(scene, policy)
    dup = scene.admin.post(
        f"{URL}/{policy['id']}/applications",
        json={"documents": {"营业执照": "x"}, "amount_requested": "1"},
    )
    assert "already applied" in assert_problem(dup, 409)["detail"]
    withdrawn = scene.admin.post(f"{APPS}/{app['id']}/withdraw")
    assert withdrawn.get_json()["state"] == "withdrawn"
    assert any("已撤回" in t for t in _titles(scene.reviewer))
    wrong = scene.reviewer.post(f"{APPS}/{app['id']}/approve", json={"amount": "1"})
    assert "allowed next steps: none" in assert_problem(wrong, 409)["detail"]
    again = applied(scene, policy, amount_requested="120.00")
    assert (again["id"], again["state"]) == (app["id"], "submitted")
    assert validation_errors(scene.reviewer.post(f"{APPS}/{app['id']}/reject", json={}))["reason"]
    no = scene.reviewer.post(f"{APPS}/{app['id']}/reject", json={"reason": "材料不实"})
    assert (no.get_json()["state"], no.get_json()["reason"]) == ("rejected", "材料不实")
    assert any("未获批准" in t for t in _titles(scene.admin))
    late = scene.admin.post(f"{APPS}/{app['id']}/withdraw")
    assert "cannot withdraw while rejected" in assert_problem(late, 409)["detail"]
    # A disbursement needs an approval first.
    early = scene.reviewer.post(f"{APPS}/{app['id']}/disburse", json={"reference": "x"})
    assert_problem(early, 409)


def test_a_certification_pays_no_money(scene):
    policy = published(
        scene,
        kind="certification",
        title="产教融合型企业认定",
        budget=None,
        max_per_applicant=None,
        required_documents=[],
    )
    bad = scene.admin.post(f"{URL}/{policy['id']}/applications", json={"amount_requested": "5"})
    assert "amount_requested" in validation_errors(bad)
    app = scene.admin.post(f"{URL}/{policy['id']}/applications", json={})
    assert app.status_code == 201, app.get_json()
    aid = app.get_json()["id"]
    with_money = scene.reviewer.post(f"{APPS}/{aid}/approve", json={"amount": "5"})
    assert "amount" in validation_errors(with_money)
    ok = scene.reviewer.post(f"{APPS}/{aid}/approve", json={}).get_json()
    assert (ok["state"], ok["amount_approved"]) == ("approved", None)
    pay = scene.reviewer.post(f"{APPS}/{aid}/disburse", json={"reference": "x"})
    assert "pays no money" in assert_problem(pay, 409)["detail"]


def test_bad_application_input_422(scene):
    policy = published(scene)
    path = f"{URL}/{policy['id']}/applications"
    for amount in ("-1", "0", "12.345", "abc", True, [], "1e13", 0.001):
        data = {"documents": {"营业执照": "x"}, "amount_requested": amount}
        resp = scene.admin.post(path, json=data)
        assert "amount_requested" in validation_errors(resp), amount
    missing = scene.admin.post(path, json={"documents": {}, "amount_requested": "1"})
    assert "documents.营业执照" in validation_errors(missing)
    none = scene.admin.post(path, json={"documents": {"营业执照": "x"}})
    assert "amount_requested" in validation_errors(none)
    unknown = scene.admin.post(path, json={"documents": {"营业执照": "x"}, "extra": 1})
    assert "extra" in validation_errors(unknown)
    # A JSON number is read as written: 0.1 + 0.2 is 0.30.
    ok = scene.admin.post(path, json={"documents": {"营业执照": "x"}, "amount_requested": 0.3})
    assert ok.get_json()["amount_requested"] == "0.30"
    aid = ok.get_json()["id"]
    for amount in ("-5", "0.001", None, "x"):
        resp = scene.reviewer.post(f"{APPS}/{aid}/approve", json={"amount": amount})
        assert "amount" in validation_errors(resp), amount
    assert "reference" in validation_errors(
        scene.reviewer.post(f"{APPS}/{aid}/disburse", json={"reference": ""})
    )
    assert "reason" in validation_errors(
        scene.reviewer.post(f"{APPS}/{aid}/request-info", json={"reason": "  "})
    )


def test_lists_filter_and_paginate(scene, coord):
    subsidy = published(scene)
    award = published(scene, kind="award", title="跨境电商人才培养奖")
    applied(scene, subsidy)
    applied(scene, award, amount_requested="100.00")
    mine = scene.admin.get(APPS, query_string={"kind": "award"}).get_json()
    assert [a["policy_id"] for a in mine["items"]] == [award["id"]]
    page = coord.get(APPS, query_string={"per_page": 1}).get_json()
    assert (page["total"], len(page["items"]), page["per_page"]) == (2, 1, 1)
    of_policy = scene.reviewer.get(f"{URL}/{subsidy['id']}/applications").get_json()
    assert [a["policy_id"] for a in of_policy["items"]] == [subsidy["id"]]
    assert scene.outsider.get(APPS).get_json()["total"] == 0
    state = scene.reviewer.get(APPS, query_string={"state": "approved"}).get_json()
    assert state["total"] == 0
    assert "state" in validation_errors(scene.reviewer.get(APPS, query_string={"state": "x"}))
