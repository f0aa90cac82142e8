"""Models of competitions: organizers, tracks, rubric, teams, judges and scores.

Who took part is stored in link tables (`competition_organizers`, `competition_teams` with
their university and mentor enterprise, `competition_team_members`), so partnership queries
can join them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import Model


class Competition(Model):
    """A competition co-organized by several organizations."""

    __tablename__ = "competitions"
    __table_args__ = (
        sa.CheckConstraint("max_team_size BETWEEN 1 AND 20", name="team_size"),
        sa.CheckConstraint("registration_opens_at < registration_closes_at", name="window"),
        sa.CheckConstraint("starts_at < ends_at", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    registration_opens_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    registration_closes_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    scoreboard_freeze_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    results_published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # When teams hand in their entries; either end left out is the competition's own
    # (starts_at, ends_at).
    submission_opens_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    submission_closes_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    max_team_size: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    organizers: Mapped[list[CompetitionOrganizer]] = relationship(
        cascade="all, delete-orphan", order_by="CompetitionOrganizer.organization_id"
    )
    tracks: Mapped[list[CompetitionTrack]] = relationship(
        cascade="all, delete-orphan", order_by="CompetitionTrack.position"
    )
    rubric: Mapped[list[RubricCriterion]] = relationship(
        cascade="all, delete-orphan", order_by="RubricCriterion.position"
    )

    @property
    def organizer_ids(self) -> list[int]:
        """The co-organizing organizations."""
        return [o.organization_id for o in self.organizers]


class CompetitionOrganizer(Model):
    """An organization co-organizing a competition."""

    __tablename__ = "competition_organizers"
    __table_args__ = (sa.Index("ix_competition_organizers_org", "organization_id"),)

    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )


class CompetitionTrack(Model):
    """A track of a competition, with the competencies it exercises (taxonomy codes)."""

    __tablename__ = "competition_tracks"

    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    position: Mapped[int]
    competencies: Mapped[list[str]] = mapped_column(sa.JSON, default=list)


class RubricCriterion(Model):
    """A judging criterion and its weight; the weights of a competition add up to 1."""

    __tablename__ = "competition_rubric"
    __table_args__ = (sa.CheckConstraint("weight > 0 AND weight <= 1", name="weight"),)

    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    criterion: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    weight: Mapped[Decimal] = mapped_column(sa.Numeric(5, 4))
    position: Mapped[int]


class Team(Model):
    """A team registered for one track of a competition."""

    __tablename__ = "competition_teams"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "name", name="uq_competition_teams_name"),
        sa.Index("ix_competition_teams_mentor", "mentor_enterprise_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    track: Mapped[str] = mapped_column(sa.String(100))
    advisor_name: Mapped[str] = mapped_column(sa.String(100))
    mentor_enterprise_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    members: Mapped[list[TeamMember]] = relationship(
        cascade="all, delete-orphan", order_by="TeamMember.user_id"
    )


class TeamMember(Model):
    """A student in a team; unique per competition (one team per student)."""

    __tablename__ = "competition_team_members"
    __table_args__ = (
        sa.UniqueConstraint("competition_id", "user_id", name="uq_competition_team_members_one"),
        sa.Index("ix_competition_team_members_university", "university_id"),
    )

    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE")
    )
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))


class Judge(Model):
    """A user assigned to judge a competition."""

    __tablename__ = "competition_judges"

    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Score(Model):
    """One judge's score of one team on one criterion, as given at `created_at`.

    Append-only: a revision is a new row, so the board frozen at `scoreboard_freeze_at` can
    still show what was there before, while judges and organizers see the newest.
    """

    __tablename__ = "competition_scores"
    __table_args__ = (
        sa.CheckConstraint("value BETWEEN 0 AND 100", name="value"),
        sa.Index("ix_competition_scores_key", "competition_id", "team_id", "judge_id", "criterion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE")
    )
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_teams.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    criterion: Mapped[str] = mapped_column(sa.String(100))
    value: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


rule(
    "one team per student and competition",
    duplicates(TeamMember.__table__, "competition_id", "user_id"),
)


class Submission(Model):
    """A team's entry: a file (kind `competition_entry`) or a link, never both. Each
    submission is a new row; the team's latest one counts."""

    __tablename__ = "competition_submissions"
    __table_args__ = (
        sa.CheckConstraint("(document_id IS NULL) <> (link IS NULL)", name="file_or_link"),
        sa.Index("ix_competition_submissions_team", "team_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competitions.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("competition_teams.id", ondelete="CASCADE"))
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    document_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="SET NULL")
    )
    link: Mapped[str | None] = mapped_column(sa.String(2000))
    note: Mapped[str | None] = mapped_column(sa.Text)
    # The team lets the public see this entry once the results are published.
    allow_public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    document: Mapped[Document | None] = relationship(lazy="joined")


class SubmissionScore(Model):
    """A judge's score of one submission, 0 to 100, with a comment (a judge re-scoring
    replaces their score)."""

    __tablename__ = "competition_submission_scores"
    __table_args__ = (
        sa.UniqueConstraint("submission_id", "judge_id", name="uq_submission_scores_judge"),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_submissions.id", ondelete="CASCADE")
    )
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


rule(
    "one score per judge and submission",
    duplicates(SubmissionScore.__table__, "submission_id", "judge_id"),
)
