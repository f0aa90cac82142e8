"""Compliance alerts: a broken working-time limit, raised once per breach.

Once means one row per placement, kind and period (the day, or the week's Monday) under a
unique index: the alert is inserted with ON CONFLICT DO NOTHING ... RETURNING, and only the
transaction whose insert returned a row tells anyone. Two check-outs (or a check-out and the
nightly sweep) that find the same breach at the same moment therefore raise it once, on
PostgreSQL (the index) and SQLite (writers serialised) alike.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import is_postgres
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.placements.hours import (
    DAY_LIMIT_MINUTES,
    KINDS,
    WEEK_LIMIT_MINUTES,
    Breach,
    breaches,
    local_day,
    night_minutes,
    week_start,
)
from cbec_alliance.placements.models import Placement
from cbec_alliance.placements.records_models import CheckIn, ComplianceAlert


def payload(placement: Placement | sa.Row, student_name: str | None = None) -> dict:
    """The fields every placement record event carries (`placement`: the row, or a query's
    row with its id, student_id, university_id, enterprise_id and school_mentor_id)."""
    if student_name is None:
        student_name = db.session.scalar(
            sa.select(User.name).where(User.id == placement.student_id)
        )
    return {
        "placement_id": placement.id,
        "student_id": placement.student_id,
        "student_name": student_name,
        "university_id": placement.university_id,
        "enterprise_id": placement.enterprise_id,
        "school_mentor_id": placement.school_mentor_id,
    }


def _insert_new(rows: list[dict]) -> list[sa.Row]:
    """Insert the alerts not recorded yet (one statement per 1,000); the rows this call
    inserted: (id, placement_id, kind, period, minutes)."""
    dialect = postgresql if is_postgres() else sqlite
    now = utcnow()
    inserted: list[sa.Row] = []
    for k in range(0, len(rows), 1_000):
        stmt = (
            dialect.insert(ComplianceAlert)
            .values([{**row, "created_at": now} for row in rows[k : k + 1_000]])
            .on_conflict_do_nothing(index_elements=["placement_id", "kind", "period"])
            .returning(
                ComplianceAlert.id,
                ComplianceAlert.placement_id,
                ComplianceAlert.kind,
                ComplianceAlert.period,
                ComplianceAlert.minutes,
            )
        )
        inserted += db.session.execute(stmt).all()
    return inserted


def raise_many(
    found: dict[int, list[Breach]], actor=None, known: dict[int, Placement] | None = None
) -> list[int]:
    """Record every breach not recorded before (`found`: per placement id) and tell the
    school mentors and coordinators of each new one; the ids of the alerts raised. `known`:
    placements the caller holds already (not read again)."""
    items = sorted(found.items())
    raised = []
    for k in range(0, len(items), 5_000):  # bounded IN lists and statements
        raised += _raise_chunk(dict(items[k : k + 5_000]), actor, known or {})
    return raised


def _raise_chunk(found: dict[int, list[Breach]], actor, known: dict[int, Placement]) -> list[int]:
    rows = [
        {"placement_id": pid, "kind": b.kind, "period": b.period, "minutes": b.minutes}
        for pid, hits in found.items()
        for b in hits
    ]
    if not rows:
        return []
    new = _insert_new(rows)
    if not new:  # every breach was raised before: nobody to tell, nothing to read
        return []
    ids = sorted({r.placement_id for r in new} - set(known))
    placements = dict(known)
    if ids:
        placements.update(
            (p.id, p) for p in db.session.scalars(sa.select(Placement).where(Placement.id.in_(ids)))
        )
    names = dict(
        db.session.execute(
            sa.select(User.id, User.name).where(
                User.id.in_([p.student_id for p in placements.values()])
            )
        ).all()
    )
    for row in new:
        placement = placements[row.placement_id]
        emit(
            "placement.compliance_alert",
            {
                **payload(placement, names.get(placement.student_id)),
                "alert_id": row.id,
                "kind": row.kind,
                "period": row.period.isoformat(),
                "minutes": row.minutes,
                "clause": KINDS[row.kind],
            },
            organization_id=placement.university_id,
            actor=actor,
        )
    return [row.id for row in new]


def raise_alerts(placement: Placement, found: list[Breach], actor=None) -> list[int]:
    """Record each breach of one placement not recorded before and tell the school mentor
    and coordinators; the ids of the alerts this call raised."""
    return raise_many({placement.id: found}, actor, known={placement.id: placement})


def week_minutes(placement_id: int, day: date) -> int:
    """Minutes worked in the week of `day`, up to and including it."""
    return (
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(CheckIn.minutes), 0)).where(
                CheckIn.placement_id == placement_id,
                CheckIn.day >= week_start(day),
                CheckIn.day <= day,
            )
        )
        or 0
    )


def evaluate(placement: Placement, row: CheckIn, actor=None) -> list[int]:
    """Check a closed day against the limits and raise what it breaks (ids raised)."""
    if row.checked_out_at is None:
        return []
    night = night_minutes(as_utc(row.checked_in_at), as_utc(row.checked_out_at))
    found = breaches(row.day, row.minutes or 0, week_minutes(placement.id, row.day), night)
    return raise_alerts(placement, found, actor)


def listing(placement_id: int) -> sa.Select:
    """A placement's alerts, newest first."""
    return (
        sa.select(ComplianceAlert)
        .where(ComplianceAlert.placement_id == placement_id)
        .order_by(ComplianceAlert.period.desc(), ComplianceAlert.id.desc())
    )


