"""User, server-side login sessions and personal API tokens."""

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
