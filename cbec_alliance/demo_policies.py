"""Demo policies for `flask demo-data`: a subsidy, an award and a certification of the
municipal commerce bureau, with applications in every state (idempotent: once a demo
policy exists nothing is added)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.policies.models import GRANTED, Policy, PolicyApplication

SPECS = [
    # (kind, title, title_en, budget, max per applicant, conditions, documents)
    (
        "subsidy",
        "跨境电商实习基地建设补贴（演示）",
        "CBEC internship base subsidy (demo)",
        Decimal("500000.00"),
        Decimal("50000.00"),
        [
            {"figure": "organization_kind", "in": ["enterprise"]},
            {"figure": "interns_hosted_12m", "min": 1},
        ],
        ["营业执照", "实习协议汇总表"],
    ),
    (
        "award",
        "跨境电商人才培养突出贡献奖（演示）",
        "CBEC talent training award (demo)",
        Decimal("200000.00"),
        Decimal("100000.00"),
        [{"figure": "active_partnerships", "min": 1}],
        ["合作成果说明"],
    ),
    (
        "certification",
        "产教融合型企业认定（演示）",
        "Industry-education integration enterprise recognition (demo)",
        None,
        None,
        [
            {"figure": "organization_kind", "in": ["enterprise"]},
            {"figure": "training_base_level", "min": "municipal"},
        ],
        ["产教融合工作报告"],
    ),
]
# (policy index, applicant index, state, requested, approved): every state appears.
APPLICATIONS = [
    (0, 0, "disbursed", "48000.00", "45000.00"),
    (0, 1, "approved", "30000.00", "30000.00"),
    (0, 2, "submitted", "20000.00", None),
    (1, 0, "more_info_requested", "80000.00", None),
    (1, 1, "rejected", "100000.00", None),
    (2, 0, "approved", None, None),
    (2, 2, "withdrawn", None, None),
]


def load(enterprises: list[Organization]) -> None:
    """The three demo policies of the first government organization, and applications of
    the demo enterprises to them."""
    issuer = db.session.scalar(
        sa.select(Organization).where(Organization.kind == "government").order_by(Organization.id)
    )
    if issuer is None or len(enterprises) < 3:
        return
    if db.session.scalar(sa.select(Policy.id).where(Policy.title.like("%（演示）"))):
        return
    now = utcnow()
    policies = []
    for kind, title, title_en, budget, most, conditions, documents in SPECS:
        policy = Policy(
            kind=kind,
            issuer_id=issuer.id,
            title=title,
            title_en=title_en,
            description="广州市跨境电商教育联盟扶持政策（演示数据）",
            conditions=conditions,
            required_documents=documents,
            opens_at=now - timedelta(days=60),
            closes_at=now + timedelta(days=90),
            budget=budget,
            max_per_applicant=most,
            granted=Decimal(0),
            status="published",
            published_at=now - timedelta(days=60),
        )
        db.session.add(policy)
        policies.append(policy)
    db.session.flush()
    for p_index, org_index, state, requested, approved in APPLICATIONS:
        policy = policies[p_index]
        decided = state in (*GRANTED, "rejected")
        granted = None if approved is None else Decimal(approved)
        db.session.add(
            PolicyApplication(
                policy_id=policy.id,
                organization_id=enterprises[org_index].id,
                state=state,
                statement="我司积极参与校企合作（演示）。",
                documents={
                    name: f"demo-file-{k}" for k, name in enumerate(policy.required_documents)
                },
                amount_requested=None if requested is None else Decimal(requested),
                amount_approved=granted,
                amount_disbursed=granted if state == "disbursed" else None,
                reason={
                    "more_info_requested": "请补充合作成果的证明材料",
                    "rejected": "合作时间不足一年",
                }.get(state),
                disbursement_reference="财政拨付-演示-001" if state == "disbursed" else None,
                submitted_at=now - timedelta(days=30),
                decided_at=now - timedelta(days=10) if decided else None,
                disbursed_at=now - timedelta(days=3) if state == "disbursed" else None,
            )
        )
        if granted is not None:
            policy.granted += granted
    db.session.flush()
