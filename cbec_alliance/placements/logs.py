"""Weekly logs: the student writes one per week (text, competencies practised, hours); each
mentor reviews it once with a comment and a score. Beat reminds the student two days after a
week ends without its log, and tells the school mentor once it has been missing two weeks."""

from __future__ import annotations

import json
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import for_update, is_postgres
from cbec_alliance.core.errors import conflict, invalid, not_found
from cbec_alliance.core.events import emit_many
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.placements import attendance
from cbec_alliance.placements.alerts import payload
from cbec_alliance.placements.hours import local_day, week_start
from cbec_alliance.placements.models import Placement
from cbec_alliance.placements.records_access import seen
from cbec_alliance.placements.records_models import LogReminder, LogReview, WeeklyLog
from cbec_alliance.taxonomy.services import check as check_codes

WRITABLE = ("active", "suspended")
REMIND_AFTER_DAYS = 2  # after the week's Sunday
ALERT_AFTER_DAYS = 14


def write(user: User, placement_id: int, data: dict) -> WeeklyLog:
    """The student's log of the week holding `week` (one per week; never a future week)."""
    view = seen(placement_id, user, lock=True)
    view.require("student")
    placement = view.placement
    if placement.state not in WRITABLE:
        conflict(
            _("the placement is %(state)s; logs are written while it runs", state=placement.state)
        )
    monday = week_start(data["week"])
    if monday > week_start(local_day(attendance.clock())):
        invalid("week", "a log is written during or after its week, never for a future week")
    if monday + timedelta(days=6) < placement.starts_on or monday > placement.ends_on:
        invalid(
            "week",
            _(
                "outside the placement (%(starts_on)s to %(ends_on)s)",
                starts_on=placement.starts_on,
                ends_on=placement.ends_on,
            ),
        )
    check_codes("competencies", "competencies", data["competencies"])
    exists = db.session.scalar(
        sa.select(WeeklyLog.id).where(
            WeeklyLog.placement_id == placement.id, WeeklyLog.week == monday
        )
    )
    if exists:
        conflict(
            _(
                "the log of the week of %(monday)s exists (log %(exists)s)",
                monday=monday,
                exists=exists,
            )
        )
    log = WeeklyLog(
        placement_id=placement.id,
        week=monday,
        text=data["text"],
        competencies=sorted(set(data["competencies"])),
        hours=data["hours"],
    )
    db.session.add(log)
    db.session.flush()
    audit(
        actor=user,
        obj=log,
        action="create",
        changes={"week": monday, "hours": data["hours"]},
        organization_id=placement.university_id,
    )
    return log


def review(user: User, placement_id: int, log_id: int, data: dict) -> WeeklyLog:
    """A mentor's review of a log: once per mentor (school, enterprise)."""
    view = seen(placement_id, user)
    role = view.mentor_role()
    log = db.session.scalars(
        for_update(sa.select(WeeklyLog).where(WeeklyLog.id == log_id)).execution_options(
            populate_existing=True
        )
    ).first()
    if log is None or log.placement_id != view.placement.id:
        not_found("log")
    if any(r.role == role for r in log.reviews):
        conflict(_("the %(role)s mentor has already reviewed this log", role=role))
    log.reviews.append(
        LogReview(role=role, reviewer_id=user.id, comment=data["comment"], score=data["score"])
    )
    db.session.flush()
    db.session.expire(log, ["reviews"])  # read again in their order
    audit(
        actor=user,
        obj=log,
        action="review",
        changes={"mentor": role, "score": data["score"]},
        organization_id=view.placement.university_id,
    )
    return log


def listing(user: User, placement_id: int) -> sa.Select:
    """A placement's logs, newest week first (every party may read)."""
    placement = seen(placement_id, user).placement
    return (
        sa.select(WeeklyLog)
        .where(WeeklyLog.placement_id == placement.id)
        .order_by(WeeklyLog.week.desc())
    )


def count_reviewed(placement: Placement) -> int:
    """How many of the placement's weekly logs both mentors have reviewed (what completion
    counts against PLACEMENT_MIN_LOGS)."""
    return reviewed_count(placement.id)


def reviewed_count(placement_id: int) -> int:
    """Logs of the placement reviewed by both mentors."""
    both = (
        sa.select(LogReview.log_id)
        .group_by(LogReview.log_id)
        .having(sa.func.count() >= 2)
        .subquery()
    )
    return db.session.execute(
        sa.select(sa.func.count())
        .select_from(WeeklyLog)
        .join(both, both.c.log_id == WeeklyLog.id)
        .where(WeeklyLog.placement_id == placement_id)
    ).scalar_one()


