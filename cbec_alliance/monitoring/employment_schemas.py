"""Schemas of the employment report."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.exports import ChartArgs
from cbec_alliance.core.schemas import OutSchema

from .schemas import Fresh


class EmploymentArgs(ChartArgs):
    """`?year=` (default this year) and `?organization_id=` (coordinators and associations:
    any university or enterprise; staff: their own, the first one by default)."""

    year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))
    organization_id = ma.fields.Integer(validate=ma.validate.Range(min=1))


class _Rates(OutSchema):
    university_id = ma.fields.Integer()
    name = ma.fields.String(allow_none=True)
    major = ma.fields.String(allow_none=True)
    graduates = ma.fields.Integer()
    reported = ma.fields.Integer()
    placed = ma.fields.Integer(metadata={"description": "any outcome but not-employed"})
    confirmed = ma.fields.Integer(metadata={"description": "placed and confirmed by employer"})
    declared = ma.fields.Integer(metadata={"description": "placed, not (yet) confirmed"})
    pending = ma.fields.Integer()
    disputed = ma.fields.Integer()
    cbec_related = ma.fields.Integer()
    in_guangzhou = ma.fields.Integer()
    destination_rate = ma.fields.Float(
        allow_none=True, metadata={"description": "placed / graduates"}
    )
    confirmed_rate = ma.fields.Float(
        allow_none=True, metadata={"description": "confirmed / placed"}
    )
    cbec_related_share = ma.fields.Float(allow_none=True)
    guangzhou_share = ma.fields.Float(allow_none=True)


class _Count(OutSchema):
    code = ma.fields.String()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()
    count = ma.fields.Integer()
    confirmed = ma.fields.Integer()


class _Conversion(OutSchema):
    enterprise_id = ma.fields.Integer()
    name = ma.fields.String()
    hired = ma.fields.Integer()
    confirmed = ma.fields.Integer()
    converted = ma.fields.Integer(metadata={"description": "hires who interned there first"})
    converted_confirmed = ma.fields.Integer()
    conversion_share = ma.fields.Float(allow_none=True)


class EmploymentSchema(Fresh):
    """The employment report of one graduation year."""

    year = ma.fields.Integer()
    scope = ma.fields.Dict(allow_none=True, metadata={"description": "null: the whole alliance"})
    totals = ma.fields.Nested(
        _Rates, allow_none=True, metadata={"description": "null for an enterprise"}
    )
    by_university = ma.fields.List(ma.fields.Nested(_Rates))
    by_major = ma.fields.List(ma.fields.Nested(_Rates))
    by_outcome = ma.fields.List(ma.fields.Nested(_Count))
    salary_bands = ma.fields.List(ma.fields.Nested(_Count))
    confirmations = ma.fields.Dict(metadata={"description": "{pending, confirmed, disputed}"})
    conversions = ma.fields.List(ma.fields.Nested(_Conversion))
    certificates = ma.fields.List(
        ma.fields.Dict(),
        metadata={"description": "certificate pass rates per certificate and university"},
    )
