"""Student pages, continued: the student's placements, and in one its working days (check in
and out) and weekly logs with the mentors' reviews (write this week's), through the
placements services the API uses."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from cbec_alliance.core.errors import not_found
from cbec_alliance.core.pagination import paginate
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Organization
from cbec_alliance.placements import access, attendance, logs
from cbec_alliance.placements import services as placements
from cbec_alliance.placements.records_schemas import CheckInInSchema, LogInSchema
from cbec_alliance.placements.schemas import PlacementListArgs

from .labels import PLACEMENT_STATES, labels, names_of, translated, vocabulary
from .student_web import blp
from .web import attempt, carry_out, done, form_values, page, parse, render, user

PAGE = {"page": 1, "per_page": 20}


@blp.get("/placements")
@page
def placements_mine():
    """The student's own placements, newest first."""
    args = PlacementListArgs().load({})
    found = [
        p
        for p in paginate(placements.listing(user(), args), args)["items"]
        if p.student_id == user().id
    ]
    return render(
        "console/student/placements.html",
        placements=found,
        titles=names_of(Internship, [p.internship_id for p in found], Internship.title),
        companies=names_of(Organization, [p.enterprise_id for p in found], Organization.name),
        state_names=translated(PLACEMENT_STATES),
    )


def _own(placement_id: int):
    found = access.get_visible(placement_id, user())
    if found.student_id != user().id:  # a mentor or staff member who is also a student
        not_found("placement")
    return found


def _placement_page(placement_id: int, log_values: dict, errors: dict, message, status=200):
    found = _own(placement_id)
    days = paginate(attendance.listing(user(), found.id, {}), PAGE)
    weekly = paginate(logs.listing(user(), found.id), PAGE)
    body = render(
        "console/student/placement.html",
        p=found,
        days=days,
        weekly=weekly,
        title=names_of(Internship, [found.internship_id], Internship.title),
        company=names_of(Organization, [found.enterprise_id], Organization.name),
        state_names=translated(PLACEMENT_STATES),
        competencies=vocabulary("competencies"),
        competency_names=labels("competencies"),
        values=log_values,
        errors=errors,
        message=message,
    )
    return body, status


@blp.get("/placements/<int:placement_id>")
@page
def placement_view(placement_id: int):
    """One placement: its state, working days and weekly logs."""
    return _placement_page(placement_id, {}, {}, None)


@blp.post("/placements/<int:placement_id>/check")
@page
def check(placement_id: int):
    """Check in or out now (the attendance service: once each a day, while active)."""
    found = _own(placement_id)
    data, errors = parse(CheckInInSchema(), form_values(("action",)))
    if data is None:
        flash(" ".join(errors.get("action", [])), "error")
        return redirect(url_for("console_student.placement_view", placement_id=found.id), 303)
    said = _("Checked in.") if data["action"] == "in" else _("Checked out.")
    return carry_out(
        lambda: attendance.check(user(), found.id, data),
        said,
        "console_student.placement_view",
        placement_id=found.id,
    )


@blp.post("/placements/<int:placement_id>/logs")
@page
def log_write(placement_id: int):
    """Write a week's log (the logs service: one a week, never a future week)."""
    found = _own(placement_id)
    values = form_values(("week", "text", "hours"), lists=("competencies",))
    data, errors = parse(LogInSchema(), values)
    if data is None:
        return _placement_page(found.id, values, errors, _("Please correct the form."), 422)
    _log, message, errors = attempt(lambda: logs.write(user(), found.id, data))
    if message:
        return _placement_page(found.id, values, errors, message, 409 if not errors else 422)
    said = _("Your weekly log is saved.")
    return done(said, "console_student.placement_view", placement_id=found.id)
