"""Match round schemas: rounds, preferences, rankings, assignments and explanations."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import gettext as _

from cbec_alliance.core.fields import UtcDateTime, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of

from .models import NO_OFFER, STATUSES

MAX_CHOICES = 30
MAX_RANKED = 10_000


def _id() -> ma.fields.Integer:
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=2**31 - 1))


def _seed() -> ma.fields.Integer:
    return ma.fields.Integer(
        strict=True,
        validate=ma.validate.Range(min=0, max=2**62),
        metadata={"description": "the lottery seed (drawn at random when not given)"},
    )


class RoundCreateSchema(BaseSchema):
    """`{name, internship_ids, preferences_close_at, seed?}`."""

    name = text(200, required=True, min_len=1)
    internship_ids = ma.fields.List(
        _id(), required=True, validate=ma.validate.Length(min=1, max=20_000)
    )
    preferences_close_at = UtcDateTime(required=True)
    seed = _seed()


class RoundPatchSchema(BaseSchema):
    """`{name?, preferences_close_at?}` while collecting."""

    name = text(200, min_len=1)
    preferences_close_at = UtcDateTime(
        metadata={
            "description": "a later or earlier closing time in the future; now (or up to five "
            "minutes ago, for clock skew) closes preferences at once, as "
            "`POST .../close-preferences` does"
        }
    )


class FollowUpSchema(BaseSchema):
    """`{name, preferences_close_at, seed?}`: the internships and slots come from the round."""

    name = text(200, required=True, min_len=1)
    preferences_close_at = UtcDateTime(required=True)
    seed = _seed()


class RoundListArgs(PageArgs):
    """`?status=`."""

    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))


class RoundSchema(OutSchema):
    """A round; `seed`, `stats` and `verdict` are shown to coordinators, and to everyone
    once the round is published."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    internship_ids = ma.fields.List(ma.fields.Integer())
    preferences_close_at = UtcDateTime(
        metadata={
            "description": "when students' preferences close; once a coordinator closed them "
            "early (`POST .../close-preferences`), the moment they did"
        }
    )
    preferences_open = ma.fields.Boolean(
        metadata={
            "description": "whether students may still give preferences (collecting, before "
            "`preferences_close_at`); false once closed, also early, and then the round "
            "may be run"
        }
    )
    parent_id = ma.fields.Integer(allow_none=True)
    seed = ma.fields.Integer(allow_none=True)
    stats = ma.fields.Dict(
        allow_none=True,
        metadata={
            "description": "students, slots, matched, unmatched, first_choice, "
            "first_choice_share (of students), proposals, load/solve/run seconds; once "
            "published, the matched students given no offer: skipped (their application "
            "to it was closed: withdrawn, rejected or declined), not_open (the internship "
            "was no longer open), no_free_slot (beyond the internship's free slots at "
            "publication, the lowest in its order first); they and their slots are left "
            "for the follow-up round"
        },
    )
    verdict = ma.fields.Dict(
        allow_none=True,
        metadata={
            "description": "stable, mutually_acceptable, within_capacity, blocking_pairs, "
            "checked_at"
        },
    )
    error = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()
    run_requested_at = UtcDateTime(allow_none=True)
    run_finished_at = UtcDateTime(allow_none=True)
    published_at = UtcDateTime(allow_none=True)
    cancelled_at = UtcDateTime(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True)


RoundPage = page_of(RoundSchema)


class RoundCancelSchema(BaseSchema):
    """`{reason}`: why the round is called off (told to enterprises and students)."""

    reason = text(2000, required=True, min_len=1)


class MatchPreferencesInSchema(BaseSchema):
    """`{internship_ids: [best first]}`; an empty list withdraws."""

    internship_ids = ma.fields.List(
        _id(), required=True, validate=ma.validate.Length(max=MAX_CHOICES)
    )


class MatchPreferencesSchema(OutSchema):
    """A student's preferences."""

    round_id = ma.fields.Integer()
    student_id = ma.fields.Integer()
    internship_ids = ma.fields.List(ma.fields.Integer())
    updated_at = UtcDateTime()


