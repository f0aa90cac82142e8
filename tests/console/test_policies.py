"""Policy applications in the console: the issuer's reviewers approve within the budget, ask
for more, reject with a reason and record the payment through the policies service; the
applicant and outsiders cannot."""

from __future__ import annotations

from decimal import Decimal

from cbec_alliance.extensions import db
from cbec_alliance.policies.models import PolicyApplication
from tests.console.conftest import text_of
from tests.policies.conftest import applied, published, scene  # noqa: F401

QUEUE = "/console/monitoring/policy-applications/"


def state_of(app_id: int) -> PolicyApplication:
    found = db.session.get(PolicyApplication, app_id)
    db.session.refresh(found)
    return found


def test_approve_and_record_the_payment(scene, app):  # noqa: F811
    policy = published(scene)
    application = applied(scene, policy)
    page = text_of(scene.reviewer.get(QUEUE))
    assert "跨境电商实习基地建设补贴" in page
    assert "申请 ¥300.00" in page
    too_much = scene.reviewer.post(f"{QUEUE}{application['id']}/approve", data={"amount": "500.00"})
    assert too_much.status_code == 303
    with app.app_context():
        assert state_of(application["id"]).state == "submitted"
    assert "400.00" in text_of(scene.reviewer.get(QUEUE))  # the per-applicant maximum named
    scene.reviewer.post(f"{QUEUE}{application['id']}/approve", data={"amount": "300.00"})
    with app.app_context():
        approved = state_of(application["id"])
        assert approved.state == "approved"
        assert approved.amount_approved == Decimal("300.00")
    no_reference = scene.reviewer.post(f"{QUEUE}{application['id']}/disburse", data={})
    assert no_reference.status_code == 303
    with app.app_context():
        assert state_of(application["id"]).state == "approved"
    scene.reviewer.post(f"{QUEUE}{application['id']}/disburse", data={"reference": "GZ-2026-001"})
    with app.app_context():
        assert state_of(application["id"]).state == "disbursed"


def test_ask_for_more_and_reject_need_a_reason(scene, app):  # noqa: F811
    policy = published(scene)
    application = applied(scene, policy)
    url = f"{QUEUE}{application['id']}"
    scene.reviewer.post(f"{url}/request-info", data={"reason": ""})
    with app.app_context():
        assert state_of(application["id"]).state == "submitted"
    scene.reviewer.post(f"{url}/request-info", data={"reason": "请补充实习协议"})
    with app.app_context():
        assert state_of(application["id"]).state == "more_info_requested"
    queue = text_of(scene.reviewer.get(f"{QUEUE}?state=more_info_requested"))
    assert "请补充实习协议" in queue
    scene.reviewer.post(f"{url}/reject", data={"reason": "不符合条件"})
    with app.app_context():
        assert state_of(application["id"]).state == "rejected"
    assert scene.reviewer.post(f"{url}/pay", data={}).status_code == 404


def test_applicants_and_outsiders_cannot_review(scene, app):  # noqa: F811
    policy = published(scene)
    application = applied(scene, policy)
    assert scene.admin.get(QUEUE).status_code == 403
    assert scene.outsider.get(QUEUE).status_code == 403
    refused = scene.admin.post(f"{QUEUE}{application['id']}/approve", data={"amount": "300.00"})
    assert refused.status_code in (303, 403)
    hidden = scene.outsider.post(f"{QUEUE}{application['id']}/approve", data={"amount": "300.00"})
    assert hidden.status_code == 404
    with app.app_context():
        assert state_of(application["id"]).state == "submitted"
