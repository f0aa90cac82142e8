"""Student pages, continued: the courses of the student's university (enroll, withdraw) and
the alliance's events (register, give the seat back), through the courses and lectures
services the API uses."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.core.pagination import paginate
from cbec_alliance.courses import enrollment
from cbec_alliance.courses import services as courses
from cbec_alliance.courses.models import Enrollment
from cbec_alliance.courses.schemas import CourseListArgs
from cbec_alliance.extensions import db
from cbec_alliance.lectures import services as lectures
from cbec_alliance.lectures.models import Registration
from cbec_alliance.lectures.schemas import EventListArgs
from cbec_alliance.organizations.models import Organization
from cbec_alliance.students import services as students

from .labels import names_of
from .student_web import blp
from .university_web import query
from .web import carry_out, page, render, user


@blp.get("/courses")
@page
def course_list():
    """The published courses of the student's university, searched by title or code."""
    university_id = students.require_student(user()).organization_id
    args, errors, given = query(
        CourseListArgs(), ("q",), university_id=university_id, status="published"
    )
    listing = paginate(courses.listing(args, user()), args)
    mine = set(
        db.session.scalars(
            sa.select(Enrollment.course_id).where(
                Enrollment.student_id == user().id, Enrollment.status == "enrolled"
            )
        )
    )
    return render(
        "console/student/courses.html", listing=listing, mine=mine, args=given, errors=errors
    )


def _course_step(course_id: int, action, said: str):
    course = courses.get_visible(course_id, user())
    return carry_out(lambda: action(user(), course), said, "console_student.course_list")


@blp.post("/courses/<int:course_id>/enroll")
@page
def course_enroll(course_id: int):
    """Take a place (the enrollment service: a student of its university, within capacity)."""
    return _course_step(course_id, enrollment.enroll, _("You are enrolled."))


@blp.post("/courses/<int:course_id>/withdraw")
@page
def course_withdraw(course_id: int):
    """Give the place back."""
    return _course_step(course_id, enrollment.withdraw, _("You have left the course."))


@blp.get("/events")
@page
def event_list():
    """Upcoming events of the alliance, soonest first, searched by title or speaker."""
    args, errors, given = query(EventListArgs(), ("q",))
    listing = paginate(lectures.listing(args), args)
    seats = set(
        db.session.scalars(
            sa.select(Registration.event_id).where(
                Registration.user_id == user().id, Registration.status == "registered"
            )
        )
    )
    hosts = names_of(
        Organization, [e.host_organization_id for e in listing["items"]], Organization.name
    )
    return render(
        "console/student/events.html",
        listing=listing,
        seats=seats,
        hosts=hosts,
        args=given,
        errors=errors,
    )


def _event_step(event_id: int, action, said: str):
    event = lectures.get(event_id)
    return carry_out(lambda: action(user(), event), said, "console_student.event_list")


@blp.post("/events/<int:event_id>/register")
@page
def event_register(event_id: int):
    """Take a seat (before the start, within capacity)."""
    return _event_step(event_id, lectures.register, _("Your seat is booked."))


@blp.post("/events/<int:event_id>/unregister")
@page
def event_unregister(event_id: int):
    """Give the seat back (before the start)."""
    return _event_step(event_id, lectures.unregister, _("Your seat is given back."))
