"""Tokens mailed to a user: password resets and email verifications.

A token is 256 random bits, stored only as its SHA-256 hash, single use and expiring. Its
email goes out through the notifications outbox after the commit (`account.*` events, mailed
to the address only: never to the inbox, never to a webhook).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import cast

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.accounts import services, throttle
from cbec_alliance.accounts.models import AccountToken, User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, forbidden, gone, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import as_utc, iso_z, utcnow
from cbec_alliance.extensions import db

PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a secret
VERIFY_EMAIL = "verify_email"
EVENT_OF = {PASSWORD_RESET: "account.password_reset", VERIFY_EMAIL: "account.verify_email"}


def _lifetime(purpose: str) -> timedelta:
    cfg = current_app.config
    if purpose == PASSWORD_RESET:
        return timedelta(minutes=cfg["PASSWORD_RESET_MINUTES"])
    return timedelta(hours=cfg["EMAIL_VERIFICATION_HOURS"])


def _issue(user: User | None, purpose: str) -> None:
    """Make a token and mail it; without a user, make it all the same and drop it (the work a
    caller can time is the same whether or not the address has an account)."""
    plain = secrets.token_urlsafe(32)
    digest = services.sha256(plain)
    now = utcnow()
    expires_at = now + _lifetime(purpose)
    if user is None:
        return
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=digest,
            email=user.email,
            created_at=now,
            expires_at=expires_at,
        )
    )
    # The plain token travels in the event to its one email (see notifications'
    # account_events: mailed to the address, kept out of the inbox and webhooks).
    emit(
        EVENT_OF[purpose],
        {
            "user_id": user.id,
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "token": plain,
            "expires_at": iso_z(expires_at),
        },
        actor=user,
    )


def sign_up(email: str, password: str, name: str, language: str) -> User:
    """Register a new account and mail it a verification token."""
    user = services.register(email, password, name, language=language)
    _issue(user, VERIFY_EMAIL)
    return user


def request_password_reset(email: str, remote_addr: str | None) -> None:
    """Mail a password reset token if an active account has this email; nothing tells the
    caller whether one does (throttled alike, recorded alike: accounts/throttle.py)."""
    throttle.reset_requested(email, remote_addr)
    user = services.get_user_by_email(email)
    if user is not None and not user.is_active:
        user = None
    _issue(user, PASSWORD_RESET)
    if user is not None:
        audit(actor=None, obj=user, action="request_password_reset", changes={})


def resend_verification(user: User) -> None:
    """Mail the user a fresh verification token (409 when already verified)."""
    if user.email_verified:
        conflict("your email address is already verified", email_verified=True)
    _issue(user, VERIFY_EMAIL)


def _spend(plain: str, purpose: str) -> User:
    """Use a token once: 404 if no such token, 410 if used, void or expired. Spending one
    voids every other unused token of the user for the same purpose."""
    row = db.session.scalar(
        sa.select(AccountToken).where(
            AccountToken.token_hash == services.sha256(plain), AccountToken.purpose == purpose
        )
    )
    if row is None:
        not_found("token")
    now = utcnow()
    if row.used_at is not None or not row.user.is_active or row.email != row.user.email:
        gone("this token was already used or replaced; ask for a new one")
    if as_utc(row.expires_at) <= now:
        gone("this token has expired; ask for a new one")
    # One conditional UPDATE: of two requests racing with the same token, one wins.
    spent = cast(
        sa.CursorResult,
        db.session.execute(
            sa.update(AccountToken)
            .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
            .values(used_at=now)
        ),
    )
    if spent.rowcount != 1:
        gone("this token was already used or replaced; ask for a new one")
    db.session.execute(
        sa.update(AccountToken)
        .where(
            AccountToken.user_id == row.user_id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return row.user


def _mark_verified(user: User, how: str) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit(actor=user, obj=user, action="verify_email", changes={"by": how})


def reset_password(plain: str, password: str) -> tuple[User, int]:
    """Set a new password with a reset token; every login session and API token of the user
    ends. Returns the user and how many API tokens were revoked."""
    user = _spend(plain, PASSWORD_RESET)
    user.password_hash = services.hash_password(password)
    user.password_changed_at = utcnow()
    revoked = services.revoke_credentials(user)
    # The token reached the address, which proves it as a verification token would.
    _mark_verified(user, "password_reset")
    audit(
        actor=user,
        obj=user,
        action="reset_password",
        changes={"password": "changed", "revoked_tokens": revoked},
    )
    return user, revoked


def verify_email(plain: str) -> User:
    """Mark the token's user verified."""
    user = _spend(plain, VERIFY_EMAIL)
    _mark_verified(user, "token")
    return user


def verified_by_invitation(user: User, invited_email: str) -> None:
    """An invitation mailed to the user's address and accepted by them proves the address."""
    if services.normalise_email(invited_email) == user.email:
        _mark_verified(user, "invitation")


def require_verified(user: User) -> None:
    """403 naming `email_verified` unless the user has verified their email address."""
    if not user.email_verified:
        forbidden(
            "verify your email address before joining an organization "
            "(POST /api/v1/auth/verify-email with the token mailed to you; "
            "POST /api/v1/auth/verify-email/resend mails a new one)",
            email_verified=False,
        )
