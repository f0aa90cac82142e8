"""Schemas of joint teaching: profiles, assignments, practice stays, the dual-qualified report."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import FullMatch, UtcDateTime, taxonomy_code, text
from cbec_alliance.core.i18n import N_
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of

from .models import ASSIGNMENT_STATES, SEMESTER_RE, STAY_STATES


def semester_field(**kw) -> ma.fields.String:
    return ma.fields.String(
        validate=FullMatch(SEMESTER_RE, error=N_("a semester like 2027-spring or 2027-fall")), **kw
    )


def _id(**kw) -> ma.fields.Integer:
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1), **kw)


# --- enterprise teachers -----------------------------------------------------------------


class TeacherProfileIn(BaseSchema):
    """The caller's teaching profile as an enterprise teacher."""

    enterprise_id = _id(
        allow_none=True,
        metadata={"description": "default: the one enterprise the caller is staff of"},
    )
    title = text(100, required=True, min_len=1)
    # Not `fields`: a schema's own attribute of that name holds its fields.
    field_codes = ma.fields.List(
        taxonomy_code(),
        required=True,
        data_key="fields",
        attribute="fields",
        validate=ma.validate.Length(min=1, max=20),
        metadata={"description": "competency codes (taxonomy `competencies`)"},
    )
    years_of_practice = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=0, max=60)
    )
    bio = text(4000, allow_none=True)

    class Meta:
        example = {
            "title": "跨境电商运营总监",
            "fields": ["platform-operation", "data-analysis"],
            "years_of_practice": 8,
            "bio": "负责亚马逊欧洲站运营八年，带教实习生三十余名。",
        }


class TeacherProfileSchema(OutSchema):
    """An enterprise teacher."""

    user_id = ma.fields.Integer()
    name = ma.fields.String(attribute="teacher.name")
    enterprise_id = ma.fields.Integer()
    enterprise_name = ma.fields.String(attribute="enterprise.name")
    title = ma.fields.String()
    field_codes = ma.fields.List(ma.fields.String(), data_key="fields", attribute="fields")
    years_of_practice = ma.fields.Integer()
    bio = ma.fields.String(allow_none=True)
    updated_at = UtcDateTime()


class TeacherListArgs(PageArgs):
    """Filters (they combine)."""

    field = taxonomy_code(metadata={"description": "a competency code"})
    enterprise_id = ma.fields.Integer()
    min_years = ma.fields.Integer(validate=ma.validate.Range(min=0, max=60))
    q = text(100, metadata={"description": "part of the name or title"})


# --- assignments -------------------------------------------------------------------------


class AssignmentIn(BaseSchema):
    """Hours on a course for an enterprise teacher in one semester."""

    teacher_id = _id(required=True, metadata={"description": "an enterprise teacher's user id"})
    course_id = _id(required=True, metadata={"description": "a course of the caller's university"})
    semester = semester_field(metadata={"description": "default: the course's semester"})
    hours = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=1, max=2000)
    )

    class Meta:
        example = {"teacher_id": 12, "course_id": 3, "semester": "2027-spring", "hours": 16}


class DeclineIn(BaseSchema):
    """`{reason}` (optional)."""

    reason = text(2000, allow_none=True)

    class Meta:
        example = {"reason": "本学期出差较多，下学期可以承担"}


class AcceptIn(BaseSchema):
    """No fields: send `{}`."""

    class Meta:
        example: dict = {}


class HoursIn(BaseSchema):
    """The hours delivered so far (a total, not an increment)."""

    hours_delivered = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=0, max=2000)
    )

    class Meta:
        example = {"hours_delivered": 8}


