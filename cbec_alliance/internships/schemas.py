"""Internship schemas: the posting's fields, list filters and the list envelope."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import marshmallow as ma

from cbec_alliance.core.fields import StrictBoolean, UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, require
from cbec_alliance.internships.models import CERTIFICATE_LEVELS, KINDS, MODES, STATUSES

_LEVEL = ma.validate.Range(min=1, max=5)


class RequiredCompetencySchema(BaseSchema):
    """`{code, min_level}`: a competency the posting asks for."""

    code = taxonomy_code(60, required=True)
    min_level = ma.fields.Integer(required=True, strict=True, validate=_LEVEL)


class RequiredLanguageSchema(BaseSchema):
    """`{code, min_level}`: a language the posting asks for, at level 1..5."""

    code = taxonomy_code(10, required=True)
    min_level = ma.fields.Integer(load_default=1, strict=True, validate=_LEVEL)


class RequiredCertificateSchema(BaseSchema):
    """`{code, min_level}`: a catalogued certificate (`certificates` vocabulary) held at
    `min_level` or above (junior < intermediate < senior)."""

    code = taxonomy_code(60, required=True)
    min_level = ma.fields.String(required=True, validate=ma.validate.OneOf(CERTIFICATE_LEVELS))


def certificate_list() -> ma.fields.List:
    """`[{code, min_level}]`: certificates asked for (postings) or prepared for (courses)."""
    return ma.fields.List(
        ma.fields.Nested(RequiredCertificateSchema), validate=ma.validate.Length(max=10)
    )


def _codes(max_items: int) -> ma.fields.List:
    return ma.fields.List(taxonomy_code(60), validate=ma.validate.Length(max=max_items))


class Hours(ma.fields.Float):
    """Hours as a JSON number, kept exactly to one decimal (8.5, not 8.4999...)."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        if abs(number) >= 1e6:
            # Quantizing 1e27 to one decimal overflows Decimal's precision (a 500 before);
            # no real hours figure is anywhere near, and the range check names the limit.
            raise ma.ValidationError("Must be a number of hours below 1,000,000.")
        return Decimal(str(number)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _hours(max_value: int) -> Hours:
    return Hours(
        allow_nan=False,
        validate=ma.validate.Range(min=0, max=max_value, min_inclusive=False),
    )


class _PostingFields(BaseSchema):
    title = text(200, min_len=1)
    description = text(20_000, min_len=1)
    category = taxonomy_code(40)
    competencies = ma.fields.List(
        ma.fields.Nested(RequiredCompetencySchema), validate=ma.validate.Length(max=20)
    )
    majors = _codes(20)
    languages = _codes(20)
    language_levels = ma.fields.List(
        ma.fields.Nested(RequiredLanguageSchema),
        validate=ma.validate.Length(max=20),
        metadata={
            "description": "languages with a minimum level 1..5, instead of `languages` "
            "(whose codes are asked at level 1); give one or the other"
        },
    )
    certificates = certificate_list()
    kind = ma.fields.String(
        validate=ma.validate.OneOf(KINDS),
        metadata={
            "description": "internship (default), full_time, part_time or flexible; the "
            "student internship rules bind internships only"
        },
    )
    salary_band = taxonomy_code(
        40,
        allow_none=True,
        metadata={
            "description": "`salary-bands` code (monthly, yuan): required for full_time, "
            "optional for part_time and flexible, refused for internship"
        },
    )
    contract_type = taxonomy_code(
        40,
        allow_none=True,
        metadata={
            "description": "`contract-types` code: required for full_time, optional for "
            "part_time and flexible, refused for internship"
        },
    )
    district = taxonomy_code(40)
    mode = ma.fields.String(validate=ma.validate.OneOf(MODES))
    slots = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=10_000))
    stipend_min = ma.fields.Integer(
        strict=True, allow_none=True, validate=ma.validate.Range(min=0, max=1_000_000)
    )
    stipend_max = ma.fields.Integer(
        strict=True, allow_none=True, validate=ma.validate.Range(min=0, max=1_000_000)
    )
    start_date = ma.fields.Date()
    end_date = ma.fields.Date()
    apply_by = ma.fields.Date()
    hours_per_day = _hours(24)
    hours_per_week = _hours(168)
    night_shifts = StrictBoolean()
    insurance_provided = StrictBoolean()
    fee_charged = StrictBoolean()
    # Optional, for the placement rules: staff already in this kind of post (interns at most
    # 20% of them) and the post's regular monthly wage (an independent post pays 80% of it).
    staff_in_role = ma.fields.Integer(
        strict=True, allow_none=True, validate=ma.validate.Range(min=1, max=1_000_000)
    )
    regular_wage = ma.fields.Integer(
        strict=True, allow_none=True, validate=ma.validate.Range(min=0, max=1_000_000)
    )