class MatchRankingInSchema(BaseSchema):
    """`{student_ids?: [best first], excluded_student_ids?}`: at least one of them; the
    ranking is replaced as a whole, a list not given is empty."""

    student_ids = ma.fields.List(
        _id(),
        validate=ma.validate.Length(max=MAX_RANKED),
        metadata={"description": "ranked students, best first (default [])"},
    )
    excluded_student_ids = ma.fields.List(
        _id(),
        validate=ma.validate.Length(max=MAX_RANKED),
        metadata={"description": "students this internship will not take (default [])"},
    )

    @ma.validates_schema
    def _one_given(self, data, **_kw):
        if "student_ids" not in data and "excluded_student_ids" not in data:
            message = _("give student_ids or excluded_student_ids")
            raise ma.ValidationError({"student_ids": [message], "excluded_student_ids": [message]})


class MatchRankingSchema(OutSchema):
    """An enterprise's ranking for one internship."""

    round_id = ma.fields.Integer()
    internship_id = ma.fields.Integer()
    student_ids = ma.fields.List(ma.fields.Integer())
    excluded_student_ids = ma.fields.List(ma.fields.Integer())
    updated_at = UtcDateTime(allow_none=True)


class MatchCandidateSchema(OutSchema):
    """A student who listed the internship, with the enterprise's current ranking of them."""

    student_id = ma.fields.Integer()
    name = ma.fields.String(allow_none=True)
    university_id = ma.fields.Integer()
    choice = ma.fields.Integer(
        metadata={"description": "the student's place for this internship (1 = first choice)"}
    )
    score = ma.fields.Float(metadata={"description": "the recommendation score, 0..1"})
    rank = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "their place in your student_ids (null: not ranked)"},
    )
    excluded = ma.fields.Boolean(metadata={"description": "in your excluded_student_ids"})


MatchCandidatePage = page_of(MatchCandidateSchema)


class AssignmentArgs(PageArgs):
    """`?internship_id=&matched=true|false`."""

    internship_id = ma.fields.Integer()
    matched = ma.fields.Boolean()


class MatchAssignmentSchema(OutSchema):
    """A student's result: the internship (null when unmatched) and the choice it was."""

    student_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    internship_id = ma.fields.Integer(allow_none=True)
    choice = ma.fields.Integer(allow_none=True, metadata={"description": "1 = first choice"})
    no_offer = ma.fields.String(
        allow_none=True,
        metadata={
            "enum": list(NO_OFFER),
            "description": "set at publication when a matched student was given no offer",
        },
    )


MatchAssignmentPage = page_of(MatchAssignmentSchema)


class WhyNotSchema(OutSchema):
    """Why a choice above the one given was not given."""

    internship_id = ma.fields.Integer()
    title = ma.fields.String()
    choice = ma.fields.Integer()
    reason = ma.fields.String(metadata={"enum": ["filled_by_higher_ranked", "excluded"]})
    your_rank = ma.fields.Integer(
        allow_none=True, metadata={"description": "your place in the internship's order"}
    )
    cutoff_rank = ma.fields.Integer(
        allow_none=True, metadata={"description": "the place of the last student it admitted"}
    )
    slots = ma.fields.Integer()
    detail = ma.fields.String()


class MyMatchAssignmentSchema(MatchAssignmentSchema):
    """The calling student's assignment with explanations."""

    round_id = ma.fields.Integer()
    internship_title = ma.fields.String(allow_none=True)
    explanation = ma.fields.List(ma.fields.Nested(WhyNotSchema))


class RoundInternshipSchema(OutSchema):
    """An internship's result in a round."""

    internship_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    slots = ma.fields.Integer()
    filled = ma.fields.Integer(allow_none=True)
    unfilled = ma.fields.Method("_unfilled", allow_none=True)
    cutoff_rank = ma.fields.Integer(allow_none=True)

    def _unfilled(self, ri) -> int | None:
        filled = ri["filled"] if isinstance(ri, dict) else ri.filled
        slots = ri["slots"] if isinstance(ri, dict) else ri.slots
        return None if filled is None else slots - filled


RoundInternshipPage = page_of(RoundInternshipSchema)
