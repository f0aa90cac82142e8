"""Models of match rounds: the round, its internships (slots), students' preferences,
enterprises' rankings and the stored result."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.integrity import rule
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import Model

STATUSES = ("collecting", "running", "done", "failed", "published", "cancelled")
# Rounds whose internships are still being allocated: an internship is in one at a time.
LIVE = ("collecting", "running", "done")
# Why a matched student got no offer at publication.
NO_OFFER = ("application_closed", "not_open", "no_free_slot")


class MatchRound(Model):
    """A central allocation of students to internship slots, run by a coordinator."""

    __tablename__ = "match_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(20), default="collecting", index=True)
    preferences_close_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    # The lottery that breaks the ties left after rankings and scores: stored, so a run can
    # be repeated and audited.
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("match_rounds.id"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    run_requested_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    run_finished_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    published_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    stats: Mapped[dict | None] = mapped_column(sa.JSON)
    verdict: Mapped[dict | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)

    internships: Mapped[list[RoundInternship]] = relationship(
        cascade="all, delete-orphan", order_by="RoundInternship.internship_id"
    )

    @property
    def internship_ids(self) -> list[int]:
        """The internships whose slots the round allocates."""
        return [i.internship_id for i in self.internships]

    @property
    def preferences_open(self) -> bool:
        """Whether students may still give preferences: collecting, before the close."""
        return self.status == "collecting" and utcnow() < as_utc(self.preferences_close_at)


class RoundInternship(Model):
    """An internship in a round, with the slots it offers there and, after a run, the result."""

    __tablename__ = "match_round_internships"
    __table_args__ = (sa.CheckConstraint("slots >= 1", name="slots"),)

    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    internship_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internships.id", ondelete="CASCADE"), primary_key=True
    )
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    slots: Mapped[int]
    filled: Mapped[int | None]
    # The rank (1 = best) of the last student admitted, in the internship's final order.
    cutoff_rank: Mapped[int | None]


class Preference(Model):
    """A student's ranked choice of internships in a round."""

    __tablename__ = "match_preferences"

    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    # One row a student, the list in order: loading 100,000 rows is far cheaper than loading
    # 1.5 million (round, student, internship, position) rows.
    internship_ids: Mapped[list[int]] = mapped_column(sa.JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Ranking(Model):
    """An enterprise's order of the students for one internship in a round."""

    __tablename__ = "match_rankings"

    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    internship_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internships.id", ondelete="CASCADE"), primary_key=True
    )
    student_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    excluded_student_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Assignment(Model):
    """A student's result in a run: the internship (or none) and why not a higher choice."""

    __tablename__ = "match_assignments"
    # An assignment belongs to the student's preferences in the round and, when matched, to
    # an internship of the round, and goes with either (which go with their user, round and
    # internship): two foreign keys checked per row instead of four, whose per-row checks
    # were most of the time of storing a round's 100,000 assignments (issue 17).
    __table_args__ = (
        sa.Index("ix_match_assignments_internship", "round_id", "internship_id"),
        sa.ForeignKeyConstraint(
            ["round_id", "student_id"],
            ["match_preferences.round_id", "match_preferences.student_id"],
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id", "internship_id"],
            ["match_round_internships.round_id", "match_round_internships.internship_id"],
            ondelete="CASCADE",
        ),
    )

    round_id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(primary_key=True)
    # The student's university when the round ran, copied from their preferences.
    university_id: Mapped[int]
    internship_id: Mapped[int | None]
    choice: Mapped[int | None]  # 1 = the student's first choice
    # Each choice above the one given, best first, as [internship_id, your rank there (None:
    # excluded), the rank of the last student it admitted]: compact, as 100,000 of these are
    # written per run; the API expands them into sentences.
    explanation: Mapped[list[list]] = mapped_column(sa.JSON, default=list)
    # Set at publication for a matched student who got no offer (one of NO_OFFER): such a
    # student, and the slot, are left over for a follow-up round.
    no_offer: Mapped[str | None] = mapped_column(sa.String(20))


rule(
    "an internship in one unpublished round at a time",
    lambda: (
        sa.select(RoundInternship.internship_id, sa.func.count().label("rounds"))
        .join(MatchRound, MatchRound.id == RoundInternship.round_id)
        .where(MatchRound.status.in_(LIVE))
        .group_by(RoundInternship.internship_id)
        .having(sa.func.count() > 1)
    ),
)
rule(
    "one follow-up per round",
    lambda: (
        sa.select(MatchRound.parent_id, sa.func.count().label("follow_ups"))
        .where(MatchRound.parent_id.is_not(None), MatchRound.status != "cancelled")
        .group_by(MatchRound.parent_id)
        .having(sa.func.count() > 1)
    ),
)
