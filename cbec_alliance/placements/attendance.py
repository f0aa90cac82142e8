"""Attendance: the student checks in and out each working day; the enterprise mentor corrects
a day with a reason. Every closed day is checked against the working-time limits (alerts)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import for_update, is_postgres
from cbec_alliance.core.errors import conflict, invalid, not_found
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.placements import alerts
from cbec_alliance.placements.hours import at_night, haversine_m, local_day, minutes_between
from cbec_alliance.placements.models import Placement
from cbec_alliance.placements.records_access import Seen, seen
from cbec_alliance.placements.records_models import CheckIn

# A check-out closes the check-in it follows only within this long (a forgotten check-out is
# for the enterprise mentor to correct, not for the next day's check-out to stretch).
LONGEST_SHIFT = timedelta(hours=24)


def clock() -> datetime:
    """Now (the tests move it)."""
    return utcnow()


def _active(placement: Placement) -> None:
    if placement.state != "active":
        conflict(
            _(
                "the placement is %(state)s; attendance is kept while it is active",
                state=placement.state,
            )
        )


def _distance(placement: Placement, coords: dict) -> int | None:
    """Metres from the workplace, when both are known; 422 beyond the configured radius."""
    lat, lng = coords.get("latitude"), coords.get("longitude")
    if lat is None or lng is None or placement.workplace_lat is None:
        return None
    if placement.workplace_lng is None:
        return None
    metres = haversine_m(lat, lng, placement.workplace_lat, placement.workplace_lng)
    radius = current_app.config["PLACEMENT_CHECKIN_RADIUS_M"]
    if metres > radius:
        invalid(
            "latitude",
            _(
                "%(metres)s m from the workplace; at most %(radius)s m allowed",
                metres=format(metres, ".0f"),
                radius=radius,
            ),
        )
    return round(metres)


def check(user: User, placement_id: int, data: dict) -> CheckIn:
    """Check in (`action: in`) or out (`out`) now; the day's row with its figures."""
    view = seen(placement_id, user)
    view.require("student")
    _active(view.placement)
    now = as_utc(clock())
    distance = _distance(view.placement, data)
    if data["action"] == "in":
        row = _check_in(view.placement, now, data, distance)
        raised = alerts.raise_alerts(view.placement, _night_at(row), user)
    else:
        row = _check_out(view.placement, now)
        raised = alerts.evaluate(view.placement, row, user)
    # The day's row is the record of a check-in or out (who, when, where); the audit log
    # keeps what changes a record: corrections, and the alerts raised.
    alerts.audit_alerts(view.placement, raised, user)
    return figures(row, raised)


def _night_at(row: CheckIn) -> list[alerts.Breach]:
    if not at_night(as_utc(row.checked_in_at)):
        return []
    return [alerts.Breach("night_work", row.day, 0)]


def _check_in(placement: Placement, now: datetime, data: dict, distance: int | None) -> CheckIn:
    """A new row for today, or 409 when today has one (two at once: one wins, by the index)."""
    day = local_day(now)
    dialect = postgresql if is_postgres() else sqlite
    stmt = (
        dialect.insert(CheckIn)
        .values(
            placement_id=placement.id,
            day=day,
            checked_in_at=now,
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            distance_m=distance,
        )
        .on_conflict_do_nothing(index_elements=["placement_id", "day"])
        .returning(CheckIn)
    )
    row = db.session.scalars(stmt).first()
    if row is None:
        conflict(_("already checked in on %(day)s", day=day))
    return row


def _check_out(placement: Placement, now: datetime) -> CheckIn:
    """Close the open check-in of the last 24 hours (locked), or 409 naming why not."""
    row = db.session.scalars(
        for_update(
            sa.select(CheckIn)
            .where(CheckIn.placement_id == placement.id)
            .order_by(CheckIn.day.desc())
            .limit(1)
        ).execution_options(populate_existing=True)
    ).first()
    if row is None or as_utc(row.checked_in_at) < now - LONGEST_SHIFT:
        conflict("no check-in to close: check in first")
    if row.checked_out_at is not None:
        conflict(_("already checked out on %(day)s; check in first", day=row.day))
    row.checked_out_at = now
    row.minutes = minutes_between(as_utc(row.checked_in_at), now)
    db.session.flush()
    return row


def correct(user: User, placement_id: int, check_in_id: int, data: dict) -> CheckIn:
    """The enterprise mentor sets a day's times, with a reason (audited before and after)."""
    view = seen(placement_id, user)
    view.require("enterprise_mentor")
    row = _row(view, check_in_id)
    start, end = data["checked_in_at"], data["checked_out_at"]
    if end <= start:
        invalid("checked_out_at", "must be after checked_in_at")
    if end - start > LONGEST_SHIFT:
        invalid("checked_out_at", "must be within 24 hours of checked_in_at")
    if local_day(start) != row.day:
        invalid(
            "checked_in_at", _("must fall on the same day as the check-in (%(day)s)", day=row.day)
        )
    before = {"checked_in_at": row.checked_in_at, "checked_out_at": row.checked_out_at}
    row.checked_in_at, row.checked_out_at = start, end
    row.minutes = minutes_between(start, end)
    row.corrected_by_id, row.correction_reason, row.corrected_at = user.id, data["reason"], utcnow()
    db.session.flush()
    raised = alerts.evaluate(view.placement, row, user)
    alerts.audit_alerts(view.placement, raised, user)
    audit(
        actor=user,
        obj=row,
        action="correct",
        changes={
            "before": before,
            "after": {"checked_in_at": start, "checked_out_at": end},
            "reason": data["reason"],
        },
        organization_id=view.placement.enterprise_id,
    )
    return figures(row, raised)


def _row(view: Seen, check_in_id: int) -> CheckIn:
    row = db.session.get(CheckIn, check_in_id)
    if row is None or row.placement_id != view.placement.id:
        not_found("check-in")
    return row


def figures(row: CheckIn, raised: list[int]) -> CheckIn:
    """The row with its week's minutes (once the day is closed) and the alerts just raised,
    for the response."""
    closed = row.checked_out_at is not None
    row.week_minutes = alerts.week_minutes(row.placement_id, row.day) if closed else None
    row.alerts_raised = raised
    return row


def listing(user: User, placement_id: int, args: dict) -> sa.Select:
    """A placement's days, newest first (`from`/`to` narrow them): every party may read."""
    view = seen(placement_id, user)
    stmt = sa.select(CheckIn).where(CheckIn.placement_id == view.placement.id)
    if args.get("from_"):
        stmt = stmt.where(CheckIn.day >= args["from_"])
    if args.get("to"):
        stmt = stmt.where(CheckIn.day <= args["to"])
    return stmt.order_by(CheckIn.day.desc())


def alert_listing(user: User, placement_id: int) -> sa.Select:
    """A placement's compliance alerts (every party may read them)."""
    return alerts.listing(seen(placement_id, user).placement.id)
