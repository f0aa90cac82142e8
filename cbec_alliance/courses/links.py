"""Where a course leads ("job, course, competition, certificate"): open postings that ask for
the competencies it teaches or the certificates it prepares for (at the course's level or
below), and competitions whose tracks exercise its competencies."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.competitions.models import Competition, CompetitionTrack
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import (
    CERTIFICATE_LEVELS,
    Internship,
    InternshipCertificate,
    InternshipCompetency,
)

from .models import Course

LIMIT = 10


def _certificate_match(course: Course):
    """The condition on InternshipCertificate: a certificate the course prepares for, asked
    at the course's level or below (None when the course prepares for none)."""
    if not course.certificates:
        return None
    return sa.or_(
        *(
            sa.and_(
                InternshipCertificate.code == c.code,
                InternshipCertificate.min_level.in_(
                    CERTIFICATE_LEVELS[: CERTIFICATE_LEVELS.index(c.min_level) + 1]
                ),
            )
            for c in course.certificates
        )
    )


def internships(course: Course) -> list[dict]:
    """Open postings sharing most competencies and certificates with the course first, then
    newest."""
    codes = course.competency_codes
    certified = _certificate_match(course)
    parts = []
    if codes:
        parts.append(
            sa.select(InternshipCompetency.internship_id.label("iid")).where(
                InternshipCompetency.code.in_(codes)
            )
        )
    if certified is not None:
        parts.append(sa.select(InternshipCertificate.internship_id.label("iid")).where(certified))
    if not parts:
        return []
    shares = sa.union_all(*parts).subquery()
    rows = db.session.execute(
        sa.select(Internship.id, Internship.title, Internship.enterprise_id)
        .join(shares, shares.c.iid == Internship.id)
        .where(Internship.status == "open")
        .group_by(Internship.id)
        .order_by(sa.func.count().desc(), Internship.published_at.desc(), Internship.id.desc())
        .limit(LIMIT)
    ).all()
    ids = [r.id for r in rows]
    matched: dict[int, list[str]] = {i: [] for i in ids}
    for internship_id, code in db.session.execute(
        sa.select(InternshipCompetency.internship_id, InternshipCompetency.code)
        .where(InternshipCompetency.internship_id.in_(ids), InternshipCompetency.code.in_(codes))
        .order_by(InternshipCompetency.code)
    ):
        matched[internship_id].append(code)
    certificates: dict[int, list[str]] = {i: [] for i in ids}
    if certified is not None:
        for internship_id, code in db.session.execute(
            sa.select(InternshipCertificate.internship_id, InternshipCertificate.code)
            .where(InternshipCertificate.internship_id.in_(ids), certified)
            .order_by(InternshipCertificate.code)
        ):
            certificates[internship_id].append(code)
    return [
        {
            "id": r.id,
            "title": r.title,
            "enterprise_id": r.enterprise_id,
            "competencies": matched[r.id],
            "certificates": certificates[r.id],
        }
        for r in rows
    ]


def competitions(course: Course) -> list[dict]:
    """Competitions (newest first) with a track that exercises one of the course's competencies."""
    codes = set(course.competency_codes)
    if not codes:
        return []
    # Track competencies are a JSON list: narrow in SQL by the quoted codes, confirm in Python.
    text = sa.cast(CompetitionTrack.competencies, sa.Text)
    rows = db.session.execute(
        sa.select(
            Competition.id, Competition.title, CompetitionTrack.name, CompetitionTrack.competencies
        )
        .join(CompetitionTrack, CompetitionTrack.competition_id == Competition.id)
        .where(sa.or_(*(text.contains(f'"{c}"', autoescape=True) for c in sorted(codes))))
        .order_by(Competition.starts_at.desc(), Competition.id.desc(), CompetitionTrack.position)
    ).all()
    out: dict[int, dict] = {}
    for competition_id, title, track, track_codes in rows:
        if codes & set(track_codes):
            item = out.setdefault(
                competition_id, {"id": competition_id, "title": title, "tracks": []}
            )
            item["tracks"].append(track)
    return list(out.values())[:LIMIT]


def of(course: Course) -> dict:
    """Both kinds of links."""
    return {"internships": internships(course), "competitions": competitions(course)}
