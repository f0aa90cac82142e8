"""The monitoring summaries, each one set of aggregate queries over the whole alliance (the
skills gap, per competency and per district, is `skills_gap`'s)."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from cbec_alliance.applications.lifecycle import PLACED
from cbec_alliance.applications.models import Application, Hire
from cbec_alliance.competitions.models import Competition
from cbec_alliance.core.db import is_postgres
from cbec_alliance.courses.models import Course
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Membership, Organization
from cbec_alliance.partnerships.models import Partnership, PartnershipMode
from cbec_alliance.training_bases.models import TrainingBase

from .language_gap import language_gap
from .skills_gap import districts, skills_gap, vocabulary_labels


def _counts(stmt) -> list[dict]:
    return [dict(row._mapping) for row in db.session.execute(stmt)]


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
    return {
        "organizations": _counts(
            sa.select(Organization.kind, Organization.status, sa.func.count().label("count"))
            .group_by(Organization.kind, Organization.status)
            .order_by(Organization.kind, Organization.status)
        ),
        "partnerships": {
            "by_status": _count_by(Partnership.status),
            "by_health": _count_by(Partnership.health, Partnership.health.is_not(None)),
            "active_by_mode": _active_partnerships_by_mode(),
        },
        "internships": _internship_counts(),
        "courses": _count_by(Course.status),
        "training_bases": _count_by(TrainingBase.level, TrainingBase.status == "approved"),
        "competitions": db.session.scalar(sa.select(sa.func.count()).select_from(Competition)),
        "students": db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Membership.user_id))).where(
                Membership.role == "student"
            )
        ),
    }


def _active_partnerships_by_mode() -> list[dict]:
    """[{mode, count}] of active partnerships, by cooperation mode."""
    rows = db.session.execute(
        sa.select(PartnershipMode.mode, sa.func.count())
        .join(Partnership, Partnership.id == PartnershipMode.partnership_id)
        .where(Partnership.status == "active")
        .group_by(PartnershipMode.mode)
        .order_by(PartnershipMode.mode)
    ).all()
    return [{"mode": mode, "count": count} for mode, count in rows]


def _internship_counts() -> dict:
    """Postings (published, open, filled, their slots), placements, completions and hires."""
    posted = db.session.execute(
        sa.select(
            sa.func.count().filter(Internship.published_at.is_not(None)),
            sa.func.count().filter(Internship.status == "open"),
            sa.func.count().filter(Internship.status == "filled"),
            sa.func.coalesce(
                sa.func.sum(Internship.slots).filter(Internship.published_at.is_not(None)), 0
            ),
        )
    ).one()
    placements = db.session.scalar(sa.select(sa.func.count()).where(Application.status.in_(PLACED)))
    completed = db.session.scalar(
        sa.select(sa.func.count()).where(Application.status == "completed")
    )
    hires = db.session.execute(sa.select(sa.func.count()).select_from(Hire)).scalar_one()
    return {
        "posted": posted[0],
        "open": posted[1],
        "filled": posted[2],
        "slots_posted": int(posted[3]),
        "placements": placements,
        "completed": completed,
        "hired": hires,
        "conversion_rate": round(100 * hires / completed, 2) if completed else 0.0,
    }


def _month(column):
    if is_postgres():
        return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM")
    return sa.func.strftime("%Y-%m", column)


def internships() -> dict:
    """Posted, filled and hired by category and month (UTC months)."""
    cells: dict = defaultdict(lambda: {"posted": 0, "filled": 0, "hired": 0})
    for column, what, where in (
        (Internship.published_at, "posted", Internship.published_at.is_not(None)),
        (Internship.status_changed_at, "filled", Internship.status == "filled"),
    ):
        month = _month(column)
        for category, in_month, count in db.session.execute(
            sa.select(Internship.category, month, sa.func.count())
            .where(where)
            .group_by(Internship.category, month)
        ):
            cells[(category, in_month)][what] += count
    month = _month(Hire.created_at)
    for category, in_month, count in db.session.execute(
        sa.select(Internship.category, month, sa.func.count())
        .select_from(Hire)
        .join(Application, Application.id == Hire.application_id)
        .join(Internship, Internship.id == Application.internship_id)
        .group_by(Internship.category, month)
    ):
        cells[(category, in_month)]["hired"] += count
    rows = [
        {"category": category, "month": in_month, **counts}
        for (category, in_month), counts in sorted(cells.items())
    ]
    return {"items": rows}


def _health_key():
    # Grouped with partnerships not yet evaluated ("none"); each statement uses one instance
    # in its select, group and order, so PostgreSQL sees one expression.
    return sa.func.coalesce(Partnership.health, "none")


def _health(key: str) -> str | None:
    return None if key == "none" else key


def partnerships() -> dict:
    """Partnerships counted by status and health: per cooperation mode (`items`), per
    Guangzhou district (`by_district`: a partnership counts in the district of each side, once
    when both are in one, as the list's `district` filter finds it; so districts can add up to
    more than the total) and per university (`by_university`)."""
    return {
        "items": _partnerships_by_mode(),
        "by_district": _partnerships_by_district(),
        "by_university": _partnerships_by_university(),
    }


def _partnerships_by_mode() -> list[dict]:
    """[{mode, labels, status, health, count}] per cooperation mode."""
    health = _health_key()
    rows = db.session.execute(
        sa.select(PartnershipMode.mode, Partnership.status, health, sa.func.count())
        .join(Partnership, Partnership.id == PartnershipMode.partnership_id)
        .group_by(PartnershipMode.mode, Partnership.status, health)
        .order_by(PartnershipMode.mode, Partnership.status, health)
    ).all()
    modes = vocabulary_labels("cooperation-modes")
    return [
        {
            "mode": mode,
            "label_zh": modes.get(mode, (mode, mode))[0],
            "label_en": modes.get(mode, (mode, mode))[1],
            "status": status,
            "health": _health(key),
            "count": count,
        }
        for mode, status, key, count in rows
    ]


def _partnerships_by_district() -> list[dict]:
    """[{district, labels, status, health, count}]: each partnership in its sides' districts."""
    health = _health_key()
    sides = sa.union(
        sa.select(Partnership.id.label("pid"), Organization.district.label("district")).join(
            Organization, Organization.id == Partnership.enterprise_id
        ),
        sa.select(Partnership.id.label("pid"), Organization.district.label("district")).join(
            Organization, Organization.id == Partnership.university_id
        ),
    ).subquery()
    labels = vocabulary_labels("districts")
    return [
        {
            "district": district,
            "label_zh": labels.get(district, (district, district))[0],
            "label_en": labels.get(district, (district, district))[1],
            "status": status,
            "health": _health(key),
            "count": count,
        }
        for district, status, key, count in db.session.execute(
            sa.select(sides.c.district, Partnership.status, health, sa.func.count())
            .join(Partnership, Partnership.id == sides.c.pid)
            .where(sides.c.district.is_not(None))
            .group_by(sides.c.district, Partnership.status, health)
            .order_by(sides.c.district, Partnership.status, health)
        )
    ]


def _partnerships_by_university() -> list[dict]:
    """[{university_id, name, district, status, health, count}] per university."""
    health = _health_key()
    stmt = (
        sa.select(
            Partnership.university_id,
            Organization.name,
            Organization.district,
            Partnership.status,
            health,
            sa.func.count(),
        )
        .join(Organization, Organization.id == Partnership.university_id)
        .group_by(
            Partnership.university_id,
            Organization.name,
            Organization.district,
            Partnership.status,
            health,
        )
        .order_by(Partnership.university_id, Partnership.status, health)
    )
    return [
        {
            "university_id": university_id,
            "name": name,
            "district": district,
            "status": status,
            "health": _health(key),
            "count": count,
        }
        for university_id, name, district, status, key, count in db.session.execute(stmt)
    ]


SUMMARIES = {
    "overview": overview,
    "skills-gap": skills_gap,
    "language-gap": language_gap,
    "districts": districts,
    "internships": internships,
    "partnerships": partnerships,
}
