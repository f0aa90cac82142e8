"""University pages (its admins and staff): the students with their profiles, and the roster
import (upload, progress, row-by-row report). Placements and recommended partners are in
`university_placements`, on the same Blueprint."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from cbec_alliance.core.pagination import paginate_rows
from cbec_alliance.destinations.schemas import ImportFileSchema
from cbec_alliance.rosters import services as rosters
from cbec_alliance.students import services as student_services
from cbec_alliance.students.schemas import StudentListArgs

from . import (  # noqa: F401 - their routes are on the same Blueprint
    university_courses,
    university_placements,
)
from .labels import LEVELS, labels, translated, vocabulary
from .university_web import blp, query, university
from .web import attempt, done, page, parse, render, user

FILTERS = ("q", "major", "graduation_year", "competency", "min_level")


@blp.get("/<int:org_id>/students")
@page
def students(org_id: int):
    """The university's students, searched and filtered as the API filters them."""
    org = university(org_id)
    args, errors, given = query(StudentListArgs(), FILTERS)
    listing = paginate_rows(
        student_services.students_of(org.id, user(), args), args, student_services.page_rows
    )
    return render(
        "console/university/students.html",
        org=org,
        listing=listing,
        args=given,
        errors=errors,
        majors=vocabulary("majors"),
        competencies=vocabulary("competencies"),
        major_names=labels("majors"),
        competency_names=labels("competencies"),
        levels=list(translated(LEVELS).items()),
    )


@blp.get("/<int:org_id>/roster")
@page
def roster(org_id: int):
    """The roster upload form and the template download links."""
    org = university(org_id)
    return render("console/university/roster.html", org=org, errors={}, message=None)


@blp.post("/<int:org_id>/roster")
@page
def roster_upload(org_id: int):
    """Upload a roster (csv or xlsx) through the service the API uses; then its progress."""
    org = university(org_id)
    data, errors = parse(ImportFileSchema(), request.files.to_dict())
    message = None
    if data is not None:
        job, message, errors = attempt(lambda: rosters.start(user(), org.id, data["file"]))
        if job is not None:
            return done(
                _("Roster %(name)s uploaded.", name=job.filename),
                "console_university.roster_import",
                org_id=org.id,
                import_id=job.id,
            )
    shown = render("console/university/roster.html", org=org, errors=errors, message=message)
    return shown, 409 if message and not errors else 422


@blp.get("/<int:org_id>/roster/<int:import_id>")
@page
def roster_import(org_id: int, import_id: int):
    """An import's progress, its counts and the invalid rows with the column and reason."""
    org = university(org_id)
    job = rosters.get_import(user(), org.id, import_id)
    invalid = [r for r in job.report or [] if r.get("outcome") == "invalid"]
    return render("console/university/import.html", org=org, job=job, invalid=invalid)
