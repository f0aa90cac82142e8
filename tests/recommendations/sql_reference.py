"""The recommended-students path before the index of students (issue 17), kept as the
reference the index is tested against: every profiled student scored in one SQL statement,
ordered by `ORDER BY score DESC, user_id` and paged with LIMIT/OFFSET, then each row's
profile and user loaded and scored with `scoring.score`."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Organization
from cbec_alliance.recommendations.scoring import score
from cbec_alliance.recommendations.services import posting_signals, student_signals
from cbec_alliance.students.models import StudentCompetency, StudentLanguage, StudentProfile


def _competency_part(posting: Internship, joins: list):
    required = {c.code: c.min_level for c in posting.competencies}
    if not required:
        return sa.literal(0.5)
    sc = StudentCompetency
    ratio = sa.cast(sc.level, sa.Float) / sa.case(required, value=sc.code)
    credit = (
        sa.select(
            sc.user_id.label("uid"),
            sa.func.sum(sa.case((ratio > 1.0, 1.0), else_=ratio)).label("s"),
        )
        .where(sc.code.in_(required))
        .group_by(sc.user_id)
        .subquery()
    )
    joins.append((credit, credit.c.uid == StudentProfile.user_id))
    return 0.5 * sa.func.coalesce(credit.c.s, 0.0) / len(required)


def _language_part(posting: Internship, joins: list):
    langs = [x.code for x in posting.languages]
    if not langs:
        return sa.literal(0.2)
    sl = StudentLanguage
    spoken = (
        sa.select(sl.user_id.label("uid"), sa.func.count().label("n"))
        .where(sl.code.in_(langs), sl.level > 0)
        .group_by(sl.user_id)
        .subquery()
    )
    joins.append((spoken, spoken.c.uid == StudentProfile.user_id))
    return 0.2 * sa.func.coalesce(spoken.c.n, 0) / float(len(langs))


def score_sql(posting: Internship):
    """The score of every profiled student for `posting`, as one SQL expression."""
    p, org = StudentProfile, Organization
    joins: list = []
    majors = [m.code for m in posting.majors]
    parts = [
        _competency_part(posting, joins),
        sa.case((p.major.in_(majors), 0.2), else_=0.0) if majors else sa.literal(0.2),
        _language_part(posting, joins),
    ]
    if posting.mode == "remote":
        parts.append(sa.literal(0.1))
    else:
        away = 0.05 if posting.mode == "hybrid" else 0.0
        parts.append(sa.case((org.district == posting.district, 0.1), else_=away))
    total = sum(parts[1:], parts[0])
    # Half-up to 4 decimals, as scoring.round_score.
    rounded = sa.func.round(sa.cast(total + 1e-12, sa.Numeric), 4).label("score")
    stmt = sa.select(p.user_id, rounded).join(org, org.id == p.university_id)
    for sub, on in joins:
        stmt = stmt.outerjoin(sub, on)
    return stmt.where(org.status == "approved"), rounded


def students_for(posting: Internship, page: int, per_page: int) -> dict:
    """The response body the old path gave (without the permission checks)."""
    stmt, rounded = score_sql(posting)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.execute(
        stmt.order_by(rounded.desc(), StudentProfile.user_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    target = posting_signals(posting)
    items = []
    for user_id, _ in rows:
        profile = db.session.get(StudentProfile, user_id)
        student = db.session.get(User, user_id)
        match = score(student_signals(profile), target)
        shown = {
            "id": user_id,
            "name": student.name,
            "university_id": profile.university_id,
            "major": profile.major,
            "graduation_year": profile.graduation_year,
        }
        items.append({"student": shown, "score": match.score, "reasons": match.reasons})
    return {"items": items, "total": total or 0, "page": page, "per_page": per_page}
