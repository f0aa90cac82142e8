"""Account request and response schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.accounts.models import LANGUAGES
from cbec_alliance.core.fields import UtcDateTime, text
from cbec_alliance.core.i18n import LANGUAGE_TAGS
from cbec_alliance.core.schemas import BaseSchema, OutSchema


class MembershipOutSchema(OutSchema):
    """One of the user's organization memberships."""

    organization_id = ma.fields.Integer()
    organization_kind = ma.fields.Function(lambda m: m.organization.kind)
    role = ma.fields.String()


class UserSchema(OutSchema):
    """A user as the user sees themselves."""

    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    platform_role = ma.fields.String()
    language = ma.fields.String()
    email_verified = ma.fields.Boolean(
        metadata={
            "description": "Whether the user proved they receive mail at `email`; "
            "an unverified user cannot join an organization"
        }
    )
    ui_language = ma.fields.String(
        allow_none=True,
        metadata={"description": "language of API messages; null follows Accept-Language"},
    )
    memberships = ma.fields.List(ma.fields.Nested(MembershipOutSchema))
    created_at = UtcDateTime()


class RegisterSchema(BaseSchema):
    """`{email, password, name}`."""

    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    password = text(200, required=True, min_len=10)
    name = text(200, required=True, min_len=1)
    language = ma.fields.String(load_default="zh", validate=ma.validate.OneOf(LANGUAGES))


class LoginSchema(BaseSchema):
    """`{email, password, remember?}`."""

    email = text(254, required=True, min_len=1)
    password = text(200, required=True, min_len=1)
    remember = ma.fields.Boolean(load_default=False)


class LoginResultSchema(OutSchema):
    """The logged-in user and the CSRF token for cookie-authenticated writes."""

    user = ma.fields.Nested(UserSchema)
    csrf_token = ma.fields.String()


class CsrfSchema(OutSchema):
    """`{csrf_token}`."""

    csrf_token = ma.fields.String()


class ProfilePatchSchema(BaseSchema):
    """Editable parts of one's own account."""

    name = text(200, min_len=1)
    language = ma.fields.String(validate=ma.validate.OneOf(LANGUAGES))
    ui_language = ma.fields.String(
        allow_none=True,
        validate=ma.validate.OneOf(LANGUAGE_TAGS),
        metadata={"description": "language of API messages (zh-CN, en); null: Accept-Language"},
    )


class PasswordChangeSchema(BaseSchema):
    """`{current_password, new_password}`; every login session and API token is revoked."""

    current_password = text(200, required=True, min_len=1)
    new_password = text(200, required=True, min_len=10)


class PasswordChangedSchema(LoginResultSchema):
    """The login result after a password change, and how many API tokens were revoked."""

    revoked_tokens = ma.fields.Integer(
        metadata={"description": "How many of the user's API tokens the change revoked"}
    )
    detail = ma.fields.String(metadata={"description": "What the change ended, in words"})


class TokenCreateSchema(BaseSchema):
    """`{name, expires_in_days}`."""

    name = text(100, required=True, min_len=1)
    expires_in_days = ma.fields.Integer(load_default=90, validate=ma.validate.Range(min=1, max=365))


class TokenSchema(OutSchema):
    """A token without its secret."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String()
    created_at = UtcDateTime()
    expires_at = UtcDateTime()


class TokenCreatedSchema(TokenSchema):
    """A new token, with the secret shown this once."""

    token = ma.fields.String()


class PasswordResetRequestSchema(BaseSchema):
    """`{email}`: the address of the account whose password is forgotten."""

    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))


class MailSentSchema(OutSchema):
    """What was done, in words (the same whatever the address)."""

    detail = ma.fields.String()


class PasswordResetConfirmSchema(BaseSchema):
    """`{token, password}`: the mailed token and the new password (10+ characters)."""

    token = text(200, required=True, min_len=1)
    password = text(200, required=True, min_len=10)


class PasswordResetDoneSchema(OutSchema):
    """The reset's outcome: every login session ended, so log in again."""

    revoked_tokens = ma.fields.Integer(
        metadata={"description": "How many of the user's API tokens the reset revoked"}
    )
    detail = ma.fields.String()


class VerifyEmailSchema(BaseSchema):
    """`{token}`: the mailed verification token."""

    token = text(200, required=True, min_len=1)


class EmailVerifiedSchema(OutSchema):
    """The verified address."""

    email = ma.fields.String()
    email_verified = ma.fields.Boolean()
