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
from collections.abc import Sequence

import sqlalchemy as sa

from cbec_alliance.applications.lifecycle import PLACED
from cbec_alliance.applications.models import Application, Hire
from cbec_alliance.competitions.models import Competition, CompetitionOrganizer, Team, TeamMember
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.courses.models import Course, CoursePartner
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.lectures.models import Lecture
from cbec_alliance.partnerships import health as rules
from cbec_alliance.partnerships import services as partnership_services
from cbec_alliance.partnerships.models import Partnership
from cbec_alliance.programmes.models import CohortMember, Programme, ProgrammePartner
from cbec_alliance.teaching.models import PracticeStay, TeachingAssignment
from cbec_alliance.training_bases.models import BaseSession, BaseUniversity, TrainingBase


def _applications(key, at, *where) -> sa.Select:
    return (
        sa.select(Partnership.id, key, at, sa.literal(1))
        .join(Internship, Internship.enterprise_id == Partnership.enterprise_id)
        .join(
            Application,
            (Application.internship_id == Internship.id)
            & (Application.university_id == Partnership.university_id),
        )
        .where(*where)
    )


def _placement_sources(one: sa.ColumnElement) -> dict[str, sa.Select]:
    """Applications of the university's students to the enterprise's postings, and hires."""
    return {
        "internships": _applications(Application.internship_id, Application.created_at),
        "placements": _applications(
            Application.id, Application.status_changed_at, Application.status.in_(PLACED)
        ),
        "completed": _applications(
            Application.id, Application.status_changed_at, Application.status == "completed"
        ),
        "hires": sa.select(Partnership.id, Hire.application_id, Hire.created_at, one).join(
            Hire,
            (Hire.enterprise_id == Partnership.enterprise_id)
            & (Hire.university_id == Partnership.university_id),
        ),
    }


def _teaching_sources(one: sa.ColumnElement) -> dict[str, sa.Select]:
    """Courses the enterprise co-teaches at the university, and its training bases there."""
    return {
        "courses": sa.select(Partnership.id, Course.id, CoursePartner.decided_at, one)
        .join(Course, Course.university_id == Partnership.university_id)
        .join(
            CoursePartner,
            (CoursePartner.course_id == Course.id)
            & (CoursePartner.enterprise_id == Partnership.enterprise_id),
        )
        .where(CoursePartner.state == "confirmed", Course.status != "draft"),
        "bases": sa.select(Partnership.id, TrainingBase.id, TrainingBase.decided_at, one)
        .join(TrainingBase, TrainingBase.host_enterprise_id == Partnership.enterprise_id)
        .join(
            BaseUniversity,
            (BaseUniversity.base_id == TrainingBase.id)
            & (BaseUniversity.university_id == Partnership.university_id),
        )
        .where(TrainingBase.status == "approved"),
        "base_sessions": sa.select(
            Partnership.id, BaseSession.id, BaseSession.date, BaseSession.students
        )
        .join(TrainingBase, TrainingBase.host_enterprise_id == Partnership.enterprise_id)
        .join(
            BaseSession,
            (BaseSession.base_id == TrainingBase.id)
            & (BaseSession.university_id == Partnership.university_id),
        ),
    }


def _competition_and_lecture_sources(one: sa.ColumnElement) -> dict[str, sa.Select]:
    """Competitions the two co-organize or the enterprise mentors a university team in, and
    lectures the enterprise holds at the university."""
    enterprise_side = sa.orm.aliased(CompetitionOrganizer)
    university_side = sa.orm.aliased(CompetitionOrganizer)
    return {
        "co_organized": sa.select(Partnership.id, Competition.id, Competition.starts_at, one)
        .join(enterprise_side, enterprise_side.organization_id == Partnership.enterprise_id)
        .join(
            university_side,
            (university_side.competition_id == enterprise_side.competition_id)
            & (university_side.organization_id == Partnership.university_id),
        )
        .join(Competition, Competition.id == enterprise_side.competition_id),
        "mentored": sa.select(Partnership.id, Team.competition_id, Team.created_at, one)
        .join(Team, Team.mentor_enterprise_id == Partnership.enterprise_id)
        .join(
            TeamMember,
            (TeamMember.team_id == Team.id)
            & (TeamMember.university_id == Partnership.university_id),
        )
        .distinct(),
        "lectures": sa.select(Partnership.id, Lecture.id, Lecture.starts_at, one)
        .join(
            Lecture,
            (Lecture.host_organization_id == Partnership.enterprise_id)
            & (Lecture.university_id == Partnership.university_id),
        )
        .where(Lecture.status != "cancelled"),
    }


