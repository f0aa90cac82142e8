"""Training base schemas: the base, decisions, reviews, sessions and utilisation."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of, require

from .models import LEVELS, STATUSES

_IDS: dict[str, Any] = {"validate": ma.validate.Length(min=1, max=50)}


class _BaseFields(BaseSchema):
    name = text(200, min_len=1)
    university_ids = ma.fields.List(ma.fields.Integer(strict=True), **_IDS)
    district = taxonomy_code(40)
    address = text(300, allow_none=True)
    capacity = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=10_000))
    competencies = ma.fields.List(taxonomy_code(60), validate=ma.validate.Length(max=20))


class BaseCreateSchema(_BaseFields):
    """An application for a joint training base hosted by `host_enterprise_id`."""

    host_enterprise_id = ma.fields.Integer(required=True, strict=True)
    _required = require("name", "university_ids", "district", "capacity")


class BasePatchSchema(_BaseFields):
    """Changes (any field while applied; not the host; rejected bases are read-only)."""


class ApproveSchema(BaseSchema):
    """`{level}`."""

    level = ma.fields.String(required=True, validate=ma.validate.OneOf(LEVELS))


class RejectSchema(BaseSchema):
    """`{reason}`."""

    reason = text(2000, required=True, min_len=1)


class ReviewInSchema(BaseSchema):
    """`{year, rating 1..5, notes}`: one review per base and year."""

    year = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(2000, 2100))
    rating = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5))
    notes = text(5000, load_default=None, allow_none=True)


class ReviewSchema(OutSchema):
    """A yearly review."""

    year = ma.fields.Integer()
    rating = ma.fields.Integer()
    notes = ma.fields.String(allow_none=True)
    reviewer_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class SessionInSchema(BaseSchema):
    """`{date, university_id, students}`: a day of use, never more students than capacity."""

    date = ma.fields.Date(required=True)
    university_id = ma.fields.Integer(required=True, strict=True)
    students = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))


class SessionSchema(OutSchema):
    """A recorded session."""

    id = ma.fields.Integer()
    date = ma.fields.Date()
    university_id = ma.fields.Integer()
    students = ma.fields.Integer()
    created_at = UtcDateTime()


class _UniversityUse(OutSchema):
    university_id = ma.fields.Integer()
    sessions = ma.fields.Integer()
    students = ma.fields.Integer()


class YearUseSchema(OutSchema):
    """One year's use, in total and per university."""

    year = ma.fields.Integer()
    sessions = ma.fields.Integer()
    students = ma.fields.Integer()
    by_university = ma.fields.List(ma.fields.Nested(_UniversityUse))


class TrainingBaseSchema(OutSchema):
    """A training base."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    host_enterprise_id = ma.fields.Integer()
    university_ids = ma.fields.List(ma.fields.Integer())
    district = ma.fields.String()
    address = ma.fields.String(allow_none=True)
    capacity = ma.fields.Integer()
    competencies = ma.fields.List(ma.fields.String(), attribute="competency_codes")
    status = ma.fields.String()
    level = ma.fields.String(allow_none=True)
    status_reason = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()
    decided_at = UtcDateTime(allow_none=True)


class TrainingBaseDetailSchema(TrainingBaseSchema):
    """A base with its reviews and utilisation (sessions and students per year)."""

    reviews = ma.fields.List(ma.fields.Nested(ReviewSchema))
    utilisation = ma.fields.List(ma.fields.Nested(YearUseSchema))


class BaseListArgs(PageArgs):
    """Filters of the list (they combine)."""

    district = text(40)
    level = ma.fields.String(validate=ma.validate.OneOf(LEVELS))
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    competency = text(60)
    university_id = ma.fields.Integer()
    host_enterprise_id = ma.fields.Integer()
    q = text(200, metadata={"description": "substring of the name"})


BasePage = page_of(TrainingBaseSchema)
SessionPage = page_of(SessionSchema)
