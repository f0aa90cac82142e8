"""Account rules: registration, password checks, login sessions and API tokens."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import timedelta
from typing import Any, cast

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from cbec_alliance.accounts.models import (
    AccountToken,
    ApiToken,
    LoginAddress,
    LoginSession,
    User,
)
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.changes import changed_fields
from cbec_alliance.core.db import for_update, insert_rows
from cbec_alliance.core.errors import conflict, invalid
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db

TOKEN_PREFIX = "cbec_"  # noqa: S105 - a public prefix, not a secret


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Hash a password with argon2id at the configured strength."""
    return _hasher().hash(password)


def _dummy_hash() -> str:
    ext = current_app.extensions
    if "cbec_dummy_hash" not in ext:
        ext["cbec_dummy_hash"] = hash_password(secrets.token_urlsafe(16))
    return ext["cbec_dummy_hash"]


def sha256(value: str) -> str:
    """Hex SHA-256 of a secret (tokens and session keys are stored only this way)."""
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively."""
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    """The user with this email, if any."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def register(
    email: str,
    password: str,
    name: str,
    *,
    platform_role: str = "user",
    language: str = "zh",
    email_verified: bool = False,
) -> User:
    """Create a user; 409 when the email is taken. `email_verified` for accounts made by
    someone trusted (the command line, the demo); others verify by mail (email_tokens)."""
    email = normalise_email(email)
    if get_user_by_email(email) is not None:
        conflict("a user with this email already exists")
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password),
        platform_role=platform_role,
        language=language,
        email_verified_at=utcnow() if email_verified else None,
    )
    db.session.add(user)
    db.session.flush()
    audit(actor=user, obj=user, action="register", changes={"email": email, "name": name})
    return user


def set_platform_role(user: User, role: str) -> str:
    """Make the user a coordinator or a plain user; returns the role before (equal to `role`
    when nothing changed). The platform always keeps an active coordinator: removing the
    last one is refused (409). The rows are read under lock (PostgreSQL): concurrent changes
    take turns and each sees the one before, in id order, so they never deadlock."""
    stmt = sa.select(User.id, User.platform_role, User.is_active).where(User.id == user.id)
    if role != "coordinator":  # a removal must see every other coordinator, locked
        stmt = sa.select(User.id, User.platform_role, User.is_active).where(
            sa.or_(User.id == user.id, User.platform_role == "coordinator")
        )
    rows = db.session.execute(for_update(stmt.order_by(User.id))).all()
    before = next(r.platform_role for r in rows if r.id == user.id)
    if before == role:
        return before
    if before == "coordinator" and not any(
        r.id != user.id and r.platform_role == "coordinator" and r.is_active for r in rows
    ):
        conflict("the platform's last coordinator cannot lose the role; grant it to another")
    db.session.execute(sa.update(User).where(User.id == user.id).values(platform_role=role))
    db.session.expire(user, ["platform_role"])
    return before


def authenticate(email: str, password: str) -> User | None:
    """The user if the password matches; the same work is done for an unknown email."""
    user = get_user_by_email(email)
    hasher = _hasher()
    if user is None or not user.is_active:
        # Verify against a dummy hash so an unknown email costs the same time as a wrong password.
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(_dummy_hash(), password)
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def start_session(user: User, *, remember: bool) -> str:
    """Record a new login session and return its key (goes into the cookie)."""
    key = secrets.token_urlsafe(32)
    lifetime = (
        current_app.config["REMEMBER_COOKIE_DURATION"]
        if remember
        else current_app.config["PERMANENT_SESSION_LIFETIME"]
    )
    db.session.add(
        LoginSession(
            key_hash=sha256(key), user=user, remember=remember, expires_at=utcnow() + lifetime
        )
    )
    user.session_key = key
    return key


def _user_only(user: Any) -> Any:
    # The user behind a request, without the memberships and majors its eager loaders
    # would fetch (two more round trips): many requests (a student's own check-in, a
    # profile) never ask; those that do load them on first access, in the same transaction.
    return sa.orm.joinedload(user).lazyload(User.memberships)


def load_session_user(key: str) -> User | None:
    """The user behind a live login session key, or None if revoked, expired or unknown."""
    row = db.session.scalar(
        sa.select(LoginSession)
        .where(LoginSession.key_hash == sha256(key))
        .options(_user_only(LoginSession.user))
    )
    if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= utcnow():
        return None
    if not row.user.is_active:
        return None
    row.user.session_key = key
    return row.user


def end_session(key: str | None) -> None:
    """Revoke one login session."""
    if not key:
        return
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.key_hash == sha256(key), LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def update_profile(user: User, data: dict) -> User:
    """Change the user's name or languages (validated by the caller's schema); audited."""
    changes = changed_fields(user, data)
    if changes:
        audit(actor=user, obj=user, action="update", changes=changes)
    return user


