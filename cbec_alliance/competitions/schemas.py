"""Competition schemas: the competition, teams, judges, scores and the leaderboard."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of
from cbec_alliance.documents.briefs import BRIEF_EXAMPLE, DocumentBriefSchema


def _ids() -> ma.fields.List:
    return ma.fields.List(
        ma.fields.Integer(strict=True), required=True, validate=ma.validate.Length(min=1, max=20)
    )


class TrackSchema(BaseSchema):
    """`{name, competencies: [code]}`: a track and the competencies it exercises."""

    name = text(100, required=True, min_len=1)
    competencies = ma.fields.List(taxonomy_code(60), load_default=list)


class Weight(ma.fields.Float):
    """A JSON number kept as the exact decimal it was written as (0.45, not 0.4500000001)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return Decimal(repr(super()._deserialize(value, attr, data, **kwargs)))


class CriterionSchema(BaseSchema):
    """`{criterion, weight}`: weights are decimals with at most 4 places and add up to 1."""

    criterion = text(100, required=True, min_len=1)
    weight = Weight(
        required=True,
        allow_nan=False,
        validate=ma.validate.Range(min=0, max=1, min_inclusive=False),
    )


class CriterionOutSchema(OutSchema):
    """A criterion and its weight."""

    criterion = ma.fields.String()
    weight = ma.fields.Float()


class CompetitionInSchema(BaseSchema):
    """A new competition; the caller must belong to one of `organizer_ids` (or coordinate)."""

    title = text(200, required=True, min_len=1)
    description = text(20_000, load_default=None, allow_none=True)
    organizer_ids = _ids()
    tracks = ma.fields.List(
        ma.fields.Nested(TrackSchema), required=True, validate=ma.validate.Length(min=1, max=20)
    )
    registration_opens_at = UtcDateTime(required=True)
    registration_closes_at = UtcDateTime(required=True)
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)
    scoreboard_freeze_at = UtcDateTime(load_default=None, allow_none=True)
    submission_opens_at = UtcDateTime(
        load_default=None, allow_none=True, metadata={"description": "default: starts_at"}
    )
    submission_closes_at = UtcDateTime(
        load_default=None, allow_none=True, metadata={"description": "default: ends_at"}
    )
    max_team_size = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=1, max=20)
    )
    rubric = ma.fields.List(
        ma.fields.Nested(CriterionSchema), required=True, validate=ma.validate.Length(min=1, max=20)
    )


class CompetitionSchema(OutSchema):
    """A competition."""

    id = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    organizer_ids = ma.fields.List(ma.fields.Integer())
    tracks = ma.fields.List(ma.fields.Nested(TrackSchema))
    registration_opens_at = UtcDateTime()
    registration_closes_at = UtcDateTime()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    scoreboard_freeze_at = UtcDateTime(allow_none=True)
    results_published_at = UtcDateTime(allow_none=True)
    submission_opens_at = UtcDateTime(allow_none=True)
    submission_closes_at = UtcDateTime(allow_none=True)
    max_team_size = ma.fields.Integer()
    rubric = ma.fields.List(ma.fields.Nested(CriterionOutSchema))
    created_at = UtcDateTime()


class CompetitionListArgs(PageArgs):
    """Filters of the competition list."""

    organization_id = ma.fields.Integer(metadata={"description": "a co-organizer"})
    track_competency = text(60, metadata={"description": "a competency some track uses"})
    q = text(200, metadata={"description": "substring of the title"})


class TeamInSchema(BaseSchema):
    """`{name, track, member_ids, advisor_name, mentor_enterprise_id?}`."""

    name = text(100, required=True, min_len=1)
    track = text(100, required=True, min_len=1)
    member_ids = _ids()
    advisor_name = text(100, required=True, min_len=1)
    mentor_enterprise_id = ma.fields.Integer(strict=True, load_default=None, allow_none=True)


class TeamMemberSchema(OutSchema):
    """A team member: the student and their university."""

    user_id = ma.fields.Integer()
    university_id = ma.fields.Integer()


class TeamSchema(OutSchema):
    """A team (members only for the team, organizers, judges and coordinators)."""

    id = ma.fields.Integer()
    competition_id = ma.fields.Integer()
    name = ma.fields.String()
    track = ma.fields.String()
    advisor_name = ma.fields.String()
    mentor_enterprise_id = ma.fields.Integer(allow_none=True)
    member_count = ma.fields.Integer()
    members = ma.fields.List(ma.fields.Nested(TeamMemberSchema))
    created_at = UtcDateTime()


TeamPage = page_of(TeamSchema)
CompetitionPage = page_of(CompetitionSchema)