def _programme_sources(one: sa.ColumnElement) -> dict[str, sa.Select]:
    """Programmes the enterprise partners in at the university and their admitted students,
    its staff's teaching there (weighted by the hours delivered) and the university's
    teachers' confirmed practice stays at the enterprise."""
    partner = (
        sa.select(Partnership.id, Programme.id, ProgrammePartner.decided_at, one)
        .join(Programme, Programme.university_id == Partnership.university_id)
        .join(
            ProgrammePartner,
            (ProgrammePartner.programme_id == Programme.id)
            & (ProgrammePartner.enterprise_id == Partnership.enterprise_id),
        )
    )
    return {
        "programmes": partner.where(
            ProgrammePartner.state == "confirmed", Programme.state != "proposed"
        ),
        "cohort_members": sa.select(Partnership.id, CohortMember.id, CohortMember.admitted_at, one)
        .join(CohortMember, CohortMember.university_id == Partnership.university_id)
        .join(
            ProgrammePartner,
            (ProgrammePartner.programme_id == CohortMember.programme_id)
            & (ProgrammePartner.enterprise_id == Partnership.enterprise_id),
        )
        .where(CohortMember.state == "admitted", ProgrammePartner.state == "confirmed"),
        "teaching": sa.select(
            Partnership.id,
            TeachingAssignment.id,
            TeachingAssignment.decided_at,
            TeachingAssignment.hours_delivered,
        ).join(
            TeachingAssignment,
            (TeachingAssignment.enterprise_id == Partnership.enterprise_id)
            & (TeachingAssignment.university_id == Partnership.university_id)
            & (TeachingAssignment.status == "accepted"),
        ),
        "practice": sa.select(Partnership.id, PracticeStay.id, PracticeStay.starts_on, one).join(
            PracticeStay,
            (PracticeStay.enterprise_id == Partnership.enterprise_id)
            & (PracticeStay.university_id == Partnership.university_id)
            & (PracticeStay.state == "confirmed"),
        ),
    }


def sources() -> dict[str, sa.Select]:
    """Each kind of shared activity as SELECT (pid, key, at, weight); `at` may lie ahead
    (a planned competition or lecture): callers that want what happened filter on it."""
    one = sa.literal(1)  # the weight of what counts once
    return {
        **_placement_sources(one),
        **_teaching_sources(one),
        **_competition_and_lecture_sources(one),
        **_programme_sources(one),
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
    "programmes": ("programmes",),
    "cohort_members": ("cohort_members",),
    "teaching_assignments": ("teaching",),
    "practice_stays": ("practice",),
}
# Kinds counted as the sum of their sources' weights rather than as distinct items.
SUMS = {"teaching_hours": "teaching"}


def counts(partnership: Partnership) -> dict:
    """The shared activity of one partnership: distinct items of each kind, in one query
    (its latest date is `evaluate`'s `last_activity_at`)."""
    src = sources()
    columns = []
    for kind, names in KINDS.items():
        parts = [src[name].where(Partnership.id == partnership.id) for name in names]
        sub = (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery()
        distinct_items = sa.select(sa.func.count(sa.distinct(sub.c[1]))).scalar_subquery()
        columns.append(distinct_items.label(kind))
    for kind, name in SUMS.items():
        sub = src[name].where(Partnership.id == partnership.id).subquery()
        total = sa.select(sa.func.coalesce(sa.func.sum(sub.c[3]), 0)).scalar_subquery()
        columns.append(total.label(kind))
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
        for partnership_id, value in db.session.execute(grouped):
            when = _when(value)
            if when is not None and (partnership_id not in latest or when > latest[partnership_id]):
                latest[partnership_id] = when
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
            for partnership_id, value, amount in db.session.execute(stmt):
                year = rules.agreement_year(starts[partnership_id], now.date())
                moment = _when(value)
                assert moment is not None  # `at >= since` leaves no NULL
                when = moment.date()
                if year.start <= when < year.end:
                    actual[partnership_id][goal] += int(amount)
    return actual


def evaluate(partnerships: Sequence[Partnership]) -> dict[int, dict]:
    """`{id: {last_activity_at, progress, health}}` for the given partnerships."""
    now = utcnow()
    ids = [p.id for p in partnerships]
    latest = _latest(ids, now)
    actual = _actuals(ids, now, {p.id: p.starts_on for p in partnerships})
    out = {}
    for partnership in partnerships:
        year = rules.agreement_year(partnership.starts_on, now.date())
        report = rules.progress(partnership.goals or {}, actual.get(partnership.id, {}), year)
        last = latest.get(partnership.id)
        since = as_utc(partnership.accepted_at or partnership.created_at)
        out[partnership.id] = {
            "last_activity_at": last,
            "progress": report,
            "health": rules.health(
                partnership.status, last, since, report, now, ends_on=partnership.ends_on
            ),
        }
    return out


def refresh(ids: Sequence[int] | None = None, batch: int = 5_000) -> int:
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
        partnership_services.store_health(
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