class AssignmentSchema(OutSchema):
    """A teaching assignment."""

    id = ma.fields.Integer()
    teacher_id = ma.fields.Integer()
    teacher_name = ma.fields.String(attribute="teacher.name")
    enterprise_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    course_id = ma.fields.Integer(allow_none=True)
    programme_id = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "the programme (POST /programmes/{id}/teaching-assignments)"},
    )
    subject = ma.fields.String()
    semester = ma.fields.String()
    hours = ma.fields.Integer()
    hours_delivered = ma.fields.Integer()
    status = ma.fields.String()
    decline_reason = ma.fields.String(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()


class AssignmentListArgs(PageArgs):
    """Filters (they combine)."""

    status = ma.fields.String(validate=ma.validate.OneOf(ASSIGNMENT_STATES))
    semester = semester_field()
    course_id = ma.fields.Integer()
    programme_id = ma.fields.Integer()
    teacher_id = ma.fields.Integer()
    university_id = ma.fields.Integer()


# --- university teachers and practice ----------------------------------------------------


class UniversityTeacherIn(BaseSchema):
    """The caller's profile as a university teacher."""

    university_id = _id(
        allow_none=True,
        metadata={"description": "default: the one university the caller is staff of"},
    )
    industry_title = text(100, allow_none=True, metadata={"description": "e.g. 高级电子商务师"})
    majors_taught = ma.fields.List(
        taxonomy_code(),
        required=True,
        validate=ma.validate.Length(max=20),
        metadata={"description": "major codes (taxonomy `majors`)"},
    )

    class Meta:
        example = {"industry_title": "高级电子商务师", "majors_taught": ["e-commerce"]}


class UniversityTeacherSchema(OutSchema):
    """A university teacher's profile."""

    user_id = ma.fields.Integer()
    name = ma.fields.String(attribute="teacher.name")
    university_id = ma.fields.Integer()
    industry_title = ma.fields.String(allow_none=True)
    majors_taught = ma.fields.List(ma.fields.String())
    updated_at = UtcDateTime()


class StayIn(BaseSchema):
    """A stay at an enterprise: first and last day, hours and tasks."""

    teacher_id = _id(metadata={"description": "default: the caller"})
    university_id = _id(metadata={"description": "default: the teacher's university"})
    enterprise_id = _id(required=True)
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    hours = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=1, max=10_000)
    )
    tasks = text(4000, required=True, min_len=1)

    class Meta:
        example = {
            "enterprise_id": 5,
            "starts_on": "2027-07-05",
            "ends_on": "2027-08-27",
            "hours": 320,
            "tasks": "参与亚马逊店铺运营与数据分析，整理教学案例。",
        }


class ConfirmIn(BaseSchema):
    """Optionally the hours the enterprise confirms (default: those proposed)."""

    hours = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=10_000))

    class Meta:
        example = {"hours": 300}


class RejectIn(BaseSchema):
    """`{reason}`."""

    reason = text(2000, required=True, min_len=1)

    class Meta:
        example = {"reason": "该时段公司无接待安排"}


class StaySchema(OutSchema):
    """A practice stay."""

    id = ma.fields.Integer()
    teacher_id = ma.fields.Integer()
    teacher_name = ma.fields.String(attribute="teacher.name")
    university_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    enterprise_name = ma.fields.String(attribute="enterprise.name")
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    hours = ma.fields.Integer()
    tasks = ma.fields.String()
    state = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()


class StayListArgs(PageArgs):
    """Filters (they combine)."""

    state = ma.fields.String(validate=ma.validate.OneOf(STAY_STATES))
    teacher_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()


# --- the dual-qualified report -----------------------------------------------------------


class DualTeacherSchema(OutSchema):
    """A teacher of the CBEC majors and whether they count."""

    teacher_id = ma.fields.Integer()
    name = ma.fields.String()
    majors_taught = ma.fields.List(ma.fields.String())
    industry_title = ma.fields.String(allow_none=True)
    practice_months = ma.fields.Float()
    dual_qualified = ma.fields.Boolean()


class DualRuleSchema(OutSchema):
    """The rule applied (config/settings.py)."""

    practice_months = ma.fields.Integer()
    within_years = ma.fields.Integer()
    industry_title_counts = ma.fields.Boolean()
    days_per_month = ma.fields.Integer()


class DualReportSchema(OutSchema):
    """The university's dual-qualified share of its teachers of the CBEC majors."""

    university_id = ma.fields.Integer()
    on = ma.fields.Date()
    cbec_majors = ma.fields.List(ma.fields.String())
    rule = ma.fields.Nested(DualRuleSchema)
    teachers = ma.fields.Integer()
    dual_qualified = ma.fields.Integer()
    share = ma.fields.Float(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(DualTeacherSchema))


TeacherPage = page_of(TeacherProfileSchema)
AssignmentPage = page_of(AssignmentSchema)
StayPage = page_of(StaySchema)
