"""Where a course leads ("job, course, competition, certificate"): open internships that ask
for the competencies it teaches, and competitions whose tracks exercise them."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.competitions.models import Competition, CompetitionTrack
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship, InternshipCompetency

from .models import Course

LIMIT = 10


def internships(course: Course) -> list[dict]:
    """Open postings sharing most competencies with the course first, then newest."""
    codes = course.competency_codes
    if not codes:
        return []
    shared = sa.func.count(InternshipCompetency.code)
    rows = db.session.execute(
        sa.select(Internship.id, Internship.title, Internship.enterprise_id)
        .join(InternshipCompetency, InternshipCompetency.internship_id == Internship.id)
        .where(Internship.status == "open", InternshipCompetency.code.in_(codes))
        .group_by(Internship.id)
        .order_by(shared.desc(), Internship.published_at.desc(), Internship.id.desc())
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
    return [
        {
            "id": r.id,
            "title": r.title,
            "enterprise_id": r.enterprise_id,
            "competencies": matched[r.id],
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