def change_password(user: User, current: str, new: str) -> int:
    """Change the password, revoke every login session and API token of the user; returns
    how many tokens were revoked."""
    try:
        _hasher().verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        invalid("current_password", "does not match")
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    revoked = revoke_credentials(user)
    audit(
        actor=user,
        obj=user,
        action="change_password",
        changes={"password": "changed", "revoked_tokens": revoked},
    )
    return revoked


def revoke_credentials(user: User) -> int:
    """Revoke every login session and API token of the user (whoever knew the old password
    may have made them); returns how many tokens were revoked. For any password reset too."""
    now = utcnow()
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    # Every token the user's list shows (expired ones too), so the list is empty afterwards.
    # An UPDATE's result is a CursorResult (with rowcount); Session.execute is typed Result.
    result = cast(
        sa.CursorResult,
        db.session.execute(
            sa.update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        ),
    )
    return result.rowcount


def create_token(user: User, name: str, expires_in_days: int) -> tuple[ApiToken, str]:
    """Create a personal API token (256 random bits); returns the row and the plain token."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        token_hash=sha256(plain),
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        expires_at=utcnow() + timedelta(days=expires_in_days),
    )
    db.session.add(token)
    db.session.flush()
    audit(actor=user, obj=token, action="create", changes={"name": name})
    return token, plain


def list_tokens(user: User) -> sa.Select:
    """The user's tokens that are not revoked, newest first."""
    return (
        sa.select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id.desc())
    )


def revoke_token(user: User, token_id: int) -> ApiToken | None:
    """Revoke one of the user's tokens at once; None if it is not theirs."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return None
    token.revoked_at = utcnow()
    audit(actor=user, obj=token, action="revoke", changes={"revoked": True})
    return token


def load_token_user(plain: str) -> User | None:
    """The user behind a live API token, or None."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = db.session.scalar(
        sa.select(ApiToken)
        .where(ApiToken.token_hash == sha256(plain))
        .options(_user_only(ApiToken.user))
    )
    if token is None or token.revoked_at is not None or as_utc(token.expires_at) <= utcnow():
        return None
    if not token.user.is_active:
        return None
    return token.user


UNUSABLE_PASSWORD = "!erased"  # noqa: S105 (not an argon2 hash: nothing verifies against it)


def erase_identity(user: User, pseudonym: str) -> None:
    """Replace who the user is by `pseudonym`, end every login and forget their addresses;
    the row stays, so what they did keeps counting and audits keep an actor."""
    revoke_credentials(user)
    db.session.execute(sa.delete(LoginAddress).where(LoginAddress.user_id == user.id))
    # Emailed tokens name the address; the reset throttle keeps only a hash of it.
    db.session.execute(sa.delete(AccountToken).where(AccountToken.user_id == user.id))
    user.name = f"已注销用户 {pseudonym}"
    user.email = f"{pseudonym.lower()}@erased.invalid"
    user.password_hash = UNUSABLE_PASSWORD
    user.is_active = False


# An account made for someone else (a university's roster) has no password until its owner
# sets one through the invitation; no argon2 hash is empty, so no password logs in to it.
NO_PASSWORD = ""


def ids_by_email(emails: list[str]) -> dict[str, int]:
    """Normalised email -> user id, for those of `emails` that have an account."""
    out: dict[str, int] = {}
    for start in range(0, len(emails), 5_000):  # IN lists of bounded size
        out.update(
            db.session.execute(
                sa.select(User.email, User.id).where(User.email.in_(emails[start : start + 5_000]))
            ).all()
        )
    return out


def create_without_password(people: list[dict]) -> dict[str, int]:
    """Create accounts in bulk, without a password, from `{email, name}` (emails normalised
    and new); email -> the new user's id. The caller audits them as one change."""
    now = utcnow()
    rows = [
        {
            "email": p["email"],
            "name": p["name"],
            "password_hash": NO_PASSWORD,
            "platform_role": "user",
            "language": "zh",
            "is_active": True,
            "created_at": now,
            "password_changed_at": now,
        }
        for p in people
    ]
    return dict(insert_rows(User, rows, returning=("email", "id")))


def has_password(user: User) -> bool:
    """False for an account made in bulk whose owner has not set a password yet."""
    return user.password_hash != NO_PASSWORD


def set_first_password(user: User, password: str) -> None:
    """Give an account made without a password its first one (409 when it has one)."""
    if has_password(user):
        conflict("this account already has a password; log in instead")
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    if user.email_verified_at is None:  # the emailed invitation token proved the address
        user.email_verified_at = utcnow()
    audit(actor=user, obj=user, action="set_password", changes={"password": "set"})
