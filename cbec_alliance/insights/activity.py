"""What the two sides of a partnership share, read from the other domains' link tables.

Every source is one SELECT of `(partnership id, key, at, weight)` joined to `partnerships`
on the pair, so the same queries serve one partnership's page and the refresh of all of
them (health for lists and monitoring), and the two can never disagree.

What is already agreed counts as shared, whenever it happens: a competition the two
co-organize and a lecture the enterprise holds at the university count in `counts` as soon
as they exist (a cancelled lecture never does). Only what has happened counts as recent or
toward a goal: `last_activity_at` (hence `quiet`) and `progress` take no date after now, so
a competition planned for next year cannot keep a partnership looking active.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from cbec_alliance.applications.lifecycle import PLACED
from cbec_alliance.applications.models import Application, Hire
from cbec_alliance.competitions.models import Competition, CompetitionOrganizer, Team, TeamMember
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.courses.models import Course, CoursePartner
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.lectures.models import Event
from cbec_alliance.partnerships import health as rules
from cbec_alliance.partnerships import services as partnerships
from cbec_alliance.partnerships.models import Partnership
from cbec_alliance.training_bases.models import BaseSession, BaseUniversity, TrainingBase

P = Partnership


def _applications(key, at, *where) -> sa.Select:
    a, i = Application, Internship
    return (
        sa.select(P.id, key, at, sa.literal(1))
        .join(i, i.enterprise_id == P.enterprise_id)
        .join(a, (a.internship_id == i.id) & (a.university_id == P.university_id))
        .where(*where)
    )


def sources() -> dict[str, sa.Select]:
    """Each kind of shared activity as SELECT (pid, key, at, weight); `at` may lie ahead
    (a planned competition or lecture): callers that want what happened filter on it."""
    a = Application
    one = sa.literal(1)
    co = sa.orm.aliased(CompetitionOrganizer)
    cu = sa.orm.aliased(CompetitionOrganizer)
    return {
        "internships": _applications(a.internship_id, a.created_at),
        "placements": _applications(a.id, a.status_changed_at, a.status.in_(PLACED)),
        "completed": _applications(a.id, a.status_changed_at, a.status == "completed"),
        "hires": sa.select(P.id, Hire.application_id, Hire.created_at, one).join(
            Hire,
            (Hire.enterprise_id == P.enterprise_id) & (Hire.university_id == P.university_id),
        ),
        "courses": sa.select(P.id, Course.id, CoursePartner.decided_at, one)
        .join(Course, Course.university_id == P.university_id)
        .join(
            CoursePartner,
            (CoursePartner.course_id == Course.id)
            & (CoursePartner.enterprise_id == P.enterprise_id),
        )
        .where(CoursePartner.state == "confirmed", Course.status != "draft"),
        "bases": sa.select(P.id, TrainingBase.id, TrainingBase.decided_at, one)
        .join(TrainingBase, TrainingBase.host_enterprise_id == P.enterprise_id)
        .join(
            BaseUniversity,
            (BaseUniversity.base_id == TrainingBase.id)
            & (BaseUniversity.university_id == P.university_id),
        )
        .where(TrainingBase.status == "approved"),
        "base_sessions": sa.select(P.id, BaseSession.id, BaseSession.date, BaseSession.students)
        .join(TrainingBase, TrainingBase.host_enterprise_id == P.enterprise_id)
        .join(
            BaseSession,
            (BaseSession.base_id == TrainingBase.id)
            & (BaseSession.university_id == P.university_id),
        ),
        "co_organized": sa.select(P.id, Competition.id, Competition.starts_at, one)
        .join(co, co.organization_id == P.enterprise_id)
        .join(
            cu, (cu.competition_id == co.competition_id) & (cu.organization_id == P.university_id)
        )
        .join(Competition, Competition.id == co.competition_id),
        "mentored": sa.select(P.id, Team.competition_id, Team.created_at, one)
        .join(Team, Team.mentor_enterprise_id == P.enterprise_id)
        .join(
            TeamMember,
            (TeamMember.team_id == Team.id) & (TeamMember.university_id == P.university_id),
        )
        .distinct(),
        "lectures": sa.select(P.id, Event.id, Event.starts_at, one)
        .join(
            Event,
            (Event.host_organization_id == P.enterprise_id)
            & (Event.university_id == P.university_id),
        )
        .where(Event.status != "cancelled"),
    }


def _when(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return as_utc(value)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)  # a session's date


# The kinds of activity a partnership's page counts, each from one or more sources.
KINDS = {
    "internships": ("internships",),
    "placements": ("placements",),
    "hires": ("hires",),
    "courses": ("courses",),
    "bases": ("bases",),
    "competitions": ("co_organized", "mentored"),
    "lectures": ("lectures",),
}


def counts(partnership: Partnership) -> dict:
    """The shared activity of one partnership: distinct items of each kind, in one query
    (its latest date is `evaluate`'s `last_activity_at`)."""
    src = sources()
    columns = []
    for kind, names in KINDS.items():
        parts = [src[n].where(P.id == partnership.id) for n in names]
        sub = (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery()
        n = sa.select(sa.func.count(sa.distinct(sub.c[1]))).scalar_subquery()
        columns.append(n.label(kind))
    return dict(db.session.execute(sa.select(*columns)).one()._mapping)


def _latest(ids: list[int] | None, now: dt.datetime) -> dict[int, dt.datetime]:
    """The latest date of anything shared that has happened (nothing after `now`)."""
    latest: dict[int, dt.datetime] = {}
    for name, stmt in sources().items():
        if name == "completed":
            continue
        sub = stmt.subquery()
        pid, at = sub.c[0], sub.c[2]
        grouped = sa.select(pid, sa.func.max(at)).where(at <= now).group_by(pid)
        if ids is not None:
            grouped = grouped.where(pid.in_(ids))
        for p, value in db.session.execute(grouped):
            when = _when(value)
            if when is not None and (p not in latest or when > latest[p]):
                latest[p] = when
    return latest


def _actuals(ids: list[int] | None, now: dt.datetime, starts: dict[int, dt.date]) -> dict:
    """Per partnership, what counts toward each goal in its current agreement year."""
    actual: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    since = now - dt.timedelta(days=370)  # an agreement year is at most 366 days
    src = sources()
    for goal, names in (
        ("interns_per_year", ("placements",)),
        ("courses", ("courses",)),
        ("students_trained", ("base_sessions", "completed")),
    ):
        for name in names:
            sub = src[name].subquery()
            pid, at, weight = sub.c[0], sub.c[2], sub.c[3]
            stmt = sa.select(pid, at, weight).where(at >= since, at <= now)
            if ids is not None:
                stmt = stmt.where(pid.in_(ids))
            for p, value, w in db.session.execute(stmt):
                year = rules.agreement_year(starts[p], now.date())
                when = _when(value).date()
                if year.start <= when < year.end:
                    actual[p][goal] += int(w)
    return actual


def evaluate(partnerships: list[Partnership]) -> dict[int, dict]:
    """`{id: {last_activity_at, progress, health}}` for the given partnerships."""
    now = utcnow()
    ids = [p.id for p in partnerships]
    latest = _latest(ids, now)
    actual = _actuals(ids, now, {p.id: p.starts_on for p in partnerships})
    out = {}
    for p in partnerships:
        report = rules.progress(
            p.goals or {}, actual.get(p.id, {}), rules.agreement_year(p.starts_on, now.date())
        )
        since = as_utc(p.accepted_at or p.created_at)
        out[p.id] = {
            "last_activity_at": latest.get(p.id),
            "progress": report,
            "health": rules.health(
                p.status, latest.get(p.id), since, report, now, ends_on=p.ends_on
            ),
        }
    return out


def refresh(ids: list[int] | None = None, batch: int = 5_000) -> int:
    """Recompute and store the health of partnerships (all by default); returns how many."""
    now = utcnow()
    stmt = sa.select(Partnership).order_by(Partnership.id)
    if ids is not None:
        stmt = stmt.where(Partnership.id.in_(ids))
    done = 0
    last = 0
    while True:
        chunk = db.session.scalars(stmt.where(Partnership.id > last).limit(batch)).all()
        if not chunk:
            return done
        found = evaluate(chunk)
        partnerships.store_health(
            [
                {
                    "id": p.id,
                    "health": found[p.id]["health"],
                    "last_activity_at": found[p.id]["last_activity_at"],
                    "health_checked_at": now,
                }
                for p in chunk
            ]
        )
        done += len(chunk)
        last = chunk[-1].id


def activity_of(partnership: Partnership) -> dict:
    """What the two sides share (`counts`), and the progress and health that follow."""
    found = evaluate([partnership])[partnership.id]
    return {**found, "counts": counts(partnership)}
