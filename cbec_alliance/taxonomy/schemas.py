"""Taxonomy schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import FullMatch, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema

CODE_RE = r"^[a-z0-9][a-z0-9-]{0,59}$"


class TaxonomyItemSchema(OutSchema):
    """`{code, name_en, name_zh}`."""

    code = ma.fields.String()
    name_en = ma.fields.String()
    name_zh = ma.fields.String()


class TaxonomyCreateSchema(BaseSchema):
    """A new item: a stable lower-case code and both labels."""

    code = ma.fields.String(
        required=True,
        validate=FullMatch(CODE_RE, error="lower-case letters, digits and hyphens"),
    )
    name_en = text(200, required=True, min_len=1)
    name_zh = text(200, required=True, min_len=1)


class TaxonomyRenameSchema(BaseSchema):
    """New labels for an item."""

    name_en = text(200, min_len=1)
    name_zh = text(200, min_len=1)


class TaxonomyListSchema(OutSchema):
    """`{vocabulary, items}`."""

    vocabulary = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(TaxonomyItemSchema))
