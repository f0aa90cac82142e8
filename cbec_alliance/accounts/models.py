"""User, server-side login sessions, personal API tokens and emailed account tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

PLATFORM_ROLES = ("user", "coordinator")
LANGUAGES = ("zh", "en")


class User(Model):
    """A person with a login; the platform role `coordinator` is the government's."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    platform_role: Mapped[str] = mapped_column(sa.String(20), default="user")
    language: Mapped[str] = mapped_column(sa.String(5), default="zh")
    # The language of API messages (zh-CN or en); None follows Accept-Language. Apart from
    # `language`, which is the notifications' and defaults to Chinese for every account.
    ui_language: Mapped[str | None] = mapped_column(sa.String(5))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow
    )
    # When the user proved they receive mail at `email` (a verification link, or an
    # invitation accepted); None until then, and an unverified user joins no organization.
    email_verified_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    memberships = relationship("Membership", back_populates="user", lazy="selectin")

    # Flask-Login protocol. The id in the cookie is the login session's key, not the user id,
    # so a logged-out or password-changed cookie stops working.
    if TYPE_CHECKING:  # an annotation at run time would make SQLAlchemy look for a column
        session_key: str | None
    session_key = None  # set per request by the loaders; not a column

    @property
    def is_authenticated(self) -> bool:
        """Flask-Login: a loaded user is authenticated."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Flask-Login: never anonymous."""
        return False

    def get_id(self) -> str | None:
        """Flask-Login: the login session key stored in the cookie."""
        return self.session_key

    @property
    def email_verified(self) -> bool:
        """True once the user proved they receive mail at their address."""
        return self.email_verified_at is not None

    @property
    def is_coordinator(self) -> bool:
        """True for government coordinators."""
        return self.platform_role == "coordinator"


class LoginSession(Model):
    """A server-side record of one login; the cookie holds its key, the table its hash."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(Model):
    """A personal API token: shown once, stored as a SHA-256 hash, expiring, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")


class LoginFailure(Model):
    """A failed login (accounts/throttle.py), counted by account, by address and by both.

    Written and committed before the password is checked (`checked` false), so concurrent
    guesses see each other; deleted when the password was right, so successes never count.
    """

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.Index("ix_login_failures_account_created", "account", "created_at"),
        sa.Index("ix_login_failures_address_created", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the normalised email: unknown emails are counted too, without storing them.
    account: Mapped[str] = mapped_column(sa.String(64))
    # An IPv4 address or an IPv6 /64 network (throttle.address_key).
    address: Mapped[str] = mapped_column(sa.String(64))
    checked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )


class LoginAddress(Model):
    """An address the user has logged in from; it may still log in while the account is
    throttled (NIST SP 800-63B's allow-list of addresses, accounts/throttle.py)."""

    __tablename__ = "login_addresses"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    last_login_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class ResetRequest(Model):
    """A password reset request (accounts/throttle.py), counted by email and by address.

    Recorded alike whether or not an account has the email, so the throttle reveals nothing
    and both answers cost a write and a commit.
    """

    __tablename__ = "reset_requests"
    __table_args__ = (
        sa.Index("ix_reset_requests_account_created", "account", "created_at"),
        sa.Index("ix_reset_requests_address_created", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(sa.String(64))  # SHA-256 of the normalised email
    address: Mapped[str] = mapped_column(sa.String(64))  # throttle.address_key
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )


TOKEN_PURPOSES = ("password_reset", "verify_email")


class AccountToken(Model):
    """A single-use token mailed to the user (a password reset, an email verification):
    random, stored only as a SHA-256 hash, expiring; `used_at` once spent (or made void by
    another token of the same purpose being spent)."""

    __tablename__ = "account_tokens"
    __table_args__ = (sa.Index("ix_account_tokens_user_purpose", "user_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The address the token was mailed to: verifying proves this address, no other.
    email: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")
