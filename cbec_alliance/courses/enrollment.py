"""Enrollment: students of the course's university take a place, never beyond capacity."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.core.capacity import give_back, take
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, forbidden, not_found
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

from .models import PLACES, Course, Enrollment


def _lock(course_id: int) -> Course:
    """The course row, locked on PostgreSQL until the request commits."""
    stmt = for_update(sa.select(Course).where(Course.id == course_id))
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def enroll(user: User, course: Course) -> Enrollment:
    """Take a place in a published course (a student of its university)."""
    is_student = db.session.scalar(
        sa.select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.organization_id == course.university_id,
            Membership.role == "student",
        )
    )
    if not is_student:
        forbidden("Only students of the course's university enroll in it.")
    course = _lock(course.id)
    if course.status != "published":
        conflict(
            _("only published courses take students; this one is %(status)s", status=course.status)
        )
    mine = db.session.scalar(
        sa.select(Enrollment).where(
            Enrollment.course_id == course.id, Enrollment.student_id == user.id
        )
    )
    if mine is not None and mine.status == "enrolled":
        conflict("you are already enrolled in this course")
    if take(PLACES, course) is None:
        conflict(_("the course is full (%(capacity)s places)", capacity=course.capacity))
    if mine is None:
        mine = Enrollment(
            course_id=course.id, student_id=user.id, university_id=course.university_id
        )
        db.session.add(mine)
    mine.status, mine.withdrawn_at, mine.created_at = "enrolled", None, utcnow()
    db.session.flush()
    return mine


def withdraw(user: User, course: Course) -> None:
    """Give one's place back."""
    course = _lock(course.id)
    mine = db.session.scalar(
        sa.select(Enrollment).where(
            Enrollment.course_id == course.id,
            Enrollment.student_id == user.id,
            Enrollment.status == "enrolled",
        )
    )
    if mine is None:
        not_found("enrollment")
    mine.status, mine.withdrawn_at = "withdrawn", utcnow()
    give_back(PLACES, course)


def roster(user: User, course: Course) -> sa.Select:
    """The course's enrollments, for its university's admins and staff and coordinators."""
    managers = db.session.scalar(
        sa.select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.organization_id == course.university_id,
            Membership.role.in_(STAFF_ROLES),
        )
    )
    if not (managers or user.is_coordinator):
        forbidden("Only the course's university and coordinators see its students.")
    return (
        sa.select(Enrollment)
        .where(Enrollment.course_id == course.id)
        .order_by(Enrollment.created_at, Enrollment.id)
    )
