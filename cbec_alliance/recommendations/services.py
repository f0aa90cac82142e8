"""Recommendations both ways: internships for a student, students for an internship."""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.core.errors import not_found
from cbec_alliance.extensions import db
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.organizations.services import get_for_member
from cbec_alliance.recommendations import index as posting_index
from cbec_alliance.recommendations.scoring import PostingSignals, StudentSignals, score
from cbec_alliance.students.models import StudentCompetency, StudentLanguage, StudentProfile
from cbec_alliance.students.services import require_student


def student_signals(profile: StudentProfile) -> StudentSignals:
    """A profile as `StudentSignals` (district: the student's university's)."""
    university = db.session.get(Organization, profile.university_id)
    return StudentSignals(
        competencies={c.code: c.level for c in profile.competencies},
        major=profile.major,
        languages={x.code: x.level for x in profile.languages},
        district=university.district if university else None,
    )


def posting_signals(posting: Internship) -> PostingSignals:
    """A posting as `PostingSignals`."""
    return PostingSignals(
        competencies={c.code: c.min_level for c in posting.competencies},
        majors=frozenset(m.code for m in posting.majors),
        languages=frozenset(x.code for x in posting.languages),
        district=posting.district,
        mode=posting.mode,
    )


def internships_for(user: User, page: int, per_page: int) -> dict:
    """Open postings best first for the calling student (ties by id)."""
    require_student(user)
    profile = db.session.get(StudentProfile, user.id)
    if profile is None:
        not_found("profile (create it with PUT /api/v1/students/me/profile first)")
    student = student_signals(profile)
    idx = posting_index.current()
    scores = idx.scores(student)
    order = np.lexsort((idx.ids, -scores))
    rows = order[(page - 1) * per_page : page * per_page]
    by_id = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Internship).where(Internship.id.in_([int(idx.ids[r]) for r in rows]))
        )
    }
    items = []
    for r in rows:
        posting = by_id.get(int(idx.ids[r]))
        if posting is None or posting.status != "open":  # changed since the index was built
            continue
        match = score(student, posting_signals(posting))
        items.append({"internship": posting, "score": match.score, "reasons": match.reasons})
    return {"items": items, "total": len(idx), "page": page, "per_page": per_page}


def _score_sql(posting: Internship):
    """The score of every profiled student for `posting`, as one SQL expression (see scoring)."""
    p, org = StudentProfile, Organization
    parts = []
    required = {c.code: c.min_level for c in posting.competencies}
    joins = []
    if required:
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
        joins.append((credit, credit.c.uid == p.user_id))
        parts.append(0.5 * sa.func.coalesce(credit.c.s, 0.0) / len(required))
    else:
        parts.append(sa.literal(0.5))
    majors = [m.code for m in posting.majors]
    parts.append(sa.case((p.major.in_(majors), 0.2), else_=0.0) if majors else sa.literal(0.2))
    langs = [x.code for x in posting.languages]
    if langs:
        sl = StudentLanguage
        spoken = (
            sa.select(sl.user_id.label("uid"), sa.func.count().label("n"))
            .where(sl.code.in_(langs), sl.level > 0)
            .group_by(sl.user_id)
            .subquery()
        )
        joins.append((spoken, spoken.c.uid == p.user_id))
        parts.append(0.2 * sa.func.coalesce(spoken.c.n, 0) / float(len(langs)))
    else:
        parts.append(sa.literal(0.2))
    if posting.mode == "remote":
        parts.append(sa.literal(0.1))
    else:
        away = 0.05 if posting.mode == "hybrid" else 0.0
        parts.append(sa.case((org.district == posting.district, 0.1), else_=away))
    total = sum(parts[1:], parts[0])
    # Half-up to 4 decimals, as scoring.round_score (the epsilon: see index.scores).
    rounded = sa.func.round(sa.cast(total + 1e-12, sa.Numeric), 4).label("score")
    stmt = sa.select(p.user_id, rounded).join(org, org.id == p.university_id)
    for sub, on in joins:
        stmt = stmt.outerjoin(sub, on)
    return stmt.where(org.status == "approved"), rounded


def students_for(internship_id: int, user: User, page: int, per_page: int) -> dict:
    """Profiled students best first for a posting (its enterprise's staff, coordinators)."""
    posting = internships.get_visible(internship_id, user)
    if not user.is_coordinator:
        get_for_member(posting.enterprise_id, user, roles=STAFF_ROLES)
    stmt, rounded = _score_sql(posting)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.execute(
        stmt.order_by(rounded.desc(), StudentProfile.user_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    target = posting_signals(posting)
    items = []
    for user_id, _ in rows:
        profile = db.session.get_one(StudentProfile, user_id)  # a row of the query above
        student = db.session.get_one(User, user_id)
        match = score(student_signals(profile), target)
        items.append(
            {
                "student": {
                    "id": user_id,
                    "name": student.name,
                    "university_id": profile.university_id,
                    "major": profile.major,
                    "graduation_year": profile.graduation_year,
                },
                "score": match.score,
                "reasons": match.reasons,
            }
        )
    return {"items": items, "total": total or 0, "page": page, "per_page": per_page}
