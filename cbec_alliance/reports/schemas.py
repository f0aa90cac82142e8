"""Annual report schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of

from .models import LANGUAGES, STATUSES


class AnnualReportInSchema(BaseSchema):
    """`{year, language?}`: the year to report on, in Chinese (default) or English."""

    year = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(2000, 2100))
    language = ma.fields.String(load_default="zh", validate=ma.validate.OneOf(LANGUAGES))


class AnnualReportListArgs(PageArgs):
    """`?year=`."""

    year = ma.fields.Integer(validate=ma.validate.Range(2000, 2100))


class AnnualReportArgs(BaseSchema):
    """`?format=json|xlsx|pdf`."""

    format = ma.fields.String(
        load_default="json", validate=ma.validate.OneOf(("json", "xlsx", "pdf"))
    )


class AnnualReportSchema(OutSchema):
    """A report: its build's state and progress, what the year lacks, and (JSON of one
    report, once done) its figures per section."""

    id = ma.fields.Integer()
    year = ma.fields.Integer()
    language = ma.fields.String(metadata={"enum": list(LANGUAGES)})
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    progress = ma.fields.Integer(metadata={"description": "percent"})
    step = ma.fields.String(allow_none=True, metadata={"description": "the section being built"})
    missing = ma.fields.List(ma.fields.String())
    seconds = ma.fields.Dict(metadata={"description": "how long sections, xlsx and PDF took"})
    error = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()
    finished_at = UtcDateTime(allow_none=True)
    data = ma.fields.Dict(
        allow_none=True,
        metadata={"description": "{year, language, built_at, sections: {code: figures}, missing}"},
    )


class AnnualReportBriefSchema(AnnualReportSchema):
    """A report in a list (without its figures)."""

    class Meta:
        exclude = ("data",)


AnnualReportPage = page_of(AnnualReportBriefSchema)
