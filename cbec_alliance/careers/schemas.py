"""Certificate exam schemas: sittings, seats, results, records and verification."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of

from .models import LEVELS


def _percent(value) -> None:
    # A plain function, not ma.validate.Range: apispec would print a Decimal's bounds as
    # strings, which is not valid OpenAPI.
    if not 0 <= value <= 100:
        raise ma.ValidationError("must be between 0 and 100")


class ExamCreateSchema(BaseSchema):
    """A sitting of a catalogued certificate at one level."""

    certificate_code = taxonomy_code(60, required=True)
    level = ma.fields.String(required=True, validate=ma.validate.OneOf(LEVELS))
    exam_date = ma.fields.Date(required=True, metadata={"description": "a Guangzhou day"})
    site_organization_id = ma.fields.Integer(
        required=True, strict=True, metadata={"description": "a university, or an enterprise"}
    )
    training_base_id = ma.fields.Integer(
        strict=True,
        allow_none=True,
        metadata={"description": "required for an enterprise: one of its training bases"},
    )
    location = text(300, allow_none=True)
    capacity = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=1, max=10_000)
    )
    pass_score = ma.fields.Decimal(
        places=1,
        as_string=True,
        validate=_percent,
        metadata={"description": "0 to 100; default 60.0"},
    )

    class Meta:
        example = {
            "certificate_code": "cbec-b2b-data-operation",
            "level": "intermediate",
            "exam_date": "2027-06-12",
            "site_organization_id": 3,
            "location": "广州番禺职业技术学院 实训楼 A302",
            "capacity": 60,
            "pass_score": 60.0,
        }


class ExamSchema(OutSchema):
    """A sitting with its seats taken."""

    id = ma.fields.Integer()
    certificate_code = ma.fields.String()
    level = ma.fields.String()
    exam_date = ma.fields.Date()
    site_organization_id = ma.fields.Integer()
    training_base_id = ma.fields.Integer(allow_none=True)
    location = ma.fields.String(allow_none=True)
    capacity = ma.fields.Integer()
    registered_count = ma.fields.Integer()
    pass_score = ma.fields.Decimal(as_string=True)
    state = ma.fields.String()
    created_at = UtcDateTime()


class ExamListArgs(PageArgs):
    """Filters (they combine); scheduled sittings from today on by default."""

    certificate_code = text(60)
    level = ma.fields.String(validate=ma.validate.OneOf(LEVELS))
    site_organization_id = ma.fields.Integer()
    from_date = ma.fields.Date(metadata={"description": "default: today in Guangzhou"})
    include_cancelled = ma.fields.Boolean(load_default=False)


class ExamCancelSchema(BaseSchema):
    """`{reason}`."""

    reason = text(2000, required=True, min_len=1)

    class Meta:
        example = {"reason": "考场设备检修，改期另行通知"}


class SeatSchema(OutSchema):
    """A student's seat and, once entered, the result."""

    id = ma.fields.Integer()
    exam_id = ma.fields.Integer()
    student_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    status = ma.fields.String()
    score = ma.fields.Decimal(as_string=True, allow_none=True)
    passed = ma.fields.Boolean(allow_none=True)
    result_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()


class _Result(BaseSchema):
    student_id = ma.fields.Integer(required=True, strict=True)
    score = ma.fields.Decimal(
        required=True,
        places=1,
        as_string=True,
        validate=_percent,
        metadata={"description": "0 to 100"},
    )
    passed = ma.fields.Boolean(metadata={"description": "default: score >= the pass score"})


class ResultsSchema(BaseSchema):
    """Scores of registered students (final once entered)."""

    results = ma.fields.List(
        ma.fields.Nested(_Result), required=True, validate=ma.validate.Length(min=1, max=2000)
    )

    class Meta:
        example = {
            "results": [{"student_id": 41, "score": 86.5}, {"student_id": 42, "score": 52.0}]
        }


class ResultListSchema(OutSchema):
    """`{items}`: the seats just given a result."""

    items = ma.fields.List(ma.fields.Nested(SeatSchema))


class RecordSchema(OutSchema):
    """A certificate record issued on the platform."""

    id = ma.fields.Integer()
    number = ma.fields.String()
    exam_id = ma.fields.Integer()
    certificate_code = ma.fields.String()
    level = ma.fields.String()
    holder_name = ma.fields.String()
    issued_on = ma.fields.Date()


class VerifyArgs(BaseSchema):
    """A record's number and its holder's name, both as printed."""

    number = text(40, required=True, min_len=1)
    name = text(200, required=True, min_len=1)


class CertificateVerificationSchema(OutSchema):
    """What a verification tells: the certificate, level and date, nothing about the holder."""

    valid = ma.fields.Boolean()
    number = ma.fields.String()
    certificate_code = ma.fields.String()
    certificate = ma.fields.String()
    level = ma.fields.String()
    issued_on = ma.fields.Date()


ExamPage = page_of(ExamSchema)
SeatPage = page_of(SeatSchema)
RecordPage = page_of(RecordSchema)
