"""Course schemas: the course, its partners' answers, versions, links and enrollments."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.i18n import N_
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of, require
from cbec_alliance.documents.briefs import DocumentBriefSchema
from cbec_alliance.internships.schemas import CertificateOutSchema, certificate_list

from .models import STATUSES

SEMESTER = ma.validate.Regexp(r"^\d{4}-(spring|fall)$", error=N_("like 2026-fall or 2027-spring"))


class Credits(ma.fields.Float):
    """Credits as a JSON number, kept exactly to one decimal."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        return Decimal(repr(number)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class LecturerSchema(BaseSchema):
    """`{name, organization_id}` (the university or a partner; may be null)."""

    name = text(100, required=True, min_len=1)
    organization_id = ma.fields.Integer(strict=True, load_default=None, allow_none=True)


class _CourseFields(BaseSchema):
    code = text(40, min_len=1)
    title = text(200, min_len=1)
    description = text(20_000, allow_none=True)
    credits = Credits(allow_nan=False, validate=ma.validate.Range(min=0, max=20))
    hours = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=1000))
    semester = ma.fields.String(validate=SEMESTER)
    language = taxonomy_code(10)
    competencies = ma.fields.List(taxonomy_code(60), validate=ma.validate.Length(max=20))
    partner_enterprise_ids = ma.fields.List(
        ma.fields.Integer(strict=True), validate=ma.validate.Length(max=20)
    )
    capacity = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=10_000))
    lecturers = ma.fields.List(
        ma.fields.Nested(LecturerSchema), validate=ma.validate.Length(max=20)
    )
    certificates = certificate_list()


_REQUIRED = ("code", "title", "credits", "hours", "semester", "language", "capacity")


class CourseCreateSchema(_CourseFields):
    """A new course (a `draft` of the university's)."""

    university_id = ma.fields.Integer(required=True, strict=True)
    _required = require(*_REQUIRED)


class CoursePatchSchema(_CourseFields):
    """Changes; on a published course a content change keeps the earlier version."""


class DeclineSchema(BaseSchema):
    """`{reason}` (required)."""

    reason = text(2000, required=True, min_len=1)


def _answering_enterprise() -> ma.fields.Integer:
    return ma.fields.Integer(
        strict=True,
        load_default=None,
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={
            "description": "the partner enterprise answering; needed only when the caller is "
            "an admin or staff of several partners of the course (422 names them otherwise)"
        },
    )


class ConfirmSchema(BaseSchema):
    """`{enterprise_id?}`: the body is optional."""

    enterprise_id = _answering_enterprise()


class CallerDeclineSchema(DeclineSchema):
    """`{reason, enterprise_id?}`."""

    enterprise_id = _answering_enterprise()


class PartnerSchema(OutSchema):
    """A partner enterprise and its answer to the current version."""

    enterprise_id = ma.fields.Integer()
    state = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)


class _LecturerOut(OutSchema):
    name = ma.fields.String()
    organization_id = ma.fields.Integer(allow_none=True)


class CourseSchema(OutSchema):
    """A course."""

    id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    code = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    credits = ma.fields.Float()
    hours = ma.fields.Integer()
    semester = ma.fields.String()
    language = ma.fields.String()
    competencies = ma.fields.List(ma.fields.String(), attribute="competency_codes")
    partner_enterprise_ids = ma.fields.List(ma.fields.Integer())
    partners = ma.fields.List(ma.fields.Nested(PartnerSchema))
    lecturers = ma.fields.List(ma.fields.Nested(_LecturerOut))
    certificates = ma.fields.List(
        ma.fields.Nested(CertificateOutSchema),
        metadata={"description": "the catalogued certificates (and levels) it prepares for"},
    )
    capacity = ma.fields.Integer()
    enrolled_count = ma.fields.Integer()
    status = ma.fields.String()
    version = ma.fields.Integer()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)


class _LinkedInternship(OutSchema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    enterprise_id = ma.fields.Integer()
    competencies = ma.fields.List(ma.fields.String(), metadata={"description": "shared ones"})
    certificates = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "certificates it asks for that the course prepares for"},
    )


class _LinkedCompetition(OutSchema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    tracks = ma.fields.List(ma.fields.String(), metadata={"description": "tracks using them"})


class LinksSchema(OutSchema):
    """Where the course leads: open postings asking for its competencies or the certificates
    it prepares for, and competitions using its competencies."""

    internships = ma.fields.List(ma.fields.Nested(_LinkedInternship))
    competitions = ma.fields.List(ma.fields.Nested(_LinkedCompetition))


class CourseDetailSchema(CourseSchema):
    """A course and what it links to ("job, course, competition, certificate")."""

    links = ma.fields.Nested(LinksSchema)


class CourseListArgs(PageArgs):
    """Filters of the course list (they combine)."""

    university_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer(metadata={"description": "a partner enterprise"})
    competency = text(60)
    semester = text(20)
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    q = text(200, metadata={"description": "substring of the title or code"})


class VersionSchema(OutSchema):
    """A version of the course's content (`current` for the one in force)."""

    version = ma.fields.Integer()
    current = ma.fields.Boolean()
    content = ma.fields.Dict()
    replaced_at = UtcDateTime(allow_none=True)


class EnrollmentSchema(OutSchema):
    """A student's place in a course."""

    id = ma.fields.Integer()
    course_id = ma.fields.Integer()
    student_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    status = ma.fields.String()
    created_at = UtcDateTime()
    withdrawn_at = UtcDateTime(allow_none=True)


class MaterialInSchema(BaseSchema):
    """A material from one of the caller's uploads; a title already used makes a new version."""

    title = text(200, required=True, min_len=1, metadata={"example": "第3章 亚马逊广告投放讲义"})
    document_id = ma.fields.Integer(required=True, strict=True)
    note = text(
        2000, allow_none=True, load_default=None, metadata={"example": "更新了2026年广告政策"}
    )


class MaterialArgs(BaseSchema):
    """`?all=true` lists every version, not only the latest of each title."""

    all = ma.fields.Boolean(load_default=False)


class MaterialSchema(OutSchema):
    """One version of a course material."""

    id = ma.fields.Integer()
    course_id = ma.fields.Integer()
    title = ma.fields.String(metadata={"example": "第3章 亚马逊广告投放讲义"})
    version = ma.fields.Integer()
    note = ma.fields.String(allow_none=True, metadata={"example": "更新了2026年广告政策"})
    document = ma.fields.Nested(DocumentBriefSchema)
    created_by_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()


CoursePage = page_of(CourseSchema)
EnrollmentPage = page_of(EnrollmentSchema)
