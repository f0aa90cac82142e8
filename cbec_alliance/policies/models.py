"""Government policies (subsidies, awards, certifications) and organizations' applications.

Money is exact: every amount is a `core.money.Money` column (whole fen in the database, a
two-place Decimal in Python). A policy's `granted` is the capacity counter `BUDGET` over its
`budget`: approving an application takes its amount through one conditional UPDATE, so the
approved total never passes the budget, even under concurrent approvals.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.capacity import counter
from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.money import ZERO, Money
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import Model

KINDS = ("subsidy", "award", "certification")
# Kinds that pay money: they need a budget and a maximum per applicant.
PAYING = ("subsidy", "award")
STATUSES = ("draft", "published", "closed")
APPLICATION_STATES = (
    "submitted",
    "more_info_requested",
    "approved",
    "rejected",
    "disbursed",
    "withdrawn",
)
# Applications whose approved amount counts against the budget.
GRANTED = ("approved", "disbursed")


class Policy(Model):
    """A policy of one government organization: who may apply (conditions as data), when,
    and how much money there is."""

    __tablename__ = "policies"
    __table_args__ = (
        sa.CheckConstraint("closes_at > opens_at", name="window"),
        sa.CheckConstraint("granted_fen >= 0", name="granted_positive"),
        sa.CheckConstraint("budget_fen IS NULL OR granted_fen <= budget_fen", name="within_budget"),
        sa.Index("ix_policies_status_kind", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    issuer_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    # [{figure, min} | {figure, in}], evaluated by policies.eligibility.
    conditions: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    required_documents: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    opens_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # Yuan; None for a policy that pays nothing (a certification).
    budget: Mapped[Decimal | None] = mapped_column("budget_fen", Money())
    max_per_applicant: Mapped[Decimal | None] = mapped_column("max_per_applicant_fen", Money())
    granted: Mapped[Decimal] = mapped_column("granted_fen", Money(), default=ZERO)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def remaining(self) -> Decimal | None:
        """The budget not yet granted (None without a budget)."""
        return None if self.budget is None else self.budget - self.granted

    @property
    def accepting(self) -> bool:
        """Published and inside its application window now."""
        now = utcnow()
        return self.status == "published" and as_utc(self.opens_at) <= now < as_utc(self.closes_at)


class PolicyApplication(Model):
    """An organization's application to a policy, its review and disbursement."""

    __tablename__ = "policy_applications"
    __table_args__ = (
        sa.UniqueConstraint("policy_id", "organization_id", name="uq_policy_applications_org"),
        sa.Index("ix_policy_applications_org", "organization_id"),
        sa.Index("ix_policy_applications_state", "policy_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(sa.ForeignKey("policies.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    state: Mapped[str] = mapped_column(sa.String(30), default="submitted")
    statement: Mapped[str | None] = mapped_column(sa.Text)
    # {required document name: reference (a file id, a URL, a number)}.
    documents: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    amount_requested: Mapped[Decimal | None] = mapped_column("amount_requested_fen", Money())
    amount_approved: Mapped[Decimal | None] = mapped_column("amount_approved_fen", Money())
    amount_disbursed: Mapped[Decimal | None] = mapped_column("amount_disbursed_fen", Money())
    # The eligibility found when it was last submitted: [{figure, ..., found, passed}].
    evidence: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    # The reviewer's words: what more is needed, or why it was rejected.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    disbursement_reference: Mapped[str | None] = mapped_column(sa.String(200))
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    disbursed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


BUDGET = counter(
    "policy budget granted",
    Policy,
    count="granted_fen",
    capacity="budget_fen",
    held=lambda: (
        sa.select(
            PolicyApplication.policy_id.label("id"),
            sa.func.sum(PolicyApplication.__table__.c.amount_approved_fen).label("held"),
        )
        .where(PolicyApplication.state.in_(GRANTED))
        .group_by(PolicyApplication.policy_id)
    ),
)

rule(
    "one application per organization and policy",
    duplicates(PolicyApplication.__table__, "policy_id", "organization_id"),
)
