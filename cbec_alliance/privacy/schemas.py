"""Personal data schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of
from cbec_alliance.privacy.models import KINDS


class ErasureSchema(BaseSchema):
    """Your password, to confirm that you, not someone at your unlocked screen, asked."""

    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1024))

    class Meta:
        example = {"password": "demo-password-2026"}


class PersonalDataSchema(OutSchema):
    """Every row naming you, table by table (secrets such as password hashes left out)."""

    generated_at = ma.fields.String()
    user = ma.fields.Dict()
    tables = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.Dict()),
        metadata={"description": "table name -> the rows in it that name you"},
    )

    class Meta:
        example = {
            "generated_at": "2026-12-05T08:00:00+00:00",
            "user": {"id": 7, "email": "wangfang@student.example.cn", "name": "王芳"},
            "tables": {"memberships": [{"id": 3, "organization_id": 2, "user_id": 7}]},
        }


class PrivacyRequestSchema(OutSchema):
    """One export or deletion."""

    id = ma.fields.Integer()
    user_id = ma.fields.Integer()
    kind = ma.fields.String()
    status = ma.fields.String()
    pseudonym = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    completed_at = ma.fields.DateTime(allow_none=True)


class PrivacyRequestArgsSchema(PageArgs):
    """Filter by kind."""

    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))


PrivacyRequestPage = page_of(PrivacyRequestSchema)
