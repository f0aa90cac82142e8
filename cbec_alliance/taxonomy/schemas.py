"""Taxonomy schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import FullMatch, text
from cbec_alliance.core.i18n import N_
from cbec_alliance.core.schemas import BaseSchema, OutSchema

CODE_RE = r"^[a-z0-9][a-z0-9-]{0,59}$"


class TaxonomyItemSchema(OutSchema):
    """`{code, name_en, name_zh}`."""

    code = ma.fields.String()
    name_en = ma.fields.String()
    name_zh = ma.fields.String()
    details = ma.fields.Dict(
        metadata={
            "description": "only in `certificates`: issuer, levels, competencies, official_1x"
        },
    )

    @ma.post_dump
    def _only_with_details(self, data, **kwargs):
        # The contract's items are {code, name_en, name_zh}; only certificates add details.
        if data.get("details") is None:
            data.pop("details", None)
        return data


LEVELS = ("junior", "intermediate", "senior")


class CertificateDetailsSchema(BaseSchema):
    """A catalogued certificate: who assesses it, its levels and what it attests."""

    issuer = text(200, required=True, min_len=1, metadata={"description": "评价组织"})
    levels = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(LEVELS)),
        required=True,
        validate=ma.validate.Length(min=1, max=3),
    )
    competencies = ma.fields.List(
        ma.fields.String(validate=FullMatch(CODE_RE, error=N_("not a competency code"))),
        load_default=list,
        validate=ma.validate.Length(max=20),
    )
    official_1x = ma.fields.Boolean(
        load_default=False, metadata={"description": "a Ministry of Education 1+X certificate"}
    )


class TaxonomyCreateSchema(BaseSchema):
    """A new item: a stable lower-case code and both labels."""

    code = ma.fields.String(
        required=True,
        validate=FullMatch(CODE_RE, error=N_("lower-case letters, digits and hyphens")),
    )
    name_en = text(200, required=True, min_len=1)
    name_zh = text(200, required=True, min_len=1)
    details = ma.fields.Nested(
        CertificateDetailsSchema,
        metadata={"description": "required for `certificates`, refused for other vocabularies"},
    )

    class Meta:
        example = {
            "code": "cbec-b2b-data-operation",
            "name_en": "Cross-border e-commerce B2B data operation (1+X)",
            "name_zh": "跨境电商B2B数据运营",
            "details": {
                "issuer": "阿里巴巴（中国）教育科技有限公司",
                "levels": ["junior", "intermediate", "senior"],
                "competencies": ["data-analysis", "platform-operation"],
                "official_1x": True,
            },
        }


class TaxonomyRenameSchema(BaseSchema):
    """New labels for an item."""

    name_en = text(200, min_len=1)
    name_zh = text(200, min_len=1)


class TaxonomyListSchema(OutSchema):
    """`{vocabulary, items}`."""

    vocabulary = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(TaxonomyItemSchema))


class VocabularySummarySchema(OutSchema):
    """One vocabulary: its name (the path segment), labels and item count."""

    name = ma.fields.String(metadata={"description": "the `{vocabulary}` path segment"})
    name_en = ma.fields.String()
    name_zh = ma.fields.String()
    count = ma.fields.Integer(metadata={"description": "items in the vocabulary"})


class VocabularyIndexSchema(OutSchema):
    """`{items}`: every vocabulary."""

    items = ma.fields.List(ma.fields.Nested(VocabularySummarySchema))

    class Meta:
        example = {
            "items": [
                {"name": "majors", "name_en": "Majors", "name_zh": "专业", "count": 12},
                {
                    "name": "districts",
                    "name_en": "Guangzhou districts",
                    "name_zh": "广州市辖区",
                    "count": 11,
                },
            ]
        }