def audit_alerts(placement: Placement, alert_ids: list[int], actor) -> None:
    """One audit entry per alert raised."""
    for alert_id in alert_ids:
        alert = db.session.get_one(ComplianceAlert, alert_id)  # inserted just now
        audit(
            actor=actor,
            obj=alert,
            action="raise",
            changes={"placement_id": placement.id, "kind": alert.kind, "period": alert.period},
            organization_id=placement.university_id,
        )


# The nightly sweep: a day is checked again once it is over (a correction may have made it
# longer, a check-out may have come late). Hours a day and a week are summed by the database;
# only the day's rows are read here, for their minutes at night.


def _long_days(day: date) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(CheckIn.placement_id, CheckIn.minutes).where(
            CheckIn.day == day, CheckIn.minutes > DAY_LIMIT_MINUTES
        )
    )
    return {placement_id: int(minutes or 0) for placement_id, minutes in rows}


def _long_weeks(day: date) -> dict[int, int]:
    total = sa.func.sum(CheckIn.minutes)
    rows = db.session.execute(
        sa.select(CheckIn.placement_id, total)
        .where(CheckIn.day >= week_start(day), CheckIn.day <= day)
        .group_by(CheckIn.placement_id)
        .having(total > WEEK_LIMIT_MINUTES)
    )
    return {placement_id: int(minutes or 0) for placement_id, minutes in rows}


def _nights(day: date) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(CheckIn.placement_id, CheckIn.checked_in_at, CheckIn.checked_out_at).where(
            CheckIn.day == day, CheckIn.checked_out_at.is_not(None)
        )
    )
    out = {}
    for placement_id, came, left in rows:
        if left is None:  # excluded by the query; narrows the type
            continue
        night = night_minutes(as_utc(came), as_utc(left))
        if night:
            out[placement_id] = night
    return out


def sweep(day: date) -> int:
    """Raise every breach of `day` (its hours, its week's up to it, its minutes at night)
    not raised yet; the number raised. The caller commits."""
    days, weeks, nights = _long_days(day), _long_weeks(day), _nights(day)
    found = {
        pid: breaches(day, days.get(pid, 0), weeks.get(pid, 0), nights.get(pid, 0))
        for pid in {*days, *weeks, *nights}
    }
    return len(raise_many(found))


def nightly(today: date | None = None) -> int:
    """The beat task's work: sweep yesterday (Guangzhou's); the number of alerts raised."""
    today = today or local_day(utcnow())
    return sweep(today - timedelta(days=1))
