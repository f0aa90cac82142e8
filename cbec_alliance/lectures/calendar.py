"""Events (lectures, job fairs, workshops) as calendar entries."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.core.ics import Entry
from cbec_alliance.extensions import db
from cbec_alliance.lectures.models import Lecture, Registration
from cbec_alliance.organizations.services import staffed_by

KIND_ZH = {"lecture": "讲座", "job_fair": "招聘会", "workshop": "工作坊"}


def entry(lecture: Lecture) -> Entry:
    """One event as a calendar entry (cancelled ones say so, so calendars drop them)."""
    details = [
        lecture.description or "",
        f"主讲 Speaker: {lecture.speaker}" if lecture.speaker else "",
    ]
    return Entry(
        uid=f"event-{lecture.id}",
        summary=f"[{KIND_ZH.get(lecture.kind, lecture.kind)}] {lecture.title}",
        starts=lecture.starts_at,
        ends=lecture.ends_at,
        location=lecture.location,
        description="\n".join(part for part in details if part) or None,
        url=f"/api/v1/events/{lecture.id}",
        cancelled=lecture.status == "cancelled",
    )


def entries_for(user_id: int) -> list[Entry]:
    """Events the user holds a seat at, and those their organizations host."""
    seat = sa.select(Registration.event_id).where(
        Registration.user_id == user_id, Registration.status == "registered"
    )
    hosted = staffed_by(user_id)
    lectures = db.session.scalars(
        sa.select(Lecture)
        .where(sa.or_(Lecture.id.in_(seat), Lecture.host_organization_id.in_(hosted)))
        .order_by(Lecture.starts_at, Lecture.id)
    )
    return [entry(lecture) for lecture in lectures]
