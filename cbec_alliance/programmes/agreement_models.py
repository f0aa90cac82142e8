"""The three-party apprenticeship agreement of an admitted apprentice (现代学徒制三方协议)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

PARTIES = ("student", "university", "enterprise")


class ApprenticeshipAgreement(Model):
    """The agreement text made when an apprentice is admitted; immutable once all signed."""

    __tablename__ = "apprenticeship_agreements"
    __table_args__ = (sa.UniqueConstraint("member_id", name="uq_apprenticeship_agreements_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_members.id", ondelete="CASCADE")
    )
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    signatures: Mapped[list[ApprenticeshipSignature]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ApprenticeshipSignature.id"
    )


class ApprenticeshipSignature(Model):
    """One party's signature over the exact text (its SHA-256): who, when, from where."""

    __tablename__ = "apprenticeship_signatures"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "party", name="uq_apprenticeship_signatures_party"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("apprenticeship_agreements.id", ondelete="CASCADE")
    )
    party: Mapped[str] = mapped_column(sa.String(20))
    signer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    signed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


rule(
    "one signature per party and apprenticeship agreement",
    duplicates(ApprenticeshipSignature.__table__, "agreement_id", "party"),
)
