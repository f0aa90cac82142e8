"""Failed-login throttling, counted in the database: per account, per address, and both.

The counts live in the `login_failures` table rather than in flask-limiter's storage. The
login route needs the database anyway (it reads the user), so this adds no dependency: a
stopped Redis neither fails logins nor splits the count into one per worker (the old
in-memory fallback gave each of two workers its own 10 tries), and the embedded default
(SQLite, no Redis) counts across processes too. Only failures are counted.

Why an account that is throttled still lets its owner in (NIST SP 800-63B, rate limiting:
section 5.2.2 in revision 3, 3.2.2 in revision 4): the verifier SHALL limit consecutive
failed attempts on one account, and MAY add techniques that keep an attacker from locking
the legitimate subscriber out; one it names is accepting attempts only from an allow-list of
IP addresses at which the subscriber has authenticated successfully before. So the
per-account limit still stops guessing from anywhere, but while it is reached an address the
user logged in from within LOGIN_TRUSTED_ADDRESS_DAYS, and that has not failed for this
account within the account's window, may still try: a correct password logs in, a wrong one
counts and spends that address's try. Letting in any address that has not failed would not
do: each fresh address (a botnet, an IPv6 block) would get one free guess per window, and a
429 for a wrong guess against a 200 for the right one would be an oracle, so the per-account
limit would bound nothing. Revision 4 adds that after a successful authentication the
verifier SHOULD disregard that user's earlier failures from the same address, which
`succeeded` does (a user's own typos do not bring the account nearer its limit).

Concurrency: an attempt's row is committed before anything is counted, and each attempt
counts the others' rows (checked or not) after its own commit, so of any two concurrent
guesses the later one sees the earlier: N parallel guesses cannot exceed the limit.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

import sqlalchemy as sa
from flask import current_app
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests

from cbec_alliance.accounts.models import LoginAddress, LoginFailure, ResetRequest, User
from cbec_alliance.accounts.services import normalise_email, sha256
from cbec_alliance.core.db import for_update, upsert
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db

PRUNE_BATCH = 200  # expired rows deleted per attempt: bounded work, the table stays small


@dataclass(frozen=True)
class Attempt:
    """A login attempt whose row is committed and which the limits let through."""

    id: int
    email: str
    account: str
    address: str


def account_key(email: str) -> str:
    """The stored key of an account: SHA-256 of the normalised email."""
    return sha256(normalise_email(email))


def address_key(remote_addr: str | None) -> str:
    """The address failures count against: an IPv4 address, or the /64 of an IPv6 one.

    One IPv6 subscriber gets a whole /64, so counting single IPv6 addresses would let one
    client rotate through 2**64 of them.
    """
    try:
        addr = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return (remote_addr or "unknown")[:64]
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)


def _limits(setting: str) -> list[RateLimitItem]:
    # flask-limiter's syntax, so "10 per 15 minutes; 100 per day" sets two windows.
    return parse_many(current_app.config[setting])


def _horizon(limits: list[RateLimitItem]) -> int:
    return max(item.get_expiry() for item in limits)


def _wait(times: list[datetime], limits: list[RateLimitItem], now: datetime) -> int | None:
    """Seconds until every window holds fewer than its amount; None if none is full."""
    waits = []
    for item in limits:
        window = timedelta(seconds=item.get_expiry())
        inside = sorted(t for t in times if t > now - window)
        if len(inside) >= item.amount:
            # Below the limit again once the (len - amount + 1) oldest have left the window.
            reset = inside[len(inside) - item.amount] + window
            waits.append(max(1, math.ceil((reset - now).total_seconds())))
    return max(waits) if waits else None


def _prune(now: datetime) -> None:
    horizon = max(
        _horizon(_limits("LOGIN_LIMIT_PER_ACCOUNT")), _horizon(_limits("LOGIN_LIMIT_PER_IP"))
    )
    expired = for_update(
        sa.select(LoginFailure.id)
        .where(LoginFailure.created_at < now - timedelta(seconds=horizon))
        .limit(PRUNE_BATCH),
        skip_locked=True,  # two attempts pruning at once never wait for each other
    )
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.id.in_(expired)))


def _reserve(email: str, address: str) -> Attempt:
    """Record the attempt as a failure until the password proves otherwise, and commit."""
    now = utcnow()
    _prune(now)
    row = LoginFailure(account=account_key(email), address=address, created_at=now)
    db.session.add(row)
    db.session.flush()
    attempt = Attempt(id=row.id, email=email, account=row.account, address=address)
    # Its own commit: the row must be visible to concurrent attempts before any counting,
    # and a wrong password's 401 rolls the request's transaction back.
    db.session.commit()
    return attempt


def _trusted(attempt: Attempt, now: datetime) -> bool:
    days = current_app.config["LOGIN_TRUSTED_ADDRESS_DAYS"]
    found = db.session.scalar(
        sa.select(sa.literal(1))
        .select_from(LoginAddress)
        .join(User, User.id == LoginAddress.user_id)
        .where(
            User.email == normalise_email(attempt.email),
            LoginAddress.address == attempt.address,
            LoginAddress.last_login_at > now - timedelta(days=days),
        )
    )
    return found is not None


def _refusal(attempt: Attempt) -> int | None:
    """Seconds the attempt must wait (the Retry-After of its 429), or None to let it try."""
    now = utcnow()
    per_address = _limits("LOGIN_LIMIT_PER_IP")
    # Only checked failures: logins still being checked from a busy campus address are
    # mostly right, and must not throttle each other.
    times = db.session.scalars(
        sa.select(LoginFailure.created_at).where(
            LoginFailure.address == attempt.address,
            LoginFailure.checked,
            LoginFailure.created_at > now - timedelta(seconds=_horizon(per_address)),
            LoginFailure.id != attempt.id,
        )
    )
    address_wait = _wait([as_utc(t) for t in times], per_address, now)
    if address_wait is not None:
        return address_wait
    per_account = _limits("LOGIN_LIMIT_PER_ACCOUNT")
    rows = db.session.execute(
        sa.select(LoginFailure.created_at, LoginFailure.address).where(
            LoginFailure.account == attempt.account,
            LoginFailure.created_at > now - timedelta(seconds=_horizon(per_account)),
            LoginFailure.id != attempt.id,
        )
    ).all()
    account_wait = _wait([as_utc(row.created_at) for row in rows], per_account, now)
    if account_wait is None:
        return None
    # The account is throttled: see the module docstring for who may still try.
    failed_here = any(row.address == attempt.address for row in rows)
    if not failed_here and _trusted(attempt, now):
        return None
    return account_wait


def _too_many(wait: int) -> NoReturn:
    error = TooManyRequests(
        "too many failed logins for this account or from this address; try again later"
    )
    # Read by the problem handler, as on the errors webargs raises (werkzeug has no `data`).
    error.data = {"headers": {"Retry-After": str(wait)}}  # type: ignore[attr-defined]
    raise error


def begin(email: str, remote_addr: str | None) -> Attempt:
    """Record a login attempt before its password is checked; 429 with Retry-After when the
    limits refuse it (a refused attempt is not counted)."""
    attempt = _reserve(email, address_key(remote_addr))
    wait = _refusal(attempt)
    if wait is not None:
        db.session.execute(sa.delete(LoginFailure).where(LoginFailure.id == attempt.id))
        db.session.commit()
        _too_many(wait)
    return attempt


def failed(attempt: Attempt) -> None:
    """The password was wrong: the attempt counts, committed before the 401 rolls back."""
    db.session.execute(
        sa.update(LoginFailure).where(LoginFailure.id == attempt.id).values(checked=True)
    )
    db.session.commit()


def succeeded(attempt: Attempt, user: User) -> None:
    """The password was right: forget the attempt and the user's failures from this address,
    and trust the address (in the login's own transaction)."""
    now = utcnow()
    db.session.execute(
        sa.delete(LoginFailure).where(
            LoginFailure.account == attempt.account,
            LoginFailure.address == attempt.address,
            sa.or_(LoginFailure.id == attempt.id, LoginFailure.checked),
        )
    )
    upsert(
        LoginAddress,
        {"user_id": user.id, "address": attempt.address, "last_login_at": now},
        conflict=["user_id", "address"],
    )
    days = current_app.config["LOGIN_TRUSTED_ADDRESS_DAYS"]
    db.session.execute(
        sa.delete(LoginAddress).where(
            LoginAddress.user_id == user.id,
            LoginAddress.last_login_at < now - timedelta(days=days),
        )
    )


def reset_requested(email: str, remote_addr: str | None) -> None:
    """Count a password reset request against its email and its client address (known
    address or not), or refuse it: 429 with Retry-After, not counted. Concurrent requests
    may pass a limit by a few; nothing is guessed here (the tokens are 256-bit)."""
    now = utcnow()
    account, address = account_key(email), address_key(remote_addr)
    per_address = _limits("PASSWORD_RESET_LIMIT_PER_IP")
    per_account = _limits("PASSWORD_RESET_LIMIT_PER_EMAIL")
    horizon = max(_horizon(per_address), _horizon(per_account))
    db.session.execute(
        sa.delete(ResetRequest).where(
            ResetRequest.id.in_(
                for_update(
                    sa.select(ResetRequest.id)
                    .where(ResetRequest.created_at < now - timedelta(seconds=horizon))
                    .limit(PRUNE_BATCH),
                    skip_locked=True,
                )
            )
        )
    )
    rows = db.session.execute(
        sa.select(ResetRequest.account, ResetRequest.address, ResetRequest.created_at).where(
            sa.or_(ResetRequest.account == account, ResetRequest.address == address),
            ResetRequest.created_at > now - timedelta(seconds=horizon),
        )
    ).all()
    waits = [
        _wait([as_utc(r.created_at) for r in rows if r.address == address], per_address, now),
        _wait([as_utc(r.created_at) for r in rows if r.account == account], per_account, now),
    ]
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        error = TooManyRequests("too many password reset requests; try again later")
        error.data = {"headers": {"Retry-After": str(wait)}}  # type: ignore[attr-defined]
        raise error
    db.session.add(ResetRequest(account=account, address=address, created_at=now))
