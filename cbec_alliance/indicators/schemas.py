"""Indicator schemas: the list's filters, an indicator, an import's result."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of
from cbec_alliance.destinations.schemas import ImportErrorSchema


class IndicatorListArgs(PageArgs):
    """`?code=&region=&year=&from=&to=` (years)."""

    code = ma.fields.String(validate=ma.validate.Length(1, 60))
    region = ma.fields.String(validate=ma.validate.Length(1, 6))
    year = ma.fields.Integer(validate=ma.validate.Range(2000, 2100))
    from_ = ma.fields.Integer(data_key="from", validate=ma.validate.Range(2000, 2100))
    to = ma.fields.Integer(validate=ma.validate.Range(2000, 2100))


class IndicatorSchema(OutSchema):
    """One value of one indicator for a region and period."""

    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    region = ma.fields.String(metadata={"description": "GB/T 2260 code, or CN"})
    region_zh = ma.fields.String()
    region_en = ma.fields.String()
    period = ma.fields.String(
        metadata={"description": "YYYY, YYYY-H1, YYYY-Q1, YYYY-MM, YYYY-YTDn"}
    )
    year = ma.fields.Integer()
    value = ma.fields.String(metadata={"description": "a decimal number, as text"})
    unit = ma.fields.String()
    source = ma.fields.String()
    updated_at = UtcDateTime()


IndicatorPage = page_of(IndicatorSchema)


class IndicatorImportArgs(BaseSchema):
    """`?partial=true` imports the good rows when some are bad."""

    partial_import = ma.fields.Boolean(load_default=False, data_key="partial")


class IndicatorImportSchema(OutSchema):
    """What an import did."""

    rows_total = ma.fields.Integer()
    imported = ma.fields.Integer()
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    errors = ma.fields.List(ma.fields.Nested(ImportErrorSchema))
