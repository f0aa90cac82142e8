"""Routes under /api/v1/auth that work by mailed token: password reset, email verification."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts import email_tokens
from cbec_alliance.accounts.auth import me
from cbec_alliance.accounts.schemas import (
    EmailVerifiedSchema,
    MailSentSchema,
    PasswordResetConfirmSchema,
    PasswordResetDoneSchema,
    PasswordResetRequestSchema,
    VerifyEmailSchema,
)
from cbec_alliance.accounts.views import blp
from cbec_alliance.extensions import limiter

RESET_ACCEPTED = (
    "If an account has this email address, a password reset token was mailed to it; "
    "it is valid for a limited time and can be used once."
)
RESET_DONE = (
    "Password reset for %(email)s: every login session ended and %(revoked)s API token(s) "
    "were revoked; log in with the new password."
)

RESENT = "A verification token was mailed to %(email)s."


def _setting(name: str):
    return lambda: current_app.config[name]


@blp.route("/password-reset")
class PasswordReset(MethodView):
    """Ask for a password reset token by email."""

    @blp.doc(security=[])
    @blp.arguments(PasswordResetRequestSchema)
    @blp.response(202, MailSentSchema, example={"detail": RESET_ACCEPTED})
    @blp.alt_response(
        429,
        description="Over `PASSWORD_RESET_LIMIT_PER_IP` requests from this address or "
        "`PASSWORD_RESET_LIMIT_PER_EMAIL` for this email (counted alike for addresses "
        "without an account); see Retry-After",
    )
    def post(self, data):
        """Mail a single-use reset token (valid `PASSWORD_RESET_MINUTES`) to the account with
        this email. The answer is the same 202 whether or not an account has the address."""
        email_tokens.request_password_reset(data["email"], request.remote_addr)
        return {"detail": RESET_ACCEPTED}


@blp.route("/password-reset/confirm")
class PasswordResetConfirm(MethodView):
    """Set a new password with a mailed token."""

    @blp.doc(security=[])
    @blp.arguments(PasswordResetConfirmSchema)
    @blp.response(200, PasswordResetDoneSchema)
    @blp.alt_response(404, description="No such token")
    @blp.alt_response(410, description="The token was used, replaced or has expired")
    def post(self, data):
        """Set the password (10+ characters); every login session ends and every API token
        is revoked, as on a password change, and the token is spent. 404 when no such token
        was issued; 410 Gone when it was used, replaced (another reset token of the user was
        used) or has expired."""
        user, revoked = email_tokens.reset_password(data["token"], data["password"])
        detail = RESET_DONE % {"email": user.email, "revoked": revoked}  # noqa: UP031
        return {"revoked_tokens": revoked, "detail": detail}


@blp.route("/verify-email")
class VerifyEmail(MethodView):
    """Verify the account's email address with a mailed token."""

    @blp.doc(security=[])
    @blp.arguments(VerifyEmailSchema)
    @blp.response(200, EmailVerifiedSchema)
    @blp.alt_response(404, description="No such token")
    @blp.alt_response(410, description="The token was used, replaced or has expired")
    def post(self, data):
        """Mark the address verified (no login needed: the token proves the mailbox). 404 when
        no such token was issued; 410 Gone when it was used, replaced or has expired."""
        user = email_tokens.verify_email(data["token"])
        return {"email": user.email, "email_verified": True}


@blp.route("/verify-email/resend")
class VerifyEmailResend(MethodView):
    """Mail a new verification token."""

    @login_required
    @limiter.limit(_setting("VERIFY_EMAIL_RESEND_LIMIT"), key_func=lambda: f"user:{me().id}")
    @blp.response(202, MailSentSchema)
    @blp.alt_response(409, description="The address is already verified")
    @blp.alt_response(429, description="Over `VERIFY_EMAIL_RESEND_LIMIT` for this user")
    def post(self):
        """Mail a new verification token to my address (valid `EMAIL_VERIFICATION_HOURS`)."""
        user = me()
        email_tokens.resend_verification(user)
        return {"detail": RESENT % {"email": user.email}}  # noqa: UP031 - catalogue style
