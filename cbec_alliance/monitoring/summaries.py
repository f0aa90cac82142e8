"""The monitoring summaries, each one set of aggregate queries over the whole alliance.

Definitions (also in the OpenAPI descriptions):
- demand for a competency = open slots (slots minus accepted) of open internships that require
  it + survey weight (the enterprises that chose it in the latest talent-demand survey with
  responses);
- supply = students at level 3 or more + seats (capacity) of published courses teaching it;
- gap = demand - supply (positive: the alliance trains too few).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from cbec_alliance.applications.models import Application, Hire
from cbec_alliance.competitions.models import Competition
from cbec_alliance.core.db import is_postgres
from cbec_alliance.courses.models import Course, CourseCompetency
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship, InternshipCompetency
from cbec_alliance.organizations.models import Membership, Organization
from cbec_alliance.partnerships.models import Partnership, PartnershipMode
from cbec_alliance.students.models import StudentCompetency, StudentProfile
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
    placements = db.session.scalar(
        sa.select(sa.func.count()).where(Application.status.in_(("accepted", "completed")))
    )
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


def _latest_survey() -> int | None:
    """The id of the latest survey (by year) that has responses: the one demand counts."""
    return db.session.scalar(
        sa.select(Survey.id)
        .where(sa.exists().where(SurveyResponse.survey_id == Survey.id))
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
    for *d, code, n in db.session.execute(stmt.where(sc.level >= 3).group_by(*key, sc.code)):
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
    survey = _latest_survey()
    parts = _gap_parts(by_district=False, survey=survey)
    labels = _labels("competencies")
    rows = [
        {"code": code, "label_zh": zh, "label_en": en, **_gap_row(parts[(None, code)])}
        for code, (zh, en) in labels.items()
    ]
    rows.sort(key=lambda r: (-r["gap"], r["code"]))
    return {"items": rows, "survey_id": survey}


def districts() -> dict:
    """Per Guangzhou district: demand, supply and gap over all competencies, and counts."""
    parts = _gap_parts(by_district=True, survey=_latest_survey())
    totals: dict = defaultdict(lambda: defaultdict(int))
    for (district, _code), values in parts.items():
        for k, v in values.items():
            totals[district][k] += v
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
    for code, (zh, en) in _labels("districts").items():
        rows.append(
            {
                "code": code,
                "label_zh": zh,
                "label_en": en,
                "enterprises": orgs[code].get("enterprise", 0),
                "universities": orgs[code].get("university", 0),
                "open_internships": open_.get(code, 0),
                **_gap_row(totals[code]),
            }
        )
    return {"items": rows}


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
    """Partnerships by mode, status and health."""
    p = Partnership
    health = sa.func.coalesce(p.health, "none")
    rows = db.session.execute(
        sa.select(PartnershipMode.mode, p.status, health, sa.func.count())
        .join(p, p.id == PartnershipMode.partnership_id)
        .group_by(PartnershipMode.mode, p.status, health)
        .order_by(PartnershipMode.mode, p.status, health)
    ).all()
    return {
        "items": [
            {"mode": m, "status": s, "health": None if h == "none" else h, "count": n}
            for m, s, h, n in rows
        ]
    }


SUMMARIES = {
    "overview": overview,
    "skills-gap": skills_gap,
    "districts": districts,
    "internships": internships,
    "partnerships": partnerships,
}
