"""The monitoring summaries, each one set of aggregate queries over the whole alliance.

Definitions (also in the OpenAPI descriptions):
- demand for a competency = open slots (slots minus accepted) of open internships that require
  it + survey weight (the enterprises that chose it in the latest closed survey in which
  enterprises answered the talent-demand `competencies` question: see `latest_survey`);
- supply = students at level 3 or more + seats (capacity) of published courses teaching it;
- gap = demand - supply (positive: the alliance trains too few).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from cbec_alliance.applications.lifecycle import PLACED
from cbec_alliance.applications.models import Application, Hire
from cbec_alliance.competitions.models import Competition
from cbec_alliance.core.db import is_postgres
from cbec_alliance.courses.models import Course, CourseCompetency
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship, InternshipCompetency
from cbec_alliance.organizations.models import Membership, Organization
from cbec_alliance.partnerships.models import Partnership, PartnershipMode
from cbec_alliance.students.models import HOLDS_FROM, StudentCompetency, StudentProfile
from cbec_alliance.surveys.models import Survey, SurveyAnswer, SurveyResponse
from cbec_alliance.taxonomy.models import TaxonomyItem
from cbec_alliance.training_bases.models import TrainingBase


def _counts(stmt) -> list[dict]:
    return [dict(r._mapping) for r in db.session.execute(stmt)]


def _count_by(column, *where) -> list[dict]:
    """[{column name: value, "count": n}] per value of `column`, in its order."""
    return _counts(
        sa.select(column, sa.func.count().label("count"))
        .where(*where)
        .group_by(column)
        .order_by(column)
    )


def overview() -> dict:
    """Counts across the alliance."""
    o, p, i = Organization, Partnership, Internship
    mode_rows = db.session.execute(
        sa.select(PartnershipMode.mode, sa.func.count())
        .join(p, p.id == PartnershipMode.partnership_id)
        .where(p.status == "active")
        .group_by(PartnershipMode.mode)
        .order_by(PartnershipMode.mode)
    ).all()
    internships = db.session.execute(
        sa.select(
            sa.func.count().filter(i.published_at.is_not(None)),
            sa.func.count().filter(i.status == "open"),
            sa.func.count().filter(i.status == "filled"),
            sa.func.coalesce(sa.func.sum(i.slots).filter(i.published_at.is_not(None)), 0),
        )
    ).one()
    placements = db.session.scalar(sa.select(sa.func.count()).where(Application.status.in_(PLACED)))
    completed = db.session.scalar(
        sa.select(sa.func.count()).where(Application.status == "completed")
    )
    hires = db.session.scalar(sa.select(sa.func.count()).select_from(Hire))
    return {
        "organizations": _counts(
            sa.select(o.kind, o.status, sa.func.count().label("count"))
            .group_by(o.kind, o.status)
            .order_by(o.kind, o.status)
        ),
        "partnerships": {
            "by_status": _count_by(p.status),
            "by_health": _count_by(p.health, p.health.is_not(None)),
            "active_by_mode": [{"mode": m, "count": n} for m, n in mode_rows],
        },
        "internships": {
            "posted": internships[0],
            "open": internships[1],
            "filled": internships[2],
            "slots_posted": int(internships[3]),
            "placements": placements,
            "completed": completed,
            "hired": hires,
            "conversion_rate": round(100 * hires / completed, 2) if completed else 0.0,
        },
        "courses": _count_by(Course.status),
        "training_bases": _count_by(TrainingBase.level, TrainingBase.status == "approved"),
        "competitions": db.session.scalar(sa.select(sa.func.count()).select_from(Competition)),
        "students": db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Membership.user_id))).where(
                Membership.role == "student"
            )
        ),
    }


def latest_survey() -> int | None:
    """The id of the survey whose answers count as demand, or None.

    It is the latest (by year, then id) survey that is closed and in which at least one
    enterprise answered the `competencies` question (the talent-demand template's). Closed,
    because an open survey's counts grow with every response, and demand would swing with
    them until it closes; a `competencies` answer, because a coordinator's own survey without
    that question (a platform poll, say) says nothing about competencies and must not replace
    the last talent-demand survey and zero the survey weight. Partner matching
    (`insights/partners.py`) reads the same survey.
    """
    a = SurveyAnswer
    return db.session.scalar(
        sa.select(Survey.id)
        .where(
            Survey.status == "closed",
            sa.exists().where(a.survey_id == Survey.id, a.question_code == "competencies"),
        )
        .order_by(Survey.year.desc(), Survey.id.desc())
        .limit(1)
    )


def _labels(vocabulary: str) -> dict[str, tuple[str, str]]:
    t = TaxonomyItem
    return {
        code: (zh, en)
        for code, zh, en in db.session.execute(
            sa.select(t.code, t.name_zh, t.name_en)
            .where(t.vocabulary == vocabulary)
            .order_by(t.position, t.code)
        )
    }


def _gap_parts(by_district: bool, survey: int | None) -> dict:
    """{(district or None, code): {slots, survey, students, seats}}; survey weight from the
    survey `survey`."""
    parts: dict = defaultdict(lambda: defaultdict(int))
    i, ic = Internship, InternshipCompetency
    key = (i.district,) if by_district else ()
    for *d, code, n in db.session.execute(
        sa.select(*key, ic.code, sa.func.sum(i.slots - i.accepted_count))
        .join(ic, ic.internship_id == i.id)
        .where(i.status == "open")
        .group_by(*key, ic.code)
    ):
        parts[(d[0] if d else None, code)]["slots"] += int(n or 0)
    if survey is not None:
        o, a = Organization, SurveyAnswer
        key = (o.district,) if by_district else ()
        stmt = (
            sa.select(*key, a.option_code, sa.func.count())
            .join(SurveyResponse, SurveyResponse.id == a.response_id)
            .join(o, o.id == SurveyResponse.enterprise_id)
            .where(a.survey_id == survey, a.question_code == "competencies")
            .group_by(*key, a.option_code)
        )
        for *d, code, n in db.session.execute(stmt):
            parts[(d[0] if d else None, code)]["survey"] += int(n)
    u = Organization
    sp, sc = StudentProfile, StudentCompetency
    key = (u.district,) if by_district else ()
    stmt = sa.select(*key, sc.code, sa.func.count()).join(sp, sp.user_id == sc.user_id)
    if by_district:
        stmt = stmt.join(u, u.id == sp.university_id)
    for *d, code, n in db.session.execute(
        stmt.where(sc.level >= HOLDS_FROM).group_by(*key, sc.code)
    ):
        parts[(d[0] if d else None, code)]["students"] += int(n)
    stmt = sa.select(*key, CourseCompetency.code, sa.func.sum(Course.capacity)).join(
        CourseCompetency, CourseCompetency.course_id == Course.id
    )
    if by_district:
        stmt = stmt.join(u, u.id == Course.university_id)
    for *d, code, n in db.session.execute(
        stmt.where(Course.status == "published").group_by(*key, CourseCompetency.code)
    ):
        parts[(d[0] if d else None, code)]["seats"] += int(n or 0)
    return parts


def _gap_row(values: dict) -> dict:
    demand = values["slots"] + values["survey"]
    supply = values["students"] + values["seats"]
    return {
        "demand_slots": values["slots"],
        "survey_weight": values["survey"],
        "demand": demand,
        "supply_students": values["students"],
        "supply_seats": values["seats"],
        "supply": supply,
        "gap": demand - supply,
    }


def skills_gap() -> dict:
    """Per competency: demand, supply and gap (largest gap first)."""
    survey = latest_survey()
    parts = _gap_parts(by_district=False, survey=survey)
    labels = _labels("competencies")
    rows = [
        {"code": code, "label_zh": zh, "label_en": en, **_gap_row(parts[(None, code)])}
        for code, (zh, en) in labels.items()
    ]
    rows.sort(key=lambda r: (-r["gap"], r["code"]))
    return {"items": rows, "survey_id": survey}


_ZERO = {"slots": 0, "survey": 0, "students": 0, "seats": 0}


def districts() -> dict:
    """Per Guangzhou district, the skills gap as `skills_gap` gives it for the alliance: each
    competency's demand, supply and gap (largest gap first) in `competencies`, their totals,
    and the district's approved enterprises and universities and open internships.

    Demand is placed by the internship's district and by the answering enterprise's; supply by
    the district of the students' and of the course's university."""
    survey = latest_survey()
    parts = _gap_parts(by_district=True, survey=survey)
    competencies = _labels("competencies")
    o = Organization
    orgs = defaultdict(dict)
    for district, kind, n in db.session.execute(
        sa.select(o.district, o.kind, sa.func.count())
        .where(o.status == "approved")
        .group_by(o.district, o.kind)
    ):
        orgs[district][kind] = n
    open_ = dict(
        db.session.execute(
            sa.select(Internship.district, sa.func.count())
            .where(Internship.status == "open")
            .group_by(Internship.district)
        ).all()
    )
    rows = []
    for district, (zh, en) in _labels("districts").items():
        per = [
            {
                "code": code,
                "label_zh": czh,
                "label_en": cen,
                **_gap_row(parts.get((district, code), _ZERO)),
            }
            for code, (czh, cen) in competencies.items()
        ]
        per.sort(key=lambda r: (-r["gap"], r["code"]))
        totals = {
            k: sum(parts.get((district, code), _ZERO)[k] for code in competencies) for k in _ZERO
        }
        rows.append(
            {
                "code": district,
                "label_zh": zh,
                "label_en": en,
                "enterprises": orgs[district].get("enterprise", 0),
                "universities": orgs[district].get("university", 0),
                "open_internships": open_.get(district, 0),
                **_gap_row(totals),
                "competencies": per,
            }
        )
    return {"items": rows, "survey_id": survey}


def _month(column):
    if is_postgres():
        return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM")
    return sa.func.strftime("%Y-%m", column)


def internships() -> dict:
    """Posted, filled and hired by category and month (UTC months)."""
    i = Internship
    cells: dict = defaultdict(lambda: {"posted": 0, "filled": 0, "hired": 0})
    for column, what, where in (
        (i.published_at, "posted", i.published_at.is_not(None)),
        (i.status_changed_at, "filled", i.status == "filled"),
    ):
        month = _month(column)
        for category, m, n in db.session.execute(
            sa.select(i.category, month, sa.func.count()).where(where).group_by(i.category, month)
        ):
            cells[(category, m)][what] += n
    month = _month(Hire.created_at)
    for category, m, n in db.session.execute(
        sa.select(i.category, month, sa.func.count())
        .select_from(Hire)
        .join(Application, Application.id == Hire.application_id)
        .join(i, i.id == Application.internship_id)
        .group_by(i.category, month)
    ):
        cells[(category, m)]["hired"] += n
    rows = [{"category": c, "month": m, **v} for (c, m), v in sorted(cells.items())]
    return {"items": rows}


def partnerships() -> dict:
    """Partnerships counted by status and health: per cooperation mode (`items`), per
    Guangzhou district (`by_district`: a partnership counts in the district of each side, once
    when both are in one, as the list's `district` filter finds it; so districts can add up to
    more than the total) and per university (`by_university`)."""
    p, o = Partnership, Organization
    health = sa.func.coalesce(p.health, "none")

    def _health(h):
        return None if h == "none" else h

    rows = db.session.execute(
        sa.select(PartnershipMode.mode, p.status, health, sa.func.count())
        .join(p, p.id == PartnershipMode.partnership_id)
        .group_by(PartnershipMode.mode, p.status, health)
        .order_by(PartnershipMode.mode, p.status, health)
    ).all()
    sides = sa.union(
        sa.select(p.id.label("pid"), o.district.label("district")).join(o, o.id == p.enterprise_id),
        sa.select(p.id.label("pid"), o.district.label("district")).join(o, o.id == p.university_id),
    ).subquery()
    labels = _labels("districts")
    by_district = [
        {
            "district": d,
            "label_zh": labels.get(d, (d, d))[0],
            "label_en": labels.get(d, (d, d))[1],
            "status": s,
            "health": _health(h),
            "count": n,
        }
        for d, s, h, n in db.session.execute(
            sa.select(sides.c.district, p.status, health, sa.func.count())
            .join(p, p.id == sides.c.pid)
            .where(sides.c.district.is_not(None))
            .group_by(sides.c.district, p.status, health)
            .order_by(sides.c.district, p.status, health)
        )
    ]
    by_university = [
        {
            "university_id": u,
            "name": name,
            "district": d,
            "status": s,
            "health": _health(h),
            "count": n,
        }
        for u, name, d, s, h, n in db.session.execute(
            sa.select(p.university_id, o.name, o.district, p.status, health, sa.func.count())
            .join(o, o.id == p.university_id)
            .group_by(p.university_id, o.name, o.district, p.status, health)
            .order_by(p.university_id, p.status, health)
        )
    ]
    modes = _labels("cooperation-modes")
    return {
        "items": [
            {
                "mode": m,
                "label_zh": modes.get(m, (m, m))[0],
                "label_en": modes.get(m, (m, m))[1],
                "status": s,
                "health": _health(h),
                "count": n,
            }
            for m, s, h, n in rows
        ],
        "by_district": by_district,
        "by_university": by_university,
    }


SUMMARIES = {
    "overview": overview,
    "skills-gap": skills_gap,
    "districts": districts,
    "internships": internships,
    "partnerships": partnerships,
}
