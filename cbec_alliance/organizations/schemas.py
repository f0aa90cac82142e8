"""Organization schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs
from cbec_alliance.organizations.models import KINDS, ROLES, STATUSES


class MajorSchema(BaseSchema):
    """`{code, yearly_graduates}`."""

    code = taxonomy_code(60, required=True)
    yearly_graduates = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=0, max=1_000_000)
    )


class MajorOutSchema(OutSchema):
    """A university's major."""

    code = ma.fields.String()
    yearly_graduates = ma.fields.Integer()


class _OrgFields(BaseSchema):
    name = text(200, min_len=1)
    name_en = text(200, allow_none=True)
    district = taxonomy_code(40)
    description = text(10_000, allow_none=True)
    website = ma.fields.URL(allow_none=True, validate=ma.validate.Length(max=500))
    uscc = ma.fields.String(allow_none=True)
    size = taxonomy_code(allow_none=True)
    # Employees, for the placement rule "interns at most 10% of employees" (optional).
    employee_count = ma.fields.Integer(
        strict=True, allow_none=True, validate=ma.validate.Range(min=1, max=10_000_000)
    )
    platforms = ma.fields.List(
        taxonomy_code(), allow_none=True, validate=ma.validate.Length(max=20)
    )
    school_code = ma.fields.String(allow_none=True)
    level = taxonomy_code(allow_none=True)
    majors = ma.fields.List(
        ma.fields.Nested(MajorSchema), allow_none=True, validate=ma.validate.Length(max=50)
    )


class OrganizationCreateSchema(_OrgFields):
    """A new organization (enterprises: `uscc`, `size`; universities: `school_code`, `level`)."""

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    name = text(200, required=True, min_len=1)
    district = taxonomy_code(40, required=True)


class OrganizationPatchSchema(_OrgFields):
    """Fields an organization's admins may change (not its kind)."""


class OrganizationSchema(OutSchema):
    """An organization."""

    id = ma.fields.Integer()
    kind = ma.fields.String()
    name = ma.fields.String()
    name_en = ma.fields.String(allow_none=True)
    district = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    website = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    status_reason = ma.fields.String(allow_none=True)
    uscc = ma.fields.String(allow_none=True)
    size = ma.fields.String(allow_none=True)
    employee_count = ma.fields.Integer(allow_none=True)
    platforms = ma.fields.List(ma.fields.String(), allow_none=True)
    school_code = ma.fields.String(allow_none=True)
    level = ma.fields.String(allow_none=True)
    majors = ma.fields.List(ma.fields.Nested(MajorOutSchema))
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class OrganizationListArgs(PageArgs):
    """Filters for the organization list."""

    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    district = text(40)
    q = text(200)
    status = ma.fields.String(
        validate=ma.validate.OneOf(STATUSES),
        metadata={"description": "coordinators only; others see approved organizations"},
    )


class ReasonSchema(BaseSchema):
    """An optional reason for a lifecycle step."""

    reason = text(2000, allow_none=True)


class MemberSchema(OutSchema):
    """A member of an organization."""

    user_id = ma.fields.Integer()
    name = ma.fields.Function(lambda m: m.user.name)
    email = ma.fields.Function(lambda m: m.user.email)
    role = ma.fields.String()
    # `coordinator` for the platform's coordinators (see .../members/{user_id}/coordinator).
    platform_role = ma.fields.Function(lambda m: m.user.platform_role)
    created_at = UtcDateTime()


class MemberPatchSchema(BaseSchema):
    """`{role}`."""

    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))


class InvitationCreateSchema(BaseSchema):
    """`{email, role}`; `student` only for universities."""

    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))


class InvitationSchema(OutSchema):
    """A pending invitation (without its token)."""

    id = ma.fields.Integer()
    organization_id = ma.fields.Integer()
    email = ma.fields.String()
    role = ma.fields.String()
    created_at = UtcDateTime()
    expires_at = UtcDateTime()


class InvitationCreatedSchema(InvitationSchema):
    """A new invitation with its token, shown this once."""

    token = ma.fields.String()


class AcceptedSchema(OutSchema):
    """The membership an accepted invitation created."""

    organization_id = ma.fields.Integer()
    organization_kind = ma.fields.Function(lambda m: m.organization.kind)
    role = ma.fields.String()


class FirstPasswordSchema(BaseSchema):
    """`{password}`: the first password of an account a university's roster made."""

    password = text(200, required=True, min_len=10)