_REQUIRED_ON_CREATE = (
    "title",
    "description",
    "category",
    "district",
    "mode",
    "slots",
    "start_date",
    "end_date",
    "apply_by",
    "hours_per_day",
    "hours_per_week",
    "night_shifts",
    "insurance_provided",
    "fee_charged",
)


class InternshipCreateSchema(_PostingFields):
    """A new posting (created as `draft`); the student internship rules are checked on publish."""

    enterprise_id = ma.fields.Integer(required=True, strict=True)
    _required = require(*_REQUIRED_ON_CREATE)

    class Meta:
        example = {
            "enterprise_id": 12,
            "kind": "full_time",
            "title": "跨境电商数据运营专员",
            "description": "负责亚马逊与阿里巴巴国际站店铺的数据分析与运营复盘。",
            "category": "data",
            "district": "nansha",
            "mode": "hybrid",
            "slots": 2,
            "salary_band": "6000-8000",
            "contract_type": "fixed-term",
            "competencies": [{"code": "data-analysis", "min_level": 3}],
            "language_levels": [{"code": "es", "min_level": 3}],
            "certificates": [{"code": "cbec-b2b-data-operation", "min_level": "intermediate"}],
            "start_date": "2027-03-01",
            "end_date": "2028-02-29",
            "apply_by": "2027-02-01",
            "hours_per_day": 8,
            "hours_per_week": 40,
            "night_shifts": False,
            "insurance_provided": True,
            "fee_charged": False,
        }


class InternshipPatchSchema(_PostingFields):
    """Fields the enterprise may change; editing an open posting informs its applicants."""


class ReasonRequiredSchema(BaseSchema):
    """`{reason}` (required)."""

    reason = text(2000, required=True, min_len=1)


class CompetencyOutSchema(OutSchema):
    """A required competency."""

    code = ma.fields.String()
    min_level = ma.fields.Integer()


class CertificateOutSchema(OutSchema):
    """A required certificate and its lowest level that counts."""

    code = ma.fields.String()
    min_level = ma.fields.String()


class InternshipSchema(OutSchema):
    """An internship posting."""

    id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String()
    category = ma.fields.String()
    competencies = ma.fields.List(ma.fields.Nested(CompetencyOutSchema))
    majors = ma.fields.Function(
        lambda o: [m.code for m in o.majors],
        metadata={"type": "array", "items": {"type": "string"}},
    )
    languages = ma.fields.Function(
        lambda o: [x.code for x in o.languages],
        metadata={"type": "array", "items": {"type": "string"}},
    )
    language_levels = ma.fields.Function(
        lambda o: [{"code": x.code, "min_level": x.min_level} for x in o.languages],
        metadata={
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "min_level": {"type": "integer"}},
            },
        },
    )
    certificates = ma.fields.List(ma.fields.Nested(CertificateOutSchema))
    kind = ma.fields.String()
    salary_band = ma.fields.String(allow_none=True)
    contract_type = ma.fields.String(allow_none=True)
    district = ma.fields.String()
    mode = ma.fields.String()
    slots = ma.fields.Integer()
    accepted_count = ma.fields.Integer()
    stipend_min = ma.fields.Integer(allow_none=True)
    stipend_max = ma.fields.Integer(allow_none=True)
    start_date = ma.fields.Date()
    end_date = ma.fields.Date()
    apply_by = ma.fields.Date()
    hours_per_day = ma.fields.Float()
    hours_per_week = ma.fields.Float()
    night_shifts = ma.fields.Boolean()
    insurance_provided = ma.fields.Boolean()
    fee_charged = ma.fields.Boolean()
    staff_in_role = ma.fields.Integer(allow_none=True)
    regular_wage = ma.fields.Integer(allow_none=True)
    status = ma.fields.String()
    status_reason = ma.fields.String(allow_none=True)
    published_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class InternshipListArgs(PageArgs):
    """Filters, sort and keyset cursor for the internship list."""

    category = text(40)
    competency = text(60)
    major = text(60)
    language = text(10)
    district = text(40)
    mode = ma.fields.String(validate=ma.validate.OneOf(MODES))
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    salary_band = text(40)
    enterprise_id = ma.fields.Integer()
    status = ma.fields.String(
        validate=ma.validate.OneOf(STATUSES),
        metadata={
            "description": "default `open`; drafts and taken-down postings only to "
            "their enterprise's members and coordinators"
        },
    )
    q = text(200, metadata={"description": "case-insensitive substring of title or description"})
    sort = ma.fields.String(
        load_default="-published_at", validate=ma.validate.OneOf(["-published_at", "apply_by"])
    )
    after = text(
        200,
        metadata={
            "description": "keyset cursor: the `next_after` of the previous page; `page` is "
            "then ignored and deep pages stay as fast as the first"
        },
    )


class InternshipPageSchema(OutSchema):
    """`{items, total, page, per_page, next_after}`."""

    items = ma.fields.List(ma.fields.Nested(InternshipSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    next_after = ma.fields.String(allow_none=True)
