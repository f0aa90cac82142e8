"""`granted_in_year`: the figures the annual report reads, per policy kind."""

from __future__ import annotations

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.policies.services import granted_in_year
from tests.policies.conftest import APPS, applied, published


def test_the_years_policies_applications_approvals_and_money_per_kind(app, scene):
    subsidy = published(scene)
    award = published(scene, kind="award", title="人才培养奖", budget="5000.00")
    published(
        scene, kind="certification", title="产教融合型企业认定", budget=None, max_per_applicant=None
    )
    paid = applied(scene, subsidy, amount_requested="300.00")
    scene.reviewer.post(f"{APPS}/{paid['id']}/approve", json={"amount": "299.99"})
    scene.reviewer.post(f"{APPS}/{paid['id']}/disburse", json={"reference": "财付-1"})
    pending = applied(scene, award, amount_requested="100.00")
    scene.reviewer.post(f"{APPS}/{pending['id']}/approve", json={"amount": "100.01"})
    year = utcnow().year
    with app.app_context():
        figures = granted_in_year(year)
        empty = granted_in_year(year - 5)
    assert figures == {
        "subsidy": {
            "policies": 1,
            "applications": 1,
            "approved": 1,
            "amount_approved": "299.99",
            "amount_disbursed": "299.99",
        },
        "award": {
            "policies": 1,
            "applications": 1,
            "approved": 1,
            "amount_approved": "100.01",
            "amount_disbursed": "0.00",
        },
        "certification": {
            "policies": 1,
            "applications": 0,
            "approved": 0,
            "amount_approved": "0.00",
            "amount_disbursed": "0.00",
        },
    }
    assert {k: v["amount_approved"] for k, v in empty.items()} == dict.fromkeys(figures, "0.00")
