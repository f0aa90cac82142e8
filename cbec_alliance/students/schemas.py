"""Student profile schemas."""

from __future__ import annotations

from datetime import date

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs
from cbec_alliance.documents.briefs import DocumentBriefSchema
from cbec_alliance.students.models import CERTIFICATE_LEVELS

_LEVEL = ma.validate.Range(min=1, max=5)


class LeveledCodeSchema(BaseSchema):
    """`{code, level}` with a level from 1 (aware) to 5 (expert)."""

    code = taxonomy_code(60, required=True)
    level = ma.fields.Integer(required=True, strict=True, validate=_LEVEL)


class CertificateSchema(BaseSchema):
    """A self-declared certificate: `{code, level}` from the catalogue or `{name, level}`.

    A catalogue code (the `certificates` vocabulary) must exist and be awarded at that level;
    a certificate not in the catalogue goes by its free-text `name` instead, so the catalogue
    stays clean. Either way it shows as unverified until an exam site issues a record.
    """

    code = taxonomy_code(60, metadata={"description": "a `certificates` vocabulary code"})
    name = text(200, min_len=1, metadata={"description": "free text, for one not catalogued"})
    level = ma.fields.String(required=True, validate=ma.validate.OneOf(CERTIFICATE_LEVELS))

    @ma.validates_schema
    def _code_or_name(self, data, **kwargs):
        if ("code" in data) == ("name" in data):
            raise ma.ValidationError("give either a catalogue code or a free-text name", "code")


class ProfileInSchema(BaseSchema):
    """The whole profile; PUT replaces it."""

    major = taxonomy_code(60, allow_none=True, load_default=None)
    graduation_year = ma.fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=ma.validate.Range(min=2000, max=2100),
    )
    # For the placement rules: no placement under 16, a guardian's consent under 18.
    birth_date = ma.fields.Date(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Range(min=date(1900, 1, 1), max=date(2100, 12, 31)),
    )
    competencies = ma.fields.List(
        ma.fields.Nested(LeveledCodeSchema),
        load_default=list,
        validate=ma.validate.Length(max=30),
    )
    languages = ma.fields.List(
        ma.fields.Nested(LeveledCodeSchema),
        load_default=list,
        validate=ma.validate.Length(max=20),
    )
    certificates = ma.fields.List(
        ma.fields.Nested(CertificateSchema),
        load_default=list,
        validate=ma.validate.Length(max=30),
    )
    bio = text(2000, allow_none=True, load_default=None)


class _LeveledOut(OutSchema):
    code = ma.fields.String()
    level = ma.fields.Integer()


class _CertificateOut(OutSchema):
    code = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    level = ma.fields.String()
    verified = ma.fields.Boolean(
        metadata={"description": "issued by an exam site on the platform (false: declared)"}
    )
    number = ma.fields.String(allow_none=True, metadata={"description": "the record's number"})


class ProfileSchema(OutSchema):
    """A student's profile."""

    user_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    major = ma.fields.String(allow_none=True)
    graduation_year = ma.fields.Integer(allow_none=True)
    student_number = ma.fields.String(
        allow_none=True, metadata={"description": "the university's number (学号), if imported"}
    )
    birth_date = ma.fields.Date(allow_none=True)
    competencies = ma.fields.List(ma.fields.Nested(_LeveledOut))
    languages = ma.fields.List(ma.fields.Nested(_LeveledOut))
    certificates = ma.fields.List(ma.fields.Nested(_CertificateOut))
    bio = ma.fields.String(allow_none=True)
    updated_at = UtcDateTime()


class StudentSchema(OutSchema):
    """A student of a university, as its staff see them."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    email = ma.fields.String()
    joined_at = UtcDateTime()
    profile = ma.fields.Nested(ProfileSchema, allow_none=True)


class StudentListArgs(PageArgs):
    """Filters for a university's students."""

    major = text(60)
    graduation_year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))
    competency = text(60)
    min_level = ma.fields.Integer(
        validate=_LEVEL, metadata={"description": "with `competency`: at least this level"}
    )
    q = text(200, metadata={"description": "substring of the name or email"})


class ResumeInSchema(BaseSchema):
    """A résumé from one of the caller's uploads (`POST /api/v1/documents`)."""

    document_id = ma.fields.Integer(required=True, strict=True)
    label = text(100, required=True, min_len=1, metadata={"example": "中文简历（运营方向）"})
    default = ma.fields.Boolean(
        load_default=False, metadata={"description": "make it the default résumé"}
    )


class ResumeSchema(OutSchema):
    """One of a student's résumés, its document listed as `{id, name, type, size}`."""

    id = ma.fields.Integer()
    label = ma.fields.String(metadata={"example": "中文简历（运营方向）"})
    is_default = ma.fields.Boolean()
    document = ma.fields.Nested(DocumentBriefSchema)
    created_at = UtcDateTime()
