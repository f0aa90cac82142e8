"""Serving monitoring summaries: materialised, never older than the refresh interval."""

from __future__ import annotations

import datetime as dt
import time

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.accounts.models import User
from cbec_alliance.core.errors import forbidden
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.partnerships import activity
from cbec_alliance.partnerships.services import sees_all

from .models import Snapshot
from .summaries import SUMMARIES


def require_monitor(user: User) -> None:
    """403 unless the caller is a coordinator or a member of an approved association."""
    if not sees_all(user):
        forbidden("monitoring is for coordinators and industry associations")


def compute(name: str) -> Snapshot:
    """Compute a summary now and store it (an upsert: concurrent refreshes both succeed)."""
    started = time.perf_counter()
    data = SUMMARIES[name]()
    values = {
        "name": name,
        "data": data,
        "computed_at": utcnow(),
        "seconds": round(time.perf_counter() - started, 4),
    }
    table = Snapshot.__table__
    dialect = db.session.connection().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(values)
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[table.c.name],
            set_={k: stmt.excluded[k] for k in ("data", "computed_at", "seconds")},
        )
    )
    snap = db.session.get(Snapshot, name, populate_existing=True)
    return snap


def summary(name: str) -> dict:
    """The summary with `as_of` and `refresh_interval_seconds`; recomputed when older."""
    interval = current_app.config["MONITORING_REFRESH_SECONDS"]
    snap = db.session.get(Snapshot, name)
    if (
        snap is None
        or interval <= 0
        or utcnow() - as_utc(snap.computed_at) > dt.timedelta(seconds=interval)
    ):
        snap = compute(name)
    return {
        "as_of": as_utc(snap.computed_at),
        "refresh_interval_seconds": interval,
        "compute_seconds": snap.seconds,
        **snap.data,
    }


def refresh_all() -> dict[str, float]:
    """The beat task's work: partnership health first, then every summary; seconds each."""
    took = {}
    started = time.perf_counter()
    activity.refresh()
    took["partnership_health"] = round(time.perf_counter() - started, 3)
    for name in SUMMARIES:
        took[name] = compute(name).seconds
    return took


def snapshot_ages() -> dict[str, dt.datetime]:
    """When each stored summary was computed."""
    return dict(db.session.execute(sa.select(Snapshot.name, Snapshot.computed_at)).all())
