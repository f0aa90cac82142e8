"""Policy schemas: policies, eligibility, applications and their review steps."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, text
from cbec_alliance.core.money import Amount
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of, require

from .eligibility import FIGURES, MAX_CONDITIONS
from .models import APPLICATION_STATES, KINDS, STATUSES

_CONDITIONS_DOC = (
    "eligibility as data, each `{figure, min}` or `{figure, in: [values]}`; figures: "
    + ", ".join(
        f"`{f.name}` ({f.en}; {'in' if f.compare == 'choice' else 'min'})" for f in FIGURES.values()
    )
    + "; training_base_level's min is municipal, provincial or national"
)


class _PolicyFields(BaseSchema):
    title = text(200, min_len=1)
    title_en = text(200, allow_none=True)
    description = text(20_000, allow_none=True)
    conditions = ma.fields.List(
        ma.fields.Dict(),
        validate=ma.validate.Length(max=MAX_CONDITIONS),
        metadata={"description": _CONDITIONS_DOC},
    )
    required_documents = ma.fields.List(
        text(100, min_len=1),
        validate=ma.validate.Length(max=30),
        metadata={"description": "names of the documents an applicant must give"},
    )
    opens_at = UtcDateTime(metadata={"description": "applications from (UTC)"})
    closes_at = UtcDateTime(metadata={"description": "applications until, exclusive (UTC)"})
    budget = Amount(
        allow_none=True,
        metadata={"description": "total yuan (subsidies and awards; none for a certification)"},
    )
    max_per_applicant = Amount(
        allow_none=True, metadata={"description": "yuan one applicant may be granted at most"}
    )


class PolicyCreateSchema(_PolicyFields):
    """A new draft policy of the government organization `issuer_id`."""

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    issuer_id = ma.fields.Integer(required=True, strict=True)
    _required = require("title", "opens_at", "closes_at")

    class Meta:
        example = {
            "kind": "subsidy",
            "issuer_id": 5,
            "title": "跨境电商实习基地建设补贴",
            "title_en": "CBEC internship base subsidy",
            "conditions": [
                {"figure": "organization_kind", "in": ["enterprise"]},
                {"figure": "district", "in": ["nansha", "huangpu"]},
                {"figure": "interns_hosted_12m", "min": 5},
                {"figure": "active_partnerships", "min": 1},
            ],
            "required_documents": ["营业执照", "实习协议汇总表"],
            "opens_at": "2027-03-01T00:00:00Z",
            "closes_at": "2027-06-01T00:00:00Z",
            "budget": "500000.00",
            "max_per_applicant": "50000.00",
        }


class PolicyPatchSchema(_PolicyFields):
    """Changes: any field of a draft; of a published policy its texts, closing time and
    budget (never below what was granted)."""


class PolicySchema(OutSchema):
    """A policy, its money and whether it takes applications now."""

    id = ma.fields.Integer()
    kind = ma.fields.String()
    issuer_id = ma.fields.Integer()
    title = ma.fields.String()
    title_en = ma.fields.String(allow_none=True)
    description = ma.fields.String(allow_none=True)
    conditions = ma.fields.List(ma.fields.Dict())
    required_documents = ma.fields.List(ma.fields.String())
    opens_at = UtcDateTime()
    closes_at = UtcDateTime()
    budget = Amount(allow_none=True)
    max_per_applicant = Amount(allow_none=True)
    granted = Amount(metadata={"description": "approved so far (yuan)"})
    remaining = Amount(allow_none=True, metadata={"description": "budget - granted"})
    status = ma.fields.String()
    accepting = ma.fields.Boolean(metadata={"description": "published and inside its window now"})
    created_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)


PolicyPage = page_of(PolicySchema)


class PolicyListArgs(PageArgs):
    """Filters (they combine)."""

    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    issuer_id = ma.fields.Integer()
    open = ma.fields.Boolean(metadata={"description": "true: taking applications now"})
    q = text(100, metadata={"description": "in the title or description"})


class EligibilityArgs(BaseSchema):
    """Whose eligibility: the caller's organization, or any for the policy's managers."""

    organization_id = ma.fields.Integer()


class _CheckOut(OutSchema):
    figure = ma.fields.String()
    label_en = ma.fields.String()
    label_zh = ma.fields.String()
    rule = ma.fields.String(metadata={"description": "min or in"})
    required = ma.fields.Raw(metadata={"description": "the minimum, or the values allowed"})
    found = ma.fields.Raw(metadata={"description": "the organization's figure"})
    passed = ma.fields.Boolean()


class EligibilitySchema(OutSchema):
    """Each condition, the figure found in the platform's records, and the verdict."""

    policy_id = ma.fields.Integer()
    organization_id = ma.fields.Integer()
    eligible = ma.fields.Boolean()
    conditions = ma.fields.List(ma.fields.Nested(_CheckOut))
    checked_at = UtcDateTime()


def _documents() -> ma.fields.Dict:
    return ma.fields.Dict(
        keys=text(100, min_len=1),
        values=text(500),
        validate=ma.validate.Length(max=30),
        metadata={"description": "{document name: reference}; every required one"},
    )


class PolicyApplyInSchema(BaseSchema):
    """An application for the caller's organization (name it when admin of several)."""

    organization_id = ma.fields.Integer(strict=True)
    statement = text(20_000, allow_none=True)
    documents = _documents()
    amount_requested = Amount(metadata={"description": "yuan, when the policy pays money"})

    class Meta:
        example = {
            "statement": "我司2026年接收实习生12名，与两所高校共建实训基地。",
            "documents": {"营业执照": "file:7781", "实习协议汇总表": "file:7782"},
            "amount_requested": "45000.00",
        }


class PolicyResubmitSchema(BaseSchema):
    """What the applicant adds after reviewers asked for more."""

    statement = text(20_000, allow_none=True)
    documents = _documents()
    amount_requested = Amount()


class PolicyReasonSchema(BaseSchema):
    """Reviewers' words: what more is needed, or why the application is rejected."""

    reason = text(2000, required=True, min_len=1)


class PolicyApproveSchema(BaseSchema):
    """The amount approved (required when the policy pays money)."""

    amount = Amount()


class PolicyDisburseSchema(BaseSchema):
    """The payment's reference (a voucher or transfer number)."""

    reference = text(200, required=True, min_len=1)


class PolicyApplicationSchema(OutSchema):
    """An application, the eligibility evidence it was judged on, its review and payment."""

    id = ma.fields.Integer()
    policy_id = ma.fields.Integer()
    organization_id = ma.fields.Integer()
    state = ma.fields.String()
    statement = ma.fields.String(allow_none=True)
    documents = ma.fields.Dict()
    amount_requested = Amount(allow_none=True)
    amount_approved = Amount(allow_none=True)
    amount_disbursed = Amount(allow_none=True)
    evidence = ma.fields.List(ma.fields.Nested(_CheckOut))
    reason = ma.fields.String(allow_none=True)
    disbursement_reference = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()
    submitted_at = UtcDateTime()
    decided_at = UtcDateTime(allow_none=True)
    disbursed_at = UtcDateTime(allow_none=True)


PolicyApplicationPage = page_of(PolicyApplicationSchema)


class PolicyApplicationListArgs(PageArgs):
    """Filters (they combine)."""

    policy_id = ma.fields.Integer()
    state = ma.fields.String(validate=ma.validate.OneOf(APPLICATION_STATES))
    organization_id = ma.fields.Integer()
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    issuer_id = ma.fields.Integer()