# Beat: the reminders. Set-based: one query finds the placements whose log is missing and
# that were not told yet, the `LogReminder` rows are inserted with ON CONFLICT DO NOTHING
# (only the rows a run inserted are told, so two runs never tell twice), and the events are
# recorded with `emit_many`, one statement per university. (80,000 reminders, each with its
# own dedupe check and insert, took over 8 minutes: docs/benchmarks.md.)

BATCH = 5_000  # placements marked per statement, events recorded per emit_many


def _missing(week: date, step: str) -> list[sa.Row]:
    """Active placements running during `week` without its log and not told of it at this
    `step`, with the fields of their event (the student's name too), by id."""
    has_log = sa.exists().where(WeeklyLog.placement_id == Placement.id, WeeklyLog.week == week)
    told = sa.exists().where(
        LogReminder.placement_id == Placement.id,
        LogReminder.week == week,
        LogReminder.step == step,
    )
    return list(
        db.session.execute(
            sa.select(
                Placement.id,
                Placement.student_id,
                User.name,
                Placement.university_id,
                Placement.enterprise_id,
                Placement.school_mentor_id,
            )
            .join(User, User.id == Placement.student_id)
            .where(
                Placement.state == "active",
                Placement.starts_on <= week + timedelta(days=6),
                Placement.ends_on >= week,
                ~has_log,
                ~told,
            )
            .order_by(Placement.id)
        ).all()
    )


def _ids_column(placement_ids: list[int]) -> sa.ColumnElement[int]:
    """The ids as the column of a table-valued function, sent as one parameter (a statement
    of thousands of placeholders takes longer to build and parse than to run)."""
    if is_postgres():
        array = sa.cast(sa.bindparam("ids", placement_ids), postgresql.ARRAY(sa.Integer))
        return sa.func.unnest(array).table_valued("id").render_derived().c.id
    ids: sa.BindParameter[str] = sa.bindparam("ids", json.dumps(placement_ids))
    return sa.func.json_each(ids).table_valued("value").c.value


def _mark(placement_ids: list[int], week: date, step: str) -> set[int]:
    """Record that these placements are told of `week` at `step`, in one statement; the ids
    this call recorded (not those another run recorded first)."""
    now = sa.literal(utcnow(), sa.DateTime(timezone=True))
    rows = sa.select(_ids_column(placement_ids), sa.literal(week), sa.literal(step), now).where(
        sa.true()
    )  # SQLite parses ON CONFLICT after a SELECT only behind a WHERE
    dialect = postgresql if is_postgres() else sqlite
    stmt = (
        dialect.insert(LogReminder)
        .from_select(["placement_id", "week", "step", "created_at"], rows)
        .on_conflict_do_nothing(index_elements=["placement_id", "week", "step"])
        .returning(LogReminder.placement_id)
    )
    return set(db.session.scalars(stmt))


def _tell(event: str, week: date, step: str) -> int:
    """Tell of every placement missing `week`'s log not told at `step` yet; how many."""
    missing = _missing(week, step)
    per_university: dict[int, list[dict]] = {}
    for k in range(0, len(missing), BATCH):
        chunk = missing[k : k + BATCH]
        new = _mark([row.id for row in chunk], week, step)
        for row in chunk:
            if row.id in new:
                per_university.setdefault(row.university_id, []).append(
                    {**payload(row, row.name), "week": week.isoformat()}
                )
    for university_id, payloads in sorted(per_university.items()):
        for k in range(0, len(payloads), BATCH):
            emit_many(event, payloads[k : k + BATCH], organization_id=university_id, actor=None)
    return sum(len(p) for p in per_university.values())


def send_reminders(today: date | None = None) -> dict[str, int]:
    """Remind the students whose last week's log is 2 days late, and tell the school mentors
    of logs 2 weeks late (each once per placement and week); the counts. The caller commits."""
    today = today or local_day(attendance.clock())
    remind_week = week_start(today - timedelta(days=6 + REMIND_AFTER_DAYS))
    alert_week = week_start(today - timedelta(days=6 + ALERT_AFTER_DAYS))
    return {
        "reminded": _tell("placement.log_missing", remind_week, "reminder"),
        "mentors_alerted": _tell("placement.log_overdue", alert_week, "overdue"),
    }
