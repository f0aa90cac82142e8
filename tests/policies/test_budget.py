"""The budget counter: amounts in fen add exactly under one conditional UPDATE on either
database, and the integrity check compares the granted total with the approved rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from cbec_alliance.core.capacity import give_back, mismatches, take
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.policies.models import BUDGET, Policy, PolicyApplication
from tests.policies.conftest import government


def _policy(budget: str) -> Policy:
    now = utcnow()
    policy = Policy(
        kind="subsidy",
        issuer_id=government().id,
        title="补贴",
        opens_at=now,
        closes_at=now + dt.timedelta(days=1),
        budget=Decimal(budget),
        max_per_applicant=Decimal(budget),
        granted=Decimal(0),
    )
    db.session.add(policy)
    db.session.flush()
    return policy


def test_decimal_amounts_take_exactly_up_to_the_budget(ctx):
    policy = _policy("0.30")
    # 0.1 + 0.2 > 0.3 in binary floating point (a NUMERIC on SQLite): never here.
    assert take(BUDGET, policy, Decimal("0.10")) == Decimal("0.10")
    assert take(BUDGET, policy, Decimal("0.20")) == Decimal("0.30")
    assert policy.granted == Decimal("0.30")
    assert take(BUDGET, policy, Decimal("0.01")) is None
    assert give_back(BUDGET, policy, Decimal("0.05")) == Decimal("0.25")
    stored = db.session.execute(
        sa.text("SELECT granted_fen FROM policies WHERE id = :id"), {"id": policy.id}
    ).scalar()
    assert stored == 25  # whole fen in the column


def test_the_integrity_check_compares_granted_with_the_approved_rows(ctx):
    policy = _policy("1000.00")
    org = government(name="申请单位")
    db.session.add(
        PolicyApplication(
            policy_id=policy.id,
            organization_id=org.id,
            state="approved",
            amount_approved=Decimal("120.25"),
        )
    )
    take(BUDGET, policy, Decimal("120.25"))
    db.session.flush()
    assert [m for m in mismatches(BUDGET) if m["id"] == policy.id] == []
    db.session.execute(sa.update(Policy).values(granted=Decimal("20.00")))
    found = [m for m in mismatches(BUDGET) if m["id"] == policy.id]
    assert [(m["stored"], m["held"]) for m in found] == [(Decimal("20.00"), Decimal("120.25"))]
