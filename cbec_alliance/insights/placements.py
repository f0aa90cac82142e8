"""The placements summary: states, where and with whom, paperwork, attendance, logs, incidents,
alerts and terminations, for the whole alliance or one university's or enterprise's share."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.placements.hours import local_day, week_start
from cbec_alliance.placements.lifecycle import OPEN
from cbec_alliance.placements.models import Agreement, Insurance, Placement
from cbec_alliance.placements.records_models import (
    CheckIn,
    ComplianceAlert,
    Incident,
    WeeklyLog,
)

# A scope narrows every figure: None (all), or a university's or an enterprise's placements.
Scope = tuple[str, int] | None
LOG_GRACE_DAYS = 2  # a week's log is overdue this long after its Sunday


def _where(scope: Scope) -> list[sa.ColumnElement]:
    if scope is None:
        return []
    column = Placement.university_id if scope[0] == "university" else Placement.enterprise_id
    return [column == scope[1]]


def _rows(stmt) -> list[dict]:
    return [dict(row._mapping) for row in db.session.execute(stmt)]


def _by_state(scope: Scope) -> list[dict]:
    return _rows(
        sa.select(Placement.state, sa.func.count().label("count"))
        .where(*_where(scope))
        .group_by(Placement.state)
        .order_by(Placement.state)
    )


def _by_org(scope: Scope, column, key: str) -> list[dict]:
    """Per organization (`column`: the placement's university or enterprise) and state."""
    return _rows(
        sa.select(
            column.label(key),
            Organization.name,
            Placement.state,
            sa.func.count().label("count"),
        )
        .join(Organization, Organization.id == column)
        .where(*_where(scope))
        .group_by(column, Organization.name, Placement.state)
        .order_by(column, Placement.state)
    )


def _by_district(scope: Scope) -> list[dict]:
    """Per district of the host enterprise, and state."""
    return _rows(
        sa.select(Organization.district, Placement.state, sa.func.count().label("count"))
        .join(Organization, Organization.id == Placement.enterprise_id)
        .where(*_where(scope))
        .group_by(Organization.district, Placement.state)
        .order_by(Organization.district, Placement.state)
    )


def _share(done: int, total: int) -> dict:
    return {"done": done, "total": total, "share": round(done / total, 4) if total else None}


def _paperwork(scope: Scope) -> dict:
    """Open placements with a fully signed, unvoided agreement; with insurance covering
    their whole dates (one policy from start to end)."""
    open_ = sa.and_(Placement.state.in_(OPEN), *_where(scope))
    signed = sa.exists().where(
        Agreement.placement_id == Placement.id,
        Agreement.signed_at.is_not(None),
        Agreement.voided_at.is_(None),
    )
    insured = sa.exists().where(
        Insurance.placement_id == Placement.id,
        Insurance.covers_from <= Placement.starts_on,
        Insurance.covers_to >= Placement.ends_on,
    )
    total, agreed, covered = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(signed),
            sa.func.count().filter(insured),
        ).where(open_)
    ).one()
    return {"agreement": _share(agreed, total), "insurance": _share(covered, total)}


def _working_days(today: date) -> list[date]:
    """Monday-to-Friday days among the 7 before today."""
    days = [today - timedelta(days=k) for k in range(1, 8)]
    return [d for d in days if d.weekday() < 5]


def _check_in_rate(scope: Scope, today: date) -> dict:
    """Check-ins of active placements on the last 7 days' working days, against one each."""
    days = _working_days(today)
    active = sa.and_(Placement.state == "active", *_where(scope))
    placements = db.session.execute(sa.select(sa.func.count()).where(active)).scalar_one()
    checked = db.session.execute(
        sa.select(sa.func.count())
        .select_from(CheckIn)
        .join(Placement, Placement.id == CheckIn.placement_id)
        .where(active, CheckIn.day.in_(days))
    ).scalar_one()
    expected = placements * len(days)
    return {"working_days": len(days), **_share(checked, expected)}


def _overdue_logs(scope: Scope, today: date) -> dict:
    """Weeks of active placements, ended over 2 days ago, with no log; and the placements
    missing any."""
    cutoff = week_start(today - timedelta(days=6 + LOG_GRACE_DAYS))
    active = sa.and_(Placement.state == "active", *_where(scope))
    logged = dict(
        db.session.execute(
            sa.select(WeeklyLog.placement_id, sa.func.count())
            .join(Placement, Placement.id == WeeklyLog.placement_id)
            .where(active, WeeklyLog.week <= cutoff)
            .group_by(WeeklyLog.placement_id)
        ).all()
    )
    weeks = placements = 0
    for pid, starts_on, ends_on in db.session.execute(
        sa.select(Placement.id, Placement.starts_on, Placement.ends_on).where(active)
    ):
        last = min(week_start(ends_on), cutoff)
        due = (last - week_start(starts_on)).days // 7 + 1 if last >= week_start(starts_on) else 0
        missing = max(0, due - logged.get(pid, 0))
        weeks += missing
        placements += missing > 0
    return {"weeks": weeks, "placements": placements}


def _open_incidents(scope: Scope) -> list[dict]:
    stmt = (
        sa.select(Incident.severity, sa.func.count().label("count"))
        .where(Incident.resolved_at.is_(None))
        .group_by(Incident.severity)
        .order_by(Incident.severity)
    )
    if scope is not None:
        stmt = stmt.join(Placement, Placement.id == Incident.placement_id).where(*_where(scope))
    return _rows(stmt)


def _alerts(scope: Scope, today: date) -> list[dict]:
    recent = ComplianceAlert.period >= today - timedelta(days=7)
    stmt = (
        sa.select(
            ComplianceAlert.kind,
            sa.func.count().label("count"),
            sa.func.count().filter(recent).label("last_7_days"),
        )
        .group_by(ComplianceAlert.kind)
        .order_by(ComplianceAlert.kind)
    )
    if scope is not None:
        stmt = stmt.join(Placement, Placement.id == ComplianceAlert.placement_id).where(
            *_where(scope)
        )
    return _rows(stmt)


def _terminations(scope: Scope) -> list[dict]:
    return _rows(
        sa.select(Placement.reason_code.label("reason"), sa.func.count().label("count"))
        .where(Placement.state == "terminated", *_where(scope))
        .group_by(Placement.reason_code)
        .order_by(Placement.reason_code)
    )


def placements(scope: Scope = None) -> dict:
    """The placements summary (of `scope`'s placements, or all)."""
    today = local_day(utcnow())
    return {
        "scope": None if scope is None else {"kind": scope[0], "organization_id": scope[1]},
        "by_state": _by_state(scope),
        "by_district": _by_district(scope),
        "by_university": _by_org(scope, Placement.university_id, "university_id"),
        "by_enterprise": _by_org(scope, Placement.enterprise_id, "enterprise_id"),
        **_paperwork(scope),
        "check_in_rate_7d": _check_in_rate(scope, today),
        "overdue_logs": _overdue_logs(scope, today),
        "open_incidents": _open_incidents(scope),
        "compliance_alerts": _alerts(scope, today),
        "terminations": _terminations(scope),
    }
