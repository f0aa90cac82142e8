"""Models of surveys: the survey, its questions, enterprises' responses and one row per chosen
option (so a report counts with one GROUP BY)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

STATUSES = ("draft", "open", "closed")
KINDS = ("single", "multiple")


class Survey(Model):
    """A questionnaire sent to enterprises."""

    __tablename__ = "surveys"
    __table_args__ = (sa.CheckConstraint("distributed >= 1", name="distributed"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    year: Mapped[int] = mapped_column(index=True)
    template: Mapped[str | None] = mapped_column(sa.String(40))
    distributed: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    opened_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    questions: Mapped[list[SurveyQuestion]] = relationship(
        cascade="all, delete-orphan", order_by="SurveyQuestion.position", lazy="selectin"
    )


class SurveyQuestion(Model):
    """A question: single or multiple choice over coded options."""

    __tablename__ = "survey_questions"

    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[str] = mapped_column(sa.String(10))
    options: Mapped[list[dict]] = mapped_column(sa.JSON)  # [{code, label}]


class SurveyResponse(Model):
    """One enterprise's answers to a survey."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "enterprise_id", name="uq_survey_responses_enterprise"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    answers: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # A coordinator's judgement that the questionnaire is not valid (the paper kept 148 of
    # 170): the response is kept with its answers, its counted rows (`SurveyAnswer`) are
    # taken out until it is restored, so no report or summary counts it.
    invalid_reason: Mapped[str | None] = mapped_column(sa.Text)
    invalidated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    invalidated_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


# The responses that count (not marked invalid).
VALID = SurveyResponse.invalidated_at.is_(None)


class SurveyAnswer(Model):
    """One chosen option of one question in one valid response (an invalidated response has
    none until it is restored)."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        sa.Index("ix_survey_answers_count", "survey_id", "question_code", "option_code"),
    )

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True
    )
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    question_code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    option_code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


rule(
    "one response per enterprise and survey",
    duplicates(SurveyResponse.__table__, "survey_id", "enterprise_id"),
)