class JudgeInSchema(BaseSchema):
    """`{user_id}`."""

    user_id = ma.fields.Integer(required=True, strict=True)


class JudgeSchema(OutSchema):
    """A judge of the competition."""

    user_id = ma.fields.Integer()
    name = ma.fields.String()
    created_at = UtcDateTime()


class ScoresInSchema(BaseSchema):
    """`{team_id, scores: {criterion: 0..100}}`: integers; a later call revises."""

    team_id = ma.fields.Integer(required=True, strict=True)
    scores = ma.fields.Dict(
        keys=text(100, min_len=1),
        values=ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=100)),
        required=True,
        validate=ma.validate.Length(min=1, max=20),
    )


class ScoreSchema(OutSchema):
    """A judge's current scores of a team."""

    team_id = ma.fields.Integer()
    judge_id = ma.fields.Integer()
    scores = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class LeaderboardArgs(BaseSchema):
    """`?track=` ranks one track; `?normalize=z` corrects for judge bias."""

    track = text(100)
    normalize = ma.fields.String(validate=ma.validate.OneOf(["z"]))


class StandingSchema(OutSchema):
    """A team's rank and weighted score."""

    rank = ma.fields.Integer()
    team_id = ma.fields.Integer()
    name = ma.fields.String()
    track = ma.fields.String()
    score = ma.fields.Float(metadata={"description": "rounded to 4 decimals for display"})
    score_exact = ma.fields.String(
        metadata={"description": "the exact value ranked on: a fraction, or 30 decimals (z)"}
    )


class LeaderboardSchema(OutSchema):
    """The ranked teams, and which view this is."""

    competition_id = ma.fields.Integer()
    normalize = ma.fields.String(allow_none=True)
    frozen = ma.fields.Boolean(
        metadata={"description": "true when scores given after the freeze are hidden from you"}
    )
    published = ma.fields.Boolean()
    items = ma.fields.List(ma.fields.Nested(StandingSchema))


class WindowInSchema(BaseSchema):
    """The submission window; an end left out (or null) is the competition's own date."""

    submission_opens_at = UtcDateTime(load_default=None, allow_none=True)
    submission_closes_at = UtcDateTime(load_default=None, allow_none=True)


class SubmissionInSchema(BaseSchema):
    """A team's entry: exactly one of `document_id` (one of your uploads) and `link`."""

    team_id = ma.fields.Integer(required=True, strict=True)
    document_id = ma.fields.Integer(strict=True, load_default=None, allow_none=True)
    link = ma.fields.URL(
        schemes={"http", "https"},
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=2000),
        metadata={"example": "https://github.com/gdufs-team/cbec-store-analytics"},
    )
    note = text(2000, load_default=None, allow_none=True, metadata={"example": "决赛提交版本"})
    allow_public = ma.fields.Boolean(
        load_default=False, metadata={"description": "show it to the public after the results"}
    )

    @ma.validates_schema
    def _file_or_link(self, data, **kwargs):
        if (data.get("document_id") is None) == (data.get("link") is None):
            raise ma.ValidationError("give exactly one of document_id and link", "document_id")


class SubmissionScoreInSchema(BaseSchema):
    """A judge's score of a submission."""

    score = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=0, max=100)
    )
    comment = text(2000, load_default=None, allow_none=True)


class SubmissionScoreSchema(OutSchema):
    """One judge's score of a submission."""

    submission_id = ma.fields.Integer()
    judge_id = ma.fields.Integer()
    score = ma.fields.Integer()
    comment = ma.fields.String(allow_none=True)
    updated_at = UtcDateTime()


class SubmissionSchema(OutSchema):
    """A submission: its file (`{id, name, type, size}`) or its link."""

    id = ma.fields.Integer()
    team_id = ma.fields.Integer()
    submitted_by_id = ma.fields.Integer(allow_none=True)
    document = ma.fields.Nested(
        DocumentBriefSchema, allow_none=True, metadata={"example": BRIEF_EXAMPLE}
    )
    link = ma.fields.String(
        allow_none=True, metadata={"example": "https://github.com/gdufs-team/cbec-store-analytics"}
    )
    note = ma.fields.String(allow_none=True, metadata={"example": "决赛提交版本"})
    allow_public = ma.fields.Boolean()
    created_at = UtcDateTime()


class EntrySchema(OutSchema):
    """A team's latest submission, with the judges' scores (for judges and organizers)."""

    team_name = ma.fields.String(metadata={"example": "广外跨境先锋队"})
    submission = ma.fields.Nested(SubmissionSchema)
    scores = ma.fields.List(ma.fields.Nested(SubmissionScoreSchema))
