"""Feeds: made, rotated and revoked by their owner; read by whoever holds the secret URL."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.calendar.models import CalendarFeed
from cbec_alliance.careers import calendar as exams
from cbec_alliance.competitions import calendar as competitions
from cbec_alliance.core.errors import not_found
from cbec_alliance.core.ics import Entry
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.lectures import calendar as lectures

FEED_PATH = "/api/v1/calendar/feed/{token}.ics"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user: User) -> dict:
    """Whether the user has a feed, and since when (the secret is shown only when made)."""
    feed = db.session.get(CalendarFeed, user.id)
    return {"active": feed is not None, "created_at": feed.created_at if feed else None}


def rotate(user: User) -> dict:
    """Make the user's feed, or give it a new secret; returns its URL (shown this once)."""
    token = secrets.token_urlsafe(32)
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token_hash=_hash(token))
        db.session.add(feed)
    else:
        feed.token_hash = _hash(token)
        feed.created_at = utcnow()
    db.session.flush()
    return {"active": True, "created_at": feed.created_at, "url": FEED_PATH.format(token=token)}


def revoke(user: User) -> None:
    """Stop the user's feed (404 when there is none)."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        not_found("calendar feed")
    db.session.delete(feed)


def erase_personal(user_id: int) -> None:
    """Stop a user's feed, if any (erasure)."""
    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.user_id == user_id))


def entries_for(user_id: int) -> list[Entry]:
    """Everything on a user's calendar: events, competitions, exam sittings, by start."""
    found = [
        *lectures.entries_for(user_id),
        *competitions.entries_for(user_id),
        *exams.entries_for(user_id),
    ]
    return sorted(found, key=lambda e: (_sort_key(e), e.uid))


def _sort_key(entry: Entry) -> str:
    return entry.starts.isoformat()


def read_feed(token: str) -> tuple[User, list[Entry]]:
    """The feed's owner and entries for a secret, or 404 (a revoked or unknown one alike)."""
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))
    owner = db.session.get(User, feed.user_id) if feed is not None else None
    if feed is None or owner is None or not owner.is_active:
        not_found("calendar feed")
    return owner, entries_for(owner.id)
