"""Recommendations both ways: internships for a student, students for an internship."""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.core.errors import not_found
from cbec_alliance.core.links import envelope
from cbec_alliance.extensions import db
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.organizations.services import get_for_member
from cbec_alliance.recommendations import index as posting_index
from cbec_alliance.recommendations import talent
from cbec_alliance.recommendations.pairs import best_certificates
from cbec_alliance.recommendations.scoring import (
    CERTIFICATE_RANKS,
    Match,
    PostingSignals,
    StudentSignals,
    score,
)
from cbec_alliance.students.models import StudentProfile
from cbec_alliance.students.services import require_student
from cbec_alliance.taxonomy import services as taxonomy


def student_signals(profile: StudentProfile) -> StudentSignals:
    """A profile as `StudentSignals` (district: the student's university's)."""
    university = db.session.get(Organization, profile.university_id)
    return StudentSignals(
        competencies={c.code: c.level for c in profile.competencies},
        major=profile.major,
        languages={x.code: x.level for x in profile.languages},
        district=university.district if university else None,
        certificates=best_certificates((c.code, c.level, c.number) for c in profile.certificates),
    )


def posting_signals(posting: Internship) -> PostingSignals:
    """A posting as `PostingSignals`."""
    return PostingSignals(
        competencies={c.code: c.min_level for c in posting.competencies},
        majors=frozenset(m.code for m in posting.majors),
        languages=frozenset(x.code for x in posting.languages),
        district=posting.district,
        mode=posting.mode,
        certificates={c.code: CERTIFICATE_RANKS[c.min_level] for c in posting.certificates},
        language_levels={x.code: x.min_level for x in posting.languages if x.min_level > 1},
    )


def explained(match: Match) -> list[dict]:
    """The reasons, each certificate's with a `text` such as "has 跨境电商B2B数据运营
    intermediate", "has … senior (declared)" or "missing … senior"."""
    names = taxonomy.labels("certificates")
    for reason in match.reasons:
        if reason["kind"] != "certificate":
            continue
        name = names.get(reason["code"], reason["code"])
        if reason["matched"]:
            declared = "" if reason["verified"] else " (declared)"
            reason["text"] = f"has {name} {reason['certificate_level']}{declared}"
        else:
            reason["text"] = f"missing {name} {reason['required_certificate_level']}"
    return match.reasons


def internships_for(user: User, page: int, per_page: int, kind: str | None = None) -> dict:
    """Open postings (of `kind`, if given) best first for the calling student (ties by id)."""
    require_student(user)
    profile = db.session.get(StudentProfile, user.id)
    if profile is None:
        not_found("profile (create it with PUT /api/v1/students/me/profile first)")
    student = student_signals(profile)
    idx = posting_index.current()
    scores = idx.scores(student)
    order = np.lexsort((idx.ids, -scores))
    if kind is not None:
        order = order[idx.kind[order] == kind]
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
        items.append({"internship": posting, "score": match.score, "reasons": explained(match)})
    return envelope(items, len(order), page, per_page)


def students_for(internship_id: int, user: User, page: int, per_page: int) -> dict:
    """Profiled students best first for a posting (its enterprise's staff, coordinators)."""
    posting = internships.get_visible(internship_id, user)
    if not user.is_coordinator:
        get_for_member(posting.enterprise_id, user, roles=STAFF_ROLES)
    target = posting_signals(posting)
    items, total, complete = _ranked_students(target, page, per_page, *talent.current())
    if not complete:  # a profile on the page is gone: read the profiles afresh, once
        items, total, _ = _ranked_students(target, page, per_page, *talent.current(rebuild=True))
    return envelope(items, total, page, per_page)


def _ranked_students(
    target: PostingSignals,
    page: int,
    per_page: int,
    idx: talent.StudentIndex,
    universities: talent.Universities,
) -> tuple[list[dict], int, bool]:
    """The page's items, the total, and whether every profile on the page is still there."""
    eligible = universities.approved[idx.university]
    scores = talent.scores(idx, target, universities.near(target.district))
    rows = talent.ranked(scores, eligible, (page - 1) * per_page, per_page)
    ids = [int(idx.ids[r]) for r in rows]
    found = _profiles(ids)
    items = []
    for row, user_id in zip(rows, ids, strict=True):
        if user_id not in found:
            continue
        district = universities.district[idx.university[row]]
        match = score(idx.signals(int(row), district), target)
        items.append({"student": found[user_id], "score": match.score, "reasons": explained(match)})
    return items, int(eligible.sum()), len(found) == len(ids)


def _profiles(ids: list[int]) -> dict[int, dict]:
    """The shown fields of these students, in one query."""
    sp = StudentProfile
    stmt = (
        sa.select(sp.user_id, User.name, sp.university_id, sp.major, sp.graduation_year)
        .join(User, User.id == sp.user_id)
        .where(sp.user_id.in_(ids))
    )
    return {
        row.user_id: {
            "id": row.user_id,
            "name": row.name,
            "university_id": row.university_id,
            "major": row.major,
            "graduation_year": row.graduation_year,
        }
        for row in db.session.execute(stmt)
    }
