"""Destination schemas: a destination in and out, the employer's confirmation or dispute,
list filters, and the bulk import job."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import gettext as _

from cbec_alliance.core.fields import StrictBoolean, UtcDateTime, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, require
from cbec_alliance.organizations.codes import uscc_error

from .models import CONFIRMATIONS, IMPORT_STATES, OUTCOMES, SALARY_BANDS
from .regions import REGIONS

YEARS = ma.validate.Range(min=2000, max=2100)
DESTINATION_EXAMPLE = {
    "student_id": 42,
    "graduation_year": 2026,
    "outcome": "employed-contract",
    "employer_name": "广州跨境优选贸易有限公司",
    "employer_uscc": "91440101MA5CXY123X",
    "location_code": "440106",
    "industry": "跨境电商（亚马逊运营）",
    "cbec_related": True,
    "related_to_major": True,
    "salary_band": "6000-8000",
}


def _uscc(value: str) -> None:
    problem = uscc_error(value)
    if problem:
        raise ma.ValidationError(
            _("not a unified social credit code: %(problem)s", problem=problem)
        )


def _region(value: str) -> None:
    if value not in REGIONS:
        raise ma.ValidationError(
            "unknown GB/T 2260 code (a province, a Guangdong city or a Guangzhou district, "
            "6 digits)"
        )


class DestinationPatchSchema(BaseSchema):
    """A destination's fields (each optional when changing one)."""

    class Meta:
        example = {"outcome": "flexible", "salary_band": "4000-6000"}

    outcome = ma.fields.String(validate=ma.validate.OneOf(OUTCOMES))
    employer_id = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=1))
    employer_name = text(200, min_len=1, allow_none=True)
    employer_uscc = ma.fields.String(allow_none=True, validate=_uscc)
    location_code = ma.fields.String(allow_none=True, validate=_region)
    industry = text(100, allow_none=True)
    cbec_related = StrictBoolean()
    related_to_major = StrictBoolean()
    salary_band = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(SALARY_BANDS))

    @ma.validates_schema(skip_on_field_errors=True)
    def _one_employer(self, data, **_kw):
        if data.get("employer_id") is not None and (
            data.get("employer_name") or data.get("employer_uscc")
        ):
            raise ma.ValidationError(
                "an alliance organization or a name with a credit code, not both", "employer_id"
            )
        if bool(data.get("employer_name")) != bool(data.get("employer_uscc")) and (
            "employer_name" in data or "employer_uscc" in data
        ):
            field = "employer_uscc" if data.get("employer_name") else "employer_name"
            raise ma.ValidationError("an employer outside the alliance needs both", field)


class DestinationInSchema(DestinationPatchSchema):
    """A new destination: whose (`student_id`, left out by a student reporting their own),
    which year, and the outcome."""

    class Meta:
        example = DESTINATION_EXAMPLE

    student_id = ma.fields.Integer(validate=ma.validate.Range(min=1))
    graduation_year = ma.fields.Integer(validate=YEARS)
    _required = require("graduation_year", "outcome")


class DisputeSchema(BaseSchema):
    """Why the employer disputes the destination."""

    class Meta:
        example = {"reason": "该毕业生未在我司入职，仅参加过面试。"}

    reason = text(2000, required=True, min_len=1)


class DestinationListArgs(PageArgs):
    """Filters of the destination list."""

    year = ma.fields.Integer(validate=YEARS)
    university_id = ma.fields.Integer(validate=ma.validate.Range(min=1))
    student_id = ma.fields.Integer(validate=ma.validate.Range(min=1))
    outcome = ma.fields.String(validate=ma.validate.OneOf(OUTCOMES))
    confirmation = ma.fields.String(validate=ma.validate.OneOf(CONFIRMATIONS))


class ConfirmationArgs(PageArgs):
    """`?state=pending` (default), `confirmed` or `disputed`."""

    state = ma.fields.String(load_default="pending", validate=ma.validate.OneOf(CONFIRMATIONS[1:]))


class _Labelled(OutSchema):
    code = ma.fields.String()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()


class DestinationSchema(OutSchema):
    """A destination as reported, with the employer's word on it."""

    id = ma.fields.Integer()
    student_id = ma.fields.Integer()
    student_name = ma.fields.String()
    university_id = ma.fields.Integer()
    major = ma.fields.String(allow_none=True)
    graduation_year = ma.fields.Integer()
    outcome = ma.fields.String()
    outcome_zh = ma.fields.String()
    employer_id = ma.fields.Integer(allow_none=True)
    employer_name = ma.fields.String(allow_none=True)
    employer_uscc = ma.fields.String(allow_none=True)
    location_code = ma.fields.String(allow_none=True)
    location = ma.fields.Nested(_Labelled, allow_none=True)
    industry = ma.fields.String(allow_none=True)
    cbec_related = ma.fields.Boolean()
    related_to_major = ma.fields.Boolean()
    salary_band = ma.fields.String(allow_none=True)
    source = ma.fields.String(metadata={"description": "staff, student or import"})
    confirmation = ma.fields.String(
        metadata={
            "description": "not_required (no alliance employer: declared only), pending, "
            "confirmed or disputed"
        }
    )
    confirmed_at = UtcDateTime(allow_none=True)
    dispute_reason = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class DestinationPageSchema(OutSchema):
    items = ma.fields.List(ma.fields.Nested(DestinationSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class ImportArgs(BaseSchema):
    """The form of an import: the xlsx `file`, `partial` and, for staff of several
    universities, `university_id`."""

    partial_import = ma.fields.Boolean(load_default=False, data_key="partial")
    university_id = ma.fields.Integer(validate=ma.validate.Range(min=1))


class ImportFileSchema(ma.Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary"}, required=True)


class ImportErrorSchema(OutSchema):
    row = ma.fields.Integer(metadata={"description": "the file's row number (the header is row 1)"})
    field = ma.fields.String()
    message = ma.fields.String()


class ImportSchema(OutSchema):
    """A bulk import and its progress."""

    id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    filename = ma.fields.String()
    partial_import = ma.fields.Boolean(attribute="partial", data_key="partial")
    state = ma.fields.String(metadata={"enum": list(IMPORT_STATES)})
    rows_total = ma.fields.Integer()
    rows_done = ma.fields.Integer()
    imported = ma.fields.Integer()
    errors = ma.fields.List(ma.fields.Nested(ImportErrorSchema))
    created_at = UtcDateTime()
    finished_at = UtcDateTime(allow_none=True)


class VocabularySchema(OutSchema):
    """The codes a destination uses."""

    outcomes = ma.fields.List(ma.fields.Nested(_Labelled))
    salary_bands = ma.fields.List(ma.fields.String())
    locations = ma.fields.List(ma.fields.Nested(_Labelled))
